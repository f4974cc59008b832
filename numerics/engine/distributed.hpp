#pragma once
// Data-parallel training (docs/cluster.md, "MPI training"): the batch of every forward/backward is
// cut into shards of a fixed number of examples, the ranks of a run share the shards out, and
// every cross-example sum (parameter gradients, batch-norm statistics, the loss) is a sum of
// per-shard partial sums taken over ONE binary tree of the shard indices.
//
// Why the bits do not depend on the number of ranks R: a shard's partial sum is computed by the
// same code on the same examples whichever rank holds it (a layer never looks beyond its shard),
// and the value of every tree node is defined as double(left) + double(right) down to the shards,
// so it is the same number whether one rank computes the node or it is assembled from nodes
// computed by several ranks. R = 1 (one process, no MPI) evaluates the same tree. The shard size,
// not R, is part of the configuration ([run] shard, numerics/engine/CONFIG.md).
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace gradcert::engine {

// The processes of one data-parallel run. Every collective is called by every rank in the same
// order (the trainer's control flow is identical on all ranks).
class Communicator {
  public:
    virtual ~Communicator() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // Every rank's `local` (lengths may differ) concatenated in rank order, on every rank.
    virtual std::vector<double> all_gather(std::span<const double> local) = 0;
    // Seconds spent inside collectives so far (the communication share of a step).
    virtual double seconds_communicating() const = 0;
};

// One process alone (rank 0 of 1): all_gather returns its argument.
std::unique_ptr<Communicator> local_communicator();

// The shards of a batch of n examples with shard size s: S = ⌈n/s⌉ shards, shard j holding
// examples [j·s, min(n, (j+1)·s)). Rank r of R holds the consecutive shards [S·r/R, S·(r+1)/R)
// (possibly none).
struct ShardRange {
    int shards = 0;                                    // S, over the whole batch
    int first = 0, count = 0;                          // this rank's shards
    int shard_size = 0;                                // s
    int examples = 0;                                  // n
    int begin(int j) const { return j * shard_size; }  // first example of global shard j
    int size(int j) const;                             // examples in global shard j
    int first_example() const { return begin(first); }
    int local_examples() const;  // examples held by this rank
};
ShardRange shard_range(int n, int shard_size, int rank, int ranks);

// Sums per-shard vectors over all S shards of the batch in the fixed tree (node [lo, hi) =
// [lo, mid) + [mid, hi), mid = (lo + hi)/2, in double). `leaves` holds this rank's `range.count`
// vectors of `length` values each, shard after shard; `out` (length values) receives the root on
// every rank. Collective: every rank calls it with the same S and length.
void tree_sum(Communicator& comm, const ShardRange& range, const float* leaves, long length,
              double* out);
void tree_sum(Communicator& comm, const ShardRange& range, const double* leaves, long length,
              double* out);

}  // namespace gradcert::engine

#include "numerics/engine/model.hpp"

namespace gradcert::engine {

// A zoo model whose training forward/backward (loss_and_gradient) is sharded with `shard_size`
// examples per shard over the ranks of `comm`: every rank passes the whole batch, computes only
// its shards, and receives the loss, hit count and gradient of the whole batch. Evaluation
// (evaluate) is not sharded: every rank evaluates all examples, as make_model's model does.
// The same bits for every comm.size() (see above); throws InputError as make_model does, or for
// shard_size < 1.
std::unique_ptr<Model> make_sharded_model(const ModelSpec& spec, std::uint64_t seed, int shard_size,
                                          std::shared_ptr<Communicator> comm);

}  // namespace gradcert::engine
