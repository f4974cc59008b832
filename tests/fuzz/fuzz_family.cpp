// libFuzzer target: the family-file reader (verify/family_file.cpp), TOML through the checks of
// every key and the parse of f, with one --set override of the parameter a.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "numerics/interval/precision.hpp"
#include "tests/fuzz/fuzz_contract.hpp"
#include "verify/family_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gradcert;
    const std::string text(reinterpret_cast<const char*>(data), size);
    PrecisionScope precision(128);
    fuzz::expect_accept_or_refuse([&] { (void)verify::parse_family(text, "fuzz.toml", {}); });
    static const std::map<std::string, std::string> overrides{{"a", "2.5"}};
    fuzz::expect_accept_or_refuse(
        [&] { (void)verify::parse_family(text, "fuzz.toml", overrides); });
    return 0;
}
