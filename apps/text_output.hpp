// Result and `info` report as text for people: a header, the counts as an aligned table with a
// bar per outcome, expectation values, and the largest probabilities or amplitudes when asked for.
// Long lists are cut to their top entries and say so; numbers are rounded to 10 significant digits.
// --format json gives everything, exactly.
#pragma once

#include <cstddef>

#include <qstate/qstate.hpp>
#include "apps/info_command.hpp"
#include "apps/json_output.hpp"
#include "apps/output_sink.hpp"

namespace qstate::cli {

// `parameters`: the values bound to the circuit's inputs, shown under the header.
void write_run_text(const Result& result, OutputSink& out, const Parameters* parameters = nullptr);

// Before each result of a sweep: "binding 3 of 100: theta = 0.25, phi = 1.5".
void write_sweep_text_header(std::size_t index, std::size_t total, const Parameters& parameters,
                             OutputSink& out);

void write_info_text(const CircuitInfo& info, OutputSink& out);

}  // namespace qstate::cli
