#include "verify/exit_code.hpp"

#include "numerics/util/error.hpp"

namespace gradcert::verify {

ExitCode exit_code(Verdict overall) {
    switch (overall) {
        case Verdict::holds:
            return ExitCode::success;
        case Verdict::fails:
            return ExitCode::fails;
        case Verdict::inconclusive:
            return ExitCode::undecided;
    }
    throw InternalError("exit_code: invalid verdict");
}

}  // namespace gradcert::verify
