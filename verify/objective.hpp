#pragma once
// What the checks need of a (smoothed) objective: rigorous enclosures over boxes and
// floating-point estimates used only to propose candidates and witnesses (never as proof).
#include <Eigen/Dense>
#include <functional>

#include "numerics/autodiff/jet.hpp"
#include "numerics/interval/interval.hpp"

namespace gradcert::verify {

using Box = VectorI<Mpfr>;

struct Objective {
    int dim = 0;
    // Enclosures of value, gradient and Hessian over every point of the box.
    std::function<Jet<IntervalM>(const Box&)> enclose;
    // Enclosure of the value only (cheaper where the implementation allows).
    std::function<IntervalM(const Box&)> value;
    // Non-rigorous estimates at a point.
    std::function<double(const Eigen::VectorXd&)> value_estimate;
    std::function<Eigen::VectorXd(const Eigen::VectorXd&)> gradient_estimate;
    std::function<Eigen::MatrixXd(const Eigen::VectorXd&)> hessian_estimate;
};

}  // namespace gradcert::verify
