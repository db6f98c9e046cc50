// Reading a compiled circuit's state: expectation values, marginals, amplitudes, samples and the
// gathered state vector, the same on every rank. Marginals and single amplitudes are read in
// place from each process's memory through the state's layouts (no canonicalisation, no copy).
#include <algorithm>
#include <bit>
#include <map>
#include <tuple>

#include "api/compiled.hpp"
#include "simulator/kernels/reductions.hpp"
#include "simulator/parallel.hpp"
#include "simulator/sampling.hpp"
#include "simulator/state_vector.hpp"

#include <qstate/config.hpp>
#if QSTATE_WITH_MPI
#include "mpi/distributed_state.hpp"
#endif

namespace qstate::api {
namespace {

// Where each simulated qubit of a state sits in this process's memory.
struct MemoryView {
  const void* data = nullptr;
  bool single = false;
  std::uint64_t size = 0;
  // Per simulated qubit: its bit in a local memory index, or -1 when it is a rank bit.
  std::vector<int> memory_bit;
  // Per simulated qubit with memory_bit -1: the rank bit that holds it.
  std::vector<unsigned> rank_bit;
};

template <class Real>
bool view_of(qstate::State& s, int rank, MemoryView& v) {
  (void)rank;
  if (auto* sv = dynamic_cast<StateVector<Real>*>(&s)) {
    v.data = sv->data();
    v.size = sv->size();
    v.single = std::is_same_v<Real, float>;
    for (Qubit q = 0; q < sv->num_qubits(); ++q)
      v.memory_bit[q] = static_cast<int>(sv->layout().position(q));
    return true;
  }
#if QSTATE_WITH_MPI
  if (auto* ds = dynamic_cast<mpi::DistributedState<Real>*>(&s)) {
    const StateVector<Real>& local = ds->local();
    v.data = local.data();
    v.size = local.size();
    v.single = std::is_same_v<Real, float>;
    const unsigned l = ds->local_qubits();
    for (Qubit q = 0; q < ds->num_qubits(); ++q) {
      const unsigned p = ds->layout().position(q);
      if (p < l) {
        v.memory_bit[q] = static_cast<int>(local.layout().position(p));
      } else {
        v.memory_bit[q] = -1;
        v.rank_bit[q] = p - l;
      }
    }
    return true;
  }
#endif
  return false;
}

MemoryView view(qstate::State& s, int rank) {
  MemoryView v;
  v.memory_bit.assign(s.num_qubits(), 0);
  v.rank_bit.assign(s.num_qubits(), 0);
  if (!view_of<double>(s, rank, v) && !view_of<float>(s, rank, v))
    throw Error("internal: unknown state type");
  return v;
}

struct Bins {
  std::vector<ExactSum::Raw> raw;
  Bins& operator+=(const Bins& o) {
    if (raw.empty()) raw.assign(o.raw.size(), 0);
    for (std::size_t i = 0; i < o.raw.size(); ++i) raw[i] += o.raw[i];
    return *this;
  }
};

// Exact weights of the 2^k outcomes of the marginal qubits (memory bits `bits`, -1 for bits that
// are fixed on this process and already in `base`).
template <class Real>
std::vector<ExactSum::Raw> histogram(const std::complex<Real>* amp, std::uint64_t size,
                                     const std::vector<int>& bits, std::uint64_t base) {
  const std::size_t bins = std::size_t{1} << bits.size();
  std::vector<std::pair<unsigned, unsigned>> moving;  // (memory bit, outcome bit)
  for (std::size_t j = 0; j < bits.size(); ++j)
    if (bits[j] >= 0) moving.emplace_back(static_cast<unsigned>(bits[j]), static_cast<unsigned>(j));
  // Per-thread bins only when they are small next to the work.
  const std::uint64_t grain = bins <= 4096 ? 1 << 14 : ~std::uint64_t{0};
  Bins total = parallel_reduce<Bins>(size, grain, [&](std::uint64_t b, std::uint64_t e, Bins& acc) {
    // Each thread counts into its own memory (on its stack when small): per-thread bins next to
    // each other on the heap would share cache lines.
    constexpr std::size_t kStackBins = 64;
    ExactSum::Raw on_stack[kStackBins] = {};
    std::vector<ExactSum::Raw> on_heap(bins > kStackBins ? bins : 0, 0);
    ExactSum::Raw* local = bins > kStackBins ? on_heap.data() : on_stack;
    kernels::accumulate_histogram(amp, b, e, moving, base, local);  // the engine's vectorised bins
    if (acc.raw.empty()) acc.raw.assign(bins, 0);
    for (std::size_t k = 0; k < bins; ++k) acc.raw[k] += local[k];
  });
  if (total.raw.empty()) total.raw.assign(bins, 0);
  return total.raw;
}

// Pauli strings that share an X mask, on one process's whole state: one read pass for the
// group (kernels::accumulate_pauli_group forms and quantises each block's products once; each
// string adds them with its own signs, the same integers as the per-string kernel).
template <class Real>
std::vector<ExactSum::Raw> grouped_pauli(const std::complex<Real>* amp, unsigned positions,
                                         std::uint64_t x,
                                         const std::vector<kernels::PauliZ>& terms) {
  const std::uint64_t size = std::uint64_t{1} << positions;
  const std::uint64_t block = std::min(size, kernels::kReadBlock);
  const kernels::PauliGroup group(x, terms, block);
  Bins total =
      parallel_reduce<Bins>(size / block, std::max<std::uint64_t>(1, kParallelGrain / block),
                            [&](std::uint64_t b, std::uint64_t e, Bins& acc) {
                              if (acc.raw.empty()) acc.raw.assign(terms.size(), 0);
                              kernels::accumulate_pauli_group(amp, group, 0, b, e, acc.raw.data());
                            });
  if (total.raw.empty()) total.raw.assign(terms.size(), 0);
  return total.raw;
}

// Values of distinct Pauli strings (on qubits) of a state held whole by this process, grouped by
// X mask; false when the state is not such a StateVector.
template <class Real>
bool grouped_values(qstate::State& s, const std::vector<kernels::PauliMasks>& strings,
                    std::vector<double>& values) {
  auto* sv = dynamic_cast<StateVector<Real>*>(&s);
  if (sv == nullptr) return false;
  const Layout& layout = sv->layout();
  std::map<std::uint64_t, std::vector<std::size_t>> groups;  // memory X mask -> strings
  for (std::size_t i = 0; i < strings.size(); ++i)
    groups[layout.position_bits(strings[i].x_mask)].push_back(i);
  values.assign(strings.size(), 0.0);
  for (const auto& [x, members] : groups) {
    if (members.size() == 1) {  // nothing to share: the engine's own kernel
      values[members[0]] = s.expectation(strings[members[0]]);
      continue;
    }
    std::vector<kernels::PauliZ> terms;
    for (std::size_t m : members)
      terms.push_back(kernels::PauliZ{layout.position_bits(strings[m].z_mask), strings[m].num_y});
    const std::vector<ExactSum::Raw> raw = grouped_pauli(sv->data(), sv->num_qubits(), x, terms);
    for (std::size_t t = 0; t < members.size(); ++t)
      values[members[t]] = ExactSum::from_raw(raw[t]).value();
  }
  return true;
}

}  // namespace

unsigned State::num_qubits() const {
  return c_->program().declared_qubits;
}
Precision State::precision() const {
  return c_->context().options().precision;
}
bool State::distributed() const {
  return c_->distributed();
}
std::uint64_t State::memory_bytes() const {
  return c_->ran() ? c_->state().memory_bytes() : 0;
}
CommunicationStats State::communication() const {
  return c_->ran() ? c_->state().communication() : CommunicationStats{};
}

namespace {

struct MaskKey {
  std::uint64_t x, z;
  unsigned y;
  bool operator<(const MaskKey& o) const { return std::tie(x, z, y) < std::tie(o.x, o.z, o.y); }
};

// A Pauli sum on the simulated qubits: (coefficient, masks) per term that is not zero.
std::vector<std::pair<double, kernels::PauliMasks>> compile_sum(const detail::Compiled& c,
                                                                const PauliSum& sum) {
  const unsigned n = c.program().declared_qubits;
  if (sum.size() == 0) throw Error("the Pauli sum has no terms");
  if (sum.num_qubits() != n)
    throw Error("Pauli labels of " + std::to_string(sum.num_qubits()) +
                " letters, but the circuit declares " + std::to_string(n) +
                " qubits (one letter per qubit, the rightmost is qubit 0): '" + sum.to_string() +
                "'");
  std::vector<std::pair<double, kernels::PauliMasks>> out;
  for (const auto& [coefficient, label] : sum.terms()) {
    kernels::PauliMasks masks;
    bool zero = false;
    for (std::size_t k = 0; k < n; ++k) {
      const char letter = label[n - 1 - k];
      if (letter == 'I') continue;
      const Qubit q = c.compact(static_cast<Qubit>(k));
      if (q == kIdleQubit) {  // |0>: Z gives 1, X and Y give 0
        zero = zero || letter != 'Z';
        continue;
      }
      if (letter == 'X' || letter == 'Y') masks.x_mask |= std::uint64_t{1} << q;
      if (letter == 'Z' || letter == 'Y') masks.z_mask |= std::uint64_t{1} << q;
      if (letter == 'Y') ++masks.num_y;
    }
    if (!zero) out.emplace_back(coefficient, masks);
  }
  return out;
}

}  // namespace

double State::expectation(const PauliSum& sum) {
  return expectations({sum})[0];
}

std::vector<double> State::expectations(const std::vector<PauliSum>& sums) {
  qstate::State& s = c_->state();
  std::vector<std::vector<std::pair<double, kernels::PauliMasks>>> compiled;
  for (const PauliSum& sum : sums) compiled.push_back(compile_sum(*c_, sum));
  // Each distinct Pauli string once (the identity needs no pass). On a state held whole by this
  // process, strings that share an X mask share one pass; on a distributed state, strings that
  // pair with the same rank share one stream of its slice (State::expectations).
  std::map<MaskKey, double> values;
  std::vector<kernels::PauliMasks> strings;
  for (const auto& terms : compiled)
    for (const auto& [k, m] : terms) {
      (void)k;
      const MaskKey key{m.x_mask, m.z_mask, m.num_y};
      if (values.count(key) != 0) continue;
      values[key] = 1.0;
      if ((m.x_mask | m.z_mask) != 0) strings.push_back(m);
    }
  std::vector<double> string_values;
  if (!grouped_values<double>(s, strings, string_values) &&
      !grouped_values<float>(s, strings, string_values)) {
    string_values = s.expectations(strings);
  }
  for (std::size_t i = 0; i < strings.size(); ++i)
    values[MaskKey{strings[i].x_mask, strings[i].z_mask, strings[i].num_y}] = string_values[i];
  std::vector<double> out;
  for (const auto& terms : compiled) {
    double v = 0;
    for (const auto& [k, m] : terms) v += k * values.at(MaskKey{m.x_mask, m.z_mask, m.num_y});
    out.push_back(v);
  }
  return out;
}

std::vector<double> State::probabilities(const std::vector<unsigned>& qubits_in) {
  qstate::State& s = c_->state();
  const Program& p = c_->program();
  std::vector<unsigned> qubits = qubits_in;
  if (qubits.empty())
    for (unsigned q = 0; q < p.declared_qubits; ++q) qubits.push_back(q);
  for (std::size_t i = 0; i < qubits.size(); ++i) {
    if (qubits[i] >= p.declared_qubits)
      throw Error("qubit " + std::to_string(qubits[i]) + " is out of range: the circuit has " +
                  std::to_string(p.declared_qubits) + " qubits");
    for (std::size_t j = 0; j < i; ++j)
      if (qubits[i] == qubits[j])
        throw Error("probabilities: qubit " + std::to_string(qubits[i]) + " is named twice");
  }
  if (qubits.size() == p.declared_qubits) {
    // Every qubit: |a_i|^2 of each amplitude (gathered), put in the order asked for.
    if (p.declared_qubits > 40) throw Error("probabilities: too many qubits to gather");
    std::vector<double> compact = s.probabilities();  // simulated qubits, index order
    if (c_->distributed()) {
      compact.resize(std::uint64_t{1} << p.num_qubits());
      c_->broadcast(compact.data(), compact.size() * sizeof(double), 0);
    }
    bool in_order = p.num_qubits() == p.declared_qubits;
    for (std::size_t j = 0; in_order && j < qubits.size(); ++j)
      in_order = qubits[j] == j && p.used_qubits[j] == j;
    if (in_order) return compact;
    std::vector<double> out(std::uint64_t{1} << qubits.size(), 0.0);
    for (std::uint64_t i = 0; i < compact.size(); ++i) {
      std::uint64_t index = 0;
      for (std::size_t j = 0; j < qubits.size(); ++j) {
        const Qubit q = c_->compact(qubits[j]);
        if (q != kIdleQubit && ((i >> q) & 1U)) index |= std::uint64_t{1} << j;
      }
      out[index] = compact[i];
    }
    return out;
  }
  if (qubits.size() > 26)
    throw Error("probabilities: a marginal of at most 26 qubits (or of all qubits) at once");
  const MemoryView v = view(s, c_->context().rank());
  std::vector<int> bits(qubits.size(), -1);
  std::uint64_t base = 0;
  const int rank = c_->distributed() ? c_->context().rank() : 0;
  for (std::size_t j = 0; j < qubits.size(); ++j) {
    const Qubit q = c_->compact(qubits[j]);
    if (q == kIdleQubit) continue;  // always 0
    if (v.memory_bit[q] >= 0) {
      bits[j] = v.memory_bit[q];
    } else if ((static_cast<unsigned>(rank) >> v.rank_bit[q]) & 1U) {
      base |= std::uint64_t{1} << j;
    }
  }
  std::vector<ExactSum::Raw> raw =
      v.single ? histogram(static_cast<const std::complex<float>*>(v.data), v.size, bits, base)
               : histogram(static_cast<const std::complex<double>*>(v.data), v.size, bits, base);
  c_->sum_exact(raw);
  std::vector<double> out(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) out[i] = ExactSum::from_raw(raw[i]).value();
  return out;
}

Complex State::amplitude(std::uint64_t index) {
  qstate::State& s = c_->state();
  const Program& p = c_->program();
  if (p.declared_qubits < 64 && (index >> p.declared_qubits) != 0)
    throw Error("amplitude index " + std::to_string(index) + " is out of range: the circuit has " +
                std::to_string(p.declared_qubits) + " qubits");
  std::uint64_t compact = 0;
  for (Qubit k = 0; k < p.num_qubits(); ++k)
    if ((index >> p.used_qubits[k]) & 1U) compact |= std::uint64_t{1} << k;
  std::uint64_t used_mask = 0;
  for (Qubit q : p.used_qubits) used_mask |= std::uint64_t{1} << q;
  if ((index & ~used_mask) != 0) return 0.0;  // an idle qubit in |1>
  const MemoryView v = view(s, c_->context().rank());
  std::uint64_t memory_index = 0;
  unsigned owner = 0;
  for (Qubit q = 0; q < p.num_qubits(); ++q) {
    const std::uint64_t bit = (compact >> q) & 1U;
    if (v.memory_bit[q] >= 0) {
      memory_index |= bit << v.memory_bit[q];
    } else {
      owner |= static_cast<unsigned>(bit) << v.rank_bit[q];
    }
  }
  Complex a = 0.0;
  const int rank = c_->distributed() ? c_->context().rank() : 0;
  if (static_cast<unsigned>(rank) == owner) {
    if (v.single) {
      const auto x = static_cast<const std::complex<float>*>(v.data)[memory_index];
      a = Complex(x.real(), x.imag());
    } else {
      a = static_cast<const std::complex<double>*>(v.data)[memory_index];
    }
  }
  c_->broadcast(&a, sizeof a, static_cast<int>(owner));
  if (p.global_phase != 0.0) a *= std::polar(1.0, p.global_phase);
  return a;
}

std::vector<std::uint64_t> State::sample(std::uint64_t shots, std::uint64_t seed) {
  qstate::State& s = c_->state();
  const Program& p = c_->program();
  Rng rng(seed);
  std::vector<std::uint64_t> draws(shots);
  for (std::uint64_t& d : draws) d = rng.draw53();
  std::vector<std::uint64_t> out = s.sample(draws);
  bool identity = p.num_qubits() == p.declared_qubits;
  for (Qubit k = 0; identity && k < p.num_qubits(); ++k) identity = p.used_qubits[k] == k;
  if (!identity)
    for (std::uint64_t& o : out) {
      std::uint64_t d = 0;
      for (Qubit k = 0; k < p.num_qubits(); ++k)
        if ((o >> k) & 1U) d |= std::uint64_t{1} << p.used_qubits[k];
      o = d;
    }
  return out;
}

std::map<std::string, std::uint64_t> State::counts(std::uint64_t shots, std::uint64_t seed,
                                                   const std::vector<unsigned>& qubits_in) {
  const unsigned n = num_qubits();
  std::vector<unsigned> qubits = qubits_in;
  if (qubits.empty())
    for (unsigned q = 0; q < n; ++q) qubits.push_back(q);
  for (unsigned q : qubits)
    if (q >= n)
      throw Error("qubit " + std::to_string(q) + " is out of range: the circuit has " +
                  std::to_string(n) + " qubits");
  std::map<std::string, std::uint64_t> out;
  for (std::uint64_t index : sample(shots, seed)) {
    std::string key(qubits.size(), '0');
    for (std::size_t j = 0; j < qubits.size(); ++j)
      if ((index >> qubits[j]) & 1U) key[qubits.size() - 1 - j] = '1';
    ++out[key];
  }
  return out;
}

std::vector<Complex> State::statevector() {
  qstate::State& s = c_->state();
  const Program& p = c_->program();
  if (p.declared_qubits > 40) throw Error("statevector: too many qubits to gather");
  std::vector<Complex> amps = s.amplitudes();
  if (c_->distributed()) {
    amps.resize(std::uint64_t{1} << p.num_qubits());
    c_->broadcast(amps.data(), amps.size() * sizeof(Complex), 0);
  }
  if (p.global_phase != 0.0) {
    const Complex phase = std::polar(1.0, p.global_phase);
    for (Complex& a : amps) a *= phase;
  }
  bool identity = p.num_qubits() == p.declared_qubits;
  for (Qubit k = 0; identity && k < p.num_qubits(); ++k) identity = p.used_qubits[k] == k;
  if (identity) return amps;
  std::vector<Complex> out(std::uint64_t{1} << p.declared_qubits, 0.0);
  for (std::uint64_t i = 0; i < amps.size(); ++i) {
    std::uint64_t d = 0;
    for (Qubit k = 0; k < p.num_qubits(); ++k)
      if ((i >> k) & 1U) d |= std::uint64_t{1} << p.used_qubits[k];
    out[d] = amps[i];
  }
  return out;
}

}  // namespace qstate::api
