#pragma once
// `gradcert ingest`: external training logs (CSV, JSON lines, TensorBoard event files) turned
// into a run directory of the run format (run_format.hpp, docs/run-format.md §Ingest).
//
// Every source yields named scalars at an index. A name becomes a run-format target either
// through the column map (`--map test_acc=val/acc,step.loss=train/loss`) or because it already
// is one: an epochs.csv column (`test_acc`, `lr`, …), or for steps.jsonl the fields `step.loss`,
// `step.acc`, `step.lr`, `step.batch` (native names `loss`, `acc` in a table with a `step`
// column). Index: CSV / JSON lines rows carry `epoch` and/or `step` columns (mapped or native);
// a TensorBoard scalar's index is its event step, read as the epoch for epochs.csv targets and as
// the optimiser step for `step.*` targets. Epochs counted from 0 (the smallest epoch of a source
// is 0) are shifted by one, and the manifest says so.
//
// Within one source a later value for the same (index, target) replaces an earlier one (per-step
// rows repeating an epoch, a restarted TensorBoard run); two sources giving different values for
// the same (index, target) are an error. Every check runs before anything is written.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "numerics/engine/run/run_format.hpp"

namespace gradcert::engine::run {

enum class SourceKind { csv, jsonl, tfevents };

// target → source name, in the order given.
using ColumnMap = std::vector<std::pair<std::string, std::string>>;

// Parses "target=source,target=source" (several --map options are joined by the caller). Throws
// InputError("--map: …") for an entry without '=', an empty side, an unknown target or a target
// mapped twice.
ColumnMap parse_column_map(const std::string& text);

// csv: *.csv; jsonl: *.jsonl, *.ndjson, *.json; tfevents: a name containing "tfevents".
// InputError naming the file otherwise.
SourceKind detect_source_kind(const std::filesystem::path& file);

struct IngestOptions {
    ColumnMap map;
    std::string scale;  // free text stated by reports (model, data, epochs, hardware)
};

struct IngestedRun {
    nlohmann::json manifest;
    EpochTable epochs;
    std::vector<nlohmann::json> steps;
};

// Reads and merges all sources; throws InputError naming the file and the line (CSV/JSON lines)
// or record byte offset (TensorBoard) for any problem.
IngestedRun ingest_sources(const std::vector<std::string>& sources, const IngestOptions& options);

}  // namespace gradcert::engine::run
