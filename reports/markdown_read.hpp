#pragma once
// Reading back the Markdown tables that reports/markdown.hpp writes (used by compare-reports).
// A table is a run of consecutive lines starting with '|': a header row, a separator row
// ("|---|...") and data rows; cells are split at unescaped '|' and "\|" is unescaped.
#include <optional>
#include <string>
#include <vector>

namespace gradcert::reports {

// The cells of one table row, trimmed and unescaped; empty when `line` does not start with '|'.
std::vector<std::string> split_table_row(const std::string& line);

// True for a separator row such as "|---|:---:|".
bool is_table_separator(const std::string& line);

struct MarkdownTable {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};

// The first table after the line equal to `heading` (e.g. "## The paper's claims"), stopping at
// the next heading; nullopt when the heading or its table is absent.
std::optional<MarkdownTable> table_after_heading(const std::string& markdown,
                                                 const std::string& heading);

// `markdown` split into lines (without the '\n').
std::vector<std::string> markdown_lines(const std::string& markdown);

}  // namespace gradcert::reports
