#pragma once
// The error kinds of gradcert (docs/cli.md maps them to exit statuses, driver/exit_code.hpp is
// the one place that does it). Every throw in the project uses one of these three:
//
// InputError: the user's input (a file, an option, a value) is wrong. The driver prints
// `gradcert: <what()>` on one line and exits with status 2. The message must name the file (and
// line, where there is one) and say what is wrong; nothing may have been written.
//
// DomainError: an operation's argument (an enclosure) is not, or not certainly, inside the
// operation's mathematical domain (log of [−1, 1], division by an interval holding 0), so the
// operation has no enclosure to return. Code evaluating the user's expression turns it into an
// InputError naming the expression; reaching the driver it is an internal error.
//
// InternalError: a broken contract inside gradcert: a caller violated a documented precondition
// (a negative moment exponent, a schedule that is not decreasing after validation) or a state
// the code rules out was reached. It is a bug, never the user's fault: the driver prints
// `gradcert: internal error: <what()>` and exits with status 5 (never a crash).
//
// Other std::exceptions (I/O failures of the standard library, std::bad_alloc) reach the driver
// as exit status 5 as well, with their message.
#include <stdexcept>
#include <string>

namespace gradcert {

class InputError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class DomainError : public std::domain_error {
  public:
    using std::domain_error::domain_error;
};

class InternalError : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

// Throws InputError("<file>: <problem>"), or "<file>:<line>: <problem>" when line > 0.
[[noreturn]] void throw_input_error(const std::string& file, const std::string& problem,
                                    int line = 0);

}  // namespace gradcert
