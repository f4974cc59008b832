#pragma once
// Errors shared by every layer of gradcert.
//
// InputError: the user's input (a file, an option, a value) is wrong. The driver prints
// `gradcert: <what()>` on one line and exits with status 2. The message must name the file (and
// line, where there is one) and say what is wrong; nothing may have been written.
#include <stdexcept>
#include <string>

namespace gradcert {

class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Throws InputError("<file>: <problem>"), or "<file>:<line>: <problem>" when line > 0.
[[noreturn]] void throw_input_error(const std::string& file, const std::string& problem,
                                    int line = 0);

}  // namespace gradcert
