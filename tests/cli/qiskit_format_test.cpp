// `qstate run --format qiskit`: the dictionary Qiskit's Result.from_dict reads (hex counts and
// memory, registers in the header, the seed, MPI ranks in the metadata).
#include <catch2/catch.hpp>

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
