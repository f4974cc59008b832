#pragma once
// Small Markdown building blocks shared by every report writer.
#include <string>
#include <vector>

namespace gradcert::reports {

// A GitHub-flavoured Markdown table; cells are escaped for '|'. Rows shorter than the header
// are padded with empty cells.
std::string markdown_table(const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& rows);

// "**holds**" / "**fails**" / "inconclusive" style verdict words are chosen by the caller; this
// escapes text for use inside a table cell.
std::string escape_cell(const std::string& text);

}  // namespace gradcert::reports
