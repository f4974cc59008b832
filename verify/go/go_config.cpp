#include "verify/go/go_config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <set>

#include "numerics/util/error.hpp"

namespace gradcert::verify::go {

namespace {

struct Reader {
    std::string file;

    int line(const toml::node* n) const { return n ? static_cast<int>(n->source().begin.line) : 0; }
    [[noreturn]] void fail(const toml::node* n, const std::string& problem) const {
        throw_input_error(file, problem, line(n));
    }

    void only_keys(const toml::table& t, const std::set<std::string>& allowed,
                   const std::string& where) const {
        for (const auto& [k, v] : t)
            if (!allowed.count(std::string(k.str())))
                fail(&v, "unknown key '" + std::string(k.str()) + "' in " + where);
    }

    const toml::node* need(const toml::table& t, const std::string& key,
                           const std::string& where) const {
        const toml::node* n = t.get(key);
        if (!n) fail(&t, where + " has no '" + key + "'");
        return n;
    }

    double number(const toml::node* n, const std::string& key) const {
        std::optional<double> v;
        if (auto i = n->value_exact<int64_t>()) v = static_cast<double>(*i);
        if (auto d = n->value_exact<double>()) v = *d;
        if (!v) fail(n, "'" + key + "' must be a number");
        if (!std::isfinite(*v)) fail(n, "'" + key + "' must be finite");
        return *v;
    }
    double positive(const toml::node* n, const std::string& key) const {
        const double v = number(n, key);
        if (!(v > 0)) fail(n, "'" + key + "' must be > 0");
        return v;
    }
    long integer(const toml::node* n, const std::string& key, long min) const {
        auto v = n->value_exact<int64_t>();
        if (!v) fail(n, "'" + key + "' must be an integer");
        if (*v < min) fail(n, "'" + key + "' must be >= " + std::to_string(min));
        return static_cast<long>(*v);
    }
    std::string text(const toml::node* n, const std::string& key) const {
        auto v = n->value_exact<std::string>();
        if (!v) fail(n, "'" + key + "' must be a string");
        return *v;
    }
    bool boolean(const toml::node* n, const std::string& key) const {
        auto v = n->value_exact<bool>();
        if (!v) fail(n, "'" + key + "' must be true or false");
        return *v;
    }
    const toml::array& array(const toml::node* n, const std::string& key) const {
        if (!n->is_array() || n->as_array()->empty())
            fail(n, "'" + key + "' must be a non-empty list");
        return *n->as_array();
    }
};

FamilySpec load_family_at(const Reader& r, const toml::node* n, const std::filesystem::path& root,
                          std::string& path_text) {
    path_text = r.text(n, "family");
    const auto path = root / path_text;
    if (!std::filesystem::exists(path)) r.fail(n, "family file " + path.string() + " not found");
    return load_family(path, {});
}

// The inner-solver keys shared by runs and sweeps.
void read_solver(const Reader& r, const toml::table& t, const std::string& where, GoSettings& s) {
    s.steps_per_stage = static_cast<int>(r.integer(r.need(t, "steps", where), "steps", 1));
    const toml::node* l0 = t.get("l0");
    const toml::node* step = t.get("step");
    if ((l0 != nullptr) == (step != nullptr))
        r.fail(&t, where + " needs exactly one of 'l0' (step l0*delta) and 'step' (fixed)");
    if (l0) {
        s.step_rule = StepRule::proportional;
        s.l0 = r.positive(l0, "l0");
    } else {
        s.step_rule = StepRule::fixed;
        s.fixed_step = r.positive(step, "step");
    }
    const toml::node* g = r.need(t, "gradient", where);
    const std::string gradient = r.text(g, "gradient");
    if (gradient == "monte-carlo")
        s.gradient = GradientMode::monte_carlo;
    else if (gradient == "closed-form")
        s.gradient = GradientMode::closed_form;
    else
        r.fail(g, "gradient must be \"monte-carlo\" or \"closed-form\", not \"" + gradient + "\"");
    if (const toml::node* n = t.get("gd_step")) s.gd_step = r.positive(n, "gd_step");
    if (const toml::node* n = t.get("gd_schedule_baseline"))
        s.gd_schedule_baseline = r.boolean(n, "gd_schedule_baseline");
    s.success_radius = r.positive(r.need(t, "success_radius", where), "success_radius");
}

GoRunSpec read_run(const Reader& r, const toml::table& t, const std::string& name,
                   const std::filesystem::path& root) {
    const std::string where = "[run." + name + "]";
    r.only_keys(t,
                {"family", "schedule", "delta1", "stages", "power", "steps", "l0", "step",
                 "gradient", "gd_step", "gd_schedule_baseline", "success_radius", "stage_targets"},
                where);
    GoRunSpec run;
    run.name = name;
    run.family = load_family_at(r, r.need(t, "family", where), root, run.family_path);
    read_solver(r, t, where, run.settings);
    if (const toml::node* n = t.get("schedule")) {
        if (r.text(n, "schedule") != "family") r.fail(n, "schedule must be \"family\"");
        if (t.get("delta1") || t.get("stages") || t.get("power"))
            r.fail(n, where + ": give schedule = \"family\" or delta1/stages/power, not both");
        for (const IntervalM& d : run.family.deltas)
            run.settings.deltas.push_back(static_cast<double>(d.mid()));
        run.schedule_text = "the family's list (" + run.family_path + ")";
    } else {
        const double delta1 = r.positive(r.need(t, "delta1", where), "delta1");
        const int stages = static_cast<int>(r.integer(r.need(t, "stages", where), "stages", 1));
        const toml::node* pn = r.need(t, "power", where);
        const double power = r.positive(pn, "power");
        if (power > 1) r.fail(pn, "power must lie in (0, 1]");
        run.settings.deltas = polynomial_deltas(delta1, stages, power);
        run.schedule_text =
            fmt::format("polynomial, δ_m = {}·((M − m + 1)/M)^{}, M = {}", delta1, power, stages);
    }
    if (const toml::node* n = t.get("stage_targets"))
        run.stage_targets = r.boolean(n, "stage_targets");
    return run;
}

GoSweepSpec read_sweep(const Reader& r, const toml::table& t, const std::string& name,
                       const std::filesystem::path& root) {
    const std::string where = "[sweep." + name + "]";
    r.only_keys(t,
                {"family", "delta1", "steps", "l0", "step", "gradient", "gd_step",
                 "gd_schedule_baseline", "success_radius"},
                where);
    GoSweepSpec sweep;
    sweep.name = name;
    sweep.family = load_family_at(r, r.need(t, "family", where), root, sweep.family_path);
    sweep.delta1 = r.positive(r.need(t, "delta1", where), "delta1");
    read_solver(r, t, where, sweep.base);
    return sweep;
}

const toml::table& named_table(const Reader& r, const toml::table& doc, const std::string& group,
                               const std::string& name, const toml::node* ref) {
    const toml::table* g = doc[group].as_table();
    const toml::table* t = g ? (*g)[name].as_table() : nullptr;
    if (!t) r.fail(ref, "no [" + group + "." + name + "] table");
    return *t;
}

}  // namespace

ExplicitGoConfig load_explicit_go_config(const std::filesystem::path& file, const std::string& mode,
                                         const std::filesystem::path& source_root) {
    Reader r{file.string()};
    toml::table doc;
    try {
        doc = toml::parse_file(r.file);
    } catch (const toml::parse_error& e) {
        throw_input_error(r.file, std::string(e.description()),
                          static_cast<int>(e.source().begin.line));
    }
    for (const auto& [k, v] : doc) {
        const std::string key(k.str());
        if (key != "quick" && key != "full" && key != "run" && key != "sweep")
            r.fail(&v, "unknown table '" + key + "'");
    }
    const toml::table* m = doc[mode].as_table();
    if (!m) r.fail(nullptr, "no [" + mode + "] table");
    const std::string where = "[" + mode + "]";
    r.only_keys(*m,
                {"seed", "starts", "samples", "runs", "sweep", "sweep_powers", "sweep_stages",
                 "sweep_starts"},
                where);
    ExplicitGoConfig cfg;
    cfg.file = r.file;
    cfg.mode = mode;
    cfg.seed = static_cast<std::uint64_t>(r.integer(r.need(*m, "seed", where), "seed", 0));
    cfg.starts = static_cast<int>(r.integer(r.need(*m, "starts", where), "starts", 1));
    cfg.samples = static_cast<int>(r.integer(r.need(*m, "samples", where), "samples", 1));
    const toml::node* runs = r.need(*m, "runs", where);
    for (const toml::node& n : r.array(runs, "runs")) {
        const std::string name = r.text(&n, "runs");
        GoRunSpec run = read_run(r, named_table(r, doc, "run", name, &n), name, source_root);
        run.settings.seed = cfg.seed;
        run.settings.starts = cfg.starts;
        run.settings.samples = cfg.samples;
        cfg.runs.push_back(std::move(run));
    }
    if (const toml::node* s = m->get("sweep")) {
        const std::string name = r.text(s, "sweep");
        GoSweepSpec sweep = read_sweep(r, named_table(r, doc, "sweep", name, s), name, source_root);
        for (const toml::node& n : r.array(r.need(*m, "sweep_powers", where), "sweep_powers")) {
            const double p = r.positive(&n, "sweep_powers");
            if (p > 1) r.fail(&n, "sweep_powers must lie in (0, 1]");
            sweep.powers.push_back(p);
        }
        for (const toml::node& n : r.array(r.need(*m, "sweep_stages", where), "sweep_stages"))
            sweep.stages.push_back(static_cast<int>(r.integer(&n, "sweep_stages", 1)));
        sweep.base.seed = cfg.seed;
        sweep.base.samples = cfg.samples;
        sweep.base.starts =
            static_cast<int>(r.integer(r.need(*m, "sweep_starts", where), "sweep_starts", 1));
        cfg.sweep = std::move(sweep);
    }
    return cfg;
}

}  // namespace gradcert::verify::go
