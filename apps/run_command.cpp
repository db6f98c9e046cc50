// `qstate run`: options → RunOptions, parse (timed), run_circuit, write the result.
#include "apps/run_command.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <limits>
#include <optional>
#include <random>

#include <CLI/CLI.hpp>

#include "apps/json_output.hpp"
#include "apps/output_sink.hpp"
#include "apps/ranks.hpp"
#include "apps/text_output.hpp"
#include "circuits/qasm/qasm.hpp"
#include "simulator/executor.hpp"
#include "simulator/sampling.hpp"

#include "qstate/qiskit.hpp"  // --format qiskit: the public API's result writer

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
  run->add_option("FILE", args.file, "OpenQASM 2 file to simulate")->required()->type_name("");
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
      "Environment: OMP_NUM_THREADS (threads when --threads is 0), QSTATE_MEMORY_LIMIT (bytes, "
      "or with K/M/G/T, that the memory check may use instead of what it detects).\n"
      "Exit codes: 0 success, 1 the run failed (message on stderr), 2 bad command line.\n");
  return run;
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

int run_run(const RunArgs& args, const Ranks& ranks) {
  using Clock = std::chrono::steady_clock;
  // Rank 0 writes the result. The target is created first, so an unwritable path fails before a
  // long simulation.
  std::optional<OutputTarget> target;
  ranks.agreed([&] {
    if (ranks.root()) target.emplace(args.output);
  });

  RunOptions options;
  options.shots = args.shots;
  options.seed = args.seed ? *args.seed : ranks.share_seed(random_seed());
  options.threads = args.threads;
  options.precision = args.precision == "single" ? Precision::kSingle : Precision::kDouble;
  options.memory = args.memory;
  options.probabilities = args.probabilities;
  options.statevector = args.statevector;
  // A repeated expression would be a repeated JSON key: evaluate it once.
  options.observables = without_repeats(args.observables);
  options.statevector_file = args.statevector_file;

  const auto start = Clock::now();
  const Circuit circuit = ranks.agreed([&] { return qasm::parse_file(args.file); });
  const double parse_seconds = std::chrono::duration<double>(Clock::now() - start).count();

  std::optional<Result> result = ranks.run(circuit, options, args.exchange_buffer);
  if (!result || !ranks.root()) return 0;
  result->seed_given = args.seed.has_value();
  auto& phases = result->metadata.time_taken;  // "parse" ran first: put it first
  phases.emplace_back("parse", parse_seconds);
  std::rotate(phases.begin(), phases.end() - 1, phases.end());

  if (args.format == "text") {
    write_run_text(*result, target->sink());
  } else if (args.format == "qiskit") {
    target->sink().write(to_qiskit_json(*result, circuit.qregs, circuit.cregs) + "\n");
  } else {
    write_run_json(*result, target->sink());
  }
  target->commit();
  return 0;
}

}  // namespace qstate::cli
