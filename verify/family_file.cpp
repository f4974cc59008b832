#include "verify/family_file.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "numerics/expr/growth_bound.hpp"
#include "numerics/expr/rational.hpp"
#include "numerics/util/error.hpp"
#include "theory/kernel_laws.hpp"
#include "theory/schedule.hpp"
#include "theory/smoothing_support.hpp"

namespace gradcert::verify {

namespace {

using expr::Rational;

constexpr int kMaxDim = 100000;
// Each stage is a branch and bound (docs/family-language.md "Limits").
constexpr int kMaxStages = 10000;

// A number as written in the file: its text, exact value and enclosure.
struct Literal {
    std::string text;  // as written, without '_' separators
    Rational exact;
    IntervalM value;
    int line = 0;
};

std::string in_quotes(std::string_view s) {
    return "'" + std::string(s) + "'";
}

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (const std::string& item : items) s += (s.empty() ? "" : ", ") + item;
    return s;
}

std::string type_name(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a floating-point number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        default:
            return "nothing";
    }
}

int line_of(const toml::node& n) {
    return static_cast<int>(n.source().begin.line);
}

bool is_utf8_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Byte offset of the 1-based character column `column` in `line`.
std::size_t byte_offset(const std::string& line, std::size_t column) {
    std::size_t seen = 1;
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (is_utf8_continuation(line[i])) continue;
        if (seen == column) return i;
        ++seen;
    }
    return line.size();
}

// Parses --set values and number texts: blanks trimmed, '_' removed.
std::string cleaned(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != '_' && !std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
}

bool names_non_finite(const std::string& text) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return lower.find("inf") != std::string::npos || lower.find("nan") != std::string::npos;
}

std::string names_of(const std::map<std::string, std::string>& m) {
    std::vector<std::string> names;
    for (const auto& [k, v] : m) names.push_back(k);
    return names.empty() ? "it has no parameters" : "parameters: " + joined(names);
}

constexpr int kMaxSmoothedExponent = 1000;  // the parser's largest power
constexpr double kMaxSmoothingTerms = 1e6;  // Σ over monomials of Π_i (α_i/2 + 1)

class FamilyReader {
  public:
    FamilyReader(std::string_view text, std::string file,
                 const std::map<std::string, std::string>& overrides, const CheckOverrides& check)
        : text_(text), file_(std::move(file)), overrides_(overrides), check_(check) {
        std::string line;
        std::istringstream in{std::string(text)};
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            lines_.push_back(line);
        }
    }

    FamilySpec read() {
        toml::table root;
        try {
            root = toml::parse(text_, std::string_view(file_));
        } catch (const toml::parse_error& e) {
            fail(static_cast<int>(e.source().begin.line),
                 "TOML syntax error: " + std::string(e.description()));
        }
        check_keys(root, "the top level",
                   {"name", "description", "dim", "params", "f", "domain", "smoothing", "schedule",
                    "check"});
        FamilySpec spec;
        spec.file = file_;
        spec.name = required_string(root, "name", "name");
        check_name(spec.name, *root.get("name"));
        if (const toml::node* d = root.get("description"))
            spec.description = string_at(*d, "description");
        spec.dim = required_integer(root, "dim", "dim", 1, kMaxDim);
        read_check(root, spec);
        // Every enclosure of the family (parameters, constants of f, domain, deltas, sigma) is
        // computed at the precision the check will run at.
        const PrecisionScope precision(spec.precision_bits);
        read_params(root, spec);
        read_f(root, spec);
        read_domain(root, spec);
        read_smoothing(root, spec);
        read_schedule(root, spec);
        check_smoothable(spec);
        if (spec.sigma) spec.sigma = expr::enclose(*expr::parse_signed_decimal(spec.sigma_text));
        return spec;
    }

  private:
    // ---- errors ---------------------------------------------------------------------------

    [[noreturn]] void fail(int line, const std::string& problem) const {
        throw_input_error(file_, expr::one_line(problem), line);
    }
    [[noreturn]] void fail_at(const toml::node& n, const std::string& problem) const {
        fail(line_of(n), problem);
    }

    // ---- generic readers ------------------------------------------------------------------

    // A name read by theory's parser (the one parser of that name), its InputError placed at n.
    template <class Parser>
    auto parsed_at(const toml::node& n, Parser parse, const std::string& text) const {
        try {
            return parse(text);
        } catch (const InputError& e) {
            fail_at(n, e.what());
        }
    }

    void check_keys(const toml::table& table, const std::string& where,
                    std::initializer_list<std::string_view> known) const {
        for (const auto& [key, value] : table) {
            if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
            std::vector<std::string> names(known.begin(), known.end());
            fail(static_cast<int>(key.source().begin.line),
                 "unknown key " + in_quotes(key.str()) + " in " + where +
                     " (known keys: " + joined(names) + ")");
        }
    }

    const toml::node& required(const toml::table& table, std::string_view key,
                               const std::string& what, int line) const {
        const toml::node* n = table.get(key);
        if (!n) fail(line, "missing " + what);
        return *n;
    }

    const toml::table& table_at(const toml::table& root, std::string_view key) const {
        const toml::node& n = required(root, key, "the [" + std::string(key) + "] table", 0);
        if (!n.is_table()) fail_at(n, std::string(key) + " must be a table, found " + type_name(n));
        return *n.as_table();
    }

    std::string string_at(const toml::node& n, const std::string& what) const {
        if (!n.is_string()) fail_at(n, what + " must be a string, found " + type_name(n));
        return n.as_string()->get();
    }

    std::string required_string(const toml::table& t, std::string_view key, const std::string& what,
                                int line = 0) const {
        return string_at(required(t, key, what, line), what);
    }

    int required_integer(const toml::table& t, std::string_view key, const std::string& what,
                         long lo, long hi, int line = 0) const {
        return integer_at(required(t, key, what, line), what, lo, hi);
    }

    int integer_at(const toml::node& n, const std::string& what, long lo, long hi) const {
        if (!n.is_integer()) fail_at(n, what + " must be an integer, found " + type_name(n));
        const long long v = n.as_integer()->get();
        if (v < lo || v > hi)
            fail_at(n, what + " = " + std::to_string(v) + " is outside " + std::to_string(lo) +
                           ".." + std::to_string(hi));
        return static_cast<int>(v);
    }

    // The text of a value as it appears in the file.
    std::string source_text(const toml::node& n) const {
        const toml::source_region& s = n.source();
        if (s.begin.line == 0 || s.begin.line != s.end.line || s.begin.line > lines_.size())
            return {};
        const std::string& line = lines_[s.begin.line - 1];
        const std::size_t from = byte_offset(line, s.begin.column);
        const std::size_t to = byte_offset(line, s.end.column);
        return line.substr(from, to - from);
    }

    Literal number_at(const toml::node& n, const std::string& what) const {
        if (!n.is_number()) fail_at(n, what + " must be a number, found " + type_name(n));
        Literal lit;
        lit.line = line_of(n);
        lit.text = cleaned(source_text(n));
        if (names_non_finite(lit.text))
            fail_at(n, what + " = " + lit.text + " is not a finite number");
        if (n.is_integer()) {
            const std::string plain = std::to_string(n.as_integer()->get());
            const bool based =
                lit.text.find_first_of("xob") != std::string::npos;  // 0x.., 0o.., 0b..
            if (based || lit.text.empty()) lit.text = plain;
            if (lit.text.front() == '+') lit.text.erase(0, 1);
            if (lit.text != plain) lit.text = plain;
        }
        const auto q = expr::parse_signed_decimal(lit.text);
        if (!q) fail_at(n, what + " = " + lit.text + " is not a decimal number");
        if (n.is_floating_point() &&
            std::strtod(lit.text.c_str(), nullptr) != n.as_floating_point()->get())
            fail_at(n, what + ": could not read the literal " + in_quotes(lit.text) + " exactly");
        lit.exact = *q;
        lit.value = expr::enclose(*q);
        return lit;
    }

    // ---- sections -------------------------------------------------------------------------

    void check_name(const std::string& name, const toml::node& n) const {
        const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
        });
        if (!ok)
            fail_at(n, "name " + in_quotes(name) +
                           " must be non-empty and use only letters, digits, '-', '_', '.'");
    }

    void read_params(const toml::table& root, FamilySpec& spec) {
        std::map<std::string, Literal> params;
        if (const toml::node* p = root.get("params")) {
            if (!p->is_table()) fail_at(*p, "params must be a table, found " + type_name(*p));
            for (const auto& [key, value] : *p->as_table()) {
                const std::string name(key.str());
                const int line = static_cast<int>(key.source().begin.line);
                if (!expr::is_identifier(name))
                    fail(line, "the parameter name " + in_quotes(name) + " is not an identifier");
                if (expr::is_reserved_name(name))
                    fail(line, "the parameter name " + in_quotes(name) +
                                   " is reserved (pi, e, dim, x, x<k>, sum and the functions)");
                params.emplace(name, number_at(value, "params." + name));
                spec.params_text[name] = params.at(name).text;
            }
        }
        for (const auto& [name, text] : overrides_) {
            const std::string setting = "--set " + name + "=" + text;
            if (!params.count(name))
                fail(0, setting + ": the family has no parameter " + in_quotes(name) + " (" +
                            names_of(spec.params_text) + ")");
            const std::string value = cleaned(text);
            if (names_non_finite(value)) fail(0, setting + ": the value is not a finite number");
            const auto q = expr::parse_signed_decimal(value);
            if (!q) fail(0, setting + ": the value is not a decimal number");
            params[name] = Literal{value, *q, expr::enclose(*q), 0};
            spec.params_text[name] = value;
        }
        for (const auto& [name, lit] : params) spec.params[name] = lit.value;
    }

    void read_f(const toml::table& root, FamilySpec& spec) {
        const toml::node& n = required(root, "f", "f (the function)", 0);
        spec.f_text = string_at(n, "f");
        spec.f_line = line_of(n);
        const expr::ParseContext ctx = spec.parse_context();
        spec.f = expr::parse(spec.f_text, ctx);
        try {
            spec.decomposition = expr::decompose(spec.f, ctx);
        } catch (const expr::UnsupportedExpression& e) {
            if (spec.dim != 1) throw;
            accept_for_cubature(spec, e.what());
            return;
        }
        check_smoothing_size(spec);
    }

    // f has no closed-form smoothing: in dimension 1 it is smoothed by verified cubature when a
    // polynomial growth bound of f is derived (numerics/expr/growth_bound.hpp); the kernel is
    // checked in check_smoothable. `why` is decompose's message ("file:line: f, column c: ...").
    void accept_for_cubature(FamilySpec& spec, const std::string& why) const {
        const std::string prefix =
            spec.file + (spec.f_line > 0 ? ":" + std::to_string(spec.f_line) : "") + ": ";
        spec.cubature_reason = why.rfind(prefix, 0) == 0 ? why.substr(prefix.size()) : why;
        const expr::GrowthResult g = expr::polynomial_growth(spec.f);
        if (!g.bound)
            fail(spec.f_line, "f: term '" + g.refusal.term +
                                  "' cannot be smoothed by verified cubature: " + g.refusal.reason +
                                  " (no closed form either: " + spec.cubature_reason + ")");
        spec.cubature = true;
        spec.growth = g.bound->coefficients;
        spec.decomposition = expr::Decomposition{};
        spec.decomposition.dim = 1;
        spec.decomposition.poly.dim = 1;
    }

    // The closed-form smoothing of a monomial x^α sums over every even β ≤ α (theory/
    // smoothed_function.hpp): refuse what would not finish, rather than run for hours. Products
    // such as (x^1000)^1000 pass the parser's per-power limit but not this one.
    void check_smoothing_size(const FamilySpec& spec) const {
        double terms = 0;
        for (const expr::Monomial& m : spec.decomposition.poly.terms) {
            double product = 1;
            for (std::size_t i = 0; i < m.exponents.size(); ++i) {
                if (m.exponents[i] > kMaxSmoothedExponent)
                    fail(spec.f_line, "f expands to a monomial with x" + std::to_string(i + 1) +
                                          "^" + std::to_string(m.exponents[i]) +
                                          "; exponents up to " +
                                          std::to_string(kMaxSmoothedExponent) +
                                          " per coordinate can be smoothed");
                product *= m.exponents[i] / 2 + 1;
            }
            terms += product;
        }
        if (terms > kMaxSmoothingTerms)
            fail(spec.f_line, "the smoothed polynomial of f has " + fmt::format("{:.3g}", terms) +
                                  " terms; at most " + fmt::format("{:g}", kMaxSmoothingTerms) +
                                  " can be certified");
    }

    void read_domain(const toml::table& root, FamilySpec& spec) const {
        const toml::node& n = required(root, "domain", "domain (one [lo, hi] per coordinate)", 0);
        const toml::array* a = n.as_array();
        if (!a) fail_at(n, "domain must be an array of [lo, hi] pairs, found " + type_name(n));
        if (static_cast<int>(a->size()) != spec.dim)
            fail_at(n, "domain has " + std::to_string(a->size()) +
                           " intervals but dim = " + std::to_string(spec.dim));
        for (std::size_t i = 0; i < a->size(); ++i) {
            const toml::node& item = *a->get(i);
            const std::string what = "domain[" + std::to_string(i + 1) + "]";
            const toml::array* pair = item.as_array();
            if (!pair || pair->size() != 2) fail_at(item, what + " must be a pair [lo, hi]");
            const Literal lo = number_at(*pair->get(0), what + ".lo");
            const Literal hi = number_at(*pair->get(1), what + ".hi");
            if (!(lo.exact < hi.exact))
                fail_at(item, what + " = [" + lo.text + ", " + hi.text + "]: lo >= hi");
            spec.domain.emplace_back(lo.value, hi.value);
            spec.domain_texts.emplace_back(lo.text, hi.text);
        }
    }

    void read_smoothing(const toml::table& root, FamilySpec& spec) const {
        const toml::table& t = table_at(root, "smoothing");
        check_keys(t, "[smoothing]", {"kernel", "nu", "alpha"});
        const int line = line_of(t);
        const toml::node& n = required(t, "kernel", "[smoothing] kernel", line);
        const std::string k = string_at(n, "kernel");
        // "cauchy" is the family file's name for student-t with nu = 1.
        spec.kernel =
            k == "cauchy" ? KernelKind::student_t : parsed_at(n, theory::parse_kernel_kind, k);
        read_kernel_parameters(t, k, line, spec);
    }

    // nu (student-t: required, odd, 1..theory::kMaxStudentNu; cauchy: ν = 1) and alpha (stable:
    // required, in (0, 2]); either key with another kernel is an error.
    void read_kernel_parameters(const toml::table& t, const std::string& k, int line,
                                FamilySpec& spec) const {
        const toml::node* nu = t.get("nu");
        const toml::node* alpha = t.get("alpha");
        if (nu && k != "student-t")
            fail_at(*nu,
                    "[smoothing] nu applies only to kernel = 'student-t', not " + in_quotes(k));
        if (alpha && k != "stable")
            fail_at(*alpha,
                    "[smoothing] alpha applies only to kernel = 'stable', not " + in_quotes(k));
        if (k == "cauchy") spec.kernel_nu = 1;
        if (k == "student-t") {
            if (!nu) fail(line, "[smoothing] kernel = 'student-t' needs nu (an odd integer >= 1)");
            spec.kernel_nu = integer_at(*nu, "[smoothing] nu", 1, theory::kMaxStudentNu);
            if (spec.kernel_nu % 2 == 0)
                fail_at(*nu, "[smoothing] nu = " + std::to_string(spec.kernel_nu) +
                                 " must be odd (φ has a closed form for odd ν only)");
        }
        if (k == "stable") {
            if (!alpha) fail(line, "[smoothing] kernel = 'stable' needs alpha in (0, 2]");
            const Literal a = number_at(*alpha, "[smoothing] alpha");
            if (!(a.exact > 0) || a.exact > 2)
                fail_at(*alpha, "[smoothing] alpha = " + a.text + " is outside (0, 2]");
            spec.kernel_alpha = a.value;
            spec.kernel_alpha_text = a.text;
        }
    }

    // Every term of f must have a smoothed value under the kernel for every δ of the schedule
    // (theory/smoothing_support.hpp): refused here, before anything runs.
    void check_smoothable(const FamilySpec& spec) const {
        const theory::Kernel kernel = spec_kernel(spec);
        if (spec.cubature) {
            if (!theory::gaussian_standard_deviation(kernel))
                fail(spec.f_line, "f has no closed-form smoothing (" + spec.cubature_reason +
                                      ") and verified cubature is implemented for the gaussian, "
                                      "gaussian-unit and stable (alpha = 2) kernels only, not " +
                                      std::string(kernel_kind_name(kernel.kind)));
            // The cubature's sums run in binary64 (numerics/quadrature/gaussian_cubature.hpp):
            // a δ > 0 whose t = δ·s rounds to 0 there cannot be smoothed (t must be > 0).
            const IntervalM s = *theory::gaussian_standard_deviation(kernel);
            for (std::size_t i = 0; i < spec.deltas.size(); ++i)
                if (!certainly_positive(to_double(spec.deltas[i] * s)))
                    fail(spec.f_line,
                         "f is smoothed by verified cubature in binary64, where "
                         "δ_" +
                             std::to_string(i + 1) + "·s underflows to 0: use δ >= 1e-300");
            return;
        }
        if (const auto r = theory::smoothing_refusal(spec.decomposition, kernel, spec.deltas))
            fail(spec.f_line, "f: " + theory::refusal_message(*r, kernel));
    }

    void read_schedule(const toml::table& root, FamilySpec& spec) const {
        const toml::table& t = table_at(root, "schedule");
        check_keys(t, "[schedule]", {"deltas", "delta1", "stages", "power"});
        const int line = line_of(t);
        const bool explicit_list = t.contains("deltas");
        const bool polynomial = t.contains("delta1") || t.contains("stages") || t.contains("power");
        if (explicit_list && polynomial)
            fail(line, "[schedule]: give either deltas or delta1/stages/power, not both");
        if (!explicit_list && !polynomial)
            fail(line, "[schedule]: give deltas = [...] or delta1, stages and power");
        if (explicit_list)
            read_delta_list(*t.get("deltas"), spec);
        else
            read_polynomial_schedule(t, line, spec);
    }

    void read_delta_list(const toml::node& n, FamilySpec& spec) const {
        const toml::array* a = n.as_array();
        if (!a) fail_at(n, "deltas must be an array of numbers, found " + type_name(n));
        if (a->empty()) fail_at(n, "the schedule deltas is empty");
        if (a->size() > static_cast<std::size_t>(kMaxStages))
            fail_at(n, "the schedule has " + std::to_string(a->size()) +
                           " deltas, more than the limit " + std::to_string(kMaxStages));
        std::optional<Literal> previous;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const std::string what = "deltas[" + std::to_string(i + 1) + "]";
            const Literal d = number_at(*a->get(i), what);
            if (d.exact <= 0) fail(d.line, what + " = " + d.text + " is not > 0");
            if (previous && !(d.exact < previous->exact))
                fail(d.line, what + " = " + d.text + " is not smaller than deltas[" +
                                 std::to_string(i) + "] = " + previous->text +
                                 " (the schedule must be strictly decreasing)");
            spec.deltas.push_back(d.value);
            spec.delta_texts.push_back(d.text);
            previous = d;
        }
        spec.schedule_text = "deltas = [" + joined(spec.delta_texts) + "]";
    }

    void read_polynomial_schedule(const toml::table& t, int line, FamilySpec& spec) const {
        const std::string form = " (δ_m = δ_1((M−m+1)/M)^p needs delta1, stages and power)";
        const Literal delta1 =
            number_at(required(t, "delta1", "[schedule] delta1" + form, line), "delta1");
        const int stages = integer_at(required(t, "stages", "[schedule] stages" + form, line),
                                      "stages", 1, kMaxStages);
        const Literal power =
            number_at(required(t, "power", "[schedule] power" + form, line), "power");
        if (delta1.exact <= 0) fail(delta1.line, "delta1 = " + delta1.text + " is not > 0");
        if (power.exact <= 0) fail(power.line, "power = " + power.text + " is not > 0");
        spec.polynomial_schedule = PolynomialSchedule{delta1.value, stages, power.value};
        spec.delta1_text = delta1.text;
        spec.power_text = power.text;
        for (int m = 1; m <= stages; ++m) {
            spec.deltas.push_back(delta1.value * theory::poly_delta_ratio(stages, m, power.value));
            if (m > 1 && !certainly_lt(spec.deltas[static_cast<std::size_t>(m - 1)],
                                       spec.deltas[static_cast<std::size_t>(m - 2)]))
                fail(line, "[schedule]: δ_" + std::to_string(m) + " < δ_" + std::to_string(m - 1) +
                               " cannot be certified at " + std::to_string(working_precision()) +
                               " bits");
        }
        spec.schedule_text = "delta1 = " + delta1.text + ", stages = " + std::to_string(stages) +
                             ", power = " + power.text;
    }

    void read_check(const toml::table& root, FamilySpec& spec) const {
        const toml::table& t = table_at(root, "check");
        check_keys(t, "[check]",
                   {"definition", "sigma", "centering", "precision_bits", "max_boxes"});
        const int line = line_of(t);
        const toml::node& d = required(t, "definition", "[check] definition", line);
        const std::string def = string_at(d, "definition");
        spec.definition = parsed_at(d, theory::parse_definition, def);
        if (const toml::node* s = t.get("sigma")) {
            const Literal sigma = number_at(*s, "sigma");
            if (sigma.exact <= 0) fail(sigma.line, "sigma = " + sigma.text + " is not > 0");
            spec.sigma = sigma.value;
            spec.sigma_text = sigma.text;
        } else if (spec.definition != Definition::sigma_m_nice) {
            fail(line, "[check] sigma is required for definition = " + def);
        }
        if (const toml::node* c = t.get("centering")) {
            spec.centering = parsed_at(*c, theory::parse_centering, string_at(*c, "centering"));
        }
        if (const toml::node* p = t.get("precision_bits"))
            spec.precision_bits =
                integer_at(*p, "precision_bits", kMinCheckPrecisionBits, kMaxCheckPrecisionBits);
        if (const toml::node* b = t.get("max_boxes"))
            spec.max_boxes = integer_at(*b, "max_boxes", kMinCheckBoxes, kMaxCheckBoxes);
        // The command line overrides the file (docs/precision.md).
        if (check_.precision_bits)
            spec.precision_bits =
                static_cast<int>(checked_override("--precision", *check_.precision_bits,
                                                  kMinCheckPrecisionBits, kMaxCheckPrecisionBits));
        if (check_.max_boxes)
            spec.max_boxes =
                checked_override("--max-boxes", *check_.max_boxes, kMinCheckBoxes, kMaxCheckBoxes);
    }

    long checked_override(const std::string& flag, long value, long lo, long hi) const {
        if (value < lo || value > hi)
            throw_input_error(file_, flag + " " + std::to_string(value) + " is outside " +
                                         std::to_string(lo) + ".." + std::to_string(hi));
        return value;
    }

    std::string_view text_;
    std::string file_;
    const std::map<std::string, std::string>& overrides_;
    CheckOverrides check_;
    std::vector<std::string> lines_;
};

}  // namespace

theory::Kernel spec_kernel(const FamilySpec& f) {
    theory::Kernel k{f.kernel, f.dim};
    if (f.kernel == KernelKind::student_t) k.nu = f.kernel_nu;
    if (f.kernel == KernelKind::stable) k.alpha = f.kernel_alpha;
    return k;
}

expr::ParseContext FamilySpec::parse_context() const {
    return expr::ParseContext{file, f_line, dim, params, params_text};
}

FamilySpec parse_family(std::string_view toml_text, const std::string& file,
                        const std::map<std::string, std::string>& overrides,
                        const CheckOverrides& check) {
    return FamilyReader(toml_text, file, overrides, check).read();
}

FamilySpec load_family(const std::filesystem::path& file,
                       const std::map<std::string, std::string>& overrides,
                       const CheckOverrides& check) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw_input_error(file.string(), "is a directory, not a family file");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_input_error(file.string(), "cannot open the family file");
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) throw_input_error(file.string(), "cannot read the family file");
    return parse_family(content.str(), file.string(), overrides, check);
}

}  // namespace gradcert::verify
