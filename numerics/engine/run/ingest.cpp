#include "numerics/engine/run/ingest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "numerics/engine/run/tf_event.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine::run {

namespace fs = std::filesystem;

namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<std::string> kStepFields = {"loss", "acc", "lr", "batch"};

bool is_step_target(const std::string& t) {
    return t.starts_with("step.") &&
           std::find(kStepFields.begin(), kStepFields.end(), t.substr(5)) != kStepFields.end();
}
bool is_epoch_target(const std::string& t) {
    return t != "epoch" && find_epoch_column(t) != nullptr;
}

// One scalar of a source at its place: row/line number or record byte offset.
struct Scalar {
    std::string target;
    std::int64_t index = 0;  // epoch or step
    double value = 0.0;
    std::string where;  // "line 12" / "record at byte offset 96"
};

struct SourceScalars {
    std::string file;
    SourceKind kind = SourceKind::csv;
    std::size_t records = 0;
    std::vector<Scalar> epoch_scalars;               // index = epoch as logged
    std::vector<Scalar> step_scalars;                // index = step
    nlohmann::json used = nlohmann::json::object();  // target → source name
    std::set<std::string> ignored;
    std::size_t skipped_values = 0;
};

std::string read_text(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw_input_error(file, "cannot read");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::stringstream ss(text);
    for (std::string line; std::getline(ss, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

// RFC 4180 cells of one line (quotes, doubled quotes inside quotes); nullopt if a quote is open.
std::optional<std::vector<std::string>> csv_cells(const std::string& line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                cells.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cells.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else {
            cells.back() += c;
        }
    }
    if (quoted) return std::nullopt;
    return cells;
}

// A cell as a number: empty → NaN (not logged in that row); nan/inf spelled as usual.
std::optional<double> cell_number(std::string s) {
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    while (!s.empty() && s.back() == ' ') s.pop_back();
    if (s.empty()) return kNaN;
    std::string lower = s;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower == "nan") return kNaN;
    if (lower == "inf" || lower == "+inf" || lower == "infinity")
        return std::numeric_limits<double>::infinity();
    if (lower == "-inf" || lower == "-infinity") return -std::numeric_limits<double>::infinity();
    double v = 0.0;
    const char* begin = s.data() + (s.front() == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

// The source name of `target` in a source with names `has`: the mapped name, else the target
// itself (or for step.X the native X), else nullopt.
std::optional<std::string> source_of(const std::string& target, const ColumnMap& map,
                                     const std::function<bool(const std::string&)>& has) {
    for (const auto& [t, s] : map)
        if (t == target) return s;
    if (has(target)) return target;
    if (is_step_target(target) && has(target.substr(5))) return target.substr(5);
    return std::nullopt;
}

std::vector<std::string> all_targets() {
    std::vector<std::string> t = {"epoch", "step"};
    for (const ColumnInfo& c : epoch_columns())
        if (c.name != "epoch") t.push_back(c.name);
    for (const std::string& f : kStepFields) t.push_back("step." + f);
    return t;
}

// A table source (CSV header + rows or JSON-lines objects), as rows of name → cell text/number.
struct Row {
    int line = 0;
    std::map<std::string, std::optional<double>> values;  // nullopt: not a number
    std::map<std::string, std::string> text;              // for error messages
};

void table_scalars(const std::vector<Row>& rows, const std::set<std::string>& names,
                   const ColumnMap& map, SourceScalars& out) {
    auto has = [&](const std::string& n) { return names.count(n) > 0; };
    for (const auto& [t, s] : map)
        if (!has(s))
            throw_input_error(
                out.file,
                fmt::format("missing required column \"{}\" (mapped to {} by --map)", s, t), 1);
    const std::optional<std::string> epoch_src = source_of("epoch", map, has);
    const std::optional<std::string> step_src = source_of("step", map, has);
    if (!epoch_src && !step_src)
        throw_input_error(out.file,
                          "missing required column \"epoch\" (or \"step\"): map one with "
                          "--map epoch=NAME",
                          1);
    std::set<std::string> used_names;
    std::vector<std::pair<std::string, std::string>> targets;  // target, source
    for (const std::string& t : all_targets()) {
        if (t == "epoch" || t == "step") continue;
        if (const std::optional<std::string> s = source_of(t, map, has)) {
            if ((is_epoch_target(t) && epoch_src) || (is_step_target(t) && step_src)) {
                targets.emplace_back(t, *s);
                out.used[t] = *s;
                used_names.insert(*s);
            }
        }
    }
    if (epoch_src) out.used["epoch"] = *epoch_src;
    if (step_src) out.used["step"] = *step_src;
    for (const std::string& n : names)
        if (!used_names.count(n) && n != epoch_src && n != step_src) out.ignored.insert(n);
    auto number = [&](const Row& r, const std::string& name) -> double {
        const auto it = r.values.find(name);
        if (it == r.values.end()) return kNaN;
        if (!it->second)
            throw_input_error(
                out.file,
                fmt::format("column \"{}\": \"{}\" is not a number", name, r.text.at(name)),
                r.line);
        return *it->second;
    };
    auto index = [&](const Row& r, const std::string& name) -> std::optional<std::int64_t> {
        const double v = number(r, name);
        if (std::isnan(v)) return std::nullopt;
        if (!(v >= 0.0 && v == std::floor(v) && v < 9e15))
            throw_input_error(
                out.file,
                fmt::format("{} \"{}\" is not a non-negative integer", name, r.text.at(name)),
                r.line);
        return static_cast<std::int64_t>(v);
    };
    for (const Row& r : rows) {
        const std::optional<std::int64_t> epoch = epoch_src ? index(r, *epoch_src) : std::nullopt;
        const std::optional<std::int64_t> step = step_src ? index(r, *step_src) : std::nullopt;
        for (const auto& [t, s] : targets) {
            const double v = number(r, s);
            if (std::isnan(v) && !r.values.count(s)) continue;
            if (std::isnan(v)) continue;  // an empty cell: not logged in this row
            const std::string where = fmt::format("line {}", r.line);
            if (is_epoch_target(t) && epoch) out.epoch_scalars.push_back({t, *epoch, v, where});
            if (is_step_target(t) && step) out.step_scalars.push_back({t, *step, v, where});
        }
    }
    out.records = rows.size();
}

SourceScalars read_csv_source(const std::string& file, const ColumnMap& map) {
    SourceScalars out;
    out.file = file;
    out.kind = SourceKind::csv;
    const std::vector<std::string> lines = split_lines(read_text(file));
    if (lines.empty() || lines[0].empty()) throw_input_error(file, "empty (no header line)");
    const std::optional<std::vector<std::string>> header = csv_cells(lines[0]);
    if (!header) throw_input_error(file, "unterminated quote in the header", 1);
    std::set<std::string> names;
    for (const std::string& h : *header)
        if (!names.insert(h).second)
            throw_input_error(file, fmt::format("column \"{}\" appears twice", h), 1);
    std::vector<Row> rows;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const int line = static_cast<int>(i + 1);
        if (lines[i].empty()) continue;
        const std::optional<std::vector<std::string>> cells = csv_cells(lines[i]);
        if (!cells) throw_input_error(file, "unterminated quote", line);
        if (cells->size() != header->size())
            throw_input_error(
                file, fmt::format("{} cells, the header has {}", cells->size(), header->size()),
                line);
        Row r;
        r.line = line;
        for (std::size_t c = 0; c < cells->size(); ++c) {
            r.values[(*header)[c]] = cell_number((*cells)[c]);
            r.text[(*header)[c]] = (*cells)[c];
        }
        rows.push_back(std::move(r));
    }
    table_scalars(rows, names, map, out);
    return out;
}

// Flattens nested objects with '/' (wandb writes "val/acc" flat; nested {"val": {"acc"}} too).
void flatten(const nlohmann::json& j, const std::string& prefix, Row& r, std::set<std::string>& n) {
    for (const auto& [k, v] : j.items()) {
        const std::string name = prefix.empty() ? k : prefix + "/" + k;
        if (v.is_object()) {
            flatten(v, name, r, n);
            continue;
        }
        n.insert(name);
        r.text[name] = v.dump();
        if (v.is_number())
            r.values[name] = v.get<double>();
        else if (v.is_null())
            r.values[name] = kNaN;
        else if (v.is_string())
            r.values[name] = cell_number(v.get<std::string>());
        else
            r.values[name] = std::nullopt;
    }
}

SourceScalars read_jsonl_source(const std::string& file, const ColumnMap& map) {
    SourceScalars out;
    out.file = file;
    out.kind = SourceKind::jsonl;
    const std::vector<std::string> lines = split_lines(read_text(file));
    std::vector<Row> rows;
    std::set<std::string> names;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const int line = static_cast<int>(i + 1);
        if (lines[i].empty()) continue;
        const nlohmann::json j = nlohmann::json::parse(lines[i], nullptr, false);
        if (j.is_discarded() || !j.is_object()) throw_input_error(file, "not a JSON object", line);
        Row r;
        r.line = line;
        flatten(j, "", r, names);
        rows.push_back(std::move(r));
    }
    if (rows.empty()) throw_input_error(file, "empty (no JSON objects)");
    table_scalars(rows, names, map, out);
    return out;
}

SourceScalars read_tfevents_source(const std::string& file, const ColumnMap& map) {
    SourceScalars out;
    out.file = file;
    out.kind = SourceKind::tfevents;
    const EventFileScalars events = read_event_file(file);
    out.records = events.records;
    out.skipped_values = events.skipped_values;
    std::set<std::string> tags;
    for (const ScalarEvent& e : events.scalars) tags.insert(e.tag);
    auto has = [&](const std::string& n) { return tags.count(n) > 0; };
    for (const auto& [t, s] : map)
        if ((is_epoch_target(t) || is_step_target(t)) && !has(s))
            throw_input_error(file, fmt::format("missing required column: no scalar tagged \"{}\" "
                                                "(mapped to {} by --map) in {} records",
                                                s, t, events.records));
    // Each tag feeds one target: an explicit --map entry, else the first run-format name it
    // matches (an epochs.csv column before a step field: a native "lr" tag is the epoch's lr).
    std::map<std::string, std::string> target_of;  // tag → target
    for (const auto& [t, s] : map)
        if (is_epoch_target(t) || is_step_target(t)) target_of.emplace(s, t);
    for (const std::string& t : all_targets()) {
        if (!is_epoch_target(t) && !is_step_target(t)) continue;
        if (const std::optional<std::string> s = source_of(t, map, has))
            target_of.emplace(*s, t);
    }
    for (const auto& [tag, t] : target_of) out.used[t] = tag;
    if (target_of.empty())
        throw_input_error(file, fmt::format("missing required column: none of the {} scalar tags "
                                            "is a run-format column; map one with --map "
                                            "test_acc=TAG",
                                            tags.size()));
    for (const ScalarEvent& e : events.scalars) {
        const auto it = target_of.find(e.tag);
        if (it == target_of.end()) {
            out.ignored.insert(e.tag);
            continue;
        }
        if (e.step < 0)
            throw_input_error(
                file, fmt::format("record at byte offset {}: negative step {}", e.offset, e.step));
        const Scalar s{it->second, e.step, e.value,
                       fmt::format("record at byte offset {}", e.offset)};
        (is_step_target(it->second) ? out.step_scalars : out.epoch_scalars).push_back(s);
    }
    return out;
}

std::string kind_name(SourceKind k) {
    switch (k) {
        case SourceKind::csv:
            return "csv";
        case SourceKind::jsonl:
            return "jsonl";
        case SourceKind::tfevents:
            return "tfevents";
    }
    return "";
}

struct Cell {
    double value;
    std::size_t source;
};

// Puts one source's scalars into `cells` (index → target → value): later wins within the source,
// a different value from another source is an error.
void merge(const std::vector<Scalar>& scalars, std::int64_t shift, std::size_t source,
           const std::vector<SourceScalars>& all,
           std::map<std::int64_t, std::map<std::string, Cell>>& cells) {
    for (const Scalar& s : scalars) {
        auto& row = cells[s.index + shift];
        const auto it = row.find(s.target);
        if (it != row.end() && it->second.source != source && it->second.value != s.value &&
            !(std::isnan(it->second.value) && std::isnan(s.value)))
            throw_input_error(all[source].file,
                              fmt::format("{}: {} = {} at index {} contradicts {} = {} from {}",
                                          s.where, s.target, s.value, s.index + shift, s.target,
                                          it->second.value, all[it->second.source].file));
        row[s.target] = {s.value, source};
    }
}

}  // namespace

ColumnMap parse_column_map(const std::string& text) {
    ColumnMap map;
    std::stringstream ss(text);
    const std::vector<std::string> targets = all_targets();
    for (std::string entry; std::getline(ss, entry, ',');) {
        if (entry.empty()) continue;
        const std::size_t eq = entry.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size())
            throw InputError(
                fmt::format("--map: \"{}\" is not TARGET=SOURCE (e.g. test_acc=val/acc)", entry));
        const std::string target = entry.substr(0, eq), source = entry.substr(eq + 1);
        if (std::find(targets.begin(), targets.end(), target) == targets.end())
            throw InputError(
                fmt::format("--map: unknown target \"{}\" (an epochs.csv column of "
                            "docs/run-format.md, epoch, step, or step.loss, "
                            "step.acc, step.lr, step.batch)",
                            target));
        for (const auto& [t, s] : map)
            if (t == target) throw InputError(fmt::format("--map: {} is mapped twice", target));
        map.emplace_back(target, source);
    }
    return map;
}

SourceKind detect_source_kind(const fs::path& file) {
    const std::string name = file.filename().string();
    const std::string ext = file.extension().string();
    if (name.find("tfevents") != std::string::npos) return SourceKind::tfevents;
    if (ext == ".csv") return SourceKind::csv;
    if (ext == ".jsonl" || ext == ".ndjson" || ext == ".json") return SourceKind::jsonl;
    throw_input_error(file.string(),
                      "unknown source kind (expected *.csv, *.jsonl, *.ndjson, "
                      "*.json or a TensorBoard events.out.tfevents.* file)");
}

IngestedRun ingest_sources(const std::vector<std::string>& sources, const IngestOptions& options) {
    if (sources.empty()) throw InputError("ingest: no SOURCE given");
    std::vector<SourceScalars> all;
    for (const std::string& file : sources) {
        if (!fs::is_regular_file(file)) throw_input_error(file, "not a readable file");
        switch (detect_source_kind(file)) {
            case SourceKind::csv:
                all.push_back(read_csv_source(file, options.map));
                break;
            case SourceKind::jsonl:
                all.push_back(read_jsonl_source(file, options.map));
                break;
            case SourceKind::tfevents:
                all.push_back(read_tfevents_source(file, options.map));
                break;
        }
    }
    std::map<std::int64_t, std::map<std::string, Cell>> epochs, steps;
    nlohmann::json described = nlohmann::json::array();
    for (std::size_t i = 0; i < all.size(); ++i) {
        const SourceScalars& s = all[i];
        std::int64_t min_epoch = std::numeric_limits<std::int64_t>::max();
        for (const Scalar& e : s.epoch_scalars) min_epoch = std::min(min_epoch, e.index);
        const std::int64_t shift = (!s.epoch_scalars.empty() && min_epoch == 0) ? 1 : 0;
        merge(s.epoch_scalars, shift, i, all, epochs);
        merge(s.step_scalars, 0, i, all, steps);
        described.push_back(
            {{"path", fs::absolute(s.file).lexically_normal().string()},
             {"kind", kind_name(s.kind)},
             {"records", s.records},
             {"map", s.used},
             {"epoch_shift", shift},
             {"epoch_scalars", s.epoch_scalars.size()},
             {"step_scalars", s.step_scalars.size()},
             {"ignored", std::vector<std::string>(s.ignored.begin(), s.ignored.end())},
             {"skipped_non_scalar_values", s.skipped_values}});
    }
    if (epochs.empty() && steps.empty())
        throw InputError(
            fmt::format("{}: missing required column: no value of a run-format "
                        "column (docs/run-format.md) was found; map one with --map",
                        sources.front()));
    IngestedRun run;
    run.epochs.columns = {"epoch"};
    for (const ColumnInfo& c : epoch_columns()) {
        if (c.name == "epoch") continue;
        for (const auto& [e, row] : epochs)
            if (row.count(c.name)) {
                run.epochs.columns.push_back(c.name);
                break;
            }
    }
    for (const auto& [e, row] : epochs) {
        std::vector<double> values = {double(e)};
        for (std::size_t c = 1; c < run.epochs.columns.size(); ++c) {
            const auto it = row.find(run.epochs.columns[c]);
            values.push_back(it == row.end() ? kNaN : it->second.value);
        }
        run.epochs.rows.push_back(std::move(values));
    }
    for (const auto& [step, row] : steps) {
        nlohmann::json j = {{"step", step}};
        for (const auto& [t, cell] : row)
            j[t.substr(5)] = std::isfinite(cell.value) ? nlohmann::json(cell.value) : nullptr;
        run.steps.push_back(std::move(j));
    }
    run.manifest = {{"tool", "gradcert ingest"},
                    {"status", "finished"},
                    {"sources", described},
                    {"scale", options.scale},
                    {"estimates",
                     "ingested values are what the sources logged; probe columns (delta*, c2*, "
                     "grad_norm, lambda_max, sharpness*, hessian_trace*, b_simple, tail_alpha*) "
                     "are sampled estimates, not bounds"}};
    return run;
}

}  // namespace gradcert::engine::run
