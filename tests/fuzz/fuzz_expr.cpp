// libFuzzer target: the expression parser (numerics/expr), then everything a parsed f goes
// through before the branch and bound: printing and re-parsing, evaluation in double and
// IntervalD at a fixed point, and the decomposition into polynomial plus ridge terms.
// Input: byte 0 chooses the dimension (1..3), the rest is the text of f.
#include <cstddef>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "numerics/expr/decompose.hpp"
#include "numerics/expr/expr.hpp"
#include "numerics/interval/precision.hpp"
#include "tests/fuzz/fuzz_contract.hpp"

namespace {

using namespace gradcert;

expr::ParseContext context(int dim) {
    expr::ParseContext ctx;
    ctx.file = "fuzz.toml";
    ctx.line = 3;
    ctx.dim = dim;
    ctx.params["a"] = IntervalM(10);
    ctx.params["b"] = expr::enclose(expr::Rational(1, 10));
    ctx.param_texts["b"] = "0.1";
    return ctx;
}

// Evaluation outside a function's domain throws std::domain_error by contract (expr.hpp).
template <class S>
void evaluate_at_point(const expr::Expr& e) {
    std::vector<S> x;
    for (int k = 0; k < e.dim(); ++k) x.push_back(S(0.25 * (k + 1)));
    try {
        (void)expr::evaluate<S>(e, std::span<const S>(x));
    } catch (const std::domain_error&) {
    }
}

void run(const std::string& text, int dim) {
    const expr::ParseContext ctx = context(dim);
    const expr::Expr e = expr::parse(text, ctx);
    // The printed form is valid input again (it may exceed the nesting limit, a refusal).
    fuzz::expect_accept_or_refuse([&] { (void)expr::parse(e.to_string(), ctx); });
    evaluate_at_point<double>(e);
    evaluate_at_point<IntervalD>(e);
    (void)expr::decompose(e, ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const int dim = 1 + data[0] % 3;
    const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    PrecisionScope precision(128);
    fuzz::expect_accept_or_refuse([&] { run(text, dim); });
    return 0;
}
