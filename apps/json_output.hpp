// Result → JSON in the shapes Qiskit users read (counts keyed as Result.get_counts() keys them,
// probabilities and amplitudes indexed with qubit 0 as the least significant bit), a parameter
// sweep's results as one document ({"results": [...], "metadata": {...}}), and the `info` report
// as JSON. Large arrays are streamed to the sink, never built as a JSON tree.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <qstate/qstate.hpp>
#include "apps/info_command.hpp"
#include "apps/json_writer.hpp"
#include "apps/output_sink.hpp"

namespace qstate::cli {

// Values bound to a circuit's inputs, in the circuit's order.
using Parameters = std::vector<std::pair<std::string, double>>;

// Writes `parameters` (when given), `counts` (when result.has_counts), `memory` (when it holds
// keys), `probabilities`, `statevector` (when present), `expectation_values` (when any), `seed`,
// `shots` and `metadata`. metadata.time_taken gets a final "output" phase: the time spent writing
// everything before it.
void write_run_json(const Result& result, OutputSink& out, const Parameters* parameters = nullptr);

// A sweep's document, written as the runs finish: {"results": [one run object per binding, as
// write_run_json writes it, with its "parameters"], "metadata": {...}}.
class SweepJsonWriter {
 public:
  explicit SweepJsonWriter(OutputSink& out);
  void add(const Result& result, const Parameters& parameters);
  // `time_taken`: the shared phases ("parse", "plan") and "runs" (all bindings).
  void finish(const std::string& source,
              const std::vector<std::pair<std::string, double>>& time_taken);

 private:
  OutputSink& out_;
  JsonWriter json_;
  std::size_t count_ = 0;
};

void write_info_json(const CircuitInfo& info, OutputSink& out);

}  // namespace qstate::cli
