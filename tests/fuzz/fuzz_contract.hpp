#pragma once
// The contract every fuzz target checks (docs/fuzzing.md): an input is either accepted or
// refused with gradcert::InputError, whose message is one line. Any other exception would reach
// `gradcert`'s internal-error exit 4 and is a defect: the target aborts so that the fuzzer
// records the input. Crashes, leaks and hangs are caught by the sanitizers and libFuzzer itself.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "numerics/util/error.hpp"

namespace gradcert::fuzz {

[[noreturn]] inline void defect(const char* what, const std::string& detail) {
    std::fprintf(stderr, "fuzz contract violated: %s: %s\n", what, detail.c_str());
    std::abort();
}

// Runs `body`; InputError (one-line message) is a refusal, anything else a defect.
template <class Body>
void expect_accept_or_refuse(Body&& body) {
    try {
        body();
    } catch (const InputError& e) {
        const std::string message = e.what();
        if (message.find('\n') != std::string::npos || message.find('\r') != std::string::npos)
            defect("an input error spans several lines", message);
    } catch (const std::exception& e) {
        defect("an exception other than InputError", e.what());
    }
}

}  // namespace gradcert::fuzz
