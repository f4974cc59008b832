#include "verify/separable.hpp"

#include <stdexcept>

#include "numerics/util/error.hpp"
#include "verify/box.hpp"

namespace gradcert::verify {

namespace {

// The coordinate a monomial involves (−1 for the constant monomial).
int monomial_coordinate(const expr::Monomial& m) {
    int found = -1;
    for (size_t i = 0; i < m.exponents.size(); ++i)
        if (m.exponents[i] != 0) {
            if (found >= 0) throw InternalError("split_separable: mixed monomial");
            found = static_cast<int>(i);
        }
    return found;
}

// The coordinate a ridge term involves (−1 if w = 0).
int ridge_coordinate(const expr::RidgeTerm& r) {
    int found = -1;
    for (size_t i = 0; i < r.w.size(); ++i)
        if (!(r.w[i].is_point() && r.w[i].lower() == 0)) {
            if (found >= 0) throw InternalError("split_separable: ridge term mixes coordinates");
            found = static_cast<int>(i);
        }
    return found;
}

std::string piece_key(const expr::Decomposition& p) {
    std::string key;
    for (const expr::Monomial& m : p.poly.terms)
        key += "m" + std::to_string(m.exponents[0]) + ":" + exact_key(m.coeff) + ";";
    for (const expr::RidgeTerm& r : p.ridges)
        key += "r" + std::to_string(static_cast<int>(r.kind)) + "," +
               std::to_string(static_cast<int>(r.g)) + ":" + exact_key(r.coeff) + "," +
               exact_key(r.w[0]) + "," + exact_key(r.offset) + ";";
    return key;
}

}  // namespace

std::vector<SeparablePiece> split_separable(const expr::Decomposition& d) {
    std::vector<SeparablePiece> pieces(static_cast<size_t>(d.dim));
    for (SeparablePiece& p : pieces) {
        p.piece.dim = 1;
        p.piece.poly.dim = 1;
    }
    for (const expr::Monomial& m : d.poly.terms) {
        int i = monomial_coordinate(m);
        expr::Monomial one{{i < 0 ? 0 : m.exponents[static_cast<size_t>(i)]}, m.coeff};
        pieces[static_cast<size_t>(std::max(i, 0))].piece.poly.terms.push_back(one);
    }
    for (const expr::RidgeTerm& r : d.ridges) {
        int i = ridge_coordinate(r);
        expr::RidgeTerm one = r;
        one.w = {i < 0 ? IntervalM(0) : r.w[static_cast<size_t>(i)]};
        pieces[static_cast<size_t>(std::max(i, 0))].piece.ridges.push_back(one);
    }
    for (SeparablePiece& p : pieces) p.key = piece_key(p.piece);
    return pieces;
}

}  // namespace gradcert::verify
