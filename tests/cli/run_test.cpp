// `qstate run` end to end: counts, seeds, memory, probabilities, amplitudes, observables, text
// format, --output, and the --version / --help texts.
#include <catch2/catch.hpp>

#include <cmath>
#include <qstate/config.hpp>

#include "tests/cli/cli_support.hpp"

namespace qstate::test {
namespace {

using nlohmann::json;

constexpr double kTol = 1e-12;

json run_json(const std::vector<std::string>& args) {
  const ProcessResult r = run_qstate(args);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  return parse_json(r.out);
}

std::uint64_t total(const json& counts) {
  std::uint64_t sum = 0;
  for (const auto& [key, value] : counts.items()) sum += value.get<std::uint64_t>();
  return sum;
}

}  // namespace

TEST_CASE("run: a Bell pair gives only 00 and 11, reports the seed and typed metadata",
          "[cli][run]") {
  const ProcessResult r = run_qstate({"run", cli_data("bell.qasm"), "--shots", "1000"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  // Key order as written: nlohmann::ordered_json keeps it.
  const auto doc = nlohmann::ordered_json::parse(r.out);
  const auto& counts = doc.at("counts");
  REQUIRE(counts.is_object());
  for (const auto& [key, value] : counts.items()) {
    CHECK((key == "00" || key == "11"));
    CHECK(value.is_number_unsigned());
  }
  std::uint64_t sum = 0;
  for (const auto& [key, value] : counts.items()) sum += value.get<std::uint64_t>();
  CHECK(sum == 1000);
  CHECK(counts.size() == 2);  // both appear in 1000 shots (a miss has probability 2^-999)
  CHECK(doc.at("shots") == 1000);
  CHECK(doc.at("seed").is_number_unsigned());  // drawn, and reported
  CHECK(doc.count("probabilities") == 0);
  CHECK(doc.count("statevector") == 0);
  CHECK(doc.count("memory") == 0);

  const auto& meta = doc.at("metadata");
  CHECK(meta.at("seed_given") == false);
  CHECK(meta.at("source").get<std::string>().find("bell.qasm") != std::string::npos);
  CHECK(meta.at("qubits") == 2);
  CHECK(meta.at("simulated_qubits") == 2);
  CHECK(meta.at("clbits") == 2);
  CHECK(meta.at("precision") == "double");
  CHECK(meta.at("threads").is_number_unsigned());
  CHECK(meta.at("threads").get<int>() >= 1);
  CHECK(meta.at("shot_method").is_string());
  CHECK(meta.at("dynamic") == false);
  CHECK(meta.at("gate_counts") == nlohmann::ordered_json({{"cx", 1}, {"h", 1}}));
  const auto& ops = meta.at("ops");
  CHECK(ops.at("gates") == 2);
  CHECK(ops.at("measurements") == 2);
  CHECK(ops.at("resets") == 0);
  CHECK(ops.at("conditionals") == 0);
  CHECK(ops.at("barriers") == 0);
  CHECK(meta.at("depth").is_number_unsigned());
  CHECK(meta.at("state_bytes") == 64);  // 2^2 amplitudes of 16 bytes
  const auto& time = meta.at("time_taken");
  REQUIRE(time.is_object());
  REQUIRE(!time.empty());
  CHECK(time.begin().key() == "parse");
  CHECK(time.contains("simulate"));
  CHECK(time.contains("output"));
  for (const auto& [phase, seconds] : time.items()) {
    INFO(phase);
    CHECK(seconds.is_number_float());
    CHECK(seconds.get<double>() >= 0);
  }
}

TEST_CASE("run: the same seed gives the same counts and memory", "[cli][run]") {
  const std::vector<std::string> args{
      "run", cli_data("bell.qasm"), "--shots", "200", "--seed", "1234", "--memory"};
  const json first = run_json(args);
  const json second = run_json(args);
  CHECK(first.at("seed") == 1234);
  CHECK(first.at("metadata").at("seed_given") == true);
  CHECK(first.at("counts") == second.at("counts"));
  CHECK(first.at("memory") == second.at("memory"));

  const json other =
      run_json({"run", cli_data("bell.qasm"), "--shots", "200", "--seed", "4321", "--memory"});
  CHECK(other.at("memory") != first.at("memory"));  // equal with probability 2^-200

  SECTION("the seed reported for a run without --seed repeats it") {
    const json drawn = run_json({"run", cli_data("bell.qasm"), "--shots", "100", "--memory"});
    CHECK(drawn.at("metadata").at("seed_given") == false);
    const std::string seed = std::to_string(drawn.at("seed").get<std::uint64_t>());
    const json again =
        run_json({"run", cli_data("bell.qasm"), "--shots", "100", "--memory", "--seed", seed});
    CHECK(again.at("memory") == drawn.at("memory"));
  }
}

TEST_CASE("run: --memory holds one key per shot", "[cli][run]") {
  const json doc =
      run_json({"run", cli_data("bell.qasm"), "--shots", "37", "--seed", "5", "--memory"});
  const json& memory = doc.at("memory");
  REQUIRE(memory.is_array());
  CHECK(memory.size() == 37);
  json tally = json::object();
  for (const json& key : memory) {
    CHECK((key == "00" || key == "11"));
    tally[key.get<std::string>()] = tally.value(key.get<std::string>(), 0) + 1;
  }
  CHECK(tally == doc.at("counts"));
}

TEST_CASE("run: --probabilities and --statevector of |+>", "[cli][run]") {
  const json doc = run_json({"run", cli_data("h_one.qasm"), "--probabilities", "--statevector"});
  CHECK(doc.count("counts") == 0);  // no classical bits
  const json& p = doc.at("probabilities");
  REQUIRE(p.size() == 2);
  CHECK(p[0].get<double>() == Approx(0.5).margin(kTol));
  CHECK(p[1].get<double>() == Approx(0.5).margin(kTol));
  const json& a = doc.at("statevector");
  REQUIRE(a.size() == 2);
  for (const json& amp : a) {
    REQUIRE(amp.size() == 2);
    CHECK(amp[0].get<double>() == Approx(1 / std::sqrt(2.0)).margin(kTol));
    CHECK(amp[1].get<double>() == Approx(0.0).margin(kTol));
  }
}

TEST_CASE("run: idle declared qubits are part of the outputs", "[cli][run]") {
  const json doc = run_json(
      {"run", cli_data("idle_qubits.qasm"), "--probabilities", "--statevector", "--seed", "3"});
  CHECK(doc.at("metadata").at("qubits") == 4);
  CHECK(doc.at("metadata").at("simulated_qubits") == 1);
  const json& p = doc.at("probabilities");
  REQUIRE(p.size() == 16);
  for (std::size_t i = 0; i < 16; ++i) {
    INFO("index " << i);
    const double expected = (i == 0 || i == 2) ? 0.5 : 0.0;  // H on q[1]: bit 1 of the index
    CHECK(p[i].get<double>() == Approx(expected).margin(kTol));
  }
  CHECK(doc.at("statevector").size() == 16);
  for (const auto& [key, value] : doc.at("counts").items()) CHECK((key == "0000" || key == "0010"));
  CHECK(total(doc.at("counts")) == 1024);  // the default
}

TEST_CASE("run: --observable gives Pauli expectation values of a Bell state", "[cli][run]") {
  const json doc =
      run_json({"run", cli_data("bell.qasm"), "--shots", "0", "--observable", "0.5*ZZ - XX",
                "--observable", "YY", "--observable", "ZI", "--observable=-1.5*XX + 2*II"});
  CHECK(doc.count("counts") == 0);  // 0 shots
  const json& ev = doc.at("expectation_values");
  REQUIRE(ev.size() == 4);
  // (|00> + |11>)/sqrt(2): <ZZ> = <XX> = 1, <YY> = -1, <ZI> = 0.
  CHECK(ev.at("0.5*ZZ - XX").get<double>() == Approx(-0.5).margin(kTol));
  CHECK(ev.at("YY").get<double>() == Approx(-1.0).margin(kTol));
  CHECK(ev.at("ZI").get<double>() == Approx(0.0).margin(kTol));
  CHECK(ev.at("-1.5*XX + 2*II").get<double>() == Approx(0.5).margin(kTol));
}

TEST_CASE("run: --format text prints a header and the counts table", "[cli][run]") {
  const ProcessResult r = run_qstate(
      {"run", cli_data("bell.qasm"), "--format", "text", "--seed", "11", "--observable", "ZZ"});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  for (const char* part : {"bell.qasm", "qubits", "shots", "1024", "seed", "11", "precision",
                           "double", "threads", "time", "counts: 2 outcomes in 1024 shots",
                           "outcome", "count", "fraction", "expectation values", "ZZ"})
    CHECK(r.out.find(part) != std::string::npos);
  // One row per outcome: key, count, fraction and a bar.
  CHECK_THAT(r.out, Catch::Matchers::Matches(R"([\s\S]*\n  00 +[0-9]+ +0\.[0-9]{4}  #+\n[\s\S]*)"));
  CHECK_THAT(r.out, Catch::Matchers::Matches(R"([\s\S]*\n  11 +[0-9]+ +0\.[0-9]{4}  #+\n[\s\S]*)"));
  CHECK(r.out.find("probabilities") == std::string::npos);  // not asked for
}

TEST_CASE("run: --output writes the result file and nothing to stdout", "[cli][run]") {
  TempDir dir;
  const std::string out = dir.file("result.json");
  write_file(out, "an older result");
  const ProcessResult r =
      run_qstate({"run", cli_data("bell.qasm"), "--seed", "9", "--probabilities", "--output", out});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  const json doc = parse_json(read_file(out));  // replaced
  CHECK(doc.at("seed") == 9);
  CHECK(doc.at("probabilities").size() == 4);
  CHECK(dir.entries() == std::vector<std::string>{"result.json"});  // no temporary left
}

TEST_CASE("run: --precision single halves the state", "[cli][run]") {
  const json doc = run_json({"run", cli_data("h_one.qasm"), "--precision", "single",
                             "--probabilities", "--threads", "1"});
  CHECK(doc.at("metadata").at("precision") == "single");
  CHECK(doc.at("metadata").at("state_bytes") == 16);  // 2 amplitudes of 8 bytes
  CHECK(doc.at("metadata").at("threads") == 1);
  CHECK(doc.at("probabilities")[0].get<double>() == Approx(0.5).margin(1e-6));
}

TEST_CASE("qstate --version prints the version", "[cli]") {
  const ProcessResult r = run_qstate({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == std::string("qstate ") + QSTATE_VERSION_STRING + "\n");
  CHECK(r.err.empty());
}

TEST_CASE("qstate run --help lists the run options", "[cli]") {
  const ProcessResult r = run_qstate({"run", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  for (const char* option :
       {"FILE", "--shots", "--seed", "--threads", "--precision", "--probabilities", "--statevector",
        "--memory", "--observable", "--format", "--output", "default 1024", "QSTATE_MEMORY_LIMIT"})
    CHECK(r.out.find(option) != std::string::npos);

  const ProcessResult top = run_qstate({"--help"});
  CHECK(top.exit_code == 0);
  CHECK(top.out.find("run") != std::string::npos);
  CHECK(top.out.find("info") != std::string::npos);
}

}  // namespace qstate::test
