// Text layout of `qstate run --format text` and `qstate info`: aligned columns, top-k lists.
#include "apps/text_output.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <queue>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <qstate/config.hpp>

#include <qstate/qstate.hpp>

namespace qstate::cli {

using api::format_bytes;
namespace {

constexpr std::size_t kMaxCountRows = 32;
constexpr std::size_t kMaxStateRows = 16;
constexpr std::size_t kMaxMemoryShown = 32;
constexpr double kBarWidth = 30;

template <class... Args>
std::string format(const char* pattern, Args... args) {
  const int length = std::snprintf(nullptr, 0, pattern, args...);
  std::string text(static_cast<std::size_t>(length), '\0');
  std::snprintf(text.data(), text.size() + 1, pattern, args...);
  return text;
}

// Numbers for people: 10 significant digits (JSON output carries every digit).
std::string rounded(double value) {
  return format("%.10g", value);
}

std::string duration(double seconds) {
  if (seconds < 1e-3) return format("%.1f us", seconds * 1e6);
  if (seconds < 1) return format("%.2f ms", seconds * 1e3);
  return format("%.2f s", seconds);
}

std::string pad_right(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

// Basis state `index` as qubits q[n-1] ... q[0] (qubit 0 rightmost, as Qiskit prints keys).
std::string basis_label(std::uint64_t index, unsigned num_qubits) {
  std::string label(num_qubits, '0');
  for (unsigned k = 0; k < num_qubits; ++k)
    if ((index >> k) & 1U) label[num_qubits - 1 - k] = '1';
  return label;
}

// The indices of the (at most) k largest non-zero weights, largest first, ties by index; one pass
// with a heap of k entries, so a 2^26-entry vector needs no copy.
template <class WeightOf>
std::vector<std::uint64_t> top_indices(std::uint64_t size, std::size_t k, WeightOf weight_of) {
  using Entry = std::pair<double, std::uint64_t>;
  // Better: larger weight, then smaller index. The heap's top is the worst entry kept.
  const auto better = [](const Entry& a, const Entry& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(better)> heap(better);
  for (std::uint64_t i = 0; i < size; ++i) {
    const double w = weight_of(i);
    if (!(w > 0)) continue;
    if (heap.size() < k) {
      heap.emplace(w, i);
    } else if (better(Entry{w, i}, heap.top())) {
      heap.pop();
      heap.emplace(w, i);
    }
  }
  std::vector<std::uint64_t> out(heap.size());
  for (std::size_t j = out.size(); j-- > 0; heap.pop()) out[j] = heap.top().second;
  return out;
}

std::string list_title(const char* what, std::size_t shown, std::uint64_t nonzero,
                       std::uint64_t total) {
  if (shown == nonzero)
    return format("%s: the %zu non-zero of %llu basis states", what, shown,
                  static_cast<unsigned long long>(total));
  return format(
      "%s: the %zu largest of %llu non-zero (of %llu basis states; --format json gives all)", what,
      shown, static_cast<unsigned long long>(nonzero), static_cast<unsigned long long>(total));
}

// "1 gate", "3 gates".
std::string counted(std::uint64_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

void write_header(const Result& r, std::string& text) {
  const RunMetadata& m = r.metadata;
  text += format("qstate %s run: %s\n", QSTATE_VERSION_STRING, m.source.c_str());
  text += format("  qubits      %u declared, %u simulated\n", m.num_qubits, m.simulated_qubits);
  text += format("  clbits      %u\n", m.num_clbits);
  text += format("  shots       %llu\n", static_cast<unsigned long long>(r.shots));
  const auto seed = static_cast<unsigned long long>(r.seed);
  text += r.seed_given
              ? format("  seed        %llu\n", seed)
              : format("  seed        %llu (drawn; --seed %llu repeats this run)\n", seed, seed);
  text += format("  precision   %s\n", m.precision.c_str());
  text += format("  threads     %d\n", m.threads);
  text += format("  method      %s%s\n", m.shot_method.c_str(),
                 m.dynamic ? " (measurements feed later operations)" : "");
  double total = 0;
  std::string phases;
  for (const auto& [phase, seconds] : m.time_taken) {
    total += seconds;
    phases += (phases.empty() ? "" : ", ") + phase + " " + duration(seconds);
  }
  text += format("  time        %s (%s)\n", duration(total).c_str(), phases.c_str());
}

void write_counts(const Result& r, std::string& text) {
  if (!r.has_counts) {
    text += r.shots == 0 ? "\ncounts: none (0 shots)\n"
                         : "\ncounts: none (the circuit has no classical bits)\n";
    return;
  }
  std::vector<std::pair<std::string, std::uint64_t>> rows(r.counts.begin(), r.counts.end());
  // Most frequent first; equal counts in key order (the map's order, kept by stable_sort).
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  const std::size_t shown = std::min(rows.size(), kMaxCountRows);
  std::size_t key_width = 7;  // "outcome"
  for (std::size_t i = 0; i < shown; ++i) key_width = std::max(key_width, rows[i].first.size());
  const std::size_t count_width = std::max<std::size_t>(5, std::to_string(rows[0].second).size());
  text += "\ncounts: " + counted(rows.size(), "outcome") + " in " + counted(r.shots, "shot");
  text += shown < rows.size() ? format(" (the %zu most frequent; --format json gives all)\n", shown)
                              : std::string("\n");
  text += "  " + pad_right("outcome", key_width) + "  " + pad_left("count", count_width) +
          "  fraction\n";
  const auto max_count = static_cast<double>(rows[0].second);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto count = static_cast<double>(rows[i].second);
    const auto bar = std::max<std::size_t>(
        1, static_cast<std::size_t>(std::lround(kBarWidth * count / max_count)));
    text += "  " + pad_right(rows[i].first, key_width) + "  " +
            pad_left(std::to_string(rows[i].second), count_width) +
            format("  %8.4f  ", count / static_cast<double>(r.shots)) + std::string(bar, '#') +
            "\n";
  }
  if (!r.memory.empty()) {
    const std::size_t n = std::min(r.memory.size(), kMaxMemoryShown);
    text += format("\nmemory: %s%zu of %zu shots, in order\n ",
                   n < r.memory.size() ? "the first " : "all ", n, r.memory.size());
    std::size_t column = 1;
    for (std::size_t i = 0; i < n; ++i) {
      if (column + r.memory[i].size() + 1 > 100) {
        text += "\n ";
        column = 1;
      }
      text += " " + r.memory[i];
      column += r.memory[i].size() + 1;
    }
    text += "\n";
  }
}

void write_state(const Result& r, std::string& text) {
  const unsigned n = r.metadata.num_qubits;
  const std::size_t label_width = std::max<std::size_t>(5, n);
  if (r.probabilities) {
    const std::vector<double>& p = *r.probabilities;
    const auto nonzero = static_cast<std::uint64_t>(
        std::count_if(p.begin(), p.end(), [](double x) { return x > 0; }));
    const auto top = top_indices(p.size(), kMaxStateRows, [&](std::uint64_t i) { return p[i]; });
    text += "\n" + list_title("probabilities", top.size(), nonzero, p.size()) + "\n";
    text +=
        "  " + pad_left("index", 10) + "  " + pad_right("state", label_width) + "  probability\n";
    for (const std::uint64_t i : top)
      text += "  " + pad_left(std::to_string(i), 10) + "  " +
              pad_right(basis_label(i, n), label_width) + "  " + rounded(p[i]) + "\n";
  }
  if (r.statevector) {
    const std::vector<std::complex<double>>& a = *r.statevector;
    const auto nonzero = static_cast<std::uint64_t>(
        std::count_if(a.begin(), a.end(), [](std::complex<double> x) { return std::norm(x) > 0; }));
    const auto top =
        top_indices(a.size(), kMaxStateRows, [&](std::uint64_t i) { return std::norm(a[i]); });
    text += "\n" + list_title("statevector", top.size(), nonzero, a.size()) + "\n";
    std::vector<std::string> re, im;
    std::size_t re_width = 4, im_width = 4;
    for (const std::uint64_t i : top) {
      re.push_back(rounded(a[i].real()));
      im.push_back(rounded(a[i].imag()));
      re_width = std::max(re_width, re.back().size());
      im_width = std::max(im_width, im.back().size());
    }
    text += "  " + pad_left("index", 10) + "  " + pad_right("state", label_width) + "  " +
            pad_left("real", re_width) + "  " + pad_left("imag", im_width) + "  probability\n";
    for (std::size_t j = 0; j < top.size(); ++j)
      text += "  " + pad_left(std::to_string(top[j]), 10) + "  " +
              pad_right(basis_label(top[j], n), label_width) + "  " + pad_left(re[j], re_width) +
              "  " + pad_left(im[j], im_width) + "  " + rounded(std::norm(a[top[j]])) + "\n";
  }
}

std::string state_memory(std::uint64_t bytes) {
  return bytes == std::numeric_limits<std::uint64_t>::max() ? "more than 16 EiB"
                                                            : format_bytes(bytes);
}

std::string register_list(const std::vector<Register>& registers) {
  if (registers.empty()) return "none";
  std::string out;
  for (const Register& reg : registers)
    out += (out.empty() ? "" : ", ") + reg.name + "[" + std::to_string(reg.size) + "]";
  return out;
}

std::string parameter_list(const Parameters& parameters) {
  std::string text;
  for (const auto& [name, value] : parameters)
    text += (text.empty() ? "" : ", ") + name + " = " + rounded(value);
  return text;
}

}  // namespace

void write_run_text(const Result& result, OutputSink& out, const Parameters* parameters) {
  std::string text;
  write_header(result, text);
  if (parameters != nullptr && !parameters->empty())
    text += "  parameters  " + parameter_list(*parameters) + "\n";
  write_counts(result, text);
  if (!result.expectation_values.empty()) {
    text += "\nexpectation values\n";
    std::size_t width = 0;
    for (const auto& [expr, value] : result.expectation_values)
      width = std::max(width, expr.size());
    for (const auto& [expr, value] : result.expectation_values)
      text += "  " + pad_right(expr, width) + "  " + rounded(value) + "\n";
  }
  write_state(result, text);
  out.write(text);
}

void write_sweep_text_header(std::size_t index, std::size_t total, const Parameters& parameters,
                             OutputSink& out) {
  std::string text = index > 0 ? "\n" : "";
  text += "binding " + std::to_string(index + 1) + " of " + std::to_string(total) + ": " +
          parameter_list(parameters) + "\n";
  out.write(text);
}

namespace {

// The plan of a distributed run, for `qstate info --ranks P`.
std::string distribution_text(const DistributionInfo& d) {
  std::string t = "\nplan on " + std::to_string(d.ranks) + " MPI rank" + (d.ranks == 1 ? "" : "s");
  if (d.ranks < d.ranks_requested)
    t += " (of " + std::to_string(d.ranks_requested) + " asked: the circuit cannot use more)";
  t += ", " + d.precision + " precision\n";
  t += "  local qubits  " + std::to_string(d.local_qubits) + " per rank\n";
  t += "  memory        " + format_bytes(d.per_rank_bytes) +
       " per rank: " + format_bytes(d.slice_bytes) + " slice + " + format_bytes(d.buffer_bytes) +
       " exchange buffer + overhead (rank 0 also holds gathered outputs)\n";
  std::string sizes;
  for (unsigned k : d.remap_sizes) sizes += (sizes.empty() ? "" : " ") + std::to_string(k);
  t += "  remaps        " + std::to_string(d.remaps) +
       (d.remaps ? " (qubits exchanged by each: " + sizes + ")" : std::string()) + ", " +
       std::to_string(d.relabels) + " SWAP gates as relabellings\n";
  t += "  final remap   " +
       (d.final_exchange ? std::to_string(d.final_exchange) +
                               " qubits, to read counts or outputs in logical order"
                         : std::string("none needed")) +
       "\n";
  t += "  sent per rank " + format_bytes(d.bytes_sent) + " (" +
       std::to_string(d.slice_bytes
                          ? static_cast<double>(d.bytes_sent) / static_cast<double>(d.slice_bytes)
                          : 0.0)
           .substr(0, 5) +
       " slices)\n";
  t += "  per-gate way  " + format_bytes(d.per_gate_bytes) +
       " per rank if every gate on a global qubit exchanged data (QuEST's way)\n";
  return t;
}

}  // namespace

void write_info_text(const CircuitInfo& info, OutputSink& out) {
  const CircuitInfo::Stats& s = info.stats;
  std::string text = format("%s\n", info.source.c_str());
  text += format("  qubits        %u declared, %u used by gates (only those are simulated)\n",
                 info.qubits, info.simulated_qubits);
  text += format("  clbits        %u\n", info.clbits);
  text += "  qregs         " + register_list(info.qregs) + "\n";
  text += "  cregs         " + register_list(info.cregs) + "\n";
  if (!info.inputs.empty()) {
    std::string names;
    for (const std::string& name : info.inputs) names += (names.empty() ? "" : ", ") + name;
    text += "  inputs        " + names + " (bind with --param NAME=VALUE or --params FILE.json)\n";
  }
  text += "  operations    " + counted(s.gates, "gate") + ", " +
          counted(s.measurements, "measurement") + ", " + counted(s.resets, "reset") + ", " +
          counted(s.conditionals, "conditional") + ", " + counted(s.barriers, "barrier") + "\n";
  text += format("  depth         %llu\n", static_cast<unsigned long long>(s.depth));
  text += info.dynamic
              ? "  dynamic       yes: measurement results feed later operations, so each shot "
                "re-runs the part after the first of them\n"
              : "  dynamic       no: all shots are sampled from one final state\n";
  const std::uint64_t unknown = std::numeric_limits<std::uint64_t>::max();
  text += "  state memory  " + state_memory(info.double_bytes) + " in double precision, " +
          state_memory(info.single_bytes) + " in single\n";
  text += "  available     " +
          (info.available_bytes == unknown ? std::string("unknown")
                                           : format_bytes(info.available_bytes)) +
          " (QSTATE_MEMORY_LIMIT overrides)\n";

  // One table over the names of both counts: as written (user gates, measure, barrier, ...) and
  // as simulated (user gates expanded into standard gates).
  std::set<std::string> names;
  for (const auto& [name, count] : info.written_counts) names.insert(name);
  for (const auto& [name, count] : s.gate_counts) names.insert(name);
  if (names.empty()) {
    text += "\ngates: none\n";
  } else {
    std::size_t width = 11;  // "instruction"
    for (const std::string& name : names) width = std::max(width, name.size());
    text += "\n  " + pad_right("instruction", width) + "  as written  as simulated\n";
    const auto cell = [](const std::map<std::string, std::uint64_t>& counts,
                         const std::string& name) {
      const auto it = counts.find(name);
      return pad_left(it == counts.end() ? std::string("-") : std::to_string(it->second), 10);
    };
    for (const std::string& name : names)
      text += "  " + pad_right(name, width) + "  " + cell(info.written_counts, name) + "  " +
              pad_left(cell(s.gate_counts, name), 12) + "\n";
  }
  if (info.distribution) text += distribution_text(*info.distribution);
  out.write(text);
}

}  // namespace qstate::cli
