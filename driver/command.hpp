#pragma once
// Subcommand registry of the `gradcert` driver.
//
// Each driver/cmd_<name>.cpp registers itself with GRADCERT_COMMAND. Its setup function adds the
// subcommand's options to `sub` and returns the runner, called after parsing, whose return value
// is the process exit status, one of verify::ExitCode (verify/exit_code.hpp, docs/cli.md).
// Runners throw the errors of numerics/util/error.hpp; main.cpp maps them to exit statuses.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "verify/exit_code.hpp"

namespace gradcert::driver {

using verify::ExitCode;
using verify::to_int;

using Runner = std::function<int()>;
using CommandSetup = std::function<Runner(CLI::App& sub)>;

struct Command {
    std::string name;
    std::string description;
    CommandSetup setup;
};

bool register_command(Command command);
const std::vector<Command>& registered_commands();

}  // namespace gradcert::driver

#define GRADCERT_CONCAT_INNER(a, b) a##b
#define GRADCERT_CONCAT(a, b) GRADCERT_CONCAT_INNER(a, b)
#define GRADCERT_COMMAND(name, description, setup)                              \
    static const bool GRADCERT_CONCAT(gradcert_command_registered_, __LINE__) = \
        ::gradcert::driver::register_command({name, description, setup})
