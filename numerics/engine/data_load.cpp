#include "numerics/engine/data_load.hpp"

#include <fmt/format.h>

#include "numerics/engine/cifar.hpp"
#include "numerics/engine/idx.hpp"
#include "numerics/util/error.hpp"

namespace gradcert::engine {

namespace {

DataSplit load_raw(const TrainConfig& cfg) {
    const std::string& name = cfg.data.dataset;
    if (name == "fashion-mnist") return load_fashion_mnist(data_directory(cfg));
    if (name == "cifar10") return load_cifar10(data_directory(cfg));
    if (name == "cifar100") return load_cifar100(data_directory(cfg));
    if (name == "synthetic") return make_synthetic(cfg.data.synthetic);
    throw InputError(fmt::format("unknown dataset \"{}\"", name));
}

void override_normalisation(const DataConfig& d, Dataset& set) {
    if (d.mean.empty()) return;
    if (d.mean.size() != static_cast<std::size_t>(set.channels))
        throw InputError(fmt::format("mean/std have {} entries, the dataset has {} channels",
                                     d.mean.size(), set.channels));
    set.mean.assign(d.mean.begin(), d.mean.end());
    set.stddev.assign(d.stddev.begin(), d.stddev.end());
}

}  // namespace

DataSplit load_training_data(const TrainConfig& cfg) {
    try {
        DataSplit s = load_raw(cfg);
        s.train = subset(s.train, cfg.data.train_subset, cfg.data.subset_mode);
        s.test = subset(s.test, cfg.data.test_subset, cfg.data.subset_mode);
        override_normalisation(cfg.data, s.train);
        override_normalisation(cfg.data, s.test);
        check_dataset(s.train, s.train.name);
        check_dataset(s.test, s.test.name);
        return s;
    } catch (const InputError& e) {
        throw InputError(cfg.source + ": [data] " + e.what());
    }
}

}  // namespace gradcert::engine
