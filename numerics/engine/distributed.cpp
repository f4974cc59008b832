#include "numerics/engine/distributed.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

namespace gradcert::engine {

namespace {

class LocalCommunicator final : public Communicator {
  public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    std::vector<double> all_gather(std::span<const double> local) override {
        return {local.begin(), local.end()};
    }
    double seconds_communicating() const override { return 0.0; }
};

using Node = std::pair<int, int>;  // [lo, hi) of shard indices

// Collects the canonical nodes of [a, b): the maximal tree nodes inside it, left to right.
void canonical_nodes(int lo, int hi, int a, int b, std::vector<Node>& nodes) {
    if (hi <= a || b <= lo) return;
    if (a <= lo && hi <= b) {
        nodes.emplace_back(lo, hi);
        return;
    }
    const int mid = lo + (hi - lo) / 2;
    canonical_nodes(lo, mid, a, b, nodes);
    canonical_nodes(mid, hi, a, b, nodes);
}

// The value of node [lo, hi) from this rank's leaves (all inside the rank's range).
template <class T>
void local_node(const ShardRange& range, const T* leaves, long length, int lo, int hi,
                double* out) {
    if (hi - lo == 1) {
        const T* leaf = leaves + long(lo - range.first) * length;
        for (long i = 0; i < length; ++i) out[i] = double(leaf[i]);
        return;
    }
    const int mid = lo + (hi - lo) / 2;
    std::vector<double> right(length);
    local_node(range, leaves, length, lo, mid, out);
    local_node(range, leaves, length, mid, hi, right.data());
    for (long i = 0; i < length; ++i) out[i] += right[i];
}

// The value of node [lo, hi) from the nodes all ranks computed (the same sum as local_node).
void assembled_node(const std::map<Node, const double*>& known, long length, int lo, int hi,
                    double* out) {
    if (auto it = known.find({lo, hi}); it != known.end()) {
        std::copy_n(it->second, length, out);
        return;
    }
    if (hi - lo == 1) throw std::logic_error("tree_sum: shard " + std::to_string(lo) + " missing");
    const int mid = lo + (hi - lo) / 2;
    std::vector<double> right(length);
    assembled_node(known, length, lo, mid, out);
    assembled_node(known, length, mid, hi, right.data());
    for (long i = 0; i < length; ++i) out[i] += right[i];
}

template <class T>
void tree_sum_impl(Communicator& comm, const ShardRange& range, const T* leaves, long length,
                   double* out) {
    if (range.shards == 0) {
        std::fill_n(out, length, 0.0);
        return;
    }
    std::vector<Node> mine;
    canonical_nodes(0, range.shards, range.first, range.first + range.count, mine);
    if (comm.size() == 1) {
        local_node(range, leaves, length, 0, range.shards, out);
        return;
    }
    // Message: [node count, (lo, hi)…, values of each node…] (small integers are exact doubles).
    std::vector<double> message{double(mine.size())};
    for (const Node& node : mine) {
        message.push_back(node.first);
        message.push_back(node.second);
    }
    const std::size_t header = message.size();
    message.resize(header + mine.size() * std::size_t(length));
    for (std::size_t k = 0; k < mine.size(); ++k) {
        local_node(range, leaves, length, mine[k].first, mine[k].second,
                   message.data() + header + k * length);
    }
    const std::vector<double> all = comm.all_gather(message);
    std::map<Node, const double*> known;
    for (std::size_t at = 0; at < all.size();) {
        const std::size_t nodes = std::size_t(all[at]);
        const double* values = all.data() + at + 1 + 2 * nodes;
        for (std::size_t k = 0; k < nodes; ++k) {
            known[{int(all[at + 1 + 2 * k]), int(all[at + 2 + 2 * k])}] = values + k * length;
        }
        at += 1 + 2 * nodes + nodes * std::size_t(length);
    }
    assembled_node(known, length, 0, range.shards, out);
}

}  // namespace

std::unique_ptr<Communicator> local_communicator() {
    return std::make_unique<LocalCommunicator>();
}

int ShardRange::size(int j) const {
    return std::min(examples, (j + 1) * shard_size) - j * shard_size;
}

int ShardRange::local_examples() const {
    return count == 0 ? 0 : begin(first + count - 1) + size(first + count - 1) - begin(first);
}

ShardRange shard_range(int n, int shard_size, int rank, int ranks) {
    ShardRange r;
    r.shard_size = shard_size;
    r.examples = n;
    r.shards = (n + shard_size - 1) / shard_size;
    r.first = int(long(r.shards) * rank / ranks);
    r.count = int(long(r.shards) * (rank + 1) / ranks) - r.first;
    return r;
}

void tree_sum(Communicator& comm, const ShardRange& range, const float* leaves, long length,
              double* out) {
    tree_sum_impl(comm, range, leaves, length, out);
}
void tree_sum(Communicator& comm, const ShardRange& range, const double* leaves, long length,
              double* out) {
    tree_sum_impl(comm, range, leaves, length, out);
}

}  // namespace gradcert::engine
