// The JSON documents of `qstate run` and `qstate info`, written member by member.
#include "apps/json_output.hpp"

#include <chrono>
#include <cstdint>
#include <limits>

#include <qstate/config.hpp>

#include <qstate/qstate.hpp>
#include "apps/json_writer.hpp"

namespace qstate::cli {
namespace {

using Clock = std::chrono::steady_clock;

void write_counts_map(JsonWriter& json, const std::map<std::string, std::uint64_t>& counts) {
  json.begin_object();
  for (const auto& [name, count] : counts) {
    json.key(name);
    json.integer(count);
  }
  json.end_object();
}

void write_registers(JsonWriter& json, const std::vector<Register>& registers) {
  json.begin_array(false);
  for (const Register& reg : registers) {
    json.begin_object();
    json.key("name");
    json.string(reg.name);
    json.key("size");
    json.integer(reg.size);
    json.end_object();
  }
  json.end_array();
}

void write_op_totals(JsonWriter& json, std::uint64_t gates, std::uint64_t measurements,
                     std::uint64_t resets, std::uint64_t conditionals, std::uint64_t barriers) {
  json.begin_object();
  json.key("gates");
  json.integer(gates);
  json.key("measurements");
  json.integer(measurements);
  json.key("resets");
  json.integer(resets);
  json.key("conditionals");
  json.integer(conditionals);
  json.key("barriers");
  json.integer(barriers);
  json.end_object();
}

void write_metadata(JsonWriter& json, const RunMetadata& meta, bool seed_given,
                    double output_seconds) {
  json.begin_object();
  json.key("qstate_version");
  json.string(QSTATE_VERSION_STRING);
  json.key("source");
  json.string(meta.source);
  json.key("qubits");
  json.integer(meta.num_qubits);
  json.key("simulated_qubits");
  json.integer(meta.simulated_qubits);
  json.key("clbits");
  json.integer(meta.num_clbits);
  json.key("precision");
  json.string(meta.precision);
  json.key("threads");
  json.integer(static_cast<std::uint64_t>(meta.threads));
  json.key("seed_given");
  json.boolean(seed_given);
  json.key("shot_method");
  json.string(meta.shot_method);
  json.key("dynamic");
  json.boolean(meta.dynamic);
  json.key("gate_counts");
  write_counts_map(json, meta.gate_counts);
  json.key("ops");
  write_op_totals(json, meta.gates, meta.measurements, meta.resets, meta.conditionals,
                  meta.barriers);
  json.key("depth");
  json.integer(meta.depth);
  json.key("state_bytes");
  json.integer(meta.state_bytes);
  json.key("work");
  json.begin_object();
  json.key("passes");
  json.number(meta.work.passes);
  json.key("gflop");
  json.number(meta.work.flops * 1e-9);
  json.end_object();
  json.key("communication");
  json.begin_object();
  json.key("ranks");
  json.integer(static_cast<std::uint64_t>(meta.communication.ranks));
  json.key("remaps");
  json.integer(meta.communication.remaps);
  json.key("bytes_sent");
  json.integer(meta.communication.bytes_sent);
  json.end_object();
  json.key("time_taken");
  json.begin_object();
  for (const auto& [phase, seconds] : meta.time_taken) {
    json.key(phase);
    json.number(seconds);
  }
  json.key("output");
  json.number(output_seconds);
  json.end_object();
  json.end_object();
}

void write_run_object(JsonWriter& json, OutputSink& out, const Result& result,
                      const Parameters* parameters) {
  const auto start = Clock::now();
  json.begin_object();
  if (parameters != nullptr) {
    json.key("parameters");
    json.begin_object();
    for (const auto& [name, value] : *parameters) {
      json.key(name);
      json.number(value);
    }
    json.end_object();
  }
  if (result.has_counts) {
    json.key("counts");
    write_counts_map(json, result.counts);
  }
  if (!result.memory.empty()) {
    json.key("memory");
    json.begin_array(true);
    for (const std::string& key : result.memory) json.string(key);
    json.end_array();
  }
  if (result.probabilities) {
    json.key("probabilities");
    json.begin_array(true);
    for (const double p : *result.probabilities) json.number(p);
    json.end_array();
  }
  if (result.statevector) {
    json.key("statevector");
    json.begin_array(true);
    for (const std::complex<double>& a : *result.statevector) {
      json.begin_array(true);
      json.number(a.real());
      json.number(a.imag());
      json.end_array();
    }
    json.end_array();
  }
  if (!result.expectation_values.empty()) {
    json.key("expectation_values");
    json.begin_object();
    for (const auto& [text, value] : result.expectation_values) {
      json.key(text);
      json.number(value);
    }
    json.end_object();
  }
  json.key("seed");
  json.integer(result.seed);
  json.key("shots");
  json.integer(result.shots);
  // Everything large is written by now: what remains is small.
  out.flush();
  const double output_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  json.key("metadata");
  write_metadata(json, result.metadata, result.seed_given, output_seconds);
  json.end_object();
}

}  // namespace

void write_run_json(const Result& result, OutputSink& out, const Parameters* parameters) {
  JsonWriter json(out);
  write_run_object(json, out, result, parameters);
  json.finish();
}

SweepJsonWriter::SweepJsonWriter(OutputSink& out) : out_(out), json_(out) {
  json_.begin_object();
  json_.key("results");
  json_.begin_array(false);
}

void SweepJsonWriter::add(const Result& result, const Parameters& parameters) {
  write_run_object(json_, out_, result, &parameters);
  ++count_;
}

void SweepJsonWriter::finish(const std::string& source,
                             const std::vector<std::pair<std::string, double>>& time_taken) {
  json_.end_array();
  json_.key("metadata");
  json_.begin_object();
  json_.key("source");
  json_.string(source);
  json_.key("bindings");
  json_.integer(count_);
  json_.key("time_taken");
  json_.begin_object();
  for (const auto& [phase, seconds] : time_taken) {
    json_.key(phase);
    json_.number(seconds);
  }
  json_.end_object();
  json_.end_object();
  json_.end_object();
  json_.finish();
}

void write_info_json(const CircuitInfo& info, OutputSink& out) {
  constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();
  JsonWriter json(out);
  json.begin_object();
  json.key("source");
  json.string(info.source);
  json.key("qubits");
  json.integer(info.qubits);
  json.key("simulated_qubits");
  json.integer(info.simulated_qubits);
  json.key("clbits");
  json.integer(info.clbits);
  json.key("qregs");
  write_registers(json, info.qregs);
  json.key("cregs");
  write_registers(json, info.cregs);
  if (!info.inputs.empty()) {
    json.key("inputs");
    json.begin_array(true);
    for (const std::string& name : info.inputs) json.string(name);
    json.end_array();
  }
  json.key("written_counts");
  write_counts_map(json, info.written_counts);
  json.key("gate_counts");
  write_counts_map(json, info.stats.gate_counts);
  json.key("ops");
  write_op_totals(json, info.stats.gates, info.stats.measurements, info.stats.resets,
                  info.stats.conditionals, info.stats.barriers);
  json.key("depth");
  json.integer(info.stats.depth);
  json.key("dynamic");
  json.boolean(info.dynamic);
  json.key("memory");
  json.begin_object();
  // A byte count of UINT64_MAX means "beyond 16 EiB" for a state, "no limit found" for memory.
  const auto write_bytes = [&](const std::string& name, std::uint64_t bytes, const char* huge) {
    json.key(name + "_bytes");
    if (bytes == kSaturated) {
      json.null();
    } else {
      json.integer(bytes);
    }
    json.key(name);
    json.string(bytes == kSaturated ? huge : api::format_bytes(bytes));
  };
  write_bytes("single", info.single_bytes, "more than 16 EiB");
  write_bytes("double", info.double_bytes, "more than 16 EiB");
  write_bytes("available", info.available_bytes, "unknown");
  json.end_object();
  if (info.distribution) {
    const DistributionInfo& d = *info.distribution;
    json.key("distribution");
    json.begin_object();
    json.key("ranks");
    json.integer(static_cast<std::uint64_t>(d.ranks));
    json.key("ranks_requested");
    json.integer(static_cast<std::uint64_t>(d.ranks_requested));
    json.key("local_qubits");
    json.integer(d.local_qubits);
    json.key("precision");
    json.string(d.precision);
    json.key("slice_bytes");
    json.integer(d.slice_bytes);
    json.key("buffer_bytes");
    json.integer(d.buffer_bytes);
    json.key("per_rank_bytes");
    json.integer(d.per_rank_bytes);
    json.key("remaps");
    json.integer(d.remaps);
    json.key("remap_sizes");
    json.begin_array(true);
    for (unsigned k : d.remap_sizes) json.integer(k);
    json.end_array();
    json.key("relabels");
    json.integer(d.relabels);
    json.key("final_exchange");
    json.integer(d.final_exchange);
    json.key("bytes_sent_per_rank");
    json.integer(d.bytes_sent);
    json.key("per_gate_slices");
    json.number(d.per_gate_slices);
    json.key("per_gate_bytes_per_rank");
    json.integer(d.per_gate_bytes);
    json.end_object();
  }
  json.end_object();
  json.finish();
}

}  // namespace qstate::cli
