#include "reports/constants_report.hpp"

#include <fmt/format.h>

#include "reports/markdown.hpp"
#include "theory/constants_json.hpp"

namespace gradcert::reports {

std::string constants_markdown(const std::vector<theory::NamedConstant>& constants,
                               long precision_bits, size_t max_rows) {
    std::string md = fmt::format(
        "# The paper's closed-form constants\n\nEvery value is a rigorous enclosure computed at "
        "{} bits (MPFR, outward rounding); the table shows its midpoint to 16 digits and its "
        "radius. `constants.json` beside this page has both endpoints of every constant, and "
        "`gradcert constants --golden verify/golden/constants.json` fails CI if one moves.\n",
        precision_bits);
    size_t i = 0;
    while (i < constants.size()) {
        const std::string& group = constants[i].group;
        size_t end = i;
        while (end < constants.size() && constants[end].group == group) ++end;
        std::vector<std::vector<std::string>> rows;
        const size_t n = end - i, edge = max_rows / 2;
        for (size_t k = i; k < end; ++k) {
            size_t pos = k - i;
            if (n > max_rows && pos >= edge && pos < n - edge) {
                if (pos == edge)
                    rows.push_back({fmt::format("… {} more rows in constants.json", n - 2 * edge)});
                continue;
            }
            const theory::NamedConstant& c = constants[k];
            rows.push_back({"`" + c.name + "`", theory::decimal_string(c.value.mid(), 16),
                            theory::decimal_string(c.value.rad(), 2), c.tag, c.statement});
        }
        md += fmt::format("\n## {}\n\n", group);
        md += markdown_table({"constant", "value", "±", "tag", "statement"}, rows);
        i = end;
    }
    return md;
}

}  // namespace gradcert::reports
