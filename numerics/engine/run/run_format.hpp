#pragma once
// The run format (docs/run-format.md): the contract between the producers of a run directory
// (`gradcert train`, `gradcert ingest`, the gradcert_probe Python package) and its readers
// (`gradcert train --resume`, `gradcert report --runs` via verify/empirical/run_input.hpp, the
// tests).
//
// A run directory holds manifest.json, epochs.csv and steps.jsonl. manifest.json carries
// "format": {"name": "gradcert-run", "version": 1}; a reader refuses a manifest without it or
// with another name or version (InputError naming the file: exit 2), before reading anything
// else. epochs.csv has a header whose first column is `epoch` and whose other columns are a
// subset of epoch_columns(); every cell is a number or `nan`.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace gradcert::engine::run {

inline constexpr const char* kFormatName = "gradcert-run";
inline constexpr int kFormatVersion = 1;

// {"name": "gradcert-run", "version": 1}: the value of manifest.json's "format" key.
nlohmann::json format_field();

// Throws InputError("<file>: …") unless `manifest` has "format" equal to format_field()
// (missing, malformed, another name or an unknown version are distinguished in the message).
void check_format(const nlohmann::json& manifest, const std::string& file);

// Reads and parses `dir`/manifest.json and checks its format; InputError naming the file for a
// missing or unparsable manifest.
nlohmann::json read_manifest(const std::filesystem::path& dir);

enum class ColumnKind {
    counter,   // exact count (epoch, updates, batch)
    setting,   // a value the run chose (lr, delta_rel, delta_rel_target)
    measured,  // a measured mean over data (losses, accuracies): exact for the data it saw
    estimate,  // a sampled probe estimate (never a bound)
    timing,    // wall-clock seconds; differs between otherwise identical runs
};

struct ColumnInfo {
    std::string name;
    ColumnKind kind;
    std::string unit;
    std::string meaning;
};

// Every column a run-format epochs.csv may hold, in the order the engine writes them, then the
// columns only the probe package or ingestion write.
const std::vector<ColumnInfo>& epoch_columns();
const ColumnInfo* find_epoch_column(const std::string& name);

// epochs.csv as numbers: columns[i] names values[r][i]. NaN for `nan` cells.
struct EpochTable {
    std::vector<std::string> columns;
    std::vector<std::vector<double>> rows;
    // Index of a column, or nullopt.
    std::optional<std::size_t> column(const std::string& name) const;
    // The column's values (NaN where absent from the table).
    std::vector<double> values(const std::string& name) const;
};

// Parses epochs.csv text. Throws InputError("<file>:<line>: …") for an empty file, a first
// column other than `epoch`, an unknown or repeated column, a row with the wrong number of
// cells, a cell that is not a number, or epochs not strictly increasing positive integers.
EpochTable parse_epochs_csv(const std::string& text, const std::string& file);
std::string epochs_csv_text(const EpochTable& table);

struct RunDirectory {
    std::filesystem::path dir;
    nlohmann::json manifest;
    EpochTable epochs;
    std::vector<nlohmann::json> steps;  // steps.jsonl (empty when the file is absent)
};

// Reads a whole run directory: manifest (format checked first), epochs.csv, steps.jsonl (each line
// a JSON object with an integer "step"). Throws InputError naming the file and line.
RunDirectory read_run_directory(const std::filesystem::path& dir);

// Writes manifest.json, epochs.csv and steps.jsonl into `dir` (created; must not hold a
// manifest.json). The manifest gets format_field(). Files are written atomically, manifest last.
void write_run_directory(const std::filesystem::path& dir, nlohmann::json manifest,
                         const EpochTable& epochs, const std::vector<nlohmann::json>& steps);

}  // namespace gradcert::engine::run
