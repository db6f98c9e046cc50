// `qstate run --format qiskit`: the dictionary Qiskit's Result.from_dict reads (hex counts and
// memory, registers in the header, the seed, MPI ranks in the metadata).
#include <catch2/catch.hpp>

#include <cstdint>
#include <map>
#include <string>

#include "tests/cli/cli_support.hpp"

using qstate::test::cli_data;
using qstate::test::parse_json;
using qstate::test::run_qstate;

TEST_CASE("run --format qiskit: Result.from_dict's shape", "[cli][run][qiskit]") {
  const auto r = run_qstate({"run", cli_data("bell.qasm"), "--shots", "100", "--seed", "5",
                             "--memory", "--format", "qiskit"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json doc = parse_json(r.out);
  for (const char* key : {"backend_name", "backend_version", "qobj_id", "job_id", "success"})
    CHECK(doc.contains(key));
  CHECK(doc["success"] == true);
  REQUIRE(doc["results"].size() == 1);
  const auto& e = doc["results"][0];
  CHECK(e["shots"] == 100);
  CHECK(e["success"] == true);
  CHECK(e["seed_simulator"] == 5);
  std::uint64_t total = 0;
  for (const auto& [key, n] : e["data"]["counts"].items()) {
    CHECK((key == "0x0" || key == "0x3"));
    total += n.get<std::uint64_t>();
  }
  CHECK(total == 100);
  CHECK(e["data"]["memory"].size() == 100);
  CHECK(e["header"]["memory_slots"] == 2);
  CHECK(e["header"]["n_qubits"] == 2);
  CHECK(e["header"].contains("creg_sizes"));
  CHECK(e["header"].contains("qreg_sizes"));
  CHECK(e["metadata"]["mpi_ranks"] == 1);
}

TEST_CASE("run --format qiskit: the same counts as --format json", "[cli][run][qiskit]") {
  const auto a = run_qstate({"run", cli_data("bell.qasm"), "--shots", "64", "--seed", "9"});
  const auto b = run_qstate(
      {"run", cli_data("bell.qasm"), "--shots", "64", "--seed", "9", "--format", "qiskit"});
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  const auto counts = parse_json(a.out)["counts"];
  const auto hex = parse_json(b.out)["results"][0]["data"]["counts"];
  CHECK(counts.value("00", 0) == hex.value("0x0", 0));
  CHECK(counts.value("11", 0) == hex.value("0x3", 0));
}

TEST_CASE("run --format qiskit with inputs: one experiment per binding, the bindings in the header",
          "[cli][run][qiskit][params]") {
  const qstate::test::TempDir dir;
  const std::string sweep = dir.file("sweep.json");
  qstate::test::write_file(sweep,
                           "[{\"theta\": 0, \"phi\": 1}, {\"theta\": \"pi\", \"phi\": 0.5}]");
  const auto r = run_qstate({"run", cli_data("ansatz.qasm"), "--params", sweep, "--shots", "40",
                             "--seed", "3", "--format", "qiskit"});
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  const nlohmann::json doc = parse_json(r.out);
  REQUIRE(doc["results"].size() == 2);
  CHECK(doc["results"][0]["header"]["metadata"]["parameters"]["theta"] == 0.0);
  CHECK(doc["results"][1]["header"]["metadata"]["parameters"]["phi"] == 0.5);
  // The same counts as each binding run alone in the plain JSON form.
  for (int i = 0; i < 2; ++i) {
    const auto one =
        run_qstate({"run", cli_data("ansatz.qasm"), "--param", i == 0 ? "theta=0" : "theta=pi",
                    "--param", i == 0 ? "phi=1" : "phi=0.5", "--shots", "40", "--seed", "3"});
    REQUIRE(one.exit_code == 0);
    // Counts by the classical bits' value: bit strings (spaces between registers) and hex keys.
    std::map<std::uint64_t, std::uint64_t> plain;
    std::map<std::uint64_t, std::uint64_t> hex;
    const nlohmann::json alone = parse_json(one.out);
    for (const auto& [key, n] : alone["counts"].items()) {
      std::string bits;
      for (char c : key)
        if (c != ' ') bits.push_back(c);
      plain[std::stoull(bits, nullptr, 2)] = n.get<std::uint64_t>();
    }
    for (const auto& [key, n] : doc["results"][i]["data"]["counts"].items())
      hex[std::stoull(key, nullptr, 16)] = n.get<std::uint64_t>();
    CHECK(plain == hex);
    CHECK(!hex.empty());
  }
  const auto single = run_qstate({"run", cli_data("ansatz.qasm"), "--param", "theta=0.25",
                                  "--param", "phi=1", "--format", "qiskit"});
  REQUIRE(single.exit_code == 0);
  const nlohmann::json s = parse_json(single.out);
  REQUIRE(s["results"].size() == 1);
  CHECK(s["results"][0]["header"]["metadata"]["parameters"]["theta"] == 0.25);
}
