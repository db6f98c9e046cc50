// Result → JSON in the shapes Qiskit users read (counts keyed as Result.get_counts() keys them,
// probabilities and amplitudes indexed with qubit 0 as the least significant bit), and the
// `info` report as JSON. Large arrays are streamed to the sink, never built as a JSON tree.
#pragma once

#include "apps/info_command.hpp"
#include "apps/output_sink.hpp"
#include "simulator/result.hpp"

namespace qstate::cli {

// Writes `counts` (when result.has_counts), `memory` (when it holds keys), `probabilities`,
// `statevector` (when present), `expectation_values` (when any), `seed`, `shots` and `metadata`.
// metadata.time_taken gets a final "output" phase: the time spent writing everything before it.
void write_run_json(const Result& result, OutputSink& out);

void write_info_json(const CircuitInfo& info, OutputSink& out);

}  // namespace qstate::cli
