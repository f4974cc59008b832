#pragma once
// The elementary functions of the expression language.
#include <optional>
#include <string_view>

namespace gradcert::expr {

enum class Function { exp, log, sqrt, sin, cos, tanh, softplus, abs };

// "exp", "log", ... as written in f.
std::string_view function_name(Function f);
// The function called `name`, or nullopt.
std::optional<Function> function_named(std::string_view name);
// "exp, log, sqrt, sin, cos, tanh, softplus, abs" (for messages).
std::string_view function_list();

}  // namespace gradcert::expr
