#include "numerics/engine/run/run_format.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine::run {

namespace fs = std::filesystem;

nlohmann::json format_field() {
    return {{"name", kFormatName}, {"version", kFormatVersion}};
}

void check_format(const nlohmann::json& manifest, const std::string& file) {
    if (!manifest.is_object() || !manifest.contains("format"))
        throw_input_error(file, fmt::format("no run format version (\"format\": {{\"name\": "
                                            "\"{}\", \"version\": {}}} expected; a run written "
                                            "before the run format was versioned)",
                                            kFormatName, kFormatVersion));
    const nlohmann::json& f = manifest.at("format");
    if (!f.is_object() || !f.contains("name") || !f.contains("version") ||
        !f.at("name").is_string() || !f.at("version").is_number_integer())
        throw_input_error(file,
                          "malformed \"format\" (an object with a string \"name\" and an "
                          "integer \"version\" expected)");
    if (f.at("name").get<std::string>() != kFormatName)
        throw_input_error(file, fmt::format("format name \"{}\" is not \"{}\"",
                                            f.at("name").get<std::string>(), kFormatName));
    const long long version = f.at("version").get<long long>();
    if (version != kFormatVersion)
        throw_input_error(file, fmt::format("unknown run format version {} (this gradcert reads "
                                            "version {})",
                                            version, kFormatVersion));
}

nlohmann::json read_manifest(const fs::path& dir) {
    const fs::path file = dir / "manifest.json";
    std::ifstream in(file);
    if (!in) throw_input_error(file.string(), "cannot read (not a run directory?)");
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) throw_input_error(file.string(), "not valid JSON");
    check_format(j, file.string());
    return j;
}

const std::vector<ColumnInfo>& epoch_columns() {
    using K = ColumnKind;
    static const std::vector<ColumnInfo> columns = {
        {"epoch", K::counter, "1", "1-based epoch number"},
        {"updates", K::counter, "steps", "cumulative optimiser steps at the end of the epoch"},
        {"lr", K::setting, "1", "learning rate η of the epoch"},
        {"batch", K::counter, "examples", "mini-batch size b of the epoch"},
        {"delta_rel", K::setting, "1", "realised δ/δ₀ = (η/η₀)√(b₀/b)"},
        {"delta_rel_target", K::setting, "1", "the schedule's intended δ/δ₀"},
        {"train_loss", K::measured, "nats", "mean mini-batch cross-entropy over the epoch"},
        {"train_acc", K::measured, "fraction", "mean mini-batch accuracy over the epoch"},
        {"test_loss", K::measured, "nats", "cross-entropy on the test set (evaluation mode)"},
        {"test_acc", K::measured, "fraction", "accuracy on the test set (evaluation mode)"},
        {"delta", K::estimate, "parameter norm", "δ̂ = ηĈ/√b"},
        {"delta_lo", K::estimate, "parameter norm", "lower end of δ̂'s confidence interval"},
        {"delta_hi", K::estimate, "parameter norm", "upper end of δ̂'s confidence interval"},
        {"c2", K::estimate, "squared gradient norm", "Ĉ² = b·E‖ω‖² (per-example variance)"},
        {"c2_lo", K::estimate, "squared gradient norm", "lower end of Ĉ²'s interval"},
        {"c2_hi", K::estimate, "squared gradient norm", "upper end of Ĉ²'s interval"},
        {"grad_norm", K::estimate, "gradient norm", "‖g_P‖ on the probe pool"},
        {"lambda_max", K::estimate, "loss / parameter norm²", "top Hessian eigenvalue"},
        {"sharpness", K::estimate, "percent", "Keskar ε-sharpness 100·increase/(1+f)"},
        {"adaptive_sharpness", K::estimate, "nats", "adaptive ℓ∞ sharpness (loss increase)"},
        {"train_s", K::timing, "s", "seconds in training steps this epoch"},
        {"probe_s", K::timing, "s", "seconds in probes and evaluation this epoch"},
        {"wall_s", K::timing, "s", "cumulative wall time of the run"},
        // Written by the probe package (and by ingestion when mapped), not by the engine:
        {"hessian_trace", K::estimate, "loss / parameter norm²", "tr H by Hutchinson"},
        {"hessian_trace_lo", K::estimate, "loss / parameter norm²", "lower end of tr H"},
        {"hessian_trace_hi", K::estimate, "loss / parameter norm²", "upper end of tr H"},
        {"b_simple", K::estimate, "examples", "gradient noise scale tr Σ/‖G‖²"},
        {"tail_alpha", K::estimate, "1", "tail index α̂ of the gradient noise"},
        {"tail_alpha_lo", K::estimate, "1", "lower end of α̂'s interval"},
        {"tail_alpha_hi", K::estimate, "1", "upper end of α̂'s interval"},
    };
    return columns;
}

const ColumnInfo* find_epoch_column(const std::string& name) {
    for (const ColumnInfo& c : epoch_columns())
        if (c.name == name) return &c;
    return nullptr;
}

std::optional<std::size_t> EpochTable::column(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == name) return i;
    return std::nullopt;
}

std::vector<double> EpochTable::values(const std::string& name) const {
    const std::optional<std::size_t> c = column(name);
    std::vector<double> out;
    out.reserve(rows.size());
    for (const std::vector<double>& row : rows)
        out.push_back(c ? row[*c] : std::numeric_limits<double>::quiet_NaN());
    return out;
}

namespace {

std::vector<std::string> split_cells(const std::string& line) {
    std::vector<std::string> cells;
    std::string cell;
    std::stringstream ss(line);
    while (std::getline(ss, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.emplace_back();
    return cells;
}

std::optional<double> parse_number(const std::string& s) {
    if (s == "nan" || s == "NaN") return std::numeric_limits<double>::quiet_NaN();
    double v = 0.0;
    const char* end = s.data() + s.size();
    const auto [ptr, ec] = std::from_chars(s.data(), end, v);
    if (ec != std::errc() || ptr != end || s.empty()) return std::nullopt;
    return v;
}

std::string number_text(double v) {
    if (std::isnan(v)) return "nan";
    return fmt::format("{}", v);
}

}  // namespace

EpochTable parse_epochs_csv(const std::string& text, const std::string& file) {
    std::vector<std::string> lines;
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    if (lines.empty() || lines[0].empty()) throw_input_error(file, "empty (no header line)");
    EpochTable t;
    t.columns = split_cells(lines[0]);
    if (t.columns[0] != "epoch")
        throw_input_error(file, fmt::format("first column is \"{}\", not \"epoch\"", t.columns[0]),
                          1);
    std::set<std::string> seen;
    for (const std::string& c : t.columns) {
        if (!find_epoch_column(c))
            throw_input_error(file, fmt::format("unknown column \"{}\" (docs/run-format.md)", c),
                              1);
        if (!seen.insert(c).second)
            throw_input_error(file, fmt::format("column \"{}\" appears twice", c), 1);
    }
    double previous_epoch = 0.0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const int line = static_cast<int>(i + 1);
        if (lines[i].empty() && i + 1 == lines.size()) break;
        const std::vector<std::string> cells = split_cells(lines[i]);
        if (cells.size() != t.columns.size())
            throw_input_error(
                file, fmt::format("{} cells, the header has {}", cells.size(), t.columns.size()),
                line);
        std::vector<double> row;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            const std::optional<double> v = parse_number(cells[c]);
            if (!v)
                throw_input_error(
                    file, fmt::format("column {}: \"{}\" is not a number", t.columns[c], cells[c]),
                    line);
            row.push_back(*v);
        }
        const double epoch = row[0];
        if (!(epoch >= 1.0 && epoch == std::floor(epoch) && epoch > previous_epoch))
            throw_input_error(file,
                              fmt::format("epoch {} is not a positive integer greater than the "
                                          "previous row's",
                                          cells[0]),
                              line);
        previous_epoch = epoch;
        t.rows.push_back(std::move(row));
    }
    return t;
}

std::string epochs_csv_text(const EpochTable& table) {
    std::string out;
    for (std::size_t c = 0; c < table.columns.size(); ++c) out += (c ? "," : "") + table.columns[c];
    out += "\n";
    for (const std::vector<double>& row : table.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + number_text(row[c]);
        out += "\n";
    }
    return out;
}

RunDirectory read_run_directory(const fs::path& dir) {
    RunDirectory r;
    r.dir = dir;
    r.manifest = read_manifest(dir);
    const fs::path csv = dir / "epochs.csv";
    std::ifstream in(csv, std::ios::binary);
    if (!in) throw_input_error(csv.string(), "cannot read");
    std::stringstream text;
    text << in.rdbuf();
    r.epochs = parse_epochs_csv(text.str(), csv.string());
    const fs::path steps = dir / "steps.jsonl";
    std::ifstream sin(steps);
    int line_no = 0;
    for (std::string line; std::getline(sin, line);) {
        ++line_no;
        if (line.empty()) continue;
        nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object() || !j.contains("step") ||
            !j.at("step").is_number_integer())
            throw_input_error(steps.string(), "not a JSON object with an integer \"step\"",
                              line_no);
        r.steps.push_back(std::move(j));
    }
    return r;
}

void write_run_directory(const fs::path& dir, nlohmann::json manifest, const EpochTable& epochs,
                         const std::vector<nlohmann::json>& steps) {
    if (fs::exists(dir / "manifest.json"))
        throw_input_error(dir.string(), "already holds a run (manifest.json); remove it first");
    fs::create_directories(dir);
    manifest["format"] = format_field();
    std::string step_text;
    for (const nlohmann::json& s : steps) step_text += s.dump() + "\n";
    write_file_atomically(dir / "epochs.csv", epochs_csv_text(epochs));
    write_file_atomically(dir / "steps.jsonl", step_text);
    write_file_atomically(dir / "manifest.json", manifest.dump(2) + "\n");
}

}  // namespace gradcert::engine::run
