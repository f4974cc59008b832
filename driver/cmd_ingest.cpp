// `gradcert ingest SOURCE... --out RUNDIR [--map TARGET=SOURCE,...] [--scale TEXT]`: external
// training logs (CSV, JSON lines, TensorBoard event files) into a run directory of the run format
// (docs/run-format.md; numerics/engine/run/ingest.hpp). Exit status: 0 written; 2 bad input
// (file and line or record offset named; nothing written).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "driver/command.hpp"
#include "driver/output_paths.hpp"
#include "numerics/engine/run/ingest.hpp"

namespace gradcert::driver {

namespace {

struct IngestArgs {
    std::vector<std::string> sources;
    std::string out;
    std::vector<std::string> maps;
    std::string scale;
};

int run_ingest(const IngestArgs& args) {
    namespace run = engine::run;
    require_writable_directory("--out", args.out);
    run::IngestOptions options;
    std::string joined;
    for (const std::string& m : args.maps) joined += m + ",";
    options.map = run::parse_column_map(joined);
    options.scale = args.scale;
    const run::IngestedRun r = run::ingest_sources(args.sources, options);
    run::write_run_directory(args.out, r.manifest, r.epochs, r.steps);
    std::printf("%s: %zu epoch rows (%zu columns), %zu step lines from %zu source(s)\n",
                args.out.c_str(), r.epochs.rows.size(), r.epochs.columns.size(), r.steps.size(),
                args.sources.size());
    return 0;
}

Runner setup_ingest(CLI::App& sub) {
    auto args = std::make_shared<IngestArgs>();
    sub.add_option("sources", args->sources,
                   "CSV (*.csv), JSON lines (*.jsonl, *.ndjson, *.json) or TensorBoard "
                   "(events.out.tfevents.*) files")
        ->required();
    sub.add_option("--out", args->out, "run directory to create (must not hold a run)")->required();
    sub.add_option("--map", args->maps,
                   "TARGET=SOURCE[,...]: run-format column (or epoch, step, step.loss, ...) from "
                   "a source column or tag; names already in the run format need no map");
    sub.add_option("--scale", args->scale,
                   "the scale of the run as reports should state it (model, data, epochs, "
                   "hardware)");
    return [args] { return run_ingest(*args); };
}

}  // namespace

GRADCERT_COMMAND("ingest",
                 "external training logs (CSV, JSON lines, TensorBoard) to a run directory",
                 setup_ingest);

}  // namespace gradcert::driver
