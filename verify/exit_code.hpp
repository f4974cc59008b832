#pragma once
// The exit statuses of `gradcert`: one table, one meaning across subcommands (docs/cli.md).
// The check report records exit_code(overall) in its JSON, so the table sits here, below
// reports; the driver maps thrown errors (numerics/util/error.hpp) to it in one place
// (driver/main.cpp, exit_code_of_current_exception).
#include "verify/verdict.hpp"

namespace gradcert::verify {

enum class ExitCode : int {
    success = 0,        // what was asked holds / is confirmed / matches / finished
    fails = 1,          // a certified condition, a re-checked claim or a comparison fails
    bad_input = 2,      // InputError: a file, option or value is wrong; nothing was written
    undecided = 3,      // nothing fails but something is undecided (inconclusive, not supported)
    diverged = 4,       // train: the loss became non-finite
    internal_error = 5  // InternalError, DomainError or another failure inside gradcert
};

constexpr int to_int(ExitCode code) {
    return static_cast<int>(code);
}

// `gradcert check`: holds → success, fails → fails, inconclusive → undecided.
ExitCode exit_code(Verdict overall);

}  // namespace gradcert::verify
