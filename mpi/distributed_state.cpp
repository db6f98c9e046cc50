// DistributedState<Real>: local kernels on the slice, exchanges through the Communicator.
#include "mpi/distributed_state.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>

#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "circuits/passes/distribute.hpp"
#include "simulator/file_output.hpp"
#include "simulator/kernels/reductions.hpp"
#include "simulator/sampling.hpp"

namespace qstate::mpi {
namespace {

// The identity stored as `m` is: the same kind and size, so plans do not change.
GateMatrix identity_like(const GateMatrix& m) {
  const bool dense = m.kind == MatrixKind::kDense;
  std::vector<Complex> ident(dense ? m.dim() * m.dim() : m.dim());
  for (std::size_t i = 0; i < m.dim(); ++i) ident[dense ? i * m.dim() + i : i] = Complex(1.0, 0.0);
  if (dense) return GateMatrix::dense(m.num_targets, std::move(ident));
  std::vector<std::uint32_t> perm(m.dim());
  for (std::uint32_t i = 0; i < perm.size(); ++i) perm[i] = i;
  return GateMatrix::permutation(m.num_targets, std::move(perm), std::move(ident));
}

unsigned log2_exact(int ranks) {
  const auto r = static_cast<unsigned>(ranks);
  if (ranks < 1 || !std::has_single_bit(r))
    throw Error("qstate needs a power-of-two number of MPI ranks (1, 2, 4, 8, ...), not " +
                std::to_string(ranks));
  return static_cast<unsigned>(std::countr_zero(r));
}

// Largest power of two not above x (x >= 1).
std::uint64_t floor_pow2(std::uint64_t x) {
  return std::bit_floor(std::max<std::uint64_t>(x, 1));
}

}  // namespace

template <class Real>
DistributedState<Real>::DistributedState(const Communicator& comm, unsigned num_qubits,
                                         std::uint64_t buffer_bytes)
    : comm_(comm),
      num_qubits_(num_qubits),
      local_qubits_(num_qubits - std::min(num_qubits, log2_exact(comm.size()))),
      local_(local_qubits_),
      initial_layout_(num_qubits),
      layout_(num_qubits) {
  if (local_qubits_ == 0 || log2_exact(comm.size()) >= num_qubits)
    throw Error(std::to_string(comm.size()) + " ranks are too many for " +
                std::to_string(num_qubits) + " qubits");
  // Half of the buffer sends, half receives; each message well under 2^31 bytes.
  const std::uint64_t per_side = std::min<std::uint64_t>(buffer_bytes / 2, std::uint64_t{1} << 30);
  chunk_ = std::min(floor_pow2(per_side / sizeof(Amplitude)), local_.size());
  bytes_at_start_ = comm_.bytes_sent();
  send_ = AlignedBuffer<Amplitude>(chunk_);
  recv_ = AlignedBuffer<Amplitude>(chunk_);
  set_zero_state();
}

template <class Real>
std::uint64_t DistributedState<Real>::memory_bytes() const {
  return local_.memory_bytes() + 2 * chunk_ * sizeof(Amplitude);
}

template <class Real>
void DistributedState<Real>::set_initial_layout(const Layout& layout) {
  initial_layout_ = layout;
  layout_ = layout;
}

template <class Real>
void DistributedState<Real>::set_zero_state() {
  local_.set_zero_state();
  if (comm_.rank() != 0) local_.data()[0] = Amplitude(0, 0);  // |0...0> lives on rank 0
  layout_ = initial_layout_;
}

template <class Real>
GateOp DistributedState<Real>::localize(const GateOp& op) const {
  GateOp local;
  local.name = op.name;
  bool skipped = false;         // a global control does not hold on this rank
  bool rank_dependent = false;  // the gate runs on some ranks only
  for (std::size_t j = 0; j < op.controls.size(); ++j) {
    const unsigned p = layout_.position(op.controls[j]);
    if (p >= local_qubits_) {
      rank_dependent = true;
      if (rank_bit(p) != op.control_value(j)) skipped = true;
      continue;
    }
    if (!op.control_value(j)) local.open_controls |= std::uint64_t{1} << local.controls.size();
    local.controls.push_back(p);
  }
  const GateMatrix& m = op.matrix;
  if (m.kind == MatrixKind::kDiagonal) {
    // Global targets are fixed by the rank: keep the sub-diagonal where they hold its bits.
    std::uint64_t fixed = 0;
    std::vector<unsigned> slot;  // matrix bit of each local target
    for (std::size_t j = 0; j < op.targets.size(); ++j) {
      const unsigned p = layout_.position(op.targets[j]);
      if (p >= local_qubits_) {
        if (rank_bit(p)) fixed |= std::uint64_t{1} << j;
      } else {
        slot.push_back(static_cast<unsigned>(j));
        local.targets.push_back(p);
      }
    }
    std::vector<Complex> diag(std::size_t{1} << slot.size(), Complex(1.0, 0.0));
    if (!skipped)
      for (std::size_t i = 0; i < diag.size(); ++i) {
        std::uint64_t full = fixed;
        for (std::size_t b = 0; b < slot.size(); ++b)
          if ((i >> b) & 1U) full |= std::uint64_t{1} << slot[b];
        diag[i] = m.entries[full];
      }
    local.matrix = GateMatrix::diagonal(static_cast<unsigned>(slot.size()), std::move(diag));
  } else {
    for (Qubit q : op.targets) {
      const unsigned p = layout_.position(q);
      if (p >= local_qubits_)
        throw Error("internal: gate '" + op.name + "' targets a global position (missing remap)");
      local.targets.push_back(p);
    }
    // Where a global control fails, the gate is the identity of the same kind: every rank's
    // slice then plans (cache blocking) and lays out its data alike.
    local.matrix = skipped ? identity_like(m) : m;
  }
  // A SWAP that runs on some ranks only must move data: a relabelling would give the ranks'
  // slices different layouts.
  local.may_relabel = !rank_dependent;
  return local;
}

template <class Real>
void DistributedState<Real>::apply(const GateOp& op) {
  local_.apply(localize(op));
}

template <class Real>
void DistributedState<Real>::apply_run(const Op* begin, const Op* end) {
  std::vector<Op> run;  // the run on this rank's slice, in its positions
  for (const Op* op = begin; op != end; ++op) {
    if (const auto* g = std::get_if<GateOp>(op)) {
      run.emplace_back(localize(*g));
      continue;
    }
    local_.apply_run(run.data(), run.data() + run.size());
    run.clear();
    apply(std::get<RemapOp>(*op));
  }
  local_.apply_run(run.data(), run.data() + run.size());
}

template <class Real>
void DistributedState<Real>::apply(const RemapOp& op) {
  if (op.relabel) {
    for (const auto& [a, b] : op.pairs) layout_.swap_qubits(a, b);
    return;
  }
  exchange_pairs(op.pairs);
}

template <class Real>
void DistributedState<Real>::exchange_pairs(const std::vector<std::pair<Qubit, Qubit>>& pairs) {
  if (pairs.empty()) return;
  const auto k = static_cast<unsigned>(pairs.size());
  std::vector<unsigned> local_pos;
  int pattern = 0;  // this rank's bits at the global positions, as a k-bit number
  std::vector<int> rank_masks;
  for (unsigned j = 0; j < k; ++j) {
    const unsigned g = layout_.position(pairs[j].first);
    const unsigned l = layout_.position(pairs[j].second);
    if (g < local_qubits_ || l >= local_qubits_)
      throw Error("internal: remap pair is not (global, local)");
    local_pos.push_back(local_.layout().position(l));  // where the slice keeps position l
    rank_masks.push_back(1 << (g - local_qubits_));
    if (rank_bit(g)) pattern |= 1 << j;
  }
  Amplitude* amp = local_.data();
  const std::uint64_t groups = std::uint64_t{1} << (local_qubits_ - k);
  // With partner pattern p, this rank sends its amplitudes whose local bits at local_pos spell p
  // (they belong to p after the swap) and receives p's amplitudes whose bits spell this rank's
  // pattern, which land in the same slots. Every rank walks the partners in the same order.
  for (int m = 1; m < (1 << k); ++m) {
    int partner = comm_.rank();
    for (unsigned j = 0; j < k; ++j)
      if ((m >> j) & 1) partner ^= rank_masks[j];
    const kernels::Placement slots({}, local_pos, static_cast<std::uint64_t>(pattern ^ m));
    for (std::uint64_t start = 0; start < groups; start += chunk_) {
      const std::uint64_t count = std::min(chunk_, groups - start);
      std::uint64_t i = 0;
      slots.for_each_base(start, start + count, [&](std::uint64_t b) { send_[i++] = amp[b]; });
      comm_.exchange(send_.data(), recv_.data(), count * sizeof(Amplitude), partner);
      i = 0;
      slots.for_each_base(start, start + count, [&](std::uint64_t b) { amp[b] = recv_[i++]; });
    }
  }
  for (const auto& [a, b] : pairs) layout_.swap_qubits(a, b);
  ++remaps_;
}

template <class Real>
std::uint64_t DistributedState<Real>::to_memory(std::uint64_t local_bits) const {
  std::uint64_t out = 0;
  for (unsigned p = 0; p < local_qubits_; ++p)
    if ((local_bits >> p) & 1U) out |= std::uint64_t{1} << local_.layout().position(p);
  return out;
}

template <class Real>
void DistributedState<Real>::scale_slice(double factor) {
  GateOp scale;
  scale.name = "scale";
  scale.matrix = GateMatrix::diagonal(0, {Complex(factor, 0.0)});
  local_.apply(scale);
}

template <class Real>
std::array<ExactSum, 2> DistributedState<Real>::qubit_weights(Qubit q) {
  const unsigned p = layout_.position(q);
  std::array<ExactSum, 2> w;
  if (p < local_qubits_) {
    w = local_.qubit_weights(p);
  } else {
    std::array<ExactSum, 2> halves = local_.qubit_weights(0);
    ExactSum total = halves[0];
    total += halves[1];
    w[rank_bit(p) ? 1 : 0] = total;
  }
  return {comm_.sum(w[0]), comm_.sum(w[1])};
}

template <class Real>
void DistributedState<Real>::collapse(Qubit q, bool outcome, double scale, bool to_zero) {
  const unsigned p = layout_.position(q);
  if (p < local_qubits_) {
    local_.collapse(p, outcome, scale, to_zero);
    return;
  }
  if (to_zero) throw Error("internal: reset of a qubit in a global position (missing remap)");
  scale_slice(rank_bit(p) == outcome ? scale : 0.0);
}

template <class Real>
void DistributedState<Real>::canonicalize() {
  exchange_pairs(canonical_exchanges(layout_, local_qubits_));
  // The low qubits are now all local; put each at its own position with local swaps.
  for (unsigned p = 0; p < local_qubits_; ++p) {
    const Qubit here = layout_.qubit_at(p);
    if (here == p) continue;
    const unsigned where = layout_.position(p);
    local_.apply(make_gate("swap", {}, {p, where}));
    layout_.swap_qubits(here, p);
  }
}

template <class Real>
std::uint64_t DistributedState<Real>::logical_block_of(int rank) const {
  std::uint64_t block = 0;
  for (unsigned j = 0; j + local_qubits_ < num_qubits_; ++j)
    if ((static_cast<unsigned>(rank) >> j) & 1U)
      block |= std::uint64_t{1} << (layout_.qubit_at(local_qubits_ + j) - local_qubits_);
  return block;
}

template <class Real>
std::uint64_t DistributedState<Real>::logical_block() const {
  return logical_block_of(comm_.rank());
}

template <class Real>
std::vector<std::uint64_t> DistributedState<Real>::sample(std::span<const std::uint64_t> draws) {
  std::vector<std::uint64_t> outcome(draws.size(), 0);
  if (draws.empty()) return outcome;
  canonicalize();
  local_.canonicalize();
  const SliceSampler<Real> sampler(local_.data(), local_.size());
  const std::vector<ExactSum::Raw> totals = comm_.all_gather(sampler.total());
  // Blocks in logical order: this rank's slice starts after the weight of all lower blocks.
  const std::uint64_t mine = logical_block();
  ExactSum::Raw start = 0;
  ExactSum::Raw total = 0;
  for (int r = 0; r < comm_.size(); ++r) {
    total += totals[static_cast<std::size_t>(r)];
    if (logical_block_of(r) < mine) start += totals[static_cast<std::size_t>(r)];
  }
  if (total <= 0) throw Error("cannot sample: the state has zero norm");
  const std::vector<SampleTarget> targets = sample_targets(total, draws);
  sampler.assign(targets, start, mine << local_qubits_, outcome);
  comm_.sum_in_place(outcome);  // each shot was found by exactly one rank
  return outcome;
}

template <class Real>
double DistributedState<Real>::expectation(const kernels::PauliMasks& pauli) {
  return expectations(std::span(&pauli, 1))[0];
}

// Strings with no X on a global position are summed on each slice alone. The others pair index
// i with i ^ x on the partner rank (rank ^ the string's global X bits): the partner's slice
// streams through the buffer chunk by chunk, once for all the strings with that partner, and
// each adds Re(conj(a_j) s_i a_i) for the local i its chunk pairs with. The sums are exact, so
// the order in which strings and chunks are added does not change a bit.
template <class Real>
std::vector<double> DistributedState<Real>::expectations(
    std::span<const kernels::PauliMasks> strings) {
  const std::uint64_t local_mask = (std::uint64_t{1} << local_qubits_) - 1;
  const auto rank = static_cast<std::uint64_t>(comm_.rank());
  const std::uint64_t chunk = chunk_;
  const std::uint64_t index_offset = rank << local_qubits_;
  const Amplitude* amp = local_.data();
  std::vector<ExactSum> sums(strings.size());
  std::map<std::uint64_t, std::vector<std::size_t>> by_partner;  // global X bits -> strings
  std::vector<kernels::PauliMasks> pos(strings.size());          // the strings on positions
  for (std::size_t t = 0; t < strings.size(); ++t) {
    pos[t] = {layout_.position_bits(strings[t].x_mask), layout_.position_bits(strings[t].z_mask),
              strings[t].num_y};
    if (const std::uint64_t x_global = pos[t].x_mask >> local_qubits_; x_global != 0) {
      by_partner[x_global].push_back(t);
      continue;
    }
    const kernels::PauliMasks local{pos[t].x_mask, pos[t].z_mask & local_mask, pos[t].num_y};
    sums[t] = local_.expectation_sum(local);
    if (std::popcount(rank & (pos[t].z_mask >> local_qubits_)) & 1)
      sums[t] = ExactSum::from_raw(-sums[t].raw());
  }
  for (const auto& [x_global, members] : by_partner) {
    const int partner = static_cast<int>(rank ^ x_global);
    // Each string's local X bits as the slice stores them (every rank's slice has the same
    // layout): the chunk (x_high) and the offset in it (x_low) its partners are at.
    std::vector<std::uint64_t> x_high(members.size()), x_low(members.size());
    for (std::size_t m = 0; m < members.size(); ++m) {
      kernels::PauliMasks& p = pos[members[m]];
      const std::uint64_t x_local = to_memory(p.x_mask & local_mask);
      p.z_mask = to_memory(p.z_mask & local_mask) | (p.z_mask & ~local_mask);
      x_high[m] = x_local / chunk;
      x_low[m] = x_local % chunk;
    }
    for (std::uint64_t c = 0; c < local_.size() / chunk; ++c) {
      // The partner's chunk c pairs with local chunk c ^ x_high of each string.
      std::memcpy(static_cast<void*>(send_.data()), amp + c * chunk, chunk * sizeof(Amplitude));
      comm_.exchange(send_.data(), recv_.data(), chunk * sizeof(Amplitude), partner);
      for (std::size_t m = 0; m < members.size(); ++m) {
        const std::uint64_t mine = c ^ x_high[m];
        kernels::accumulate_pauli_cross(amp + mine * chunk, recv_.data(), chunk, x_low[m],
                                        pos[members[m]], index_offset + mine * chunk,
                                        sums[members[m]]);
      }
    }
  }
  std::vector<double> out;
  out.reserve(strings.size());
  for (const ExactSum& sum : sums) out.push_back(comm_.sum(sum).value());
  return out;
}

template <class Real>
std::vector<double> DistributedState<Real>::probabilities() {
  canonicalize();
  std::vector<double> slice = local_.probabilities();
  return gather_blocks(slice);
}

template <class Real>
std::vector<std::complex<double>> DistributedState<Real>::amplitudes() {
  canonicalize();
  std::vector<std::complex<double>> slice = local_.amplitudes();
  return gather_blocks(slice);
}

template <class Real>
template <class T>
std::vector<T> DistributedState<Real>::gather_blocks(const std::vector<T>& slice) {
  const std::size_t n = slice.size();
  std::vector<T> all;
  if (!comm_.is_root()) {
    comm_.send(slice.data(), n * sizeof(T), 0);
    return all;
  }
  all.resize(n * static_cast<std::size_t>(comm_.size()));
  std::copy(slice.begin(), slice.end(),
            all.begin() + static_cast<std::ptrdiff_t>(logical_block() * n));
  for (int r = 1; r < comm_.size(); ++r)
    comm_.receive(all.data() + logical_block_of(r) * n, n * sizeof(T), r);
  return all;
}

template <class Real>
void DistributedState<Real>::write_amplitudes(const std::string& path, const std::string& header) {
  canonicalize();
  local_.canonicalize();
  // One temporary name for all ranks (rank 0's), renamed by rank 0 when every block is written.
  const std::string tmp = comm_.broadcast(temporary_path(path), 0);
  const std::uint64_t slice_bytes = local_.size() * sizeof(Amplitude);
  std::string error =
      comm_.write_at_all(tmp, logical_block() * slice_bytes, local_.data(), slice_bytes);
  if (!error.empty()) error = "cannot write '" + path + "': " + error;
  if (error.empty() && comm_.is_root()) {
    try {
      if (std::rename(tmp.c_str(), path.c_str()) != 0)
        throw Error("cannot write '" + path + "': " + std::strerror(errno));
      write_file_atomically(path + ".json", header.data(), header.size());
    } catch (const Error& e) {
      error = e.what();
    }
  }
  if (!comm_.any(!error.empty())) return;
  if (comm_.is_root()) std::remove(tmp.c_str());
  throw Error(comm_.broadcast(error, 0));  // rank 0 holds the reason in either case
}

template <class Real>
std::unique_ptr<State> DistributedState<Real>::clone() const {
  auto copy =
      std::make_unique<DistributedState<Real>>(comm_, num_qubits_, 2 * chunk_ * sizeof(Amplitude));
  copy->assign(*this);
  return copy;
}

template <class Real>
void DistributedState<Real>::assign(const State& other) {
  const auto& src = dynamic_cast<const DistributedState<Real>&>(other);
  local_.assign(src.local_);
  initial_layout_ = src.initial_layout_;
  layout_ = src.layout_;
}

template <class Real>
CommunicationStats DistributedState<Real>::communication() const {
  // What this state sent: the communicator's counter may include earlier runs.
  return {comm_.size(), remaps_, comm_.max(comm_.bytes_sent() - bytes_at_start_)};
}

template class DistributedState<float>;
template class DistributedState<double>;

}  // namespace qstate::mpi
