#pragma once
// CIFAR-10 and CIFAR-100 in their official binary formats (Krizhevsky's "binary version").
//
// CIFAR-10: data_batch_1.bin … data_batch_5.bin (train) and test_batch.bin, each exactly 10 000
// records of 1 label byte + 3072 pixel bytes (1024 R, 1024 G, 1024 B, each plane row-major
// 32×32), so 30 730 000 bytes and no header. CIFAR-100: train.bin (50 000 records) and test.bin
// (10 000), records of coarse label + fine label + 3072 pixel bytes; the fine label (0..99) is
// used, as in the paper. Pixels are copied unchanged into CHW order, which is the file order.
// Normalisation: CIFAR-10 mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616) (training
// set statistics); CIFAR-100 the paper's mean (0.5071, 0.4865, 0.4409), std (0.2673, 0.2564,
// 0.2762).
#include <filesystem>

#include "numerics/engine/dataset.hpp"

namespace gradcert::engine {

inline constexpr int kCifarRecordPixels = 3 * 32 * 32;

// Throw InputError("<file>: <problem>") for a missing file, a file whose size is not the exact
// record count × record size (truncated or foreign), or a label out of range (CIFAR-10 label
// ≥ 10; CIFAR-100 coarse label ≥ 20 or fine label ≥ 100).
DataSplit load_cifar10(const std::filesystem::path& dir);
DataSplit load_cifar100(const std::filesystem::path& dir);

// One CIFAR binary file: `records` records of `label_bytes` label bytes (1: CIFAR-10, 2:
// CIFAR-100 coarse + fine) followed by 3072 pixel bytes; the last label byte is the class, which
// must lie in [0, classes). Appends to `out` (whose shape fields must already be set).
void read_cifar_file(const std::filesystem::path& file, int records, int label_bytes, int classes,
                     Dataset& out);

}  // namespace gradcert::engine
