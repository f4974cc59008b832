#include "numerics/util/error.hpp"

namespace gradcert {

void throw_input_error(const std::string& file, const std::string& problem, int line) {
    std::string where = file;
    if (line > 0) where += ":" + std::to_string(line);
    throw InputError(where + ": " + problem);
}

}  // namespace gradcert
