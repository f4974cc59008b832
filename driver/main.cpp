// gradcert: certify the sufficient conditions of implicit graduated optimization, train with the
// reference SGD engine, and regenerate the reports. Subcommands register themselves (command.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "driver/command.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::driver {

namespace {
std::vector<Command>& command_table() {
    static std::vector<Command> table;
    return table;
}
}  // namespace

bool register_command(Command command) {
    command_table().push_back(std::move(command));
    return true;
}

const std::vector<Command>& registered_commands() {
    return command_table();
}

}  // namespace gradcert::driver

namespace {

using gradcert::driver::Command;
using gradcert::driver::ExitCode;
using gradcert::driver::to_int;

// Errors print on one line: a value holding a newline (a file name, a --set value) is shown
// with "\n" instead of breaking the line.
std::string one_line(const std::string& message) {
    std::string out;
    for (char c : message) {
        if (c == '\n')
            out += "\\n";
        else if (c == '\r')
            out += "\\r";
        else
            out += c;
    }
    while (out.size() >= 2 && out.compare(out.size() - 2, 2, "\\n") == 0)
        out.resize(out.size() - 2);  // CLI11 messages end with a newline
    return out;
}

int report_error(const std::string& message, ExitCode status) {
    std::fprintf(stderr, "gradcert: %s\n", one_line(message).c_str());
    return to_int(status);
}

// The one mapping of errors to exit statuses (numerics/util/error.hpp, docs/cli.md); called in a
// catch block, it names the error on stderr and returns its status.
int exit_code_of_current_exception() {
    try {
        throw;
    } catch (const gradcert::InputError& e) {
        return report_error(e.what(), ExitCode::bad_input);
    } catch (const gradcert::InternalError& e) {
        return report_error(std::string("internal error: ") + e.what(), ExitCode::internal_error);
    } catch (const gradcert::DomainError& e) {
        return report_error(
            std::string("internal error (outside a function's domain): ") + e.what(),
            ExitCode::internal_error);
    } catch (const std::exception& e) {
        return report_error(std::string("internal error: ") + e.what(), ExitCode::internal_error);
    } catch (...) {
        return report_error("internal error: unknown exception", ExitCode::internal_error);
    }
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string nearest_command(const std::string& word, const std::vector<Command>& commands) {
    std::string stripped = word;
    while (!stripped.empty() && stripped[0] == '-') stripped.erase(0, 1);
    std::string best;
    std::size_t best_distance = 0;
    for (const Command& c : commands) {
        const std::size_t d = edit_distance(stripped, c.name);
        if (best.empty() || d < best_distance) best = c.name, best_distance = d;
    }
    return best;
}

// The first argument must be a subcommand or one of the top-level options; anything else is
// named, with the nearest subcommand as a suggestion (CLI11 only says "a subcommand is required").
std::optional<std::string> unknown_first_word(int argc, char** argv,
                                              const std::vector<Command>& commands) {
    if (argc < 2) return std::nullopt;
    const std::string word = argv[1];
    for (const char* known : {"-h", "--help", "--version"})
        if (word == known) return std::nullopt;
    for (const Command& c : commands)
        if (word == c.name) return std::nullopt;
    std::string names;
    for (const Command& c : commands) names += (names.empty() ? "" : ", ") + c.name;
    return fmt::format("unknown {} '{}' (did you mean '{}'? subcommands: {}; see gradcert --help)",
                       word.rfind('-', 0) == 0 ? "option" : "subcommand", word,
                       nearest_command(word, commands), names);
}

}  // namespace

int main(int argc, char** argv) {
    using namespace gradcert::driver;
    // Named explicitly: CLI11 would otherwise print argv[0], the binary's absolute path.
    CLI::App app{"gradcert: rigorous checks of implicit graduated optimization (SGD as smoothing)",
                 "gradcert"};
    app.set_version_flag("--version", std::string("gradcert ") + GRADCERT_VERSION);
    app.require_subcommand(1);
    std::vector<Command> commands = registered_commands();
    std::sort(commands.begin(), commands.end(),
              [](const Command& a, const Command& b) { return a.name < b.name; });
    std::map<CLI::App*, Runner> runners;
    for (const Command& c : commands) {
        CLI::App* sub = app.add_subcommand(c.name, c.description);
        runners[sub] = c.setup(*sub);
    }
    if (auto problem = unknown_first_word(argc, argv, commands))
        return report_error(*problem, ExitCode::bad_input);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        const std::string sub = argc >= 2 ? std::string(argv[1]) : std::string();
        const std::string where = sub.empty() ? "" : sub + ": ";
        return report_error(where + e.what() + " (see gradcert " +
                                (sub.empty() ? std::string() : sub + " ") + "--help)",
                            ExitCode::bad_input);
    }
    try {
        for (auto& [sub, run] : runners)
            if (sub->parsed()) return run();
        return to_int(ExitCode::bad_input);
    } catch (...) {
        return exit_code_of_current_exception();
    }
}
