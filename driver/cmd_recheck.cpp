// gradcert recheck CERT.json [--family FILE]: the independent certificate checker
// (verify/recheck, docs/certificate.md). Exit 0 every claim confirmed, 1 the first claim that
// cannot be confirmed, 2 a malformed certificate (or a --family file that disagrees with it),
// 3 a family outside the checker's term classes (verdict not independently re-checked).
#include <toml++/toml.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "driver/command.hpp"
#include "numerics/util/error.hpp"
#include "verify/recheck/recheck.hpp"

namespace gradcert::driver {

namespace {

using nlohmann::json;

// The family block of docs/certificate.md read from a family file (verify/family_file.hpp's
// format), every number as the decimal text written in the file.
class FamilyFileBlock {
  public:
    explicit FamilyFileBlock(const std::string& path) : path_(path) {
        std::ifstream in(path);
        if (!in) throw InputError(path + ": cannot be read");
        std::string line;
        std::ostringstream all;
        while (std::getline(in, line)) lines_.push_back(line), all << line << '\n';
        try {
            table_ = toml::parse(all.str(), path);
        } catch (const toml::parse_error& e) {
            throw InputError(path + ": " + std::string(e.description()));
        }
    }

    json block() const {
        json b;
        b["name"] = string_at("name");
        b["dim"] = table_["dim"].value<long>().value_or(0);
        b["f"] = string_at("f");
        b["params"] = json::object();
        if (const toml::table* p = table_["params"].as_table())
            for (const auto& [k, v] : *p) b["params"][std::string(k.str())] = text(v);
        b["domain"] = json::array();
        if (const toml::array* d = table_["domain"].as_array())
            for (const toml::node& i : *d) {
                const toml::array* pair = i.as_array();
                if (!pair || pair->size() != 2)
                    throw InputError(path_ + ": domain must be [[lo, hi], ...]");
                b["domain"].push_back({text((*pair)[0]), text((*pair)[1])});
            }
        const std::string kernel = table_["smoothing"]["kernel"].value<std::string>().value_or("");
        b["kernel"] = kernel == "cauchy" ? "student-t" : kernel;  // cauchy = student-t, ν = 1
        if (kernel == "cauchy") b["kernel_nu"] = 1;
        if (kernel == "student-t")
            b["kernel_nu"] = table_["smoothing"]["nu"].value<long>().value_or(0);
        if (kernel == "stable") b["kernel_alpha"] = text_at(table_["smoothing"]["alpha"]);
        const toml::node_view<const toml::node> s = table_["schedule"];
        if (const toml::array* ds = s["deltas"].as_array()) {
            b["schedule"]["deltas"] = json::array();
            for (const toml::node& d : *ds) b["schedule"]["deltas"].push_back(text(d));
        } else {
            b["schedule"] = {{"delta1", text_at(s["delta1"])},
                             {"stages", s["stages"].value<long>().value_or(0)},
                             {"power", text_at(s["power"])}};
        }
        b["definition"] = table_["check"]["definition"].value<std::string>().value_or("");
        b["sigma"] = table_["check"]["sigma"] ? json(text_at(table_["check"]["sigma"])) : json();
        b["centering"] = table_["check"]["centering"].value<std::string>().value_or("both");
        return b;
    }

  private:
    std::string string_at(const char* key) const {
        return table_[key].value<std::string>().value_or("");
    }

    std::string text_at(toml::node_view<const toml::node> v) const {
        if (!v) throw InputError(path_ + ": a schedule or check number is missing");
        return text(*v.node());
    }

    // The number as written (the line's characters between the node's source columns).
    std::string text(const toml::node& n) const {
        const toml::source_region& s = n.source();
        if (!n.is_number() || s.begin.line == 0 || s.begin.line != s.end.line ||
            s.begin.line > lines_.size())
            throw InputError(path_ + ": expected a number on one line");
        const std::string& line = lines_[s.begin.line - 1];
        std::string t = line.substr(s.begin.column - 1, s.end.column - s.begin.column);
        std::erase(t, '_');
        return t;
    }

    std::string path_;
    std::vector<std::string> lines_;
    toml::table table_;
};

// confirmed → success, unconfirmed → fails, malformed → bad_input, not supported → undecided.
ExitCode exit_code(recheck::Outcome outcome) {
    switch (outcome) {
        case recheck::Outcome::confirmed:
            return ExitCode::success;
        case recheck::Outcome::unconfirmed:
            return ExitCode::fails;
        case recheck::Outcome::malformed:
            return ExitCode::bad_input;
        case recheck::Outcome::not_supported:
            return ExitCode::undecided;
    }
    throw InternalError("recheck: invalid outcome");
}

Runner setup(CLI::App& sub) {
    auto certificate = std::make_shared<std::string>();
    auto family = std::make_shared<std::string>();
    sub.add_option("CERT", *certificate, "certificate written by gradcert check --certificate")
        ->required();
    sub.add_option("--family", *family,
                   "the family file; must agree with the certificate's family");
    return [certificate, family]() {
        std::optional<json> block;
        if (!family->empty()) block = FamilyFileBlock(*family).block();
        const recheck::Report r = recheck::recheck_file(*certificate, block);
        for (const std::string& line : r.lines)
            std::fprintf(r.outcome == recheck::Outcome::malformed ? stderr : stdout, "%s\n",
                         line.c_str());
        return to_int(exit_code(r.outcome));
    };
}

}  // namespace

GRADCERT_COMMAND("recheck",
                 "independently re-check a verdict certificate (exit 0: every claim confirmed)",
                 setup);

}  // namespace gradcert::driver
