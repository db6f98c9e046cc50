// `qstate run`: options → api::ExecuteOptions, parse (timed), compile (timed as "plan"), execute,
// write the result. With inputs: bindings from --param / --params, compile once, then bind and
// execute per binding. Everything goes through the public API (<qstate/qstate.hpp>).
#include "apps/run_command.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "apps/json_output.hpp"
#include "apps/output_sink.hpp"
#include "apps/text_output.hpp"

#include <qstate/qiskit.hpp>
#include <qstate/qstate.hpp>

namespace qstate::cli {
namespace {

constexpr int kMaxThreads = 1024;

// A plain decimal whole number in [0, max]. CLI11's own conversion reads "-1" as 2^64 - 1 and
// "010" as octal; this check runs first and leaves only canonical digits for it.
CLI::Validator decimal_at_most(std::uint64_t max) {
  return CLI::Validator(
      [max](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, ec] = std::from_chars(text.data(), end, value);
        const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
          return c >= '0' && c <= '9';
        });
        if (!digits_only || ec != std::errc() || stop != end || value > max)
          return "'" + text + "' is not a whole number " +
                 (max == std::numeric_limits<std::uint64_t>::max()
                      ? std::string(">= 0 (written in decimal, below 2^64)")
                      : "from 0 to " + std::to_string(max));
        text = std::to_string(value);
        return {};
      },
      "", "DECIMAL");
}

// Seeds we draw stay below 2^53, so JSON readers that hold numbers as doubles (JavaScript, jq)
// read back the exact seed that repeats the run.
std::vector<std::string> without_repeats(const std::vector<std::string>& texts) {
  std::vector<std::string> out;
  for (const std::string& t : texts)
    if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
  return out;
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, RunArgs& args) {
  CLI::App* run = app.add_subcommand(
      "run",
      "Simulate an OpenQASM file and print counts (Qiskit's keys), and on request "
      "probabilities, amplitudes and Pauli expectation values of the final state");
  run->add_option("FILE", args.file, "OpenQASM 2 or 3 file to simulate")->required()->type_name("");
  run->add_option("--shots", args.shots,
                  "Shots to sample (default 1024; 0 = none: no counts, only the final state's "
                  "outputs)")
      ->transform(decimal_at_most(std::numeric_limits<std::uint64_t>::max()))
      ->type_name("N");
  run->add_option_function<std::uint64_t>(
         "--seed", [&args](const std::uint64_t& seed) { args.seed = seed; },
         "Seed of every random draw; the same file, seed and shots give the same counts at any "
         "thread count (default: drawn at random and reported in the output)")
      ->transform(decimal_at_most(std::numeric_limits<std::uint64_t>::max()))
      ->type_name("S");
  run->add_option("--threads", args.threads,
                  "OpenMP threads (default 0 = OMP_NUM_THREADS or one per core)")
      ->transform(decimal_at_most(kMaxThreads))
      ->type_name("T");
  run->add_option("--precision", args.precision,
                  "Amplitudes as complex<double> (16 bytes) or complex<float> (8 bytes, half the "
                  "memory) (default double)")
      ->check(CLI::IsMember({"single", "double"}).description(""))
      ->type_name("single|double");
  run->add_flag("--probabilities", args.probabilities,
                "Output |amplitude|^2 of the final state (before final measurements) for all "
                "2^n basis states of the declared qubits, qubit 0 = least significant bit");
  run->add_flag("--statevector", args.statevector,
                "Output the final state's 2^n amplitudes as [re, im] pairs (same order as "
                "--probabilities)");
  run->add_flag("--memory", args.memory, "Output each shot's counts key, in shot order");
  run->add_option("--observable", args.observables,
                  "Expectation value of a Pauli sum on the final state, e.g. \"0.5*ZZ - XX\": "
                  "one letter of IXYZ per declared qubit, the rightmost is qubit 0 (repeatable; "
                  "write --observable=-XX for a leading minus)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("EXPR");
  run->add_option("--format", args.format,
                  "Output format: json (for programs), text (for people) or qiskit (the dict "
                  "Qiskit's Result.from_dict reads) (default json)")
      ->check(CLI::IsMember({"json", "text", "qiskit"}).description(""))
      ->type_name("json|text|qiskit");
  run->add_option("--statevector-file", args.statevector_file,
                  "Write the final state's amplitudes (simulated qubits, index order) to PATH as "
                  "raw little-endian complex values, with a JSON header in PATH.json; under MPI "
                  "each rank writes its block in place (MPI-IO), nothing is gathered")
      ->type_name("PATH");
  run->add_option_function<std::string>(
         "--exchange-buffer",
         [&args](const std::string& text) { args.exchange_buffer = parse_size(text); },
         "Under MPI: bytes each rank uses to exchange amplitudes, e.g. 256M (default "
         "max(64M, slice/16)); smaller saves memory, larger sends fewer messages")
      ->type_name("SIZE");
  run->add_option("--param", args.params,
                  "Bind an input of the circuit (OpenQASM 3 'input float[64] theta;'): "
                  "NAME=VALUE, e.g. theta=0.25 or theta=pi/4 (repeatable; applies to every "
                  "binding of --params)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->type_name("NAME=VALUE");
  run->add_option("--params", args.params_file,
                  "Bind the inputs from a JSON file: an object {\"theta\": 0.25} for one run, or "
                  "a list of such objects for a sweep (parsed and planned once, run once per "
                  "binding, one result each: {\"results\": [...]})")
      ->type_name("FILE.json");
  run->add_option("--output", args.output,
                  "Write the result to PATH instead of standard output; the file appears only "
                  "when the run succeeded (replacing an existing one)")
      ->type_name("PATH");
  run->footer(
      "Examples:\n"
      "  qstate run bell.qasm --shots 4096 --seed 7\n"
      "  qstate run bell.qasm --shots 0 --probabilities --observable \"0.5*ZZ - XX\"\n"
      "  qstate run big.qasm --precision single --threads 16 --output result.json\n"
      "  mpirun -np 4 qstate run big.qasm --shots 1000 --seed 1   (state split over 4 ranks)\n"
      "  qstate run ansatz.qasm --param theta=0.25 --param phi=pi/4\n"
      "  qstate run ansatz.qasm --params sweep.json   (a list of bindings: one result each)\n"
      "Environment: OMP_NUM_THREADS (threads when --threads is 0), QSTATE_MEMORY_LIMIT (bytes, "
      "or with K/M/G/T, that the memory check may use instead of what it detects).\n"
      "Exit codes: 0 success, 1 the run failed (message on stderr), 2 bad command line.\n");
  return run;
}

namespace {

std::string input_list(const std::vector<std::string>& inputs) {
  std::string out;
  for (const std::string& name : inputs) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// A value as written: a number, or a constant expression (pi/4, -2*pi/3).
double parse_value(const std::string& text, const std::string& context) {
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (!text.empty() && ec == std::errc() && stop == end && std::isfinite(value)) return value;
  try {
    return api::constant_value(text, context);
  } catch (const Error&) {
    throw Error(context + ": '" + text +
                "' is not a number or a constant expression such as 0.25 or pi/4");
  }
}

std::size_t input_index(const std::vector<std::string>& inputs, const std::string& name,
                        const std::string& context) {
  const auto it = std::find(inputs.begin(), inputs.end(), name);
  if (it == inputs.end())
    throw Error(context + ": the circuit has no input '" + name +
                "' (its inputs: " + input_list(inputs) + ")");
  return static_cast<std::size_t>(it - inputs.begin());
}

using Partial = std::vector<std::optional<double>>;

Partial binding_from_json(const nlohmann::json& object, const std::vector<std::string>& inputs,
                          const std::string& context) {
  if (!object.is_object())
    throw Error(context + ": a binding is an object such as {\"theta\": 0.25}");
  Partial values(inputs.size());
  for (const auto& [name, value] : object.items()) {
    const std::size_t k = input_index(inputs, name, context);
    if (value.is_number()) {
      values[k] = value.get<double>();
    } else if (value.is_string()) {
      values[k] = parse_value(value.get<std::string>(), context + ", '" + name + "'");
    } else {
      throw Error(context + ": the value of '" + name + "' must be a number");
    }
  }
  return values;
}

}  // namespace

Bindings read_bindings(const RunArgs& args, const std::vector<std::string>& inputs) {
  Bindings out;
  if (inputs.empty()) {
    if (!args.params.empty() || !args.params_file.empty())
      throw Error(std::string(args.params.empty() ? "--params" : "--param") + ": " + args.file +
                  " declares no inputs ('input float[64] name;'), so there is nothing to bind");
    return out;
  }
  std::vector<Partial> bindings;
  if (!args.params_file.empty()) {
    std::ifstream in(args.params_file);
    if (!in) throw Error("--params: cannot read '" + args.params_file + "'");
    std::stringstream buffer;
    buffer << in.rdbuf();
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(buffer.str());
    } catch (const nlohmann::json::parse_error& e) {
      throw Error("--params " + args.params_file + ": not valid JSON (" + e.what() + ")");
    }
    const std::string context = "--params " + args.params_file;
    if (doc.is_array()) {
      out.sweep = true;
      if (doc.empty()) throw Error(context + ": the list of bindings is empty");
      for (std::size_t i = 0; i < doc.size(); ++i)
        bindings.push_back(binding_from_json(doc[i], inputs,
                                             context + " (binding " + std::to_string(i + 1) + ")"));
    } else {
      bindings.push_back(binding_from_json(doc, inputs, context));
    }
  } else {
    bindings.emplace_back(inputs.size());
  }
  for (const std::string& item : args.params) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw Error("--param " + item + ": expected NAME=VALUE, e.g. theta=0.25");
    const std::string name = item.substr(0, eq);
    const std::string context = "--param " + item;
    const std::size_t k = input_index(inputs, name, context);
    const double value = parse_value(item.substr(eq + 1), context);
    for (Partial& b : bindings) b[k] = value;
  }
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    std::vector<double> values;
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      if (!bindings[i][k])
        throw Error("input '" + inputs[k] + "' is not bound" +
                    (out.sweep ? " in binding " + std::to_string(i + 1) + " of --params" : "") +
                    ": give --param " + inputs[k] + "=VALUE or a value in --params FILE.json");
      values.push_back(*bindings[i][k]);
    }
    out.values.push_back(std::move(values));
  }
  return out;
}

std::uint64_t parse_size(const std::string& text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  const std::string unit = text.substr(digits);
  int shift = -1;
  if (unit.empty() || unit == "B") shift = 0;
  if (unit == "K" || unit == "KiB" || unit == "k") shift = 10;
  if (unit == "M" || unit == "MiB") shift = 20;
  if (unit == "G" || unit == "GiB") shift = 30;
  std::uint64_t value = 0;
  const auto [stop, ec] = std::from_chars(text.data(), text.data() + digits, value);
  if (digits == 0 || ec != std::errc() || shift < 0 || value == 0 ||
      value > (~std::uint64_t{0} >> shift))
    throw CLI::ValidationError("--exchange-buffer",
                               "'" + text + "' is not a size such as 4096, 64M or 1G");
  return value << shift;
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Puts `phases` before the phases the run recorded.
void prepend_phases(Result& result, std::vector<std::pair<std::string, double>> phases) {
  auto& time = result.metadata.time_taken;
  phases.insert(phases.end(), time.begin(), time.end());
  time = std::move(phases);
}

Parameters named(const std::vector<std::string>& inputs, const std::vector<double>& values) {
  Parameters out;
  for (std::size_t k = 0; k < inputs.size(); ++k) out.emplace_back(inputs[k], values[k]);
  return out;
}

// Runs on the ranks the circuit can use (rank 0 says once when that is fewer than were started);
// a failure on any rank fails every rank, the ranks left out included.
Result execute(const api::Simulator& sim, api::CompiledCircuit& compiled,
               const api::ExecuteOptions& options, bool& warned) {
  if (!warned && sim.is_root()) {
    const std::string note = compiled.unused_ranks_note();
    if (!note.empty()) std::cerr << "qstate: warning: " << note << "\n";
  }
  warned = true;
  // Only qstate::Error is agreed here: any other failure (std::bad_alloc in the middle of an
  // exchange) may leave ranks waiting, and main() aborts them all.
  std::optional<Result> result;
  std::string error;
  try {
    result.emplace(compiled.execute(options));
  } catch (const Error& e) {
    error = e.what();
  }
  sim.agree(error);
  return std::move(*result);
}

// A circuit with inputs: compile once, then bind and run each binding, writing as the runs
// finish.
void run_bound(const RunArgs& args, const api::Simulator& sim, const api::Circuit& circuit,
               const api::ExecuteOptions& options, double parse_seconds, OutputTarget* target) {
  const Bindings bindings = sim.agreed([&] { return read_bindings(args, circuit.parameters()); });
  if (bindings.values.size() > 1 && !args.statevector_file.empty())
    sim.agreed([] {
      throw Error(
          "--statevector-file writes one state: it cannot be used with a sweep of "
          "several bindings");
    });
  auto start = Clock::now();
  api::CompiledCircuit compiled = sim.agreed([&] { return sim.compile(circuit); });
  const double plan_seconds = seconds_since(start);
  // Every binding is evaluated before anything runs, so a value outside an expression's domain
  // (a division by zero, the log of a negative number) fails at once, with its binding.
  sim.agreed([&] {
    for (std::size_t i = 0; i < bindings.values.size(); ++i) {
      try {
        compiled.bind(bindings.values[i]);
      } catch (const Error& e) {
        if (!bindings.sweep) throw;
        throw Error(std::string(e.what()) + " (binding " + std::to_string(i + 1) + " of --params)");
      }
    }
  });

  const auto sweep_start = Clock::now();
  std::optional<SweepJsonWriter> sweep_json;
  // --format qiskit: one Qiskit Result with one experiment per binding, written at the end.
  std::vector<Result> qiskit_results;
  std::vector<ParameterValues> qiskit_parameters;
  bool warned = false;
  for (std::size_t i = 0; i < bindings.values.size(); ++i) {
    start = Clock::now();
    compiled.bind(bindings.values[i]);
    const double bind_seconds = seconds_since(start);
    Result result = execute(sim, compiled, options, warned);
    if (!compiled.runs_here() || !sim.is_root()) continue;
    result.seed_given = args.seed.has_value();
    const Parameters parameters = named(circuit.parameters(), bindings.values[i]);
    OutputSink& sink = target->sink();
    prepend_phases(
        result,
        bindings.sweep
            ? std::vector<std::pair<std::string, double>>{{"bind", bind_seconds}}
            : std::vector<std::pair<std::string, double>>{
                  {"parse", parse_seconds}, {"plan", plan_seconds}, {"bind", bind_seconds}});
    if (args.format == "qiskit") {
      qiskit_results.push_back(std::move(result));
      qiskit_parameters.push_back(parameters);
      continue;
    }
    if (!bindings.sweep) {
      if (args.format == "text") {
        write_run_text(result, sink, &parameters);
      } else {
        write_run_json(result, sink, &parameters);
      }
      continue;
    }
    if (args.format == "text") {
      write_sweep_text_header(i, bindings.values.size(), parameters, sink);
      write_run_text(result, sink, &parameters);
    } else {
      if (!sweep_json) sweep_json.emplace(sink);
      sweep_json->add(result, parameters);
    }
  }
  if (!qiskit_results.empty())
    target->sink().write(
        to_qiskit_json(qiskit_results, compiled.qregs(), compiled.cregs(), {}, qiskit_parameters) +
        "\n");
  if (sweep_json)
    sweep_json->finish(
        circuit.name(),
        {{"parse", parse_seconds}, {"plan", plan_seconds}, {"runs", seconds_since(sweep_start)}});
}

}  // namespace

int run_run(const RunArgs& args, const api::Simulator& world) {
  // Rank 0 writes the result. The target is created first, so an unwritable path fails before a
  // long simulation.
  std::optional<OutputTarget> target;
  world.agreed([&] {
    if (world.is_root()) target.emplace(args.output);
  });

  api::SimulatorOptions sim_options;
  sim_options.threads = args.threads;
  sim_options.precision = args.precision == "single" ? Precision::kSingle : Precision::kDouble;
  sim_options.exchange_buffer_bytes = args.exchange_buffer;
  // As qstate run always has: the largest power of two of ranks the circuit can use.
  sim_options.rank_use = api::RankUse::kLargestPowerOfTwo;
  const api::Simulator sim(sim_options);

  api::ExecuteOptions options;
  options.shots = args.shots;
  // One seed for every binding of a sweep.
  options.seed = args.seed ? *args.seed : sim.draw_seed();
  options.memory = args.memory;
  options.probabilities = args.probabilities;
  options.statevector = args.statevector;
  // A repeated expression would be a repeated JSON key: evaluate it once.
  options.observables = without_repeats(args.observables);
  options.statevector_file = args.statevector_file;

  const auto start = Clock::now();
  const api::Circuit circuit = sim.agreed([&] { return api::Circuit::from_file(args.file); });
  const double parse_seconds = seconds_since(start);

  if (!circuit.parameters().empty() || !args.params.empty() || !args.params_file.empty()) {
    run_bound(args, sim, circuit, options, parse_seconds, target ? &*target : nullptr);
    if (sim.is_root()) target->commit();
    return 0;
  }

  const auto plan_start = Clock::now();
  api::CompiledCircuit compiled = sim.agreed([&] { return sim.compile(circuit); });
  const double plan_seconds = seconds_since(plan_start);
  bool warned = false;
  Result result = execute(sim, compiled, options, warned);
  if (!compiled.runs_here() || !sim.is_root()) return 0;
  result.seed_given = args.seed.has_value();
  prepend_phases(result, {{"parse", parse_seconds}, {"plan", plan_seconds}});

  if (args.format == "text") {
    write_run_text(result, target->sink());
  } else if (args.format == "qiskit") {
    target->sink().write(to_qiskit_json(result, compiled.qregs(), compiled.cregs()) + "\n");
  } else {
    write_run_json(result, target->sink());
  }
  target->commit();
  return 0;
}

}  // namespace qstate::cli
