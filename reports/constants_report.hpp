#pragma once
// Markdown rendering of the paper's closed-form constants (theory/constants.hpp): one table per
// group with the enclosure's midpoint and radius, the tag and the statement.
#include <string>
#include <vector>

#include "theory/constants.hpp"

namespace gradcert::reports {

// Groups longer than `max_rows` show their first and last rows (every row is in the JSON).
std::string constants_markdown(const std::vector<theory::NamedConstant>& constants,
                               long precision_bits, size_t max_rows = 24);

}  // namespace gradcert::reports
