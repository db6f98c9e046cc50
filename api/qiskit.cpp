// Result -> Qiskit Result dictionary (JSON).
#include "qstate/qiskit.hpp"

#include <qstate/config.hpp>

#include <nlohmann/json.hpp>

#include "circuits/error.hpp"

namespace qstate {

std::string counts_key_to_hex(const std::string& key) {
  std::string bits;
  for (char c : key)
    if (c == '0' || c == '1') bits.push_back(c);
  // Binary to hexadecimal four bits at a time from the right: any width.
  std::string hex;
  for (std::size_t end = bits.size(); end > 0;) {
    const std::size_t begin = end >= 4 ? end - 4 : 0;
    unsigned nibble = 0;
    for (std::size_t i = begin; i < end; ++i) nibble = nibble * 2 + (bits[i] == '1' ? 1U : 0U);
    hex.push_back("0123456789abcdef"[nibble]);
    end = begin;
  }
  while (hex.size() > 1 && hex.back() == '0') hex.pop_back();
  if (hex.empty()) hex = "0";
  return "0x" + std::string(hex.rbegin(), hex.rend());
}

namespace {

using nlohmann::ordered_json;

ordered_json experiment_json(const Result& r, const std::vector<Register>& qregs,
                             const std::vector<Register>& cregs, const QiskitInfo& info,
                             const ParameterValues* parameters) {
  const RunMetadata& m = r.metadata;
  ordered_json header;
  ordered_json creg_sizes = ordered_json::array();
  for (const Register& c : cregs) creg_sizes.push_back({c.name, c.size});
  ordered_json qreg_sizes = ordered_json::array();
  for (const Register& q : qregs) qreg_sizes.push_back({q.name, q.size});
  ordered_json clbit_labels = ordered_json::array();
  for (const Register& c : cregs)
    for (std::uint32_t i = 0; i < c.size; ++i) clbit_labels.push_back({c.name, i});
  ordered_json qubit_labels = ordered_json::array();
  for (const Register& q : qregs)
    for (std::uint32_t i = 0; i < q.size; ++i) qubit_labels.push_back({q.name, i});
  header["name"] = info.experiment_name.empty() ? m.source : info.experiment_name;
  header["creg_sizes"] = creg_sizes;
  header["memory_slots"] = m.num_clbits;
  header["n_qubits"] = m.num_qubits;
  header["qreg_sizes"] = qreg_sizes;
  header["clbit_labels"] = clbit_labels;
  header["qubit_labels"] = qubit_labels;
  header["global_phase"] = 0.0;
  header["metadata"] = ordered_json::object();
  if (parameters != nullptr) {
    ordered_json values = ordered_json::object();
    for (const auto& [name, value] : *parameters) values[name] = value;
    header["metadata"]["parameters"] = values;
  }

  ordered_json data = ordered_json::object();
  if (r.has_counts) {
    ordered_json counts = ordered_json::object();
    for (const auto& [key, n] : r.counts) counts[counts_key_to_hex(key)] = n;
    data["counts"] = counts;
    if (!r.memory.empty()) {
      ordered_json memory = ordered_json::array();
      for (const std::string& key : r.memory) memory.push_back(counts_key_to_hex(key));
      data["memory"] = memory;
    }
  }
  if (r.statevector) {
    ordered_json sv = ordered_json::array();
    for (const auto& a : *r.statevector) sv.push_back({a.real(), a.imag()});
    data["statevector"] = sv;
  }
  if (r.probabilities) data["probabilities"] = *r.probabilities;
  if (!r.expectation_values.empty()) {
    ordered_json ev = ordered_json::object();
    for (const auto& [text, v] : r.expectation_values) ev[text] = v;
    data["expectation_values"] = ev;
  }

  double total = 0;
  ordered_json time_taken = ordered_json::object();
  for (const auto& [phase, seconds] : m.time_taken) {
    time_taken[phase] = seconds;
    total += seconds;
  }
  ordered_json metadata;
  metadata["method"] = "statevector";
  metadata["device"] = "CPU";
  metadata["precision"] = m.precision;
  metadata["num_qubits"] = m.simulated_qubits;
  metadata["num_clbits"] = m.num_clbits;
  metadata["parallel_state_update"] = m.threads;
  metadata["num_mpi_processes"] = m.communication.ranks;
  metadata["mpi_ranks"] = m.communication.ranks;
  metadata["communication"] = {{"remaps", m.communication.remaps},
                               {"bytes_sent", m.communication.bytes_sent}};
  metadata["shot_method"] = m.shot_method;
  metadata["time_taken"] = time_taken;

  ordered_json experiment;
  experiment["shots"] = r.shots;
  experiment["success"] = true;
  experiment["data"] = data;
  experiment["meas_level"] = 2;
  experiment["header"] = header;
  experiment["status"] = "DONE";
  experiment["seed_simulator"] = r.seed;
  experiment["metadata"] = metadata;
  experiment["time_taken"] = total;

  return experiment;
}

// (Pointers: a result may hold a whole state vector, which is not copied.)
std::string results_json(const std::vector<const Result*>& results,
                         const std::vector<Register>& qregs, const std::vector<Register>& cregs,
                         const QiskitInfo& info, const std::vector<ParameterValues>& parameters) {
  if (results.empty()) throw Error("to_qiskit_json: no results");
  if (!parameters.empty() && parameters.size() != results.size())
    throw Error("to_qiskit_json: " + std::to_string(parameters.size()) + " parameter sets for " +
                std::to_string(results.size()) + " results");
  ordered_json experiments = ordered_json::array();
  double total = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    experiments.push_back(experiment_json(*results[i], qregs, cregs, info,
                                          parameters.empty() ? nullptr : &parameters[i]));
    total += experiments.back()["time_taken"].get<double>();
  }
  const Result& r = *results.front();
  const RunMetadata& m = r.metadata;
  const std::string job = info.job_id.empty() ? "qstate-" + std::to_string(r.seed) : info.job_id;
  ordered_json out;
  out["backend_name"] = info.backend_name;
  out["backend_version"] = QSTATE_VERSION_STRING;
  out["qobj_id"] = info.qobj_id.empty() ? job : info.qobj_id;
  out["job_id"] = job;
  out["success"] = true;
  out["status"] = "COMPLETED";
  out["results"] = experiments;
  out["metadata"] = {{"mpi_ranks", m.communication.ranks}, {"omp_threads", m.threads}};
  out["time_taken"] = total;
  return out.dump(info.indent);
}

}  // namespace

std::string to_qiskit_json(const std::vector<Result>& results, const std::vector<Register>& qregs,
                           const std::vector<Register>& cregs, const QiskitInfo& info,
                           const std::vector<ParameterValues>& parameters) {
  std::vector<const Result*> pointers;
  for (const Result& r : results) pointers.push_back(&r);
  return results_json(pointers, qregs, cregs, info, parameters);
}

std::string to_qiskit_json(const Result& r, const std::vector<Register>& qregs,
                           const std::vector<Register>& cregs, const QiskitInfo& info) {
  return results_json({&r}, qregs, cregs, info, {});
}

}  // namespace qstate
