#pragma once
// Reading one table ([quick] or [full]) of an experiment configuration file
// (verify/experiments/<name>.toml) and the training setup shared by the SGD experiments.
//
// Common keys of every SGD experiment table (all optional unless noted):
//   dataset = "fashion-mnist" | "synthetic", data_path, train_subset, test_subset,
//   synthetic_train, synthetic_test, synthetic_noise, data_seed,
//   model = "cnn-small" | "mlp" | …, lr, batch, epochs, seed.
// Unknown keys are errors, as in `gradcert train` configurations.
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "numerics/engine/config.hpp"

namespace toml {
inline namespace v3 {
class table;
}
}  // namespace toml

namespace gradcert::verify {

class ExperimentTable {
  public:
    // Parses `file` and selects the table `mode`; throws InputError naming the file for a parse
    // error or a missing table.
    static ExperimentTable load(const std::filesystem::path& file, const std::string& mode);
    ~ExperimentTable();
    ExperimentTable(ExperimentTable&&) noexcept;

    int get_int(const std::string& key, int fallback) const;
    double get_double(const std::string& key, double fallback) const;
    std::string get_string(const std::string& key, const std::string& fallback) const;
    std::vector<int> get_ints(const std::string& key, const std::vector<int>& fallback) const;
    std::vector<double> get_doubles(const std::string& key,
                                    const std::vector<double>& fallback) const;
    std::vector<std::string> get_strings(const std::string& key,
                                         const std::vector<std::string>& fallback) const;
    bool has(const std::string& key) const;

    // The shared training keys above, on top of a default TrainConfig (probes off).
    engine::TrainConfig train_config() const;

    // Throws InputError if the table holds a key outside common_keys() ∪ `extra`.
    void check_keys(const std::set<std::string>& extra) const;
    static std::set<std::string> common_keys();

    // "<file> [mode]" for error messages.
    std::string where() const;
    [[noreturn]] void fail(const std::string& key, const std::string& problem) const;

  private:
    ExperimentTable() = default;
    std::filesystem::path file_;
    std::string mode_;
    std::unique_ptr<toml::table> root_;
    const toml::table* table_ = nullptr;
};

// A TrainConfig with every probe switched off (experiments probe explicitly where they need to).
engine::TrainConfig without_probes(engine::TrainConfig cfg);

}  // namespace gradcert::verify
