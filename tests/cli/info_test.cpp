// `qstate info` end to end: qubits, registers, counts as written and as simulated, depth, dynamic,
// and memory, as JSON and as text.
#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"

namespace qstate::test {
namespace {

using nlohmann::json;

json info_json(const std::string& file,
               const std::vector<std::pair<std::string, std::string>>& env = {}) {
  const ProcessResult r = run_qstate({"info", file, "--format", "json"}, env);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  return parse_json(r.out);
}

}  // namespace

TEST_CASE("info: the numbers of a Bell pair", "[cli][info]") {
  const json doc = info_json(cli_data("bell.qasm"), {{"QSTATE_MEMORY_LIMIT", "1G"}});
  CHECK(doc.at("qubits") == 2);
  CHECK(doc.at("simulated_qubits") == 2);
  CHECK(doc.at("clbits") == 2);
  CHECK(doc.at("qregs") == json::parse(R"([{"name": "q", "size": 2}])"));
  CHECK(doc.at("cregs") == json::parse(R"([{"name": "c", "size": 2}])"));
  CHECK(doc.at("written_counts") == json::parse(R"({"h": 1, "cx": 1, "measure": 2})"));
  CHECK(doc.at("gate_counts") == json::parse(R"({"h": 1, "cx": 1})"));
  CHECK(doc.at("ops") == json::parse(R"({"gates": 2, "measurements": 2, "resets": 0,
                                         "conditionals": 0, "barriers": 0})"));
  CHECK(doc.at("depth") == 3);  // h; cx; the two measurements side by side
  CHECK(doc.at("dynamic") == false);
  const json& memory = doc.at("memory");
  CHECK(memory.at("double_bytes") == 64);
  CHECK(memory.at("single_bytes") == 32);
  CHECK(memory.at("double") == "64 bytes");
  CHECK(memory.at("available_bytes") == std::uint64_t{1} << 30);
  CHECK(memory.at("available") == "1.00 GiB");
}

TEST_CASE("info: user gates count as written and expand when simulated, idle qubits",
          "[cli][info]") {
  const json gates = info_json(cli_data("user_gate.qasm"));
  CHECK(gates.at("written_counts") ==
        json::parse(R"({"bell": 1, "barrier": 1, "x": 1, "measure": 3})"));
  CHECK(gates.at("gate_counts") == json::parse(R"({"h": 1, "cx": 1, "x": 1})"));
  CHECK(gates.at("ops").at("barriers") == 1);

  const json idle = info_json(cli_data("idle_qubits.qasm"));
  CHECK(idle.at("qubits") == 4);
  CHECK(idle.at("simulated_qubits") == 1);
  CHECK(idle.at("memory").at("double_bytes") == 32);  // only the used qubit is simulated

  const json dynamic = info_json(cli_data("dynamic.qasm"));
  CHECK(dynamic.at("dynamic") == true);
  CHECK(dynamic.at("ops").at("conditionals") == 1);

  const json big = info_json(cli_data("forty_qubits.qasm"));  // described, never allocated
  CHECK(big.at("memory").at("double") == "16.0 TiB");
  CHECK(big.at("memory").at("single") == "8.00 TiB");
}

TEST_CASE("info: text for people", "[cli][info]") {
  const ProcessResult r = run_qstate({"info", cli_data("user_gate.qasm")});
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  for (const char* part :
       {"user_gate.qasm", "3 declared", "qregs", "q[3]", "c[3]", "depth", "dynamic", "state memory",
        "available", "as written", "as simulated", "bell"})
    CHECK(r.out.find(part) != std::string::npos);
}

}  // namespace qstate::test
