#include "numerics/expr/function.hpp"

#include <array>
#include <utility>

namespace gradcert::expr {

namespace {
constexpr std::array<std::pair<Function, std::string_view>, 8> kFunctions{{
    {Function::exp, "exp"},
    {Function::log, "log"},
    {Function::sqrt, "sqrt"},
    {Function::sin, "sin"},
    {Function::cos, "cos"},
    {Function::tanh, "tanh"},
    {Function::softplus, "softplus"},
    {Function::abs, "abs"},
}};
}  // namespace

std::string_view function_name(Function f) {
    for (const auto& [fn, name] : kFunctions)
        if (fn == f) return name;
    return "?";
}

std::optional<Function> function_named(std::string_view name) {
    for (const auto& [fn, n] : kFunctions)
        if (n == name) return fn;
    return std::nullopt;
}

std::string_view function_list() {
    return "exp, log, sqrt, sin, cos, tanh, softplus, abs";
}

}  // namespace gradcert::expr
