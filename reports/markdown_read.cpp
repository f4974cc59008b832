#include "reports/markdown_read.hpp"

#include <sstream>

namespace gradcert::reports {

namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(' ');
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

}  // namespace

std::vector<std::string> markdown_lines(const std::string& markdown) {
    std::vector<std::string> lines;
    std::istringstream in(markdown);
    std::string line;
    while (std::getline(in, line)) lines.push_back(line);
    return lines;
}

std::vector<std::string> split_table_row(const std::string& line) {
    std::vector<std::string> cells;
    if (line.empty() || line[0] != '|') return cells;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
        if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
            cell += '|';
            ++i;
        } else if (line[i] == '|') {
            cells.push_back(trim(cell));
            cell.clear();
        } else {
            cell += line[i];
        }
    }
    if (!trim(cell).empty()) cells.push_back(trim(cell));  // a row without the closing '|'
    return cells;
}

bool is_table_separator(const std::string& line) {
    const std::vector<std::string> cells = split_table_row(line);
    if (cells.empty()) return false;
    for (const std::string& c : cells)
        if (c.empty() || c.find_first_not_of("-:") != std::string::npos) return false;
    return true;
}

std::optional<MarkdownTable> table_after_heading(const std::string& markdown,
                                                 const std::string& heading) {
    const std::vector<std::string> lines = markdown_lines(markdown);
    std::size_t i = 0;
    while (i < lines.size() && lines[i] != heading) ++i;
    if (i == lines.size()) return std::nullopt;
    for (++i; i < lines.size() && lines[i].rfind('#', 0) != 0; ++i) {
        if (lines[i].empty() || lines[i][0] != '|') continue;
        if (i + 1 >= lines.size() || !is_table_separator(lines[i + 1])) return std::nullopt;
        MarkdownTable table{split_table_row(lines[i]), {}};
        for (i += 2; i < lines.size() && !lines[i].empty() && lines[i][0] == '|'; ++i)
            table.rows.push_back(split_table_row(lines[i]));
        return table;
    }
    return std::nullopt;
}

}  // namespace gradcert::reports
