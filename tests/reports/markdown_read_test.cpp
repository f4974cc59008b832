// Reading back the tables markdown.hpp writes.
#include "reports/markdown_read.hpp"

#include <catch2/catch.hpp>

#include "reports/markdown.hpp"

using namespace gradcert::reports;

TEST_CASE("a written table reads back cell for cell, escaped pipes included", "[reports][md]") {
    const std::vector<std::vector<std::string>> rows{{"a|b", "[1, 2]"}, {"", "x"}};
    const std::string md = "intro\n\n## T\n\n" + markdown_table({"k", "v"}, rows) + "\n## U\n";
    const auto table = table_after_heading(md, "## T");
    REQUIRE(table);
    CHECK(table->header == std::vector<std::string>{"k", "v"});
    CHECK(table->rows == rows);
    CHECK_FALSE(table_after_heading(md, "## U"));
    CHECK_FALSE(table_after_heading(md, "## V"));
}

TEST_CASE("separator rows are told from data rows", "[reports][md]") {
    CHECK(is_table_separator("|---|:---:|"));
    CHECK_FALSE(is_table_separator("| - | x |"));
    CHECK_FALSE(is_table_separator("text"));
    CHECK(split_table_row("text").empty());
}
