// The trainer: outputs well formed, probes do not change the run, resume is bit-identical,
// divergence and misuse are reported.
#include "numerics/engine/trainer.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "numerics/engine/checkpoint.hpp"
#include "numerics/engine/data_load.hpp"
#include "numerics/util/error.hpp"
#include "run_helpers.hpp"
#include "run_test_models.hpp"

using namespace gradcert::engine;
using namespace gradcert::engine::testing;
using gradcert::InputError;
namespace fs = std::filesystem;

namespace {

// A small synthetic run of the softmax test model exercising momentum, weight decay, a batch
// schedule with rounding, augmentation and every probe.
TrainConfig softmax_config() {
    TrainConfig c;
    c.source = "softmax-test";
    c.data.dataset = "synthetic";
    c.data.synthetic = {1, 8, 8, 4, 600, 100, 0.6, 3};
    c.data.augment.crop = c.data.augment.flip = c.data.augment.rotate = true;
    c.data.augment.crop_padding = 1;
    c.model.name = "softmax-test";
    c.optim.name = "shb";
    c.optim.lr = 0.05;
    c.optim.batch = 32;
    c.optim.momentum = 0.9;
    c.optim.weight_decay = 1e-4;
    c.schedule.kind = ScheduleKind::batch_step;
    c.schedule.batch_factor = 1.5;
    c.run.epochs = 4;
    c.run.seed = 11;
    c.probe.every_steps = 7;
    c.probe.probe_size = 128;
    c.probe.batches = 4;
    c.probe.hessian_size = 64;
    c.probe.power_iterations = 3;
    c.probe.sharpness_size = 64;
    c.probe.sharpness_steps = 2;
    c.probe.test_size = 50;
    return c;
}

TrainOptions softmax_options() {
    TrainOptions o;
    o.model_factory = make_softmax;
    return o;
}

std::vector<float> params_of(const TrainResult& r) {
    return {r.model->params().begin(), r.model->params().end()};
}

}  // namespace

TEST_CASE("Trainer writes well-formed epochs.csv, steps.jsonl, manifest and checkpoint",
          "[sgd][run][trainer]") {
    const fs::path dir = fresh_dir("trainer_outputs");
    TrainConfig cfg = softmax_config();
    cfg.probe.adaptive_sharpness = true;
    const TrainResult r = train(cfg, dir, softmax_options());
    CHECK(r.status == RunStatus::finished);
    REQUIRE(r.epochs.size() == 4);
    // Batches 32, 48, 72, 108 over 600 examples: 18 + 12 + 8 + 5 steps.
    CHECK(r.epochs[0].batch == 32);
    CHECK(r.epochs[3].batch == 108);
    CHECK(r.steps == 43u);
    CHECK(r.epochs[3].updates == 43u);
    CHECK(r.epochs[2].delta_rel == Approx(2.0 / 3.0));
    CHECK(r.epochs[3].delta_rel == Approx(std::sqrt(32.0 / 108.0)));
    CHECK(r.epochs[3].delta_rel_target == Approx(std::pow(1.5, -1.5)));

    const std::vector<std::string> csv = read_lines(dir / "epochs.csv");
    REQUIRE(csv.size() == 5);
    const std::vector<std::string> header = split_csv(csv[0]);
    for (const char* col :
         {"epoch", "lr", "batch", "train_loss", "train_acc", "test_loss", "test_acc", "delta", "c2",
          "lambda_max", "sharpness", "adaptive_sharpness", "wall_s", "updates"})
        CHECK(std::find(header.begin(), header.end(), col) != header.end());
    for (std::size_t i = 1; i < csv.size(); ++i) CHECK(split_csv(csv[i]).size() == header.size());

    const std::vector<nlohmann::json> steps = steps_without_timing(dir / "steps.jsonl");
    REQUIRE(steps.size() == 43);
    int probes = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const nlohmann::json& s = steps[i];
        CHECK(s.at("step") == i + 1);
        CHECK(s.contains("epoch"));
        CHECK(s.contains("lr"));
        CHECK(s.contains("batch"));
        CHECK(s.at("loss").is_number());
        if (s.contains("probe")) {
            ++probes;
            const nlohmann::json& p = s["probe"];
            CHECK(p.at("estimate") == true);
            CHECK(p.at("noise").at("delta").size() == 3);
            CHECK(p.at("noise").at("c2").at(0).get<double>() > 0.0);
            CHECK(p.at("hessian").contains("lambda_max"));
            CHECK(p.at("sharpness").at("keskar").get<double>() >= 0.0);
            CHECK(p.at("adaptive_sharpness").at("increase").get<double>() >= 0.0);
            CHECK(p.at("adaptive_sharpness").at("rho") == 2e-4);
            CHECK(p.at("test").at("n") == 50);
        }
    }
    // Steps 7, 14, …, 42 and the ends of epochs (steps 18, 30, 38, 43).
    CHECK(probes == 6 + 4);
    CHECK(r.probes.size() == 10u);
    for (const EpochRecord& e : r.epochs) {
        CHECK(std::isfinite(e.delta));
        CHECK(e.delta_lo <= e.delta);
        CHECK(e.delta <= e.delta_hi);
        CHECK(e.c2 > 0.0);
        CHECK(std::isfinite(e.lambda_max));
        CHECK(e.adaptive_sharpness >= 0.0);
        CHECK(e.delta == Approx(e.lr * std::sqrt(e.c2 / e.batch)));
    }
    // Learning happened: last epoch better than the first.
    CHECK(r.epochs.back().train_loss < r.epochs.front().train_loss);

    std::ifstream in(dir / "manifest.json");
    const nlohmann::json m = nlohmann::json::parse(in);
    CHECK(m.at("status") == "finished");
    CHECK(m.at("config").at("optim").at("name") == "shb");
    CHECK(m.at("seeds").at("run") == 11);
    CHECK(m.at("datasets").at("train").at("fnv1a64").get<std::string>().size() == 16);
    CHECK(m.at("threads") == 2);
    CHECK(m.contains("git_revision"));
    CHECK(m.at("build").contains("compiler"));
    const Checkpoint ck = read_checkpoint(dir / "checkpoint.bin");
    CHECK(ck.header.at("epochs_done") == 4);
    CHECK(ck.blob("params") == params_of(r));

    // The directory now holds a run: starting again without resume is refused.
    CHECK_THROWS_WITH(train(cfg, dir, softmax_options()), Catch::Contains("already holds a run"));
    fs::remove_all(dir);
}

TEST_CASE("A run killed after epoch 2 and resumed is bit-identical to an uninterrupted one",
          "[sgd][run][trainer][resume]") {
    const fs::path a = fresh_dir("resume_a"), b = fresh_dir("resume_b");
    const TrainConfig cfg = softmax_config();
    const TrainResult full = train(cfg, a, softmax_options());
    TrainOptions stop = softmax_options();
    stop.stop_after_epoch = 2;
    const TrainResult part = train(cfg, b, stop);
    CHECK(part.status == RunStatus::stopped);
    CHECK(part.epochs.size() == 2);
    // Simulate the kill landing mid-epoch 3: log lines past the checkpoint, one cut in half.
    {
        std::ofstream steps(b / "steps.jsonl", std::ios::app);
        steps << "{\"step\": 31, \"epoch\": 3, \"loss\": 1.0}\n{\"step\": 32, \"ep";
        std::ofstream epochs(b / "epochs.csv", std::ios::app);
        epochs << "3,99,0.1";
    }
    TrainOptions resume = softmax_options();
    resume.resume = true;
    const TrainResult rest = train(cfg, b, resume);
    CHECK(rest.status == RunStatus::finished);
    CHECK(params_of(rest) == params_of(full));
    CHECK(csv_without_timing(b / "epochs.csv") == csv_without_timing(a / "epochs.csv"));
    CHECK(steps_without_timing(b / "steps.jsonl") == steps_without_timing(a / "steps.jsonl"));
    REQUIRE(rest.epochs.size() == 4);
    CHECK(rest.probes.size() == full.probes.size());
    for (std::size_t i = 0; i < 4; ++i) CHECK(rest.epochs[i].test_acc == full.epochs[i].test_acc);
    std::ifstream in(b / "manifest.json");
    const nlohmann::json m = nlohmann::json::parse(in);
    CHECK(m.at("resumes").size() == 1);
    CHECK(m.at("resumes")[0].at("at_epoch") == 2);

    // Resuming with a different configuration is refused, naming the differing key.
    TrainConfig other = cfg;
    other.optim.lr = 0.06;
    CHECK_THROWS_WITH(train(other, b, resume), Catch::Contains("optim.lr"));
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("Probes do not change the run; resume is bit-identical with batch norm (resnet8)",
          "[sgd][run][trainer][resume]") {
    TrainConfig cfg;
    cfg.source = "resnet8-test";
    cfg.data.dataset = "synthetic";
    cfg.data.synthetic = {3, 8, 8, 4, 128, 32, 0.5, 5};
    cfg.data.augment.flip = true;
    cfg.model.name = "resnet8";
    cfg.optim.lr = 0.05;
    cfg.optim.batch = 32;
    cfg.run.epochs = 2;
    cfg.probe.every_steps = 0;
    cfg.probe.at_epoch_end = false;
    const TrainResult plain = train(cfg, "");
    REQUIRE(plain.model->buffers().size() > 0);

    TrainConfig probed = cfg;
    probed.probe.every_steps = 3;
    probed.probe.at_epoch_end = true;
    probed.probe.probe_size = 64;
    probed.probe.batches = 2;
    probed.probe.hessian_size = 32;
    probed.probe.power_iterations = 1;
    probed.probe.sharpness_size = 32;
    probed.probe.sharpness_steps = 1;
    probed.probe.test_size = 16;
    const fs::path a = fresh_dir("resume_bn_a"), b = fresh_dir("resume_bn_b");
    const TrainResult with_probes = train(probed, a);
    CHECK(with_probes.probes.size() == 4u);  // steps 3, 4 (end of epoch 1), 6, 8
    const std::vector<float> p0(plain.model->params().begin(), plain.model->params().end());
    const std::vector<float> p1(with_probes.model->params().begin(),
                                with_probes.model->params().end());
    CHECK(p0 == p1);
    const std::vector<float> b0(plain.model->buffers().begin(), plain.model->buffers().end());
    const std::vector<float> b1(with_probes.model->buffers().begin(),
                                with_probes.model->buffers().end());
    CHECK(b0 == b1);

    TrainOptions stop;
    stop.stop_after_epoch = 1;
    train(probed, b, stop);
    TrainOptions resume;
    resume.resume = true;
    const TrainResult resumed = train(probed, b, resume);
    CHECK(std::vector<float>(resumed.model->params().begin(), resumed.model->params().end()) == p1);
    CHECK(std::vector<float>(resumed.model->buffers().begin(), resumed.model->buffers().end()) ==
          b1);
    CHECK(csv_without_timing(b / "epochs.csv") == csv_without_timing(a / "epochs.csv"));
    fs::remove_all(a);
    fs::remove_all(b);
}

TEST_CASE("Micro-batches give the same batch (augmentation keyed by batch position)",
          "[sgd][run][trainer]") {
    TrainConfig cfg = softmax_config();
    cfg.optim.name = "sgd";
    cfg.optim.momentum = 0.0;
    cfg.run.epochs = 1;
    cfg.probe.every_steps = 0;
    cfg.probe.at_epoch_end = false;
    const TrainResult whole = train(cfg, "", softmax_options());
    cfg.optim.micro_batch = 10;
    const TrainResult micro = train(cfg, "", softmax_options());
    const std::vector<float> a = params_of(whole), b = params_of(micro);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) CHECK(a[i] == Approx(b[i]).margin(1e-5));
}

TEST_CASE("Divergence stops the run with status diverged; misuse is refused",
          "[sgd][run][trainer]") {
    TrainConfig cfg = softmax_config();
    cfg.optim.name = "sgd";
    cfg.optim.momentum = 0.0;
    cfg.optim.lr = 1e38;
    cfg.probe.every_steps = 0;
    cfg.probe.at_epoch_end = false;
    const fs::path dir = fresh_dir("diverge");
    const TrainResult r = train(cfg, dir, softmax_options());
    CHECK(r.status == RunStatus::diverged);
    CHECK(r.epochs.size() == 1);
    CHECK(r.steps < 18u);
    CHECK_FALSE(fs::exists(dir / "checkpoint.bin"));

    TrainConfig big = softmax_config();
    big.optim.batch = 601;
    CHECK_THROWS_WITH(train(big, "", softmax_options()),
                      Catch::Contains("softmax-test") && Catch::Contains("601"));
    TrainConfig unknown = softmax_config();
    CHECK_THROWS_WITH(train(unknown, "", TrainOptions{}), Catch::Contains("unknown model"));
    fs::remove_all(dir);
}

TEST_CASE("Checkpoint files round-trip and corrupt or foreign files are refused",
          "[sgd][run][trainer]") {
    const fs::path dir = fresh_dir("checkpoint_file");
    Checkpoint c;
    c.header["step"] = 42;
    c.blobs.emplace_back("params", std::vector<float>{1.0f, -2.5f, 3.25f});
    c.blobs.emplace_back("empty", std::vector<float>{});
    write_checkpoint(dir / "c.bin", c);
    const Checkpoint back = read_checkpoint(dir / "c.bin");
    CHECK(back.header.at("step") == 42);
    CHECK(back.blob("params") == c.blob("params"));
    CHECK(back.blob("empty").empty());
    CHECK_THROWS_AS(back.blob("missing"), std::out_of_range);
    // Flip one byte of the data: the hash catches it.
    std::string bytes;
    {
        std::ifstream in(dir / "c.bin", std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bytes[bytes.size() - 12] ^= 1;
    std::ofstream(dir / "bad.bin", std::ios::binary) << bytes;
    CHECK_THROWS_WITH(read_checkpoint(dir / "bad.bin"),
                      Catch::Contains("bad.bin") && Catch::Contains("corrupt"));
    std::ofstream(dir / "foreign.bin") << "GCCKPT0\nsomething else entirely";
    CHECK_THROWS_WITH(read_checkpoint(dir / "foreign.bin"), Catch::Contains("not a gradcert"));
    std::ofstream(dir / "short.bin", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
    CHECK_THROWS_AS(read_checkpoint(dir / "short.bin"), InputError);
    fs::remove_all(dir);
}

namespace {

std::uint64_t fnv1a_of(const std::string& s) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

std::string u64_bytes(std::uint64_t v) {
    std::string b(8, '\0');
    for (int i = 0; i < 8; ++i) b[static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
    return b;
}

// A checkpoint file as a hand editor makes it: `header` with the blob data and a recomputed
// hash, so that only the validation of its fields can refuse it.
void write_forged_checkpoint(const fs::path& file, const nlohmann::json& header,
                             const std::string& blob_bytes) {
    const std::string text = header.dump();
    std::string out = std::string("GCCKPT1\n") + u64_bytes(text.size()) + text + blob_bytes;
    out += u64_bytes(fnv1a_of(out));
    std::ofstream(file, std::ios::binary) << out;
}

nlohmann::json read_checkpoint_header(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::uint64_t n = 0;
    for (int i = 0; i < 8; ++i)
        n |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    return nlohmann::json::parse(bytes.substr(16, n));
}

std::string checkpoint_blob_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), {});
    std::uint64_t n = 0;
    for (int i = 0; i < 8; ++i)
        n |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[8 + i])) << (8 * i);
    return bytes.substr(16 + n, bytes.size() - 16 - n - 8);
}

}  // namespace

TEST_CASE("Forged checkpoints with a recomputed hash are refused as input errors",
          "[sgd][run][trainer][resume]") {
    const fs::path dir = fresh_dir("forged");
    // A blob count beyond the file (once "vector larger than max_size", exit 4).
    write_forged_checkpoint(dir / "huge.bin",
                            {{"blobs", {{{"name", "params"}, {"count", 1ULL << 62}}}}}, "");
    CHECK_THROWS_WITH(read_checkpoint(dir / "huge.bin"),
                      Catch::Contains("huge.bin") && Catch::Contains("more than the file holds"));
    // count * sizeof(float) wrapping around to a small number.
    write_forged_checkpoint(dir / "wrap.bin",
                            {{"blobs", {{{"name", "params"}, {"count", 1ULL << 62}}}}},
                            std::string(16, '\0'));
    CHECK_THROWS_AS(read_checkpoint(dir / "wrap.bin"), InputError);
    write_forged_checkpoint(dir / "noblobs.bin", {{"step", 1}}, "");
    CHECK_THROWS_WITH(read_checkpoint(dir / "noblobs.bin"),
                      Catch::Contains("noblobs.bin") && Catch::Contains("blob table"));
    write_forged_checkpoint(dir / "array.bin", nlohmann::json::array(), "");
    CHECK_THROWS_WITH(read_checkpoint(dir / "array.bin"), Catch::Contains("not a JSON object"));
    fs::remove_all(dir);
}

TEST_CASE("Resuming from a forged checkpoint header names the file and the field",
          "[sgd][run][trainer][resume]") {
    const fs::path dir = fresh_dir("forged_resume");
    const TrainConfig cfg = softmax_config();
    TrainOptions stop = softmax_options();
    stop.stop_after_epoch = 2;
    train(cfg, dir, stop);
    const fs::path ck = dir / "checkpoint.bin";
    const nlohmann::json good = read_checkpoint_header(ck);
    const std::string blobs = checkpoint_blob_bytes(ck);
    TrainOptions resume = softmax_options();
    resume.resume = true;
    auto refused_with = [&](nlohmann::json header, const std::string& what) {
        write_forged_checkpoint(ck, header, blobs);
        CHECK_THROWS_WITH(train(cfg, dir, resume),
                          Catch::Contains("checkpoint.bin") && Catch::Contains(what));
        std::ifstream in(dir / "manifest.json");
        CHECK(nlohmann::json::parse(in).at("status") == "stopped");  // not left "running"
    };
    nlohmann::json h = good;
    h.erase("epochs_done");
    refused_with(h, "epochs_done");
    h = good;
    h["step"] = "many";
    refused_with(h, "checkpoint header field");
    h = good;
    h["epochs_done"] = 1000;
    refused_with(h, "epochs_done = 1000");
    h = good;
    h["records"] = {{{"epoch", "x"}}};
    refused_with(h, "checkpoint");
    h = good;
    h["blobs"][0]["name"] = "renamed";
    refused_with(h, "params");
    // The genuine header still resumes.
    write_forged_checkpoint(ck, good, blobs);
    CHECK(train(cfg, dir, resume).status == RunStatus::finished);
    fs::remove_all(dir);
}

TEST_CASE("A model too large for the engine is refused before any allocation",
          "[sgd][run][trainer]") {
    TrainConfig cfg;
    cfg.source = "wide.toml";
    cfg.data.dataset = "synthetic";
    cfg.data.synthetic = {1, 28, 28, 10, 64, 16, 0.5, 0};
    cfg.model.name = "mlp";
    cfg.model.width_multiplier = 64;  // 784·32768 + 32768² weights: past 2^30
    cfg.optim.batch = 16;
    cfg.run.epochs = 1;
    const fs::path dir = fresh_dir("wide");
    CHECK_THROWS_WITH(train(cfg, dir / "run"),
                      Catch::Contains("wide.toml") && Catch::Contains("2^30"));
    CHECK_FALSE(fs::exists(dir / "run"));
    fs::remove_all(dir);
}
