// The distribution planner (see distribute.hpp).
#include "circuits/passes/distribute.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>

#include "circuits/error.hpp"

namespace qstate {
namespace {

constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();

// For each qubit, the top-level op indices at which it must be local, with a cursor.
class UseTable {
 public:
  UseTable(const std::vector<Op>& ops, unsigned num_qubits)
      : uses_(num_qubits), cursor_(num_qubits, 0) {
    for (std::size_t t = 0; t < ops.size(); ++t) {
      if (const auto* g = std::get_if<GateOp>(&ops[t]); g != nullptr && is_plain_swap(*g)) continue;
      for (Qubit q : qubits_needing_local(ops[t])) uses_[q].push_back(t);
    }
  }
  // First use at or after t.
  std::size_t next_use(Qubit q, std::size_t t) {
    std::size_t& c = cursor_[q];
    while (c < uses_[q].size() && uses_[q][c] < t) ++c;
    return c < uses_[q].size() ? uses_[q][c] : kNever;
  }

 private:
  std::vector<std::vector<std::size_t>> uses_;
  std::vector<std::size_t> cursor_;
};

Layout initial_layout(UseTable& uses, unsigned n, unsigned local) {
  std::vector<Qubit> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](Qubit a, Qubit b) { return uses.next_use(a, 0) < uses.next_use(b, 0); });
  std::vector<bool> is_local(n, false);
  for (unsigned i = 0; i < local; ++i) is_local[order[i]] = true;
  // Keep qubits at their own position where the local/global split allows, to stay close to
  // the canonical layout; fill the remaining positions in increasing order.
  std::vector<unsigned> pos(n, n);
  std::vector<bool> taken(n, false);
  for (Qubit q = 0; q < n; ++q)
    if (is_local[q] == (q < local)) pos[q] = q, taken[q] = true;
  unsigned next_local = 0;
  unsigned next_global = local;
  for (Qubit q = 0; q < n; ++q) {
    if (pos[q] != n) continue;
    unsigned& next = is_local[q] ? next_local : next_global;
    while (taken[next]) ++next;
    pos[q] = next;
    taken[next] = true;
  }
  return Layout::from_positions(std::move(pos));
}

// Pairs qubits coming local (now global) with qubits going global (now local), preferring pairs
// that put a qubit on its own position. Each pair (a, b) exchanges the positions of a and b.
std::vector<std::pair<Qubit, Qubit>> pair_up(std::vector<Qubit> in, std::vector<Qubit> out,
                                             const Layout& layout) {
  std::vector<std::pair<Qubit, Qubit>> pairs;
  auto score = [&](Qubit x, Qubit e) {
    return static_cast<int>(layout.position(e) == x) + static_cast<int>(layout.position(x) == e);
  };
  for (int want = 2; want >= 0; --want) {
    for (auto x = in.begin(); x != in.end();) {
      auto e = std::find_if(out.begin(), out.end(), [&](Qubit c) { return score(*x, c) >= want; });
      if (e == out.end()) {
        ++x;
        continue;
      }
      pairs.emplace_back(*x, *e);
      out.erase(e);
      x = in.erase(x);
    }
  }
  return pairs;
}

}  // namespace

double DistributionPlan::slices_sent() const {
  double s = 0;
  for (unsigned k : remap_sizes) s += 1.0 - std::ldexp(1.0, -static_cast<int>(k));
  return s;
}

DistributionPlan plan_distribution(std::vector<Op>& ops, unsigned n, unsigned local,
                                   const Layout* start, unsigned pinned) {
  DistributionPlan plan;
  plan.num_qubits = n;
  plan.local_positions = std::min(local, n);
  if (local >= n) {
    plan.initial_layout = plan.final_layout = start ? *start : Layout(n);
    return plan;
  }
  UseTable uses(ops, n);
  Layout layout = start ? *start : initial_layout(uses, n, local);
  plan.initial_layout = layout;

  // The remaps to insert, each before the op at its index; plain SWAPs are replaced in place.
  std::vector<std::pair<std::size_t, RemapOp>> inserts;
  for (std::size_t t = 0; t < ops.size(); ++t) {
    if (const auto* g = std::get_if<GateOp>(&ops[t]); g != nullptr && is_plain_swap(*g)) {
      const Qubit a = g->targets[0];
      const Qubit b = g->targets[1];
      ops[t] = RemapOp{{{a, b}}, true};
      layout.swap_qubits(a, b);
      ++plan.relabels;
      continue;
    }
    const LocalQubits need = qubits_needing_local(ops[t]);
    if (need.size() > local)
      throw Error("an operation needs " + std::to_string(need.size()) +
                  " qubits in local positions but each rank holds only " + std::to_string(local) +
                  " (" + std::to_string(n) + " qubits on " + std::to_string(1U << (n - local)) +
                  " ranks); use fewer ranks");
    std::vector<Qubit> incoming;
    for (Qubit q : need)
      if (layout.position(q) >= local) incoming.push_back(q);
    if (!incoming.empty()) {
      // Eviction candidates: local qubits this op does not need, furthest next use first.
      std::vector<Qubit> candidates;
      for (unsigned p = std::min(pinned, local); p < local; ++p) {
        const Qubit q = layout.qubit_at(p);
        if (std::find(need.begin(), need.end(), q) == need.end()) candidates.push_back(q);
      }
      if (candidates.size() < incoming.size())
        throw Error("internal: an operation needs more local positions than are free to change");
      std::stable_sort(candidates.begin(), candidates.end(),
                       [&](Qubit a, Qubit b) { return uses.next_use(a, t) > uses.next_use(b, t); });
      // Bring in, in the same remap, global qubits needed before the next eviction candidate.
      std::vector<Qubit> others;
      for (unsigned p = local; p < n; ++p) {
        const Qubit q = layout.qubit_at(p);
        if (std::find(incoming.begin(), incoming.end(), q) == incoming.end() &&
            uses.next_use(q, t) != kNever)
          others.push_back(q);
      }
      std::stable_sort(others.begin(), others.end(),
                       [&](Qubit a, Qubit b) { return uses.next_use(a, t) < uses.next_use(b, t); });
      for (Qubit x : others) {
        const std::size_t k = incoming.size();
        if (k >= candidates.size() || uses.next_use(x, t) >= uses.next_use(candidates[k], t)) break;
        incoming.push_back(x);
      }
      const std::vector<Qubit> evicted(
          candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(incoming.size()));
      RemapOp remap{pair_up(incoming, evicted, layout), false};
      for (const auto& [a, b] : remap.pairs) layout.swap_qubits(a, b);
      plan.remap_sizes.push_back(static_cast<unsigned>(remap.pairs.size()));
      ++plan.remaps;
      inserts.emplace_back(t, std::move(remap));
    }
  }
  plan.final_layout = layout;
  if (inserts.empty()) return plan;  // nothing moves
  // One pass that moves each op once into a list of the final size.
  std::vector<Op> out;
  reserve_ops(out, ops.size() + inserts.size());
  auto next = inserts.begin();
  for (std::size_t t = 0; t < ops.size(); ++t) {
    for (; next != inserts.end() && next->first == t; ++next)
      out.emplace_back(std::move(next->second));
    out.push_back(std::move(ops[t]));
  }
  ops = std::move(out);
  return plan;
}

int usable_ranks(const Program& program, int ranks) {
  unsigned widest = 1;
  for (const Op& op : program.ops)
    widest = std::max(widest, static_cast<unsigned>(qubits_needing_local(op).size()));
  const unsigned n = program.num_qubits();
  const unsigned max_g = n > widest ? n - widest : 0;
  const unsigned g = std::min<unsigned>(
      max_g, static_cast<unsigned>(std::bit_width(static_cast<unsigned>(std::max(ranks, 1))) - 1));
  return 1 << g;
}

double per_gate_exchange_slices(const std::vector<Op>& ops, unsigned n, unsigned local) {
  double slices = 0;
  if (local >= n) return 0;
  for (const Op& op : ops) {
    const std::vector<Qubit> need = qubits_needing_local(op);
    const auto global =
        std::count_if(need.begin(), need.end(), [local](Qubit q) { return q >= local; });
    if (global == 0) continue;
    const auto* g = std::get_if<GateOp>(&op);
    slices += (g != nullptr && is_plain_swap(*g) && global == 1) ? 0.5 : 1.0;
  }
  return slices;
}

std::vector<std::pair<Qubit, Qubit>> canonical_exchanges(const Layout& layout, unsigned local) {
  const unsigned n = layout.num_qubits();
  std::vector<Qubit> coming_local;  // low qubits sitting in global positions
  std::vector<Qubit> going_global;  // top qubits sitting in local positions
  for (Qubit q = 0; q < n; ++q) {
    const bool top = q >= local;
    const bool global = layout.position(q) >= local;
    if (!top && global) coming_local.push_back(q);
    if (top && !global) going_global.push_back(q);
  }
  return pair_up(coming_local, going_global, layout);
}

}  // namespace qstate
