#include "reports/interval_text.hpp"

namespace gradcert::reports {

std::string interval_text(const IntervalM& x, int digits) {
    return to_string(x, digits);
}

nlohmann::json interval_json(const IntervalM& x) {
    return nlohmann::json::array({x.lower_double(), x.upper_double()});
}

}  // namespace gradcert::reports
