#include "verify/recheck/ball.hpp"

#include <flint/fmpz.h>

#include <cctype>
#include <cstdio>
#include <memory>

namespace gradcert::recheck {

namespace {

struct Fmpz {  // RAII for the few fmpz temporaries
    fmpz_t v;
    Fmpz() { fmpz_init(v); }
    ~Fmpz() { fmpz_clear(v); }
    Fmpz(const Fmpz&) = delete;
    Fmpz& operator=(const Fmpz&) = delete;
};

bool all_of(const std::string& s, int (*pred)(int)) {
    for (char c : s)
        if (!pred(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

slong& prec() {
    static slong bits = 192;
    return bits;
}

Dyadic parse_hex(const std::string& text, const std::string& what, bool allow_inf) {
    Dyadic x;
    if (allow_inf && (text == "inf" || text == "-inf")) {
        text[0] == '-' ? arf_neg_inf(x.p()) : arf_pos_inf(x.p());
        return x;
    }
    const auto bad = [&] { return Malformed(what + ": \"" + text + "\" is not a hex float"); };
    std::size_t i = 0;
    const bool minus = !text.empty() && text[0] == '-';
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) ++i;
    if (text.compare(i, 2, "0x") != 0) throw bad();
    i += 2;
    const std::size_t p = text.find('p', i);
    if (p == std::string::npos) throw bad();
    std::string mant = text.substr(i, p - i), frac;
    const std::size_t dot = mant.find('.');
    if (dot != std::string::npos) frac = mant.substr(dot + 1), mant = mant.substr(0, dot);
    const std::string exp = text.substr(p + 1);
    const std::string exp_digits = exp.substr(!exp.empty() && (exp[0] == '+' || exp[0] == '-'));
    if (mant.empty() || !all_of(mant + frac, isxdigit) || exp_digits.empty() ||
        exp_digits.size() > 9 || !all_of(exp_digits, isdigit))
        throw bad();
    Fmpz m;
    fmpz_set_str(m.v, (mant + frac).c_str(), 16);
    if (minus) fmpz_neg(m.v, m.v);
    Fmpz e;
    fmpz_set_si(e.v, std::stol(exp) - 4 * static_cast<long>(frac.size()));
    arf_set_fmpz_2exp(x.p(), m.v, e.v);
    return x;
}

Rat parse_decimal_exact(const std::string& text, const std::string& what) {
    const auto bad = [&] { return Malformed(what + ": \"" + text + "\" is not a decimal number"); };
    std::size_t i = 0;
    const bool minus = !text.empty() && text[0] == '-';
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) ++i;
    std::string digits, exp = "0";
    long frac = 0;
    bool dot = false;
    for (; i < text.size() && (isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'); ++i)
        if (text[i] == '.') {
            if (dot) throw bad();
            dot = true;
        } else {
            digits += text[i];
            frac += dot ? 1 : 0;
        }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        exp = text.substr(i + 1);
        i = text.size();
        const std::string d = exp.substr(!exp.empty() && (exp[0] == '-' || exp[0] == '+'));
        if (d.empty() || d.size() > 5 || !all_of(d, isdigit)) throw bad();
    }
    if (digits.empty() || i != text.size()) throw bad();
    Rat q;
    Fmpz n, ten;
    fmpz_set_str(n.v, digits.c_str(), 10);
    if (minus) fmpz_neg(n.v, n.v);
    const long scale = std::stol(exp) - frac;
    fmpz_set_ui(ten.v, 10);
    fmpz_pow_ui(ten.v, ten.v, static_cast<ulong>(scale < 0 ? -scale : scale));
    if (scale < 0)
        fmpq_set_fmpz_frac(q.p(), n.v, ten.v);
    else
        fmpz_mul(n.v, n.v, ten.v), fmpz_one(ten.v), fmpq_set_fmpz_frac(q.p(), n.v, ten.v);
    return q;
}

Ball ball(const Rat& q) {
    Ball b;
    arb_set_fmpq(b.p(), q.p(), prec());
    return b;
}

Ball ball(const Dyadic& x) {
    Ball b;
    arb_set_arf(b.p(), x.p());
    return b;
}

Ball ball(const Interval& i) {
    Ball b;
    arb_set_interval_arf(b.p(), i.lo.p(), i.hi.p(), prec());
    return b;
}

Vec balls(const Box& box) {
    Vec v;
    for (const Interval& i : box) v.push_back(ball(i));
    return v;
}

Interval enclose(const Rat& q, slong bits) {
    Interval i;
    arf_fmpz_div_fmpz(i.lo.p(), fmpq_numref(q.p()), fmpq_denref(q.p()), bits, ARF_RND_FLOOR);
    arf_fmpz_div_fmpz(i.hi.p(), fmpq_numref(q.p()), fmpq_denref(q.p()), bits, ARF_RND_CEIL);
    return i;
}

int compare(const Dyadic& x, const Rat& q) {
    if (arf_is_pos_inf(x.p())) return 1;
    if (arf_is_neg_inf(x.p())) return -1;
    Rat y;
    arf_get_fmpq(y.p(), x.p());
    return fmpq_cmp(y.p(), q.p());
}

bool certainly_gt(const Ball& a, const Ball& b) {
    return arb_gt(a.p(), b.p());
}
bool certainly_ge(const Ball& a, const Ball& b) {
    return arb_ge(a.p(), b.p());
}

Dyadic lower(const Ball& a) {
    Dyadic d;
    arb_get_lbound_arf(d.p(), a.p(), prec());
    return d;
}

Dyadic upper(const Ball& a) {
    Dyadic d;
    arb_get_ubound_arf(d.p(), a.p(), prec());
    return d;
}

std::string str(const Ball& a) {  // "[lo, hi]" with 17 significant digits, outward
    if (arb_is_exact(a.p())) return str(lower(a));
    return "[" + str(lower(a)) + ", " + str(upper(a)) + "]";
}

std::string str(const Dyadic& x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", arf_get_d(x.p(), ARF_RND_NEAR));
    return buf;
}

std::string str(const Box& b) {
    std::string s = "[";
    for (const Interval& i : b)
        s += (s.size() > 1 ? ", [" : "[") + str(i.lo) + ", " + str(i.hi) + "]";
    return s + "]";
}

}  // namespace gradcert::recheck
