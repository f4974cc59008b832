// gradcert: certify the sufficient conditions of implicit graduated optimization, train with the
// reference SGD engine, and regenerate the reports. Subcommands register themselves (command.hpp).
#include <algorithm>
#include <cstdio>
#include <exception>
#include <map>

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

const std::vector<Command>& registered_commands() { return command_table(); }

}  // namespace gradcert::driver

int main(int argc, char** argv) {
    using namespace gradcert::driver;
    CLI::App app{
        "gradcert: rigorous checks of implicit graduated optimization (SGD as smoothing)"};
    app.require_subcommand(1);
    std::vector<Command> commands = registered_commands();
    std::sort(commands.begin(), commands.end(),
              [](const Command& a, const Command& b) { return a.name < b.name; });
    std::map<CLI::App*, Runner> runners;
    for (const Command& c : commands) {
        CLI::App* sub = app.add_subcommand(c.name, c.description);
        runners[sub] = c.setup(*sub);
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        for (auto& [sub, run] : runners)
            if (sub->parsed()) return run();
        return 2;
    } catch (const gradcert::InputError& e) {
        std::fprintf(stderr, "gradcert: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gradcert: internal error: %s\n", e.what());
        return 4;
    }
}
