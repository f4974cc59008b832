#include "reports/markdown.hpp"

namespace gradcert::reports {

std::string escape_cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|')
            out += "\\|";
        else if (c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out;
}

std::string markdown_table(const std::vector<std::string>& header,
                           const std::vector<std::vector<std::string>>& rows) {
    std::string md = "|";
    for (const auto& h : header) md += " " + escape_cell(h) + " |";
    md += "\n|";
    for (size_t i = 0; i < header.size(); ++i) md += "---|";
    md += "\n";
    for (const auto& row : rows) {
        md += "|";
        for (size_t i = 0; i < header.size(); ++i)
            md += " " + (i < row.size() ? escape_cell(row[i]) : std::string()) + " |";
        md += "\n";
    }
    return md;
}

}  // namespace gradcert::reports
