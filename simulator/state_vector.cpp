// StateVector<Real>: kernels applied over the whole index range with parallel_for; reductions
// with exact sums; sampling in one pass over the amplitudes for all shots.
#include "simulator/state_vector.hpp"

#include <algorithm>
#include <cstring>

#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "simulator/blocked.hpp"
#include "simulator/diagonal_controls.hpp"
#include "simulator/file_output.hpp"
#include "simulator/kernels/simd_kernels.hpp"
#include "simulator/parallel.hpp"
#include "simulator/permute.hpp"
#include "simulator/sampling.hpp"

namespace qstate {

std::string to_string(Precision p) {
  return p == Precision::kSingle ? "single" : "double";
}

namespace {

template <class Real>
std::vector<std::complex<Real>> convert(const std::vector<Complex>& in) {
  std::vector<std::complex<Real>> out(in.size());
  for (std::size_t i = 0; i < in.size(); ++i)
    out[i] = {static_cast<Real>(in[i].real()), static_cast<Real>(in[i].imag())};
  return out;
}

std::vector<unsigned> positions(const std::vector<Qubit>& qubits) {
  return {qubits.begin(), qubits.end()};
}

// Exact sums of the two halves of a qubit, merged across threads.
struct HalfSums {
  ExactSum::Raw raw[2] = {0, 0};
  HalfSums& operator+=(const HalfSums& o) {
    raw[0] += o.raw[0];
    raw[1] += o.raw[1];
    return *this;
  }
};

std::uint64_t control_values(const GateOp& op) {
  std::uint64_t v = 0;
  for (std::size_t j = 0; j < op.controls.size(); ++j)
    if (op.control_value(j)) v |= std::uint64_t{1} << j;
  return v;
}

}  // namespace

template <class Real>
StateVector<Real>::StateVector(unsigned num_qubits)
    : num_qubits_(num_qubits),
      amp_(std::size_t{1} << num_qubits),
      layout_(num_qubits),
      block_qubits_(default_block_qubits(sizeof(Amplitude))) {
  set_zero_state();
}

template <class Real>
Precision StateVector<Real>::precision() const {
  return sizeof(Real) == sizeof(float) ? Precision::kSingle : Precision::kDouble;
}

template <class Real>
void StateVector<Real>::set_zero_state() {
  Amplitude* a = amp_.data();
  parallel_for(size(), kParallelGrain, [a](std::uint64_t begin, std::uint64_t end) {
    std::memset(static_cast<void*>(a + begin), 0, (end - begin) * sizeof(Amplitude));
  });
  a[0] = Amplitude(1, 0);
  layout_ = Layout(num_qubits_);  // |0...0> is the same in every layout
}

template <class Real>
void StateVector<Real>::apply(const GateOp& op) {
  if (is_plain_swap(op)) {
    layout_.swap_qubits(op.targets[0], op.targets[1]);
    return;
  }
  GateOp placed = op;
  for (Qubit& q : placed.controls) q = layout_.position(q);
  for (Qubit& q : placed.targets) q = layout_.position(q);
  apply_at_positions(placed);
}

void State::apply_run(const Op* begin, const Op* end) {
  for (const Op* op = begin; op != end; ++op) {
    if (const auto* g = std::get_if<GateOp>(op)) apply(*g);
    if (const auto* r = std::get_if<RemapOp>(op)) apply(*r);
  }
}

template <class Real>
void StateVector<Real>::apply_run(const Op* begin, const Op* end) {
  const unsigned b = block_qubits_;
  std::size_t widest = 0;
  for (const Op* op = begin; op != end; ++op)
    widest = std::max(widest, qubits_needing_local(*op).size());
  if (b == 0 || num_qubits_ < b + 2 || end - begin < 2 || widest > b) {
    State::apply_run(begin, end);
    return;
  }
  // Plan with the block's positions as the local ones, on a "block layout": a remap brings high
  // qubits into the block set (moving no data), relabellings change both layouts alike. The
  // block set is where the block layout's low b positions are in memory; its lowest c positions
  // never change (they make the contiguous chunks of a gathered block).
  Layout in_blocks = layout_;
  std::vector<Op> planned(begin, end);
  plan_block_run(planned, num_qubits_, b, in_blocks, sizeof(Amplitude),
                 static_cast<unsigned>(widest));
  const auto block_mask = [&] {
    std::uint64_t mask = 0;
    for (unsigned p = 0; p < b; ++p)
      mask |= std::uint64_t{1} << layout_.position(in_blocks.qubit_at(p));
    return mask;
  };
  std::uint64_t mask = block_mask();
  std::vector<GateOp> placed_gates;  // since the last remap, at state positions
  // Moves of whole chunks of at least a sixteenth of a block, in pieces of a quarter block.
  const unsigned min_chunk = b > 4 ? b - 4 : 1;
  const unsigned merge_width = max_merged_permutation();
  const auto flush = [&] {
    if (placed_gates.empty()) return;
    if (const auto moves = plan_chunk_moves(placed_gates, min_chunk)) {
      apply_chunk_moves(amp_.data(), num_qubits_, *moves, b - 2);
      work_.passes += static_cast<double>(moves->moved) / static_cast<double>(moves->source.size());
      placed_gates.clear();
      return;
    }
    const std::vector<BlockGate<Real>> run =
        prepare_block_gates<Real>(std::move(placed_gates), mask, merge_width);
    placed_gates.clear();
    work_.flops += run_blocked(amp_.data(), num_qubits_, mask, run);
    work_.passes += 1;
  };
  for (Op& op : planned) {  // gates move out of `planned`: one copy of each at a time
    if (auto* g = std::get_if<GateOp>(&op)) {
      GateOp& placed = placed_gates.emplace_back(std::move(*g));
      for (Qubit& q : placed.controls) q = layout_.position(q);
      for (Qubit& q : placed.targets) q = layout_.position(q);
    } else if (const auto* r = std::get_if<RemapOp>(&op)) {
      for (const auto& [a, q] : r->pairs) in_blocks.swap_qubits(a, q);
      if (r->relabel) {
        for (const auto& [a, q] : r->pairs) layout_.swap_qubits(a, q);
        continue;
      }
      flush();  // the gates so far ran on the old block set; the next ones gather the new one
      mask = block_mask();
    }
  }
  flush();
}

template <class Real>
void StateVector<Real>::canonicalize() {
  if (layout_.is_identity()) return;
  permute_positions(amp_.data(), num_qubits_, std::span<const unsigned>(layout_.positions()));
  layout_ = Layout(num_qubits_);
  work_.passes += 1;
}

template <class Real>
kernels::PauliMasks StateVector<Real>::to_positions(const kernels::PauliMasks& pauli) const {
  return {layout_.position_bits(pauli.x_mask), layout_.position_bits(pauli.z_mask), pauli.num_y};
}

template <class Real>
void StateVector<Real>::apply_at_positions(const GateOp& given) {
  const GateOp op = diagonal_with_controls(given);
  const GateMatrix& m = op.matrix;
  if (m.num_targets > kernels::kMaxDenseTargets && m.kind != MatrixKind::kDiagonal)
    throw Error("gate '" + op.name + "' acts on " + std::to_string(m.num_targets) +
                " targets; at most " + std::to_string(kernels::kMaxDenseTargets) +
                " are supported for non-diagonal gates");
  const auto targets = positions(op.targets);
  const auto controls = positions(op.controls);
  const kernels::Placement pl(targets, controls, control_values(op));
  const std::uint64_t groups = pl.num_groups(num_qubits_);
  const std::vector<Amplitude> entries = convert<Real>(m.entries);
  Amplitude* a = amp_.data();
  const std::uint64_t grain = std::max<std::uint64_t>(1, kParallelGrain >> m.num_targets);
  const double touched = static_cast<double>(groups) * static_cast<double>(m.dim());
  work_.passes += touched / static_cast<double>(size());
  // A complex multiply-add is 8 flops; a diagonal entry is one complex multiply (6).
  if (m.kind == MatrixKind::kDense) work_.flops += touched * static_cast<double>(m.dim()) * 8.0;
  if (m.kind == MatrixKind::kDiagonal) work_.flops += touched * 6.0;
  switch (m.kind) {
    case MatrixKind::kDense:
      parallel_for(groups, grain, [&](std::uint64_t begin, std::uint64_t end) {
        kernels::dense(a, pl, entries.data(), begin, end);
      });
      break;
    case MatrixKind::kDiagonal:
      parallel_for(groups, grain, [&](std::uint64_t begin, std::uint64_t end) {
        kernels::diagonal(a, pl, entries.data(), begin, end);
      });
      break;
    case MatrixKind::kPermutation: {
      const bool unit = std::all_of(m.entries.begin(), m.entries.end(),
                                    [](const Complex& c) { return c == Complex(1.0, 0.0); });
      parallel_for(groups, grain, [&](std::uint64_t begin, std::uint64_t end) {
        kernels::permutation(a, pl, m.perm.data(), entries.data(), unit, begin, end);
      });
      break;
    }
  }
}

template <class Real>
void StateVector<Real>::apply(const RemapOp& op) {
  if (!op.relabel) return;
  for (const auto& [a, b] : op.pairs) layout_.swap_qubits(a, b);
}

template <class Real>
std::array<ExactSum, 2> StateVector<Real>::qubit_weights(Qubit q) {
  const unsigned pos = layout_.position(q);
  const Amplitude* a = amp_.data();
  const HalfSums w = parallel_reduce<HalfSums>(
      size(), kParallelGrain, [&](std::uint64_t begin, std::uint64_t end, HalfSums& acc) {
        kernels::accumulate_half_weights(a, pos, begin, end, acc.raw);
      });
  return {ExactSum::from_raw(w.raw[0]), ExactSum::from_raw(w.raw[1])};
}

template <class Real>
void StateVector<Real>::collapse(Qubit q, bool outcome, double scale, bool to_zero) {
  const unsigned pos = layout_.position(q);
  const kernels::Placement pairs(std::span<const unsigned>(&pos, 1), {}, 0);
  Amplitude* a = amp_.data();
  const auto s = static_cast<Real>(scale);
  parallel_for(pairs.num_groups(num_qubits_), kParallelGrain,
               [&](std::uint64_t begin, std::uint64_t end) {
                 kernels::collapse_pairs(a, pairs, outcome, s, to_zero, begin, end);
               });
}

template <class Real>
std::vector<std::uint64_t> StateVector<Real>::sample(std::span<const std::uint64_t> draws) {
  std::vector<std::uint64_t> outcome(draws.size(), 0);
  if (draws.empty()) return outcome;
  canonicalize();
  const SliceSampler<Real> sampler(amp_.data(), size());
  if (sampler.total() <= 0) throw Error("cannot sample: the state has zero norm");
  sampler.assign(sample_targets(sampler.total(), draws), 0, 0, outcome);
  return outcome;
}

template <class Real>
ExactSum StateVector<Real>::expectation_sum(const kernels::PauliMasks& on_qubits) const {
  const kernels::PauliMasks pauli = to_positions(on_qubits);
  const Amplitude* a = amp_.data();
  const std::uint64_t block = std::min(size(), kernels::kReadBlock);
  const kernels::PauliZ z{pauli.z_mask, pauli.num_y};
  const kernels::PauliGroup group(pauli.x_mask, std::span(&z, 1), block);
  return parallel_reduce<ExactSum>(size() / block,
                                   std::max<std::uint64_t>(1, kParallelGrain / block),
                                   [&](std::uint64_t begin, std::uint64_t end, ExactSum& acc) {
                                     ExactSum::Raw raw = 0;
                                     kernels::accumulate_pauli_group(a, group, 0, begin, end, &raw);
                                     acc += ExactSum::from_raw(raw);
                                   });
}

template <class Real>
double StateVector<Real>::expectation(const kernels::PauliMasks& pauli) {
  return expectation_sum(pauli).value();
}

// (expectation_sum takes masks over qubits and maps them to positions.)

template <class Real>
std::vector<double> StateVector<Real>::probabilities() {
  canonicalize();
  std::vector<double> out(size());
  const Amplitude* a = amp_.data();
  parallel_for(size(), kParallelGrain, [&](std::uint64_t begin, std::uint64_t end) {
    for (std::uint64_t i = begin; i < end; ++i) out[i] = kernels::norm2(a[i]);
  });
  return out;
}

template <class Real>
std::vector<std::complex<double>> StateVector<Real>::amplitudes() {
  canonicalize();
  std::vector<std::complex<double>> out(size());
  const Amplitude* a = amp_.data();
  parallel_for(size(), kParallelGrain, [&](std::uint64_t begin, std::uint64_t end) {
    for (std::uint64_t i = begin; i < end; ++i) out[i] = {a[i].real(), a[i].imag()};
  });
  return out;
}

template <class Real>
void StateVector<Real>::write_amplitudes(const std::string& path, const std::string& header) {
  canonicalize();
  write_file_atomically(path, amp_.data(), size() * sizeof(Amplitude));
  write_file_atomically(path + ".json", header.data(), header.size());
}

template <class Real>
std::unique_ptr<State> StateVector<Real>::clone() const {
  auto copy = std::make_unique<StateVector<Real>>(num_qubits_);
  copy->assign(*this);
  return copy;
}

template <class Real>
void StateVector<Real>::assign(const State& other) {
  const auto& src = dynamic_cast<const StateVector<Real>&>(other);
  if (src.num_qubits_ != num_qubits_) throw Error("internal: assigning states of different sizes");
  layout_ = src.layout_;
  const Amplitude* from = src.amp_.data();
  Amplitude* to = amp_.data();
  parallel_for(size(), kParallelGrain, [&](std::uint64_t begin, std::uint64_t end) {
    std::memcpy(static_cast<void*>(to + begin), from + begin, (end - begin) * sizeof(Amplitude));
  });
}

template class StateVector<float>;
template class StateVector<double>;

}  // namespace qstate
