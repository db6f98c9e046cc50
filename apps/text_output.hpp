// Result and `info` report as text for people: a header, the counts as an aligned table with a
// bar per outcome, expectation values, and the largest probabilities or amplitudes when asked for.
// Long lists are cut to their top entries and say so; numbers are rounded to 10 significant digits.
// --format json gives everything, exactly.
#pragma once

#include "apps/info_command.hpp"
#include "apps/output_sink.hpp"
#include "simulator/result.hpp"

namespace qstate::cli {

void write_run_text(const Result& result, OutputSink& out);

void write_info_text(const CircuitInfo& info, OutputSink& out);

}  // namespace qstate::cli
