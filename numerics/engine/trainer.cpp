#include "numerics/engine/trainer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <limits>
#include <new>
#include <optional>
#include <sstream>
#include <stdexcept>

#include "numerics/engine/checkpoint.hpp"
#include "numerics/engine/data_batch.hpp"
#include "numerics/engine/data_load.hpp"
#include "numerics/engine/isa.hpp"
#include "numerics/engine/log.hpp"
#include "numerics/engine/model_zoo.hpp"
#include "numerics/engine/optimizer.hpp"
#include "numerics/engine/probe.hpp"
#include "numerics/engine/run/run_format.hpp"
#include "numerics/engine/schedule.hpp"
#include "numerics/engine/sharpness.hpp"
#include "numerics/engine/threads.hpp"
#include "numerics/engine/train_rng.hpp"
#include "numerics/util/atomic_file.hpp"
#include "numerics/util/error.hpp"
#include "numerics/util/stopwatch.hpp"

namespace gradcert::engine {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr const char* kCheckpointName = "checkpoint.bin";

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

// Restores the engine's thread count when the run ends.
class ThreadScope {
  public:
    explicit ThreadScope(int n) : previous_(threads()) { set_threads(n); }
    ~ThreadScope() { set_threads(previous_); }
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

  private:
    int previous_;
};

// The first key path where two JSON objects differ ("" when equal).
std::string first_difference(const nlohmann::json& a, const nlohmann::json& b,
                             const std::string& path = "") {
    if (a.is_object() && b.is_object()) {
        for (const auto& [k, v] : a.items()) {
            if (!b.contains(k)) return path + "." + k;
            std::string d = first_difference(v, b.at(k), path + "." + k);
            if (!d.empty()) return d;
        }
        for (const auto& [k, v] : b.items())
            if (!a.contains(k)) return path + "." + k;
        return "";
    }
    return a == b ? "" : (path.empty() ? "." : path);
}

class TrainingRun {
  public:
    TrainingRun(const ValidTrainConfig& cfg, const DataSplit& data, const fs::path& out,
                const TrainOptions& options)
        : cfg_(cfg.get()),
          model_names_(cfg.model_names()),
          data_(data),
          out_(out),
          options_(options),
          progress_(options.progress) {}

    TrainResult run();

  private:
    void build();
    void start_fresh();
    bool restore();
    // Validates every header field of `ck` before the run uses it; throws InputError (or a JSON
    // exception that restore() turns into one) naming the checkpoint.
    void restore_from(const Checkpoint& ck);
    void write_manifest();
    // Returns false when the run must stop (divergence, stop request).
    bool run_epoch(int epoch);
    double train_step(std::span<const int> batch, double lr, int* correct);
    ProbeRecord probe(int epoch, const SchedulePoint& sp);
    void write_checkpoint_now(const LogOffsets& offsets);
    bool reads_files() const { return !out_.empty(); }
    bool writes_files() const {
        return reads_files() && (!options_.communicator || options_.communicator->rank() == 0);
    }

    const TrainConfig& cfg_;  // validated (ValidTrainConfig)
    ModelNames model_names_;
    const DataSplit& data_;
    fs::path out_;
    const TrainOptions& options_;
    Progress progress_;
    std::unique_ptr<Model> model_;
    std::unique_ptr<Optimizer> optimizer_;
    std::unique_ptr<Schedule> schedule_;
    BatchAssembler batch_;
    BatchAssembler probe_batch_;
    std::vector<double> accumulated_;
    std::vector<float> micro_grads_;
    std::vector<int> probe_order_;  // a fixed permutation; probe pools are its prefixes
    RunLog log_;
    TrainResult result_;
    nlohmann::json manifest_;
    int next_epoch_ = 0;
    std::uint64_t step_ = 0;
    double wall_base_ = 0.0;
    Clock::time_point started_ = Clock::now();
};

ModelFactory default_factory(const TrainConfig& cfg, const TrainOptions& options) {
    if (cfg.run.shard > 0) {
        std::shared_ptr<Communicator> comm =
            options.communicator ? options.communicator : local_communicator();
        return [comm, shard = cfg.run.shard](const ModelSpec& spec, std::uint64_t seed) {
            return make_sharded_model(spec, seed, shard, comm);
        };
    }
    return [](const ModelSpec& spec, std::uint64_t seed) { return make_model(spec, seed); };
}

// Refuses a zoo model with more than kMaxParameters parameters before any weight is allocated
// (the architecture holds shapes only). 2³⁰ float parameters are 4 GiB, 12 GiB with gradients
// and momentum: beyond any machine this engine runs on.
void check_model_size(const ModelSpec& spec) {
    constexpr std::size_t kMaxParameters = std::size_t{1} << 30;
    const std::size_t n = build_architecture(spec).param_count();
    if (n > kMaxParameters)
        throw InputError(
            fmt::format("{} has {} parameters with width_multiplier = {}, more than "
                        "the engine's limit of 2^30",
                        spec.name, n, spec.width_multiplier));
}

void TrainingRun::build() {
    const ModelSpec spec = model_spec_for(cfg_, data_.train);
    // The zoo builds the model only from a configuration whose name was validated against it.
    if (!options_.model_factory && model_names_ != ModelNames::zoo)
        throw InternalError(cfg_.source +
                            ": a configuration validated for any model name "
                            "reached the model zoo");
    try {
        if (!options_.model_factory) check_model_size(spec);
        model_ = (options_.model_factory ? options_.model_factory
                                         : default_factory(cfg_, options_))(spec, cfg_.run.seed);
    } catch (const InputError& e) {
        throw InputError(cfg_.source + ": [model] " + e.what());
    } catch (const std::bad_alloc&) {
        throw InputError(
            fmt::format("{}: [model] {} with width_multiplier = {} does not fit in "
                        "memory",
                        cfg_.source, spec.name, spec.width_multiplier));
    }
    OptimizerConfig oc;
    try {
        oc.kind = parse_optimizer_kind(cfg_.optim.name);
    } catch (const InputError& e) {
        throw InputError(cfg_.source + ": [optim] " + e.what());
    }
    oc.momentum = cfg_.optim.momentum;
    oc.weight_decay = cfg_.optim.weight_decay;
    optimizer_ = std::make_unique<Optimizer>(oc, model_->params().size());
    schedule_ =
        std::make_unique<Schedule>(cfg_.schedule, cfg_.optim.lr, cfg_.optim.batch, cfg_.run.epochs,
                                   data_.train.size(), cfg_.source + ": [optim]/[schedule]");
    probe_order_ =
        shuffled_indices(data_.train.size(), stream_key(cfg_.run.seed, Stream::probe_pool));
}

void TrainingRun::start_fresh() {
    if (!writes_files()) return;
    if (fs::exists(out_ / "manifest.json") && !options_.resume)
        throw InputError(
            fmt::format("{}: output directory {} already holds a run (use --resume "
                        "to continue it, or remove it)",
                        cfg_.source, out_.string()));
    fs::remove(out_ / kCheckpointName);
    log_.start(out_, epoch_csv_header());
    manifest_ = nlohmann::json::object();
    manifest_["format"] = run::format_field();  // docs/run-format.md
    manifest_["tool"] = "gradcert train";
    manifest_["started"] = utc_now();
    manifest_["config_file"] = cfg_.source;
    manifest_["config"] = config_to_json(cfg_);
    manifest_["seeds"] = {
        {"run", cfg_.run.seed},
        {"model_init", cfg_.run.seed},
        {"synthetic_data", cfg_.data.synthetic.seed},
        {"streams",
         "counter-based SplitMix64 keyed by (run seed, stream, counters): shuffle "
         "(epoch), augment (step, batch position), probe_pool, probe_batches (step), "
         "power_iteration (step)"}};
    auto describe = [](const Dataset& d) {
        return nlohmann::json{{"name", d.name},
                              {"examples", d.size()},
                              {"shape", {d.channels, d.height, d.width}},
                              {"classes", d.classes},
                              {"mean", d.mean},
                              {"std", d.stddev},
                              {"fnv1a64", dataset_hash(d)}};
    };
    manifest_["datasets"] = {{"train", describe(data_.train)},
                             {"test", describe(data_.test)},
                             {"directory", data_directory(cfg_).string()}};
    manifest_["model"] = {{"name", model_->spec().name},
                          {"parameters", model_->params().size()},
                          {"buffers", model_->buffers().size()}};
    manifest_["git_revision"] = git_revision();
    manifest_["build"] = build_info();
    manifest_["threads"] = cfg_.run.threads;
    if (cfg_.run.shard > 0)
        manifest_["data_parallel"] = {
            {"shard", cfg_.run.shard},
            {"ranks", options_.communicator ? options_.communicator->size() : 1}};
    manifest_["estimates"] =
        "probe values (delta*, c2*, grad_norm, lambda_max, sharpness, adaptive_sharpness in "
        "epochs.csv; every \"probe\" object in steps.jsonl) are sampled estimates, not bounds";
    manifest_["status"] = "running";
    write_manifest();
}

bool TrainingRun::restore() {
    if (!reads_files() || !options_.resume || !fs::exists(out_ / kCheckpointName)) return false;
    const fs::path file = out_ / kCheckpointName;
    const Checkpoint ck = read_checkpoint(file);
    // The logs being resumed must be of this run format (docs/run-format.md); checked before
    // anything in the directory is touched.
    manifest_ = run::read_manifest(out_);
    try {
        restore_from(ck);
    } catch (const nlohmann::json::exception& e) {
        throw_input_error(file.string(), std::string("checkpoint header field: ") + e.what());
    } catch (const std::out_of_range& e) {  // a blob named in the model is absent
        throw_input_error(file.string(), e.what());
    }
    if (!writes_files()) return true;  // other ranks only restore the state
    manifest_["resumes"].push_back(
        {{"at_epoch", next_epoch_}, {"at_step", step_}, {"time", utc_now()}});
    manifest_["status"] = "running";
    write_manifest();
    return true;
}

void TrainingRun::restore_from(const Checkpoint& ck) {
    const std::string file = (out_ / kCheckpointName).string();
    const std::string diff = first_difference(ck.header.at("config"), config_to_json(cfg_));
    if (!diff.empty())
        throw InputError(
            fmt::format("{}: differs from the configuration of the checkpointed run "
                        "in {} at key {} (resume needs the same configuration)",
                        cfg_.source, out_.string(), diff.substr(1)));
    auto restore_blob = [&](const std::string& name, std::span<float> dest) {
        const std::vector<float>& src = ck.blob(name);
        if (src.size() != dest.size())
            throw InputError(fmt::format("{}: checkpoint blob {} has {} values, the model {}", file,
                                         name, src.size(), dest.size()));
        std::copy(src.begin(), src.end(), dest.begin());
    };
    restore_blob("params", model_->params());
    restore_blob("buffers", model_->buffers());
    restore_blob("optimizer_state", optimizer_->state());
    const int epochs_done = ck.header.at("epochs_done").get<int>();
    const auto& records = ck.header.at("records");
    if (epochs_done < 0 || epochs_done > cfg_.run.epochs ||
        static_cast<std::size_t>(epochs_done) != records.size())
        throw_input_error(file, fmt::format("checkpoint epochs_done = {} must lie in [0, {}] and "
                                            "equal its {} epoch record(s)",
                                            epochs_done, cfg_.run.epochs, records.size()));
    next_epoch_ = epochs_done;
    step_ = ck.header.at("step").get<std::uint64_t>();
    wall_base_ = ck.header.at("wall_seconds").get<double>();
    if (!(std::isfinite(wall_base_) && wall_base_ >= 0.0))
        throw_input_error(file, "checkpoint wall_seconds must be finite and ≥ 0");
    for (const auto& e : records) result_.epochs.push_back(epoch_from_json(e));
    for (const auto& p : ck.header.at("probes")) result_.probes.push_back(probe_from_json(p));
    const auto& logs = ck.header.at("logs");
    if (writes_files())
        log_.resume(out_, {logs.at("steps_bytes").get<std::uint64_t>(),
                           logs.at("epochs_bytes").get<std::uint64_t>()});
}

void TrainingRun::write_manifest() {
    if (writes_files()) write_file_atomically(out_ / "manifest.json", manifest_.dump(2) + "\n");
}

double TrainingRun::train_step(std::span<const int> batch, double lr, int* correct) {
    const int b = static_cast<int>(batch.size());
    const AugmentConfig* aug = &cfg_.data.augment;
    const int micro = cfg_.optim.micro_batch > 0 ? std::min(cfg_.optim.micro_batch, b) : b;
    if (micro == b) {
        batch_.assemble(data_.train, batch, aug, cfg_.run.seed, step_);
        const double loss =
            model_->loss_and_gradient(batch_.images(), batch_.labels(), b, true, correct);
        optimizer_->step(model_->params(), model_->grads(), lr);
        return loss;
    }
    // Gradient accumulation: the size-weighted mean of the micro-batch gradients, in double.
    const std::span<float> g = model_->grads();
    accumulated_.assign(g.size(), 0.0);
    double loss = 0.0;
    int total_correct = 0;
    for (int start = 0; start < b; start += micro) {
        const int m = std::min(micro, b - start);
        batch_.assemble(data_.train,
                        batch.subspan(static_cast<std::size_t>(start), static_cast<std::size_t>(m)),
                        aug, cfg_.run.seed, step_, start);
        int ok = 0;
        const double w = static_cast<double>(m) / b;
        loss += w * model_->loss_and_gradient(batch_.images(), batch_.labels(), m, true, &ok);
        total_correct += ok;
        for (std::size_t i = 0; i < g.size(); ++i) accumulated_[i] += w * static_cast<double>(g[i]);
    }
    micro_grads_.resize(g.size());
    for (std::size_t i = 0; i < g.size(); ++i)
        micro_grads_[i] = static_cast<float>(accumulated_[i]);
    optimizer_->step(model_->params(), micro_grads_, lr);
    if (correct) *correct = total_correct;
    return loss;
}

ProbeRecord TrainingRun::probe(int epoch, const SchedulePoint& sp) {
    const auto t0 = Clock::now();
    const ProbeConfig& pc = cfg_.probe;
    const int n = data_.train.size();
    const int b = sp.batch;
    const int chunk = cfg_.optim.micro_batch > 0 ? std::min(cfg_.optim.micro_batch, b) : b;
    ProbeRecord r;
    r.step = step_;
    r.epoch = epoch + 1;
    r.lr = sp.lr;
    r.batch = b;
    auto prefix = [&](int k) {
        return std::span<const int>(probe_order_.data(), static_cast<std::size_t>(std::min(k, n)));
    };
    if (pc.noise) {
        const int pool_size = std::min(n, std::max(pc.probe_size, 2 * b));
        int pool_correct = 0;
        double pool_loss = 0.0;
        bool first = true;
        GradientOracle oracle = [&](std::span<const int> idx, std::vector<double>& g) {
            int ok = 0;
            const double loss =
                mean_gradient(*model_, data_.train, idx, chunk, g, probe_batch_, &ok);
            if (first) {  // the first call is the reference gradient over the pool
                pool_loss = loss;
                pool_correct = ok;
                first = false;
            }
            return loss;
        };
        r.noise = estimate_gradient_noise(oracle, prefix(pool_size), b, pc.batches, n, sp.lr,
                                          pc.confidence,
                                          stream_key(cfg_.run.seed, Stream::probe_batches, step_));
        r.pool = Evaluation{pool_loss, static_cast<double>(pool_correct) / pool_size, pool_size};
    }
    if (pc.hessian)
        r.hessian = hessian_top_eigenvalue(
            *model_, data_.train, prefix(pc.hessian_size), chunk, pc.power_iterations, pc.fd_step,
            stream_key(cfg_.run.seed, Stream::power_iteration, step_), probe_batch_);
    if (pc.sharpness)
        r.sharpness = epsilon_sharpness(*model_, data_.train, prefix(pc.sharpness_size), chunk,
                                        pc.sharpness_epsilon, pc.sharpness_steps, probe_batch_);
    if (pc.adaptive_sharpness)
        r.adaptive_sharpness =
            adaptive_sharpness(*model_, data_.train, prefix(pc.sharpness_size), chunk,
                               pc.adaptive_rho, pc.sharpness_steps, probe_batch_);
    if (pc.test_size > 0)
        r.test = evaluate_dataset(*model_, data_.test, cfg_.run.eval_batch, pc.test_size);
    r.seconds = seconds_since(t0);
    std::string line = fmt::format("  probe at step {} (estimates):", step_);
    if (r.noise)
        line += fmt::format(" delta {:.4g} [{:.4g}, {:.4g}], C^2 {:.4g}", r.noise->delta.value,
                            r.noise->delta.lo, r.noise->delta.hi, r.noise->c2.value);
    if (r.hessian) line += fmt::format(", lambda_max {:.4g}", r.hessian->lambda_max);
    if (r.sharpness) line += fmt::format(", eps-sharpness {:.4g}", r.sharpness->keskar);
    if (r.adaptive_sharpness)
        line += fmt::format(", adaptive sharpness {:.4g}", r.adaptive_sharpness->increase);
    if (r.test) line += fmt::format(", test acc {:.4f}", r.test->accuracy);
    progress_.message(line);
    return r;
}

void TrainingRun::write_checkpoint_now(const LogOffsets& offsets) {
    if (!writes_files() || !cfg_.run.checkpoint) return;
    Checkpoint ck;
    ck.header["format"] = "gradcert-train-checkpoint";
    ck.header["version"] = 1;
    ck.header["config"] = config_to_json(cfg_);
    ck.header["epochs_done"] = next_epoch_;
    ck.header["step"] = step_;
    ck.header["wall_seconds"] = result_.epochs.empty() ? 0.0 : result_.epochs.back().wall_seconds;
    const SchedulePoint sp = schedule_->at_update(next_epoch_ - 1, step_ > 0 ? step_ - 1 : 0);
    ck.header["schedule"] = {
        {"epoch", sp.epoch}, {"stage", sp.stage}, {"lr", sp.lr}, {"batch", sp.batch}};
    ck.header["rng"] = {{"kind", "counter-based SplitMix64; no sequential state"},
                        {"seed", cfg_.run.seed},
                        {"next_shuffle_epoch", next_epoch_},
                        {"next_step", step_}};
    ck.header["logs"] = {{"steps_bytes", offsets.steps_bytes},
                         {"epochs_bytes", offsets.epochs_bytes}};
    ck.header["records"] = nlohmann::json::array();
    for (const EpochRecord& e : result_.epochs) ck.header["records"].push_back(to_json(e));
    ck.header["probes"] = nlohmann::json::array();
    for (const ProbeRecord& p : result_.probes) ck.header["probes"].push_back(to_json(p));
    const std::span<float> params = model_->params(), buffers = model_->buffers(),
                           state = optimizer_->state();
    ck.blobs.emplace_back("params", std::vector<float>(params.begin(), params.end()));
    ck.blobs.emplace_back("buffers", std::vector<float>(buffers.begin(), buffers.end()));
    ck.blobs.emplace_back("optimizer_state", std::vector<float>(state.begin(), state.end()));
    write_checkpoint(out_ / kCheckpointName, ck);
}

bool TrainingRun::run_epoch(int epoch) {
    // With stages counted in updates (schedule.hpp) η and b are re-evaluated before every update
    // and the permutation is consumed where the previous step stopped; otherwise they are the
    // epoch's and step s takes the examples [s·b, (s+1)·b) of the permutation (the same thing).
    SchedulePoint sp = schedule_->at_update(epoch, step_);
    const int n = data_.train.size();
    const int steps = updates_in_epoch(*schedule_, epoch, step_, n);
    const std::vector<int> order = shuffled_indices(
        n, stream_key(cfg_.run.seed, Stream::shuffle, static_cast<std::uint64_t>(epoch)));
    progress_.begin_epoch(epoch + 1, cfg_.run.epochs, steps, sp.lr, sp.batch);
    EpochRecord rec;
    rec.epoch = epoch + 1;
    double loss_sum = 0.0, acc_sum = 0.0;
    double train_seconds = 0.0, probe_seconds = 0.0;
    std::optional<ProbeRecord> epoch_probe;
    bool diverged = false;
    int done = 0;
    std::size_t pos = 0;
    for (int s = 0; s < steps; ++s) {
        sp = schedule_->at_update(epoch, step_);
        const int b = sp.batch;
        const auto t0 = Clock::now();
        int correct = 0;
        const double loss = train_step(
            std::span<const int>(order.data() + pos, static_cast<std::size_t>(b)), sp.lr, &correct);
        pos += static_cast<std::size_t>(b);
        ++step_;
        ++done;
        train_seconds += seconds_since(t0);
        loss_sum += loss;
        acc_sum += static_cast<double>(correct) / b;
        nlohmann::json line = {
            {"step", step_},
            {"epoch", epoch + 1},
            {"lr", sp.lr},
            {"batch", b},
            {"loss", std::isfinite(loss) ? nlohmann::json(loss) : nlohmann::json()},
            {"acc", static_cast<double>(correct) / b}};
        if (!std::isfinite(loss) && cfg_.run.stop_on_nan) {
            diverged = true;
            log_.step(line);
            progress_.message(
                fmt::format("  loss is {} at step {}: stopping (diverged)", loss, step_));
            break;
        }
        const bool periodic = cfg_.probe.every_steps > 0 &&
                              step_ % static_cast<std::uint64_t>(cfg_.probe.every_steps) == 0;
        const bool at_end = cfg_.probe.at_epoch_end && s == steps - 1;
        if (periodic || at_end) {
            ProbeRecord p = probe(epoch, sp);
            probe_seconds += p.seconds;
            line["probe"] = to_json(p);
            result_.probes.push_back(p);
            if (at_end) epoch_probe = p;
        }
        log_.step(line);
        progress_.step(s + 1, loss, static_cast<double>(pos) / std::max(train_seconds, 1e-9));
    }
    rec.lr = sp.lr;  // the last update's (the epoch's unless stages are counted in updates)
    rec.batch = sp.batch;
    rec.delta_rel = sp.delta_rel;
    rec.delta_rel_target = sp.delta_rel_target;
    const auto t_eval = Clock::now();
    const Evaluation test = evaluate_dataset(*model_, data_.test, cfg_.run.eval_batch);
    probe_seconds += seconds_since(t_eval);
    rec.updates = step_;
    rec.train_loss = loss_sum / std::max(done, 1);
    rec.train_acc = acc_sum / std::max(done, 1);
    rec.test_loss = test.loss;
    rec.test_acc = test.accuracy;
    rec.delta = rec.delta_lo = rec.delta_hi = rec.c2 = rec.c2_lo = rec.c2_hi = kNaN;
    rec.grad_norm = rec.lambda_max = rec.sharpness = rec.adaptive_sharpness = kNaN;
    if (epoch_probe && epoch_probe->noise) {
        const NoiseEstimate& ne = *epoch_probe->noise;
        rec.delta = ne.delta.value;
        rec.delta_lo = ne.delta.lo;
        rec.delta_hi = ne.delta.hi;
        rec.c2 = ne.c2.value;
        rec.c2_lo = ne.c2.lo;
        rec.c2_hi = ne.c2.hi;
        rec.grad_norm = ne.grad_norm;
    }
    if (epoch_probe && epoch_probe->hessian) rec.lambda_max = epoch_probe->hessian->lambda_max;
    if (epoch_probe && epoch_probe->sharpness) rec.sharpness = epoch_probe->sharpness->keskar;
    if (epoch_probe && epoch_probe->adaptive_sharpness)
        rec.adaptive_sharpness = epoch_probe->adaptive_sharpness->increase;
    rec.train_seconds = train_seconds;
    rec.probe_seconds = probe_seconds;
    rec.wall_seconds = wall_base_ + seconds_since(started_);
    result_.epochs.push_back(rec);
    log_.epoch(epoch_csv_row(rec));
    const LogOffsets offsets = log_.sync();
    progress_.end_epoch(fmt::format(
        "epoch {}/{}: lr {:.5g} batch {} train loss {:.4f} acc {:.4f} | test loss {:.4f} acc "
        "{:.4f} | {:.1f} s ({:.0f} img/s)",
        rec.epoch, cfg_.run.epochs, rec.lr, rec.batch, rec.train_loss, rec.train_acc, rec.test_loss,
        rec.test_acc, train_seconds + probe_seconds,
        static_cast<double>(pos) / std::max(train_seconds, 1e-9)));
    if (diverged) {
        result_.status = RunStatus::diverged;
        return false;
    }
    next_epoch_ = epoch + 1;
    write_checkpoint_now(offsets);
    if (options_.on_epoch && !options_.on_epoch(rec)) {
        result_.status = RunStatus::stopped;
        return false;
    }
    if (options_.stop_after_epoch > 0 && rec.epoch >= options_.stop_after_epoch &&
        rec.epoch < cfg_.run.epochs) {
        result_.status = RunStatus::stopped;
        return false;
    }
    return true;
}

TrainResult TrainingRun::run() {
    ThreadScope threads_scope(cfg_.run.threads);
    build();
    if (!restore()) start_fresh();
    result_.status = RunStatus::finished;
    try {
        for (int e = next_epoch_; e < cfg_.run.epochs && step_ < schedule_->last_update(); ++e)
            if (!run_epoch(e)) break;
    } catch (const std::exception& e) {
        // The run directory must not claim a run is still going once this process gave up.
        manifest_["status"] = "failed";
        manifest_["error"] = e.what();
        manifest_["finished"] = utc_now();
        write_manifest();
        throw;
    }
    result_.steps = step_;
    result_.wall_seconds = wall_base_ + seconds_since(started_);
    if (writes_files()) {
        manifest_["status"] = run_status_name(result_.status);
        manifest_["finished"] = utc_now();
        manifest_["steps"] = step_;
        manifest_["epochs_done"] = result_.epochs.size();
        if (!result_.epochs.empty())
            manifest_["final"] = {{"test_acc", result_.epochs.back().test_acc},
                                  {"test_loss", result_.epochs.back().test_loss},
                                  {"train_loss", result_.epochs.back().train_loss}};
        manifest_["wall_seconds"] = result_.wall_seconds;
        if (cfg_.run.shard > 0 && options_.communicator)
            manifest_["data_parallel"]["rank0_communication_seconds"] =
                options_.communicator->seconds_communicating();
        write_manifest();
    }
    result_.model = std::move(model_);
    result_.manifest = manifest_;
    result_.out = out_;
    return std::move(result_);
}

}  // namespace

std::string_view run_status_name(RunStatus status) {
    switch (status) {
        case RunStatus::finished:
            return "finished";
        case RunStatus::diverged:
            return "diverged";
        case RunStatus::stopped:
            return "stopped";
    }
    throw std::logic_error("run_status_name: invalid status");
}

ModelSpec model_spec_for(const TrainConfig& cfg, const Dataset& train) {
    ModelSpec spec;
    spec.name = cfg.model.name;
    spec.channels = train.channels;
    spec.height = train.height;
    spec.width = train.width;
    spec.classes = train.classes;
    spec.width_multiplier = cfg.model.width_multiplier;
    return spec;
}

namespace {

ModelNames accepted_names(const TrainOptions& options) {
    return options.model_factory ? ModelNames::any : ModelNames::zoo;
}

}  // namespace

TrainResult train(const ValidTrainConfig& cfg, const DataSplit& data, const fs::path& out,
                  const TrainOptions& options) {
    require_engine_isa();
    TrainingRun run(cfg, data, out, options);
    return run.run();
}

TrainResult train(const TrainConfig& cfg, const DataSplit& data, const fs::path& out,
                  const TrainOptions& options) {
    return train(validate_train_config(cfg, accepted_names(options)), data, out, options);
}

TrainResult train(const ValidTrainConfig& cfg, const fs::path& out, const TrainOptions& options) {
    const DataSplit data = load_training_data(cfg);
    return train(cfg, data, out, options);
}

TrainResult train(const TrainConfig& cfg, const fs::path& out, const TrainOptions& options) {
    return train(validate_train_config(cfg, accepted_names(options)), out, options);
}

std::string git_revision() {
    std::FILE* p = ::popen("git rev-parse HEAD 2>/dev/null", "r");
    if (p == nullptr) return "unknown";
    char buf[128] = {0};
    const bool ok = std::fgets(buf, sizeof buf, p) != nullptr;
    const int status = ::pclose(p);
    std::string rev = ok ? std::string(buf) : std::string();
    while (!rev.empty() && (rev.back() == '\n' || rev.back() == '\r')) rev.pop_back();
    return status == 0 && rev.size() == 40 ? rev : "unknown";
}

nlohmann::json build_info() {
    nlohmann::json j;
    j["compiler"] = std::string("GCC ") + __VERSION__;
#ifdef __OPTIMIZE__
    j["optimize"] = true;
#else
    j["optimize"] = false;
#endif
#ifdef NDEBUG
    j["ndebug"] = true;
#else
    j["ndebug"] = false;
#endif
#ifdef __FAST_MATH__
    j["fast_math"] = true;
#else
    j["fast_math"] = false;
#endif
    nlohmann::json isa = nlohmann::json::array();
#ifdef __AVX2__
    isa.push_back("avx2");
#endif
#ifdef __FMA__
    isa.push_back("fma");
#endif
#ifdef __AVX512F__
    isa.push_back("avx512f");
#endif
    j["isa"] = isa;
    j["isa_level"] = kEngineIsaLevel;
#ifdef __FP_FAST_FMAF
    j["fma_contraction"] = true;
#endif
#ifdef _OPENMP
    j["openmp"] = _OPENMP;
#endif
    j["note"] = "derived from the predefined macros seen when compiling gradcert_engine";
    return j;
}

}  // namespace gradcert::engine
