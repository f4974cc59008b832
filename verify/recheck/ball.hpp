#pragma once
// Arb balls and exact dyadic numbers for the independent certificate checker (docs/certificate.md).
// Every enclosure of the checker is an Arb ball; every number read from a certificate is an
// exact dyadic (arf) value, compared exactly.
#include <arb.h>
#include <flint/fmpq.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace gradcert::recheck {

// A certificate that does not follow docs/certificate.md (exit 2).
struct Malformed : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A claim the checker cannot confirm (exit 1); the message names it.
struct Unconfirmed : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// A family outside the term classes the checker covers (exit 3).
struct NotSupported : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Ball {
  public:
    Ball() { arb_init(v_); }
    Ball(long n) { arb_init(v_), arb_set_si(v_, n); }
    Ball(const Ball& o) { arb_init(v_), arb_set(v_, o.v_); }
    Ball& operator=(const Ball& o) { return arb_set(v_, o.v_), *this; }
    ~Ball() { arb_clear(v_); }
    arb_ptr p() { return v_; }
    arb_srcptr p() const { return v_; }

  private:
    arb_t v_;
};

class Dyadic {  // an exact binary number (or ±inf)
  public:
    Dyadic() { arf_init(v_); }
    Dyadic(const Dyadic& o) { arf_init(v_), arf_set(v_, o.v_); }
    Dyadic& operator=(const Dyadic& o) { return arf_set(v_, o.v_), *this; }
    ~Dyadic() { arf_clear(v_); }
    arf_ptr p() { return v_; }
    arf_srcptr p() const { return v_; }
    friend bool operator<(const Dyadic& a, const Dyadic& b) { return arf_cmp(a.v_, b.v_) < 0; }
    friend bool operator<=(const Dyadic& a, const Dyadic& b) { return arf_cmp(a.v_, b.v_) <= 0; }

  private:
    arf_t v_;
};

class Rat {  // an exact rational (decimal texts of the family)
  public:
    Rat() { fmpq_init(v_); }
    Rat(const Rat& o) { fmpq_init(v_), fmpq_set(v_, o.v_); }
    Rat& operator=(const Rat& o) { return fmpq_set(v_, o.v_), *this; }
    ~Rat() { fmpq_clear(v_); }
    fmpq* p() { return v_; }
    const fmpq* p() const { return v_; }

  private:
    fmpq_t v_;
};

struct Interval {
    Dyadic lo, hi;
};
using Box = std::vector<Interval>;
using Vec = std::vector<Ball>;

// Working precision of every Arb operation (set once from the certificate's precision_bits).
slong& prec();

// "0x1.8p+1", "-0x0p+0", and "inf"/"-inf" when allow_inf; Malformed naming `what` otherwise.
Dyadic parse_hex(const std::string& text, const std::string& what, bool allow_inf = false);
// "-12.5e-3" and the like, exactly; Malformed naming `what` when not a decimal.
Rat parse_decimal_exact(const std::string& text, const std::string& what);
// The ball of a rational (tight, outward) and of a dyadic (exact).
Ball ball(const Rat& q);
Ball ball(const Dyadic& x);
// The ball containing [lo, hi].
Ball ball(const Interval& i);
Vec balls(const Box& b);
// [q rounded down, q rounded up] at `bits` bits (as MPFR rounds).
Interval enclose(const Rat& q, slong bits);
// Exact comparison of a dyadic with a rational: <0, 0, >0.
int compare(const Dyadic& x, const Rat& q);
// Certain comparisons of balls (the correct end of each).
bool certainly_gt(const Ball& a, const Ball& b);
bool certainly_ge(const Ball& a, const Ball& b);
Dyadic lower(const Ball& a);
Dyadic upper(const Ball& a);
std::string str(const Ball& a);  // for messages
std::string str(const Dyadic& x);
std::string str(const Box& b);

}  // namespace gradcert::recheck
