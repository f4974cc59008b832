#pragma once
// The training and test sets a run configuration asks for: the dataset from its directory (or
// generated), the subsets, and the normalisation (the dataset's standard values unless [data]
// mean/std override them).
#include "numerics/engine/config.hpp"
#include "numerics/engine/dataset.hpp"

namespace gradcert::engine {

// Throws InputError("<config file>: [data] <problem>") for missing or malformed data files,
// subsets that cannot be taken, or a mean/std of the wrong length.
DataSplit load_training_data(const TrainConfig& cfg);

}  // namespace gradcert::engine
