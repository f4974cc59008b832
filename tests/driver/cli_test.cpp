// The `gradcert` binary as a user meets it: one-line errors with the `gradcert:` prefix, exit 2
// for bad input before any work or output, suggestions for unknown subcommands, --version.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

const fs::path kBinary = fs::path(GRADCERT_BINARY_DIR) / "gradcert";
const fs::path kSource = GRADCERT_SOURCE_DIR;

struct Run {
    int status = -1;
    std::string out, err;
};

fs::path scratch() {
    static const fs::path dir = [] {
        const fs::path d =
            fs::temp_directory_path() / ("gradcert-cli-" + std::to_string(std::random_device{}()));
        fs::create_directories(d);
        return d;
    }();
    return dir;
}

std::string slurp(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string quoted(const std::string& arg) {
    std::string q = "'";
    for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

Run gradcert(const std::vector<std::string>& args) {
    std::string command = quoted(kBinary.string());
    for (const auto& a : args) command += " " + quoted(a);
    const fs::path out = scratch() / "stdout", err = scratch() / "stderr";
    command += " >" + quoted(out.string()) + " 2>" + quoted(err.string()) + " </dev/null";
    const int raw = std::system(command.c_str());
    Run r;
    r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

std::size_t lines_in(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

fs::path write_file(const std::string& name, const std::string& text) {
    const fs::path file = scratch() / name;
    std::ofstream(file) << text;
    return file;
}

std::string train_config(const std::string& extra_model, const std::string& extra_run) {
    return "[data]\ndataset = \"synthetic\"\nsynthetic_train = 64\nsynthetic_test = 16\n"
           "[model]\nname = \"mlp\"\n" +
           extra_model + "[optim]\nbatch = 16\n[run]\nepochs = 1\n" + extra_run;
}

const std::string kFamily = (kSource / "verify" / "families" / "quadratic-2d.toml").string();

}  // namespace

TEST_CASE("an unknown subcommand or top-level option is named with the nearest subcommand",
          "[driver][cli]") {
    Run r = gradcert({"chek"});
    CHECK(r.status == 2);
    CHECK(r.err.rfind("gradcert: unknown subcommand 'chek' (did you mean 'check'?", 0) == 0);
    CHECK(lines_in(r.err) == 1);
    r = gradcert({"--compare-report", "a", "b"});
    CHECK(r.status == 2);
    CHECK(r.err.find("unknown option '--compare-report'") != std::string::npos);
    CHECK(r.err.find("did you mean 'compare-reports'") != std::string::npos);
}

TEST_CASE("gradcert --version prints the version", "[driver][cli]") {
    const Run r = gradcert({"--version"});
    CHECK(r.status == 0);
    CHECK(r.out.rfind("gradcert 0.", 0) == 0);
}

TEST_CASE("subcommand option errors carry the gradcert: prefix on one line", "[driver][cli]") {
    const Run r = gradcert({"check", "--precison", "100", kFamily});
    CHECK(r.status == 2);
    CHECK(r.err.rfind("gradcert: check: ", 0) == 0);
    CHECK(r.err.find("--precison") != std::string::npos);
    CHECK(lines_in(r.err) == 1);
}

TEST_CASE("an error whose value holds a newline prints on one line", "[driver][cli]") {
    const Run r = gradcert({"check", "no\nsuch.toml"});
    CHECK(r.status == 2);
    CHECK(lines_in(r.err) == 1);
    CHECK(r.err.find("no\\nsuch.toml") != std::string::npos);
}

TEST_CASE("usage lines name gradcert, not the binary's path", "[driver][cli]") {
    const Run r = gradcert({"check", "--help"});
    CHECK(r.status == 0);
    CHECK(r.out.find("gradcert check") != std::string::npos);
    CHECK(r.out.find(kBinary.string()) == std::string::npos);
}

TEST_CASE("unwritable output paths are refused before any work or output", "[driver][cli]") {
    const fs::path out = scratch() / "never-written";
    // A directory as --json: no verdicts printed, --out not created.
    Run r = gradcert({"check", kFamily, "--out", out.string(), "--json", scratch().string()});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("--json") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    r = gradcert({"check", kFamily, "--out", out.string(), "--json", "/proc/version"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("/proc/version") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    const fs::path file = write_file("a-file", "x");
    r = gradcert({"check", kFamily, "--out", file.string()});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("not a directory") != std::string::npos);
    r = gradcert({"check", kFamily, "--json", (scratch() / "missing-dir" / "x.json").string()});
    CHECK(r.status == 2);
    CHECK(r.err.find("does not exist") != std::string::npos);
    r = gradcert({"constants", "--json", "/proc/version"});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    r = gradcert({"report", "--quick", "--out", (file / "sub").string()});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    const fs::path cfg = write_file("ok.toml", train_config("", "threads = 1\n"));
    r = gradcert({"train", cfg.string(), "--out", file.string(), "--quiet"});
    CHECK(r.status == 2);
    CHECK(r.err.find("--out") != std::string::npos);
}

TEST_CASE("train refuses out-of-range threads and width before creating the run directory",
          "[driver][cli]") {
    const fs::path out = scratch() / "run";
    Run r =
        gradcert({"train", write_file("t.toml", train_config("", "threads = 100000\n")).string(),
                  "--out", out.string(), "--quiet"});
    CHECK(r.status == 2);  // was a segfault with the manifest left "running"
    CHECK(r.err.find("t.toml: [run] threads = 100000 must lie in [1, 256]") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
    r = gradcert({"train",
                  write_file("w.toml", train_config("width_multiplier = 100000\n", "")).string(),
                  "--out", out.string(), "--quiet"});
    CHECK(r.status == 2);  // was std::bad_alloc, then exit 4 (internal error, now 5)
    CHECK(r.err.find("w.toml: [model] width_multiplier = 100000") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
}

TEST_CASE("compare-reports fails against an empty reference", "[driver][cli]") {
    const fs::path empty = scratch() / "empty-reference";
    fs::create_directories(empty);
    const std::string quick = (kSource / "reports" / "quick").string();
    for (const bool lenient : {false, true}) {
        std::vector<std::string> args{"compare-reports", quick, empty.string()};
        if (lenient) args.insert(args.end(), {"--allow-missing", "--certified-only"});
        const Run r = gradcert(args);
        CHECK(r.status == 1);
        CHECK(r.out.find("holds no report") != std::string::npos);
    }
    CHECK(gradcert({"compare-reports", quick, (scratch() / "nowhere").string()}).status == 2);
    // The committed quick report agrees with itself.
    CHECK(gradcert({"compare-reports", quick, quick}).status == 0);
}

TEST_CASE("one exit-status table: a diverged training run exits 4 (docs/cli.md)", "[driver][cli]") {
    const fs::path cfg = write_file(
        "diverge.toml",
        "[data]\ndataset = \"synthetic\"\nsynthetic_train = 64\nsynthetic_test = 16\n"
        "[model]\nname = \"mlp\"\n[optim]\nname = \"sgd\"\nlr = 1e38\nbatch = 16\n"
        "[run]\nepochs = 2\nthreads = 1\n[probe]\nevery_steps = 0\nat_epoch_end = false\n");
    const fs::path out = scratch() / "diverge-run";
    fs::remove_all(out);
    const Run r = gradcert({"train", cfg.string(), "--out", out.string(), "--quiet"});
    CHECK(r.status == 4);  // 3 is "undecided" (check inconclusive), never "diverged"
    CHECK(r.err.find("training diverged") != std::string::npos);
    CHECK(r.out.find(": diverged after 1 epochs") != std::string::npos);
}
