// The engine's kernels against maintained libraries on the zoo's own shapes (issue 15: "use a
// maintained library where it wins"), side by side in one process, interleaved.
//
//   bench_kernel_libs [--models mlp,cnn-small,resnet8,resnet20,resnet18] [--batches 32,128]
//                     [--repeats 7] [--min-ms 40] [--threads 1] [--bits]
//
// Shapes are read from the zoo (model_zoo.hpp) on 3×32×32 inputs (100 classes for resnet18, 10
// otherwise): every convolution and linear layer, deduplicated across models (a shape lists the
// layers using it). Per shape and pass, the contenders run in alternation, repetition after
// repetition (engine, library, engine, library, …), so that the load of a shared machine falls on
// all of them alike; each repetition calls a contender as often as needed to take ≥ --min-ms,
// timed in process CPU time (all threads), and the median over repetitions is reported.
//
//   conv layers (whole layer, the engine's own choice of direct kernels or im2col + GEMM):
//     engine conv2d_forward / conv2d_backward (weights only) / conv2d_backward (weights + data)
//     against oneDNN convolution_direct forward_training / backward_weights / backward_weights +
//     backward_data, in the blocked layouts oneDNN chooses (format any), excluding the reorders
//     from and to the engine's [c, n, h, w] planes, which are timed separately (`reorders`):
//     the best case for oneDNN.
//   the im2col GEMMs of those layers (the products the engine's im2col path runs, chunk by chunk,
//     without the im2col copy): engine gemm<float> (Eigen, pinned blocking) against BLIS
//     bli_sgemm and oneDNN matmul on the same strided operands.
//   linear layers: engine gemm_parallel against BLIS and oneDNN matmul (forward y = x·Wᵀ, weight
//     gradient dyᵀ·x, data gradient dy·W).
//
// Output: one line per (shape, pass): median milliseconds per call of each contender, GFLOP/s,
// and the ratio engine ÷ library (> 1: the library is faster). With --bits it instead prints, per
// shape, pass and library, the FNV-1a hash of the result bits at 1 thread, at 2 threads and at 2
// threads again, so that thread-count (and run-to-run) dependence shows in one run, and ISA
// dependence by diffing runs under different ONEDNN_MAX_CPU_ISA / BLIS_ARCH_TYPE settings
// (docs/engine.md, "Libraries measured against the engine's kernels").
//
// Built only with GRADCERT_BENCHMARKS=ON when BLIS (libblis-dev) and oneDNN (libdnnl-dev) are
// installed; neither is linked into gradcert. The engine side is the engine library itself, at
// its fixed ISA level x86-64-v3 (convolutions on im2col + Eigen, as layer_conv.cpp chooses).
#include <blis.h>
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <oneapi/dnnl/dnnl.hpp>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "numerics/engine/isa.hpp"
#include "numerics/engine/kernels/conv_direct.hpp"
#include "numerics/engine/kernels/gemm.hpp"
#include "numerics/engine/layer_conv.hpp"
#include "numerics/engine/model_zoo.hpp"
#include "numerics/engine/threads.hpp"

using namespace gradcert::engine;

namespace {

// What the engine side of every row runs (layer_conv.cpp chooses im2col + Eigen by default).
constexpr const char* kEngineBuild =
    "engine library at its fixed ISA level x86-64-v3: convolutions on im2col + Eigen";

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
    return parts;
}

struct Options {
    std::vector<std::string> models = {"mlp", "cnn-small", "resnet8", "resnet20", "resnet18"};
    std::vector<int> batches = {32, 128};
    int repeats = 7, threads = 1;
    double min_ms = 40.0;
    bool bits = false;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (key == "--bits") {
            o.bits = true;
            continue;
        }
        if (i + 1 >= argc) throw std::runtime_error("missing value after " + key);
        const std::string value = argv[++i];
        if (key == "--models") {
            o.models = split(value);
        } else if (key == "--batches") {
            o.batches.clear();
            for (const std::string& b : split(value)) o.batches.push_back(std::stoi(b));
        } else if (key == "--repeats") {
            o.repeats = std::stoi(value);
        } else if (key == "--min-ms") {
            o.min_ms = std::stod(value);
        } else if (key == "--threads") {
            o.threads = std::stoi(value);
        } else {
            throw std::runtime_error("unknown option " + key);
        }
    }
    return o;
}

// ---------------------------------------------------------------------------------------------
// Shapes of the zoo.

struct ConvCase {
    Conv2dShape shape;
    bool first = false;  // the model's first layer: no data gradient in training
    std::vector<std::string> users;
};
struct LinearCase {
    int n = 0, f = 0, o = 0;  // x [n, f], weight [o, f]
    std::vector<std::string> users;
};

std::string conv_key(const Conv2dShape& s) {
    char text[128];
    std::snprintf(text, sizeof text, "conv %dx%dx%d -> %d k%d s%d b%d", s.c, s.h, s.w, s.k, s.r,
                  s.stride, s.n);
    return text;
}
std::string linear_key(const LinearCase& l) {
    char text[128];
    std::snprintf(text, sizeof text, "linear %d -> %d b%d", l.f, l.o, l.n);
    return text;
}

void collect(const Options& opt, std::vector<ConvCase>& convs, std::vector<LinearCase>& linears) {
    std::map<std::string, std::size_t> conv_index, linear_index;
    for (int batch : opt.batches) {
        for (const std::string& name : opt.models) {
            ModelSpec spec{name, 3, 32, 32, name == "resnet18" ? 100 : 10, 1};
            const Architecture arch = build_architecture(spec);
            bool first = true;
            std::map<std::string, int> counts;
            std::vector<std::string> order;
            for (const LayerSpec& layer : arch.layers) {
                const TensorShape& in = arch.tensors[layer.input];
                std::string key;
                if (layer.kind == LayerKind::conv) {
                    const std::vector<int>& ws = arch.params[layer.weight].shape;
                    Conv2dShape sh{batch, in.c,  in.h,         in.w,     ws[0],
                                   ws[2], ws[3], layer.stride, layer.pad};
                    key = conv_key(sh);
                    if (!conv_index.count(key)) {
                        conv_index[key] = convs.size();
                        convs.push_back(ConvCase{sh, first, {}});
                    }
                } else if (layer.kind == LayerKind::linear) {
                    const std::vector<int>& ws = arch.params[layer.weight].shape;
                    LinearCase l{batch, ws[1], ws[0], {}};
                    key = linear_key(l);
                    if (!linear_index.count(key)) {
                        linear_index[key] = linears.size();
                        linears.push_back(l);
                    }
                } else {
                    continue;
                }
                first = false;
                if (counts[key]++ == 0) order.push_back(key);
            }
            for (const std::string& key : order) {
                const std::string user = name + "×" + std::to_string(counts[key]);
                if (conv_index.count(key)) convs[conv_index[key]].users.push_back(user);
                if (linear_index.count(key)) linears[linear_index[key]].users.push_back(user);
            }
        }
    }
}

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : ",") + p;
    return out;
}

// ---------------------------------------------------------------------------------------------
// Timing: contenders of one (shape, pass) run interleaved.

double cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

struct Contender {
    std::string name;
    std::function<void()> run;
};

// Median milliseconds per call of each contender.
std::vector<double> interleaved(const std::vector<Contender>& cs, const Options& opt) {
    std::vector<int> calls(cs.size(), 1);
    for (std::size_t i = 0; i < cs.size(); ++i) {  // warm-up and calibration
        cs[i].run();
        const double t0 = cpu_ms();
        cs[i].run();
        const double once = std::max(cpu_ms() - t0, 1e-3);
        calls[i] = std::max(1, int(opt.min_ms / once + 0.5));
    }
    std::vector<std::vector<double>> samples(cs.size());
    for (int rep = 0; rep < opt.repeats; ++rep) {
        for (std::size_t i = 0; i < cs.size(); ++i) {
            const double t0 = cpu_ms();
            for (int c = 0; c < calls[i]; ++c) cs[i].run();
            samples[i].push_back((cpu_ms() - t0) / calls[i]);
        }
    }
    std::vector<double> medians;
    for (auto& s : samples) {
        std::sort(s.begin(), s.end());
        medians.push_back(s[s.size() / 2]);
    }
    return medians;
}

std::uint64_t fnv1a(const float* data, std::size_t count) {
    std::uint64_t h = 1469598103934665603ull;
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < count * sizeof(float); ++i) {
        h ^= bytes[i];
        h *= 1099511628211ull;
    }
    return h;
}

std::vector<float> random_floats(std::size_t count, unsigned seed) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    std::vector<float> v(count);
    for (float& x : v) x = dist(gen);
    return v;
}

void set_all_threads(int n) {
    set_threads(n);  // the engine's OpenMP pool; oneDNN (OpenMP runtime) reads the same setting
    omp_set_num_threads(n);
    bli_thread_set_num_threads(n);
}

// ---------------------------------------------------------------------------------------------
// Libraries: BLIS GEMM, oneDNN matmul and convolution on the engine's row-major strided operands.

// C[m × n] = op(A)·op(B) + beta·C as in kernels/gemm.hpp, by BLIS (transposes become strides).
void blis_gemm(bool ta, bool tb, int m, int n, int k, const float* a, long lda, const float* b,
               long ldb, float beta, float* c, long ldc) {
    float one = 1.0f;
    bli_sgemm(BLIS_NO_TRANSPOSE, BLIS_NO_TRANSPOSE, m, n, k, &one, const_cast<float*>(a),
              ta ? 1 : lda, ta ? lda : 1, const_cast<float*>(b), tb ? 1 : ldb, tb ? ldb : 1, &beta,
              c, ldc, 1);
}

// The same product by a oneDNN matmul primitive, built once per operand layout.
class DnnlMatmul {
  public:
    DnnlMatmul(dnnl::engine& eng, bool ta, bool tb, int m, int n, int k, long lda, long ldb,
               long ldc)
        : eng_(eng), strm_(eng) {
        using dnnl::memory;
        const memory::desc a({m, k}, memory::data_type::f32,
                             ta ? memory::dims{1, lda} : memory::dims{lda, 1});
        const memory::desc b({k, n}, memory::data_type::f32,
                             tb ? memory::dims{1, ldb} : memory::dims{ldb, 1});
        const memory::desc c({m, n}, memory::data_type::f32, memory::dims{ldc, 1});
        a_ = a;
        b_ = b;
        c_ = c;
        prim_ = dnnl::matmul(dnnl::matmul::primitive_desc(dnnl::matmul::desc(a, b, c), eng));
    }
    void run(const float* a, const float* b, float* c) {
        dnnl::memory am(a_, eng_, const_cast<float*>(a)), bm(b_, eng_, const_cast<float*>(b)),
            cm(c_, eng_, c);
        prim_.execute(strm_, {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}});
        strm_.wait();
    }

  private:
    dnnl::engine& eng_;
    dnnl::stream strm_;
    dnnl::memory::desc a_, b_, c_;
    dnnl::matmul prim_;
};

// One convolution in oneDNN's preferred (blocked) layouts, with reorders from and to the
// engine's planes [c, n, h, w] and PyTorch-layout weights [k, c, r, s].
class DnnlConv {
  public:
    DnnlConv(dnnl::engine& eng, const Conv2dShape& s) : eng_(eng), strm_(eng) {
        using dnnl::memory;
        using tag = memory::format_tag;
        const auto f32 = memory::data_type::f32;
        const memory::dims src{s.n, s.c, s.h, s.w}, wei{s.k, s.c, s.r, s.s},
            dst{s.n, s.k, s.p(), s.q()}, strides{s.stride, s.stride}, pad{s.pad, s.pad};
        user_src_ =
            memory::desc(src, f32, memory::dims{long(s.h) * s.w, long(s.n) * s.h * s.w, s.w, 1});
        user_dst_ = memory::desc(
            dst, f32, memory::dims{long(s.p()) * s.q(), long(s.n) * s.p() * s.q(), s.q(), 1});
        user_wei_ = memory::desc(wei, f32, tag::oihw);
        const memory::desc src_any(src, f32, tag::any), wei_any(wei, f32, tag::any),
            dst_any(dst, f32, tag::any);
        const auto alg = dnnl::algorithm::convolution_direct;
        fwd_pd_ = dnnl::convolution_forward::primitive_desc(
            dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, alg, src_any,
                                            wei_any, dst_any, strides, pad, pad),
            eng);
        bwd_d_pd_ = dnnl::convolution_backward_data::primitive_desc(
            dnnl::convolution_backward_data::desc(alg, src_any, wei_any, dst_any, strides, pad,
                                                  pad),
            eng, fwd_pd_);
        bwd_w_pd_ = dnnl::convolution_backward_weights::primitive_desc(
            dnnl::convolution_backward_weights::desc(alg, src_any, wei_any, dst_any, strides, pad,
                                                     pad),
            eng, fwd_pd_);
        fwd_ = dnnl::convolution_forward(fwd_pd_);
        bwd_d_ = dnnl::convolution_backward_data(bwd_d_pd_);
        bwd_w_ = dnnl::convolution_backward_weights(bwd_w_pd_);
        src_ = memory(fwd_pd_.src_desc(), eng);
        wei_ = memory(fwd_pd_.weights_desc(), eng);
        dst_ = memory(fwd_pd_.dst_desc(), eng);
        bd_wei_ = memory(bwd_d_pd_.weights_desc(), eng);
        bd_ddst_ = memory(bwd_d_pd_.diff_dst_desc(), eng);
        bd_dsrc_ = memory(bwd_d_pd_.diff_src_desc(), eng);
        bw_src_ = memory(bwd_w_pd_.src_desc(), eng);
        bw_ddst_ = memory(bwd_w_pd_.diff_dst_desc(), eng);
        bw_dwei_ = memory(bwd_w_pd_.diff_weights_desc(), eng);
        impl_ = std::string(fwd_pd_.impl_info_str()) + " / " + bwd_d_pd_.impl_info_str() + " / " +
                bwd_w_pd_.impl_info_str();
    }
    // Loads the operands (engine layouts) into the primitives' layouts.
    void load(const float* x, const float* w, const float* dy) {
        into(user_src_, x, src_);
        into(user_src_, x, bw_src_);
        into(user_wei_, w, wei_);
        into(user_wei_, w, bd_wei_);
        into(user_dst_, dy, bd_ddst_);
        into(user_dst_, dy, bw_ddst_);
    }
    void forward() {
        fwd_.execute(strm_, {{DNNL_ARG_SRC, src_}, {DNNL_ARG_WEIGHTS, wei_}, {DNNL_ARG_DST, dst_}});
        strm_.wait();
    }
    void backward_data() {
        bwd_d_.execute(strm_, {{DNNL_ARG_DIFF_DST, bd_ddst_},
                               {DNNL_ARG_WEIGHTS, bd_wei_},
                               {DNNL_ARG_DIFF_SRC, bd_dsrc_}});
        strm_.wait();
    }
    void backward_weights() {
        bwd_w_.execute(strm_, {{DNNL_ARG_SRC, bw_src_},
                               {DNNL_ARG_DIFF_DST, bw_ddst_},
                               {DNNL_ARG_DIFF_WEIGHTS, bw_dwei_}});
        strm_.wait();
    }
    // The reorders a layer would add per training step: x and dy in, y, dx and dweight out.
    void reorders(const float* x, const float* dy, float* y, float* dx, float* dw) {
        into(user_src_, x, src_);
        into(user_dst_, dy, bw_ddst_);
        out(dst_, user_dst_, y);
        out(bd_dsrc_, user_src_, dx);
        out(bw_dwei_, user_wei_, dw);
    }
    void results(float* y, float* dx, float* dw) {
        out(dst_, user_dst_, y);
        out(bd_dsrc_, user_src_, dx);
        out(bw_dwei_, user_wei_, dw);
    }
    const std::string& impl() const { return impl_; }

  private:
    void into(const dnnl::memory::desc& md, const float* data, dnnl::memory& to) {
        dnnl::memory from(md, eng_, const_cast<float*>(data));
        dnnl::reorder(from, to).execute(strm_, from, to);
        strm_.wait();
    }
    void out(dnnl::memory& from, const dnnl::memory::desc& md, float* data) {
        dnnl::memory to(md, eng_, data);
        dnnl::reorder(from, to).execute(strm_, from, to);
        strm_.wait();
    }

    dnnl::engine& eng_;
    dnnl::stream strm_;
    dnnl::memory::desc user_src_, user_dst_, user_wei_;
    dnnl::convolution_forward::primitive_desc fwd_pd_;
    dnnl::convolution_backward_data::primitive_desc bwd_d_pd_;
    dnnl::convolution_backward_weights::primitive_desc bwd_w_pd_;
    dnnl::convolution_forward fwd_;
    dnnl::convolution_backward_data bwd_d_;
    dnnl::convolution_backward_weights bwd_w_;
    dnnl::memory src_, wei_, dst_, bd_wei_, bd_ddst_, bd_dsrc_, bw_src_, bw_ddst_, bw_dwei_;
    std::string impl_;
};

// ---------------------------------------------------------------------------------------------
// One GEMM of the zoo, as the engine issues it.

struct Gemm {
    bool ta, tb;
    int m, n, k;
    long lda, ldb, ldc;
};

// The im2col GEMMs of a convolution layer (layer_conv.cpp), one per image chunk: forward
// (k × chunk·pq × patch, NN), weight gradient (k × patch × chunk·pq, NT), data gradient
// (patch × chunk·pq × k, TN).
struct ConvGemms {
    int chunks, chunk;
    Gemm fwd, bwd_w, bwd_d;
};
ConvGemms conv_gemms(const Conv2dShape& s) {
    const int chunk = conv2d_chunk_images(s);
    const long pq = long(s.p()) * s.q(), total = pq * s.n, ld_col = chunk * pq;
    const int patch = int(s.patch());
    ConvGemms g{(s.n + chunk - 1) / chunk, chunk, {}, {}, {}};
    g.fwd = Gemm{false, false, s.k, int(ld_col), patch, patch, ld_col, total};
    g.bwd_w = Gemm{false, true, s.k, patch, int(ld_col), total, ld_col, patch};
    g.bwd_d = Gemm{true, false, patch, int(ld_col), s.k, patch, total, ld_col};
    return g;
}

struct Row {
    std::string shape, pass, users;
    double flops;
    std::vector<std::string> names;
    std::vector<double> ms;
};

void print_row(const Row& r) {
    std::printf("%-34s %-10s", r.shape.c_str(), r.pass.c_str());
    for (std::size_t i = 0; i < r.names.size(); ++i) {
        std::printf(" | %s %8.3f ms %6.1f GF/s", r.names[i].c_str(), r.ms[i],
                    r.flops / (r.ms[i] * 1e6));
    }
    for (std::size_t i = 1; i < r.names.size(); ++i) {
        if (r.names[i] == "reorders") continue;
        std::printf(" | %s/%s %.2f", r.names[0].c_str(), r.names[i].c_str(), r.ms[0] / r.ms[i]);
    }
    std::printf(" | %s\n", r.users.c_str());
    std::fflush(stdout);
}

// ---------------------------------------------------------------------------------------------
// Speed.

void time_gemm_set(const std::string& shape, const std::string& pass, const std::string& users,
                   const Gemm& g, int count, long a_step, long b_step, long c_step,
                   dnnl::engine& eng, const Options& opt) {
    const long a_size = (g.ta ? g.k : g.m) * g.lda + a_step * count;
    const long b_size = (g.tb ? g.n : g.k) * g.ldb + b_step * count;
    const long c_size = g.m * g.ldc + c_step * count;
    std::vector<float> a = random_floats(a_size, 1), b = random_floats(b_size, 2), c(c_size);
    DnnlMatmul mm(eng, g.ta, g.tb, g.m, g.n, g.k, g.lda, g.ldb, g.ldc);
    auto each = [&](auto&& product) {
        for (int i = 0; i < count; ++i) {
            product(a.data() + i * a_step, b.data() + i * b_step, c.data() + i * c_step);
        }
    };
    std::vector<Contender> cs{
        {"eigen",
         [&] {
             each([&](const float* pa, const float* pb, float* pc) {
                 if (count == 1) {
                     gemm_parallel<float>(g.ta, g.tb, g.m, g.n, g.k, pa, g.lda, pb, g.ldb, 0.0f, pc,
                                          g.ldc);
                 } else {
                     gemm<float>(g.ta, g.tb, g.m, g.n, g.k, pa, g.lda, pb, g.ldb, 0.0f, pc, g.ldc);
                 }
             });
         }},
        {"blis",
         [&] {
             each([&](const float* pa, const float* pb, float* pc) {
                 blis_gemm(g.ta, g.tb, g.m, g.n, g.k, pa, g.lda, pb, g.ldb, 0.0f, pc, g.ldc);
             });
         }},
        {"dnnl-mm",
         [&] { each([&](const float* pa, const float* pb, float* pc) { mm.run(pa, pb, pc); }); }},
    };
    Row r{shape, pass, users, 2.0 * g.m * g.n * g.k * count, {}, interleaved(cs, opt)};
    for (const Contender& c : cs) r.names.push_back(c.name);
    print_row(r);
}

void time_conv(const ConvCase& cc, dnnl::engine& eng, const Options& opt) {
    const Conv2dShape& s = cc.shape;
    const long xs = long(s.c) * s.n * s.h * s.w, ws = long(s.k) * s.patch(),
               ys = long(s.k) * s.n * s.p() * s.q();
    std::vector<float> x = random_floats(xs, 3), w = random_floats(ws, 4),
                       dy = random_floats(ys, 5);
    std::vector<float> y(ys), dx(xs), dw(ws), y2(ys), dx2(xs), dw2(ws);
    DnnlConv dc(eng, s);
    dc.load(x.data(), w.data(), dy.data());
    const double fl = 2.0 * double(ws) * s.n * s.p() * s.q();
    const std::string shape = conv_key(s), users = joined(cc.users) + (cc.first ? " first" : "");
    std::printf("# %s oneDNN: %s\n", shape.c_str(), dc.impl().c_str());
    {
        std::vector<Contender> cs{
            {"engine", [&] { conv2d_forward<float>(s, x.data(), w.data(), nullptr, y.data()); }},
            {"dnnl", [&] { dc.forward(); }},
        };
        Row r{shape, "fwd", users, fl, {}, interleaved(cs, opt)};
        for (const Contender& c : cs) r.names.push_back(c.name);
        print_row(r);
    }
    {
        std::vector<Contender> cs{
            {"engine",
             [&] {
                 conv2d_backward<float>(s, x.data(), w.data(), dy.data(), dw.data(), nullptr,
                                        nullptr, false);
             }},
            {"dnnl", [&] { dc.backward_weights(); }},
        };
        Row r{shape, "bwd_w", users, fl, {}, interleaved(cs, opt)};
        for (const Contender& c : cs) r.names.push_back(c.name);
        print_row(r);
    }
    if (!cc.first) {
        std::vector<Contender> cs{
            {"engine",
             [&] {
                 conv2d_backward<float>(s, x.data(), w.data(), dy.data(), dw.data(), nullptr,
                                        dx.data(), false);
             }},
            {"dnnl",
             [&] {
                 dc.backward_weights();
                 dc.backward_data();
             }},
            {"reorders",
             [&] { dc.reorders(x.data(), dy.data(), y2.data(), dx2.data(), dw2.data()); }},
        };
        Row r{shape, "bwd_w+d", users, 2 * fl, {}, interleaved(cs, opt)};
        for (const Contender& c : cs) r.names.push_back(c.name);
        print_row(r);
    }
    // The im2col GEMMs (without the im2col copy) the engine would run for this layer.
    const ConvGemms g = conv_gemms(s);
    const long pq = long(s.p()) * s.q();
    const std::string gshape = shape + " gemm";
    time_gemm_set(gshape, "fwd", users, g.fwd, g.chunks, 0, 0, g.chunk * pq, eng, opt);
    time_gemm_set(gshape, "bwd_w", users, g.bwd_w, g.chunks, g.chunk * pq, 0, 0, eng, opt);
    if (!cc.first) {
        time_gemm_set(gshape, "bwd_d", users, g.bwd_d, g.chunks, 0, g.chunk * pq, 0, eng, opt);
    }
}

void time_linear(const LinearCase& l, dnnl::engine& eng, const Options& opt) {
    const std::string shape = linear_key(l), users = joined(l.users);
    time_gemm_set(shape, "fwd", users, Gemm{false, true, l.n, l.o, l.f, l.f, l.f, l.o}, 1, 0, 0, 0,
                  eng, opt);
    time_gemm_set(shape, "bwd_w", users, Gemm{true, false, l.o, l.f, l.n, l.o, l.f, l.f}, 1, 0, 0,
                  0, eng, opt);
    time_gemm_set(shape, "bwd_d", users, Gemm{false, false, l.n, l.f, l.o, l.o, l.f, l.f}, 1, 0, 0,
                  0, eng, opt);
}

// ---------------------------------------------------------------------------------------------
// Bits: the result hash of each library at 1 thread, 2 threads, and 2 threads again.

void print_bits(const std::string& shape, const std::string& pass, const char* name,
                const std::uint64_t h[3]) {
    std::printf("bits %-34s %-8s %-8s 1t %016llx 2t %016llx 2t-again %016llx %s%s\n", shape.c_str(),
                pass.c_str(), name, (unsigned long long)h[0], (unsigned long long)h[1],
                (unsigned long long)h[2], h[0] == h[1] ? "threads-same" : "THREADS-DIFFER",
                h[1] == h[2] ? "" : " RUN-TO-RUN-DIFFER");
}

void bits_gemm(const std::string& shape, const std::string& pass, const Gemm& g,
               dnnl::engine& eng) {
    const long a_size = (g.ta ? g.k : g.m) * g.lda, b_size = (g.tb ? g.n : g.k) * g.ldb;
    std::vector<float> a = random_floats(a_size, 1), b = random_floats(b_size, 2);
    std::uint64_t h[3][3];
    for (int run = 0; run < 3; ++run) {
        const int t = run == 0 ? 1 : 2;
        set_all_threads(t);
        std::vector<float> c(g.m * g.ldc);
        gemm_parallel<float>(g.ta, g.tb, g.m, g.n, g.k, a.data(), g.lda, b.data(), g.ldb, 0.0f,
                             c.data(), g.ldc);
        h[0][run] = fnv1a(c.data(), c.size());
        blis_gemm(g.ta, g.tb, g.m, g.n, g.k, a.data(), g.lda, b.data(), g.ldb, 0.0f, c.data(),
                  g.ldc);
        h[1][run] = fnv1a(c.data(), c.size());
        DnnlMatmul mm(eng, g.ta, g.tb, g.m, g.n, g.k, g.lda, g.ldb, g.ldc);
        mm.run(a.data(), b.data(), c.data());
        h[2][run] = fnv1a(c.data(), c.size());
    }
    const char* names[3] = {"eigen", "blis", "dnnl-mm"};
    for (int i = 0; i < 3; ++i) print_bits(shape, pass, names[i], h[i]);
}

void bits_conv(const ConvCase& cc, dnnl::engine& eng) {
    const Conv2dShape& s = cc.shape;
    const long xs = long(s.c) * s.n * s.h * s.w, ws = long(s.k) * s.patch(),
               ys = long(s.k) * s.n * s.p() * s.q();
    std::vector<float> x = random_floats(xs, 3), w = random_floats(ws, 4),
                       dy = random_floats(ys, 5);
    std::uint64_t h[2][3][3];
    for (int run = 0; run < 3; ++run) {
        const int t = run == 0 ? 1 : 2;
        set_all_threads(t);
        std::vector<float> y(ys), dx(xs), dw(ws);
        conv2d_forward<float>(s, x.data(), w.data(), nullptr, y.data());
        conv2d_backward<float>(s, x.data(), w.data(), dy.data(), dw.data(), nullptr, dx.data(),
                               false);
        h[0][0][run] = fnv1a(y.data(), ys);
        h[0][1][run] = fnv1a(dw.data(), ws);
        h[0][2][run] = fnv1a(dx.data(), xs);
        DnnlConv dc(eng, s);  // created after the thread count is set: oneDNN plans for it
        dc.load(x.data(), w.data(), dy.data());
        dc.forward();
        dc.backward_data();
        dc.backward_weights();
        dc.results(y.data(), dx.data(), dw.data());
        h[1][0][run] = fnv1a(y.data(), ys);
        h[1][1][run] = fnv1a(dw.data(), ws);
        h[1][2][run] = fnv1a(dx.data(), xs);
    }
    const char* names[2] = {"engine", "dnnl"};
    const char* passes[3] = {"fwd", "bwd_w", "bwd_d"};
    for (int i = 0; i < 2; ++i) {
        for (int p = 0; p < 3; ++p) print_bits(conv_key(s), passes[p], names[i], h[i][p]);
    }
    const ConvGemms g = conv_gemms(s);
    bits_gemm(conv_key(s) + " gemm", "fwd", g.fwd, eng);
    bits_gemm(conv_key(s) + " gemm", "bwd_w", g.bwd_w, eng);
    bits_gemm(conv_key(s) + " gemm", "bwd_d", g.bwd_d, eng);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        require_engine_isa();
        const Options opt = parse(argc, argv);
        std::vector<ConvCase> convs;
        std::vector<LinearCase> linears;
        collect(opt, convs, linears);
        double load[3] = {0, 0, 0};
        if (getloadavg(load, 3) != 3) load[0] = load[1] = load[2] = -1;
        const char* max_isa = std::getenv("ONEDNN_MAX_CPU_ISA");
        std::printf("# %s\n", kEngineBuild);
        std::printf(
            "# load average %.2f %.2f %.2f; BLIS arch %s; oneDNN ISA %d "
            "(ONEDNN_MAX_CPU_ISA %s)\n",
            load[0], load[1], load[2], bli_arch_string(bli_arch_query_id()),
            int(dnnl::get_effective_cpu_isa()), max_isa != nullptr ? max_isa : "unset");
        dnnl::engine eng(dnnl::engine::kind::cpu, 0);
        if (opt.bits) {
            for (const ConvCase& c : convs) bits_conv(c, eng);
            for (const LinearCase& l : linears) {
                bits_gemm(linear_key(l), "fwd", Gemm{false, true, l.n, l.o, l.f, l.f, l.f, l.o},
                          eng);
                bits_gemm(linear_key(l), "bwd_w", Gemm{true, false, l.o, l.f, l.n, l.o, l.f, l.f},
                          eng);
                bits_gemm(linear_key(l), "bwd_d", Gemm{false, false, l.n, l.f, l.o, l.o, l.f, l.f},
                          eng);
            }
            return 0;
        }
        set_all_threads(opt.threads);
        std::printf(
            "# threads %d, %d interleaved repetitions of >= %.0f ms, median ms per call "
            "(process CPU time); ratio engine/library > 1: the library is faster\n",
            opt.threads, opt.repeats, opt.min_ms);
        for (const ConvCase& c : convs) time_conv(c, eng, opt);
        for (const LinearCase& l : linears) time_linear(l, eng, opt);
        if (getloadavg(load, 3) == 3) {
            std::printf("# %s\n", kEngineBuild);
            std::printf("# load average at the end %.2f %.2f %.2f\n", load[0], load[1], load[2]);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_kernel_libs: %s\n", e.what());
        return 2;
    }
    return 0;
}
