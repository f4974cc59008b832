#pragma once
// The MINIMIZERS block of a stage (docs/certificate.md): walks the partition tree from the
// checker's own outer domain box, confirms every prune and reduce reason with its own
// enclosures, every keep leaf inside its cluster box, and returns the cluster boxes, which then
// contain every global minimizer of f̂_δ on the domain.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verify/recheck/bounds.hpp"
#include "verify/recheck/family.hpp"

namespace gradcert::recheck {

// Direct or separable geometry, as `geometry` says. `where` names the block in messages
// ("stage 2 minimizers"). Throws Unconfirmed or Malformed.
std::vector<Box> check_minimizers(const nlohmann::json& block, const Family& fam, const Smoothed& f,
                                  bool separable, const std::string& where);

// The pieces of f̂ for the separable geometry: piece i holds the terms that depend on x_i only
// (the constant terms are dropped). Throws Unconfirmed if a term depends on two coordinates.
std::vector<Smoothed> separable_pieces(const Smoothed& f);

// Whether piece i of `a` and piece j of `b` (separable_pieces) are the same 1-D function of their
// own coordinate: equal exponents and exactly equal coefficient balls, ridge by ridge in order.
bool same_piece(const Smoothed& a, std::size_t i, const Smoothed& b, std::size_t j);

// A separable coordinate entry {"same_as": j} (docs/certificate.md): j, checked to name an earlier
// coordinate of the same list, or −1 for an entry written out.
long same_as(const nlohmann::json& entry, std::size_t i, const std::string& where);

Box read_box(const nlohmann::json& j, std::size_t dim, const std::string& where);
Vec read_point(const nlohmann::json& j, std::size_t dim, const std::string& where);

}  // namespace gradcert::recheck
