// `qstate run` of a circuit with inputs (OpenQASM 3 `input float[64] theta;`): --param NAME=VALUE,
// --params FILE.json with one binding or a list (a sweep: one result per binding, in order), the
// text form, --output, and the errors: unbound, unknown and malformed inputs, bad JSON, inputs
// given to a circuit without any.
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>

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

// ansatz.qasm: ry(theta) q0; cx q0, q1; rz(phi) q1 — P(00) = cos^2(theta/2), P(11) the rest.
void check_ansatz(const json& result, double theta, double phi) {
  CHECK(result.at("parameters").at("theta").get<double>() == Approx(theta).margin(kTol));
  CHECK(result.at("parameters").at("phi").get<double>() == Approx(phi).margin(kTol));
  const auto p = result.at("probabilities").get<std::vector<double>>();
  REQUIRE(p.size() == 4);
  CHECK(p[0] == Approx(std::pow(std::cos(theta / 2), 2)).margin(kTol));
  CHECK(p[3] == Approx(std::pow(std::sin(theta / 2), 2)).margin(kTol));
  CHECK(p[1] == Approx(0).margin(kTol));
  CHECK(p[2] == Approx(0).margin(kTol));
}

}  // namespace

TEST_CASE("params: --param binds every input; values may be constant expressions", "[cli]") {
  const json doc = run_json({"run", cli_data("ansatz.qasm"), "--param", "theta=pi/3", "--param",
                             "phi=0.25", "--shots", "0", "--probabilities"});
  check_ansatz(doc, std::numbers::pi / 3, 0.25);
  CHECK(doc.at("metadata").at("time_taken").contains("bind"));
}

TEST_CASE("params: --params with one object is one run; --param overrides it", "[cli]") {
  TempDir dir;
  write_file(dir.file("one.json"), R"({"theta": 1.0, "phi": 2.0})");
  const json doc = run_json({"run", cli_data("ansatz.qasm"), "--params", dir.file("one.json"),
                             "--param", "phi=-1", "--shots", "0", "--probabilities"});
  CHECK(doc.count("results") == 0);
  check_ansatz(doc, 1.0, -1.0);
}

TEST_CASE("params: a list in --params is a sweep, one result per binding", "[cli]") {
  TempDir dir;
  write_file(dir.file("sweep.json"),
             R"([{"theta": 0, "phi": 1}, {"theta": "pi", "phi": 0.5}, {"theta": 0.7, "phi": 0}])");
  const json doc = run_json({"run", cli_data("ansatz.qasm"), "--params", dir.file("sweep.json"),
                             "--shots", "200", "--seed", "9", "--probabilities"});
  const auto& results = doc.at("results");
  REQUIRE(results.size() == 3);
  check_ansatz(results[0], 0, 1);
  check_ansatz(results[1], std::numbers::pi, 0.5);
  check_ansatz(results[2], 0.7, 0);
  CHECK(results[0].at("counts") == json{{"00", 200}});
  CHECK(results[1].at("counts") == json{{"11", 200}});
  for (const auto& r : results) CHECK(r.at("seed") == 9);
  CHECK(doc.at("metadata").at("bindings") == 3);
  CHECK(doc.at("metadata").at("time_taken").contains("parse"));
  CHECK(doc.at("metadata").at("time_taken").contains("plan"));

  // The same with --output (written once, at the end) and as text (one block per binding).
  const ProcessResult out =
      run_qstate({"run", cli_data("ansatz.qasm"), "--params", dir.file("sweep.json"), "--shots",
                  "200", "--seed", "9", "--output", dir.file("out.json")});
  REQUIRE(out.exit_code == 0);
  CHECK(out.out.empty());
  CHECK(parse_json(read_file(dir.file("out.json"))).at("results").size() == 3);
  const ProcessResult text = run_qstate(
      {"run", cli_data("ansatz.qasm"), "--params", dir.file("sweep.json"), "--format", "text"});
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("binding 1 of 3") != std::string::npos);
  CHECK(text.out.find("binding 3 of 3") != std::string::npos);
}

TEST_CASE("params: errors name the input, the binding or the file", "[cli]") {
  TempDir dir;
  const std::string ansatz = cli_data("ansatz.qasm");
  auto error = [](const std::vector<std::string>& args) {
    const ProcessResult r = run_qstate(args);
    check_clean_failure(r, kRunError);
    return r.err;
  };
  CHECK(error({"run", ansatz, "--param", "theta=1"}) ==
        "qstate: error: input 'phi' is not bound: give --param phi=VALUE or a value in --params "
        "FILE.json\n");
  CHECK(error({"run", ansatz}).find("input 'theta' is not bound") != std::string::npos);
  CHECK(error({"run", ansatz, "--param", "theta=1", "--param", "psi=2"}) ==
        "qstate: error: --param psi=2: the circuit has no input 'psi' (its inputs: theta, phi)\n");
  CHECK(error({"run", ansatz, "--param", "theta=abc", "--param", "phi=1"}) ==
        "qstate: error: --param theta=abc: 'abc' is not a number or a constant expression such "
        "as 0.25 or pi/4\n");
  CHECK(error({"run", ansatz, "--param", "theta"}) ==
        "qstate: error: --param theta: expected NAME=VALUE, e.g. theta=0.25\n");
  write_file(dir.file("partial.json"), R"([{"theta": 0, "phi": 1}, {"theta": 1}])");
  CHECK(error({"run", ansatz, "--params", dir.file("partial.json")}) ==
        "qstate: error: input 'phi' is not bound in binding 2 of --params: give --param "
        "phi=VALUE or a value in --params FILE.json\n");
  write_file(dir.file("bad.json"), "[1, 2");
  CHECK(error({"run", ansatz, "--params", dir.file("bad.json")})
            .starts_with("qstate: error: --params " + dir.file("bad.json") + ": not valid JSON"));
  CHECK(error({"run", ansatz, "--params", dir.file("missing.json")}) ==
        "qstate: error: --params: cannot read '" + dir.file("missing.json") + "'\n");
  CHECK(error({"run", cli_data("bell.qasm"), "--param", "theta=1"}).find("declares no inputs") !=
        std::string::npos);
  // Nothing is written when a binding fails.
  CHECK(run_qstate(
            {"run", ansatz, "--params", dir.file("partial.json"), "--output", dir.file("out.json")})
            .exit_code == kRunError);
  CHECK(dir.entries() == std::vector<std::string>{"bad.json", "partial.json"});
}

TEST_CASE("params: an OpenQASM 3 construct qstate does not support is refused at its place",
          "[cli]") {
  TempDir dir;
  write_file(dir.file("cal.qasm"),
             "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit q;\ndefcal x $0 { }\n");
  const ProcessResult r = run_qstate({"run", dir.file("cal.qasm")});
  check_clean_failure(r, kRunError);
  CHECK(r.err.starts_with("qstate: error: " + dir.file("cal.qasm") +
                          ":4:1: pulse-level calibration ('defcal') is not supported"));
}

TEST_CASE("qstate run --help lists the parameter options", "[cli]") {
  const ProcessResult r = run_qstate({"run", "--help"});
  CHECK(r.exit_code == 0);
  for (const char* option : {"--param", "--params", "NAME=VALUE", "OpenQASM 2 or 3"})
    CHECK(r.out.find(option) != std::string::npos);
}

}  // namespace qstate::test
