// Helpers for the MPI test suite (see mpi_support.hpp).
#include "tests/mpi/mpi_support.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <exception>
#include <map>
#include <numbers>

#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "circuits/passes/distribute.hpp"
#include "circuits/passes/program.hpp"
#include "mpi/backend.hpp"
#include "tests/support/random_circuits.hpp"

namespace qstate::test {

namespace {
const mpi::Communicator* g_world = nullptr;
}  // namespace

const mpi::Communicator& world() {
  if (g_world == nullptr) throw std::logic_error("the MPI world communicator is not set");
  return *g_world;
}

void set_world(const mpi::Communicator* comm) {
  g_world = comm;
}

unsigned world_global_qubits() {
  return static_cast<unsigned>(std::countr_zero(static_cast<unsigned>(world().size())));
}

MpiRun run_distributed(const Circuit& circuit, const RunOptions& options,
                       std::uint64_t exchange_buffer_bytes, int max_ranks) {
  const mpi::Communicator& all = world();
  const int limit = max_ranks > 0 ? std::min(max_ranks, all.size()) : all.size();
  MpiRun out;
  std::string error;
  int ranks = 1;
  try {
    ranks = usable_ranks(plan_program(circuit), limit);
  } catch (const std::exception& e) {
    error = e.what();  // the same on every rank: planning is deterministic
  }
  mpi::MpiCollective(all).agree(error);
  out.ranks = ranks;
  {
    const mpi::Communicator sub = all.first(ranks);
    if (sub.valid()) {
      try {
        const mpi::MpiBackend backend(sub, exchange_buffer_bytes);
        out.result = run_circuit(circuit, options, backend.backend());
        out.member = true;
      } catch (const Error& e) {
        error = e.what();
      } catch (const std::exception& e) {
        // Not a user error: still end every rank together, so the suite reports it, not hangs.
        error = std::string("unexpected exception: ") + e.what();
      }
    }
  }
  mpi::MpiCollective(all).agree(error);
  return out;
}

void Digest::bytes(const void* data, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    h_ ^= p[i];
    h_ *= 0x100000001b3ULL;
  }
}

void Digest::text(std::string_view s) {
  u64(s.size());
  bytes(s.data(), s.size());
}

ResultDigest digest(const Result& r) {
  ResultDigest d;
  Digest shots;
  shots.u64(r.counts.size());
  for (const auto& [key, n] : r.counts) {
    shots.text(key);
    shots.u64(n);
  }
  shots.u64(r.memory.size());
  for (const std::string& key : r.memory) shots.text(key);
  d.shots = shots.value();
  Digest ev;
  for (const auto& [text, value] : r.expectation_values) {
    ev.text(text);
    ev.f64(value);
  }
  d.expectations = ev.value();
  Digest gathered;
  if (r.probabilities) {
    gathered.u64(r.probabilities->size());
    gathered.bytes(r.probabilities->data(), r.probabilities->size() * sizeof(double));
  }
  if (r.statevector) {
    // Bit for bit, except that the sign of an exact zero is not part of a value: a rank that
    // leaves a block alone (a control set elsewhere) and one process that multiplies it by 0
    // may give +0 and -0 for the same amplitude.
    gathered.u64(r.statevector->size());
    for (const std::complex<double>& a : *r.statevector) {
      gathered.f64(a.real() + 0.0);
      gathered.f64(a.imag() + 0.0);
    }
  }
  d.gathered = gathered.value();
  return d;
}

std::ostream& operator<<(std::ostream& out, const ResultDigest& d) {
  return out << std::hex << "{shots " << d.shots << ", expectations " << d.expectations
             << ", gathered " << d.gathered << "}" << std::dec;
}

kernels::PauliMasks pauli_masks(std::string_view label) {
  kernels::PauliMasks m;
  const std::size_t n = label.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char letter = label[i];
    const std::uint64_t bit = std::uint64_t{1} << (n - 1 - i);
    if (letter == 'X' || letter == 'Y') m.x_mask |= bit;
    if (letter == 'Z' || letter == 'Y') m.z_mask |= bit;
    if (letter == 'Y') ++m.num_y;
  }
  return m;
}

std::vector<GateOp> random_prefix(unsigned n, std::uint64_t seed) {
  SeededRandom rng(seed);
  std::vector<GateOp> ops;
  auto layer = [&] {
    for (Qubit q = 0; q < n; ++q) {
      const std::vector<double> params = {rng.uniform(0.3, 2.8), rng.uniform(-3.0, 3.0),
                                          rng.uniform(-3.0, 3.0)};
      const std::vector<Qubit> qubits = {q};
      ops.push_back(make_gate("U", params, qubits));
    }
  };
  layer();
  for (Qubit q = 0; q < n && n > 1; ++q) {
    const std::vector<Qubit> qubits = {q, (q + 1) % n};
    ops.push_back(make_gate("cx", std::vector<double>{}, qubits));
  }
  layer();
  return ops;
}

const Reference& prefixed_reference(unsigned n, std::uint64_t seed) {
  static std::map<std::pair<unsigned, std::uint64_t>, Reference> cache;
  auto it = cache.find({n, seed});
  if (it == cache.end()) {
    Reference ref(n);
    for (const GateOp& op : random_prefix(n, seed)) ref.apply_op_matrix(op);
    it = cache.emplace(std::make_pair(n, seed), std::move(ref)).first;
  }
  return it->second;
}

template <class Real>
void apply_with_remap(mpi::DistributedState<Real>& state, const GateOp& op) {
  const unsigned local = state.local_qubits();
  const Layout& layout = state.layout();
  const std::vector<Qubit> need = qubits_needing_local(Op(op));
  std::vector<Qubit> incoming;
  for (Qubit q : need)
    if (layout.position(q) >= local) incoming.push_back(q);
  if (!incoming.empty()) {
    auto in_op = [&](Qubit q) {
      return std::find(op.targets.begin(), op.targets.end(), q) != op.targets.end() ||
             std::find(op.controls.begin(), op.controls.end(), q) != op.controls.end();
    };
    std::vector<Qubit> spare, fallback;  // local qubits that need not stay local
    for (unsigned p = 0; p < local; ++p) {
      const Qubit q = layout.qubit_at(p);
      if (std::find(need.begin(), need.end(), q) != need.end()) continue;
      (in_op(q) ? fallback : spare).push_back(q);
    }
    spare.insert(spare.end(), fallback.begin(), fallback.end());
    if (spare.size() < incoming.size())
      throw Error("apply_with_remap: not enough local qubits for " + describe_gate(op));
    RemapOp remap;
    for (std::size_t i = 0; i < incoming.size(); ++i)
      remap.pairs.emplace_back(incoming[i], spare[i]);
    state.apply(remap);
  }
  state.apply(op);
}

template void apply_with_remap(mpi::DistributedState<float>&, const GateOp&);
template void apply_with_remap(mpi::DistributedState<double>&, const GateOp&);

std::string describe_gate(const GateOp& op) {
  std::string s = op.name;
  if (!op.params.empty()) {
    s += "(";
    for (std::size_t i = 0; i < op.params.size(); ++i)
      s += (i ? "," : "") + std::to_string(op.params[i]);
    s += ")";
  }
  for (Qubit q : op.controls) s += " c" + std::to_string(q);
  for (Qubit q : op.targets) s += " t" + std::to_string(q);
  return s;
}

}  // namespace qstate::test
