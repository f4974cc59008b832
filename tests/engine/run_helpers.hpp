#pragma once
#include <unistd.h>
// Helpers for the trainer tests: temporary directories, reading the run outputs back.
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "numerics/engine/train_records.hpp"

namespace gradcert::engine::testing {

inline std::filesystem::path fresh_dir(const std::string& name) {
    std::filesystem::path d = std::filesystem::temp_directory_path() /
                              ("gradcert_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

inline std::vector<std::string> read_lines(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

inline std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) out.push_back(cell);
    return out;
}

// epochs.csv as rows of cells, with the timing columns removed.
inline std::vector<std::vector<std::string>> csv_without_timing(const std::filesystem::path& p) {
    const std::vector<std::string> lines = read_lines(p);
    std::vector<std::vector<std::string>> rows;
    if (lines.empty()) return rows;
    const std::vector<std::string> header = split_csv(lines[0]);
    std::vector<bool> keep(header.size(), true);
    for (const std::string& t : timing_columns())
        for (std::size_t i = 0; i < header.size(); ++i)
            if (header[i] == t) keep[i] = false;
    for (const std::string& line : lines) {
        const std::vector<std::string> cells = split_csv(line);
        std::vector<std::string> row;
        for (std::size_t i = 0; i < cells.size(); ++i)
            if (i >= keep.size() || keep[i]) row.push_back(cells[i]);
        rows.push_back(row);
    }
    return rows;
}

// steps.jsonl parsed, with the probe timing ("seconds") removed.
inline std::vector<nlohmann::json> steps_without_timing(const std::filesystem::path& p) {
    std::vector<nlohmann::json> out;
    for (const std::string& line : read_lines(p)) {
        nlohmann::json j = nlohmann::json::parse(line);
        if (j.contains("probe")) j["probe"].erase("seconds");
        out.push_back(j);
    }
    return out;
}

}  // namespace gradcert::engine::testing
