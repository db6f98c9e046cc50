// One test per kind of error: each must end the run with the promised exit code, one
// "qstate: error: ..." message on stderr that says what is wrong, nothing on stdout, and no
// output file (an existing one is left as it was).
#include <catch2/catch.hpp>

#include "tests/cli/cli_support.hpp"

namespace qstate::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Runs `qstate run <args> --output <dir>/out.json` where out.json already holds an older result,
// and checks the failure left the folder exactly as it was.
ProcessResult run_failing(const std::vector<std::string>& args, int expected_exit_code,
                          const std::vector<std::pair<std::string, std::string>>& env = {}) {
  TempDir dir;
  const std::string out = dir.file("out.json");
  write_file(out, "older result");
  std::vector<std::string> full{"run"};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"--output", out});
  ProcessResult r = run_qstate(full, env);
  check_clean_failure(r, expected_exit_code);
  CHECK(dir.entries() == std::vector<std::string>{"out.json"});
  CHECK(read_file(out) == "older result");
  return r;
}

}  // namespace

TEST_CASE("error: malformed QASM (a missing semicolon) names file:line:col", "[cli][errors]") {
  const std::string file = cli_data("missing_semicolon.qasm");
  const ProcessResult r = run_failing({file}, kRunError);
  INFO(r.err);
  // `h q[0]` on line 4 lacks its ';'.
  CHECK(contains(r.err, "qstate: error: " + file + ":4:"));
  CHECK(contains(r.err, "';'"));
}

TEST_CASE("error: an unknown gate names it with file:line:col", "[cli][errors]") {
  const std::string file = cli_data("unknown_gate.qasm");
  const ProcessResult r = run_failing({file}, kRunError);
  INFO(r.err);
  CHECK(contains(r.err, file + ":4:1:"));
  CHECK(contains(r.err, "frobnicate"));
}

TEST_CASE("error: a missing file", "[cli][errors]") {
  const std::string file = cli_data("no_such_file.qasm");
  const ProcessResult r = run_failing({file}, kRunError);
  CHECK(contains(r.err, "no_such_file.qasm"));

  const ProcessResult info = run_qstate({"info", file});
  check_clean_failure(info, kRunError);
}

TEST_CASE("error: an unknown flag", "[cli][errors]") {
  const ProcessResult r = run_failing({cli_data("bell.qasm"), "--frobnicate"}, kUsageError);
  CHECK(contains(r.err, "--frobnicate"));
  CHECK(contains(r.err, "qstate run --help"));

  const ProcessResult command = run_qstate({"simulate", cli_data("bell.qasm")});
  check_clean_failure(command, kUsageError);
  CHECK(contains(command.err, "simulate"));
}

TEST_CASE("error: a bad flag value", "[cli][errors]") {
  using Case = std::pair<std::vector<std::string>, std::string>;
  const std::vector<Case> cases{
      {{"--shots", "abc"}, "--shots"},       {{"--shots", "-5"}, "--shots"},
      {{"--seed", "1.5"}, "--seed"},         {{"--threads", "-1"}, "--threads"},
      {{"--precision", "triple"}, "triple"}, {{"--format", "xml"}, "xml"},
  };
  for (const auto& [flags, mentioned] : cases) {
    std::vector<std::string> args{cli_data("bell.qasm")};
    args.insert(args.end(), flags.begin(), flags.end());
    INFO(flags[0] << " " << flags[1]);
    const ProcessResult r = run_failing(args, kUsageError);
    CHECK(contains(r.err, mentioned));
    CHECK(contains(r.err, "--help"));
  }
}

TEST_CASE("error: the FILE argument is missing", "[cli][errors]") {
  const ProcessResult r = run_failing({"--shots", "10"}, kUsageError);
  CHECK(contains(r.err, "FILE"));
  CHECK(contains(r.err, "required"));
}

TEST_CASE("error: a bad observable", "[cli][errors]") {
  const ProcessResult bad =
      run_failing({cli_data("bell.qasm"), "--observable", "0.5*ZQ"}, kRunError);
  CHECK(contains(bad.err, "0.5*ZQ"));
  // One letter per declared qubit: three letters on two qubits.
  const ProcessResult wide = run_failing({cli_data("bell.qasm"), "--observable", "ZZZ"}, kRunError);
  CHECK(contains(wide.err, "ZZZ"));
  CHECK(contains(wide.err, "2 qubits"));
}

TEST_CASE("error: --statevector of a dynamic circuit", "[cli][errors]") {
  const ProcessResult r = run_failing({cli_data("dynamic.qasm"), "--statevector"}, kRunError);
  CHECK(contains(r.err, "--statevector"));
  CHECK(contains(r.err, "final state"));
}

TEST_CASE("error: 40 qubits are refused before allocation, saying what they need",
          "[cli][errors]") {
  const ProcessResult r = run_failing({cli_data("forty_qubits.qasm")}, kRunError);
  CHECK(contains(r.err, "not enough memory"));
  CHECK(contains(r.err, "40 qubits"));
  CHECK(contains(r.err, "16.0 TiB"));
  CHECK(contains(r.err, "--precision single"));
}

TEST_CASE("error: an unwritable --output path", "[cli][errors]") {
  TempDir dir;
  SECTION("its folder does not exist") {
    const std::string out = dir.file("no/such/folder/out.json");
    const ProcessResult r = run_qstate({"run", cli_data("bell.qasm"), "--output", out});
    check_clean_failure(r, kRunError);
    CHECK(contains(r.err, out));
    CHECK(contains(r.err, "does not exist"));
  }
  SECTION("it is a folder") {
    const ProcessResult r = run_qstate({"run", cli_data("bell.qasm"), "--output", dir.path()});
    check_clean_failure(r, kRunError);
    CHECK(contains(r.err, "folder"));
  }
  CHECK(dir.entries().empty());
}

TEST_CASE("error: a failed allocation is reported, not a crash", "[cli][errors]") {
#if defined(__SANITIZE_ADDRESS__)
  SUCCEED("skipped: AddressSanitizer needs more address space than the limit set here");
#else
  TempDir dir;
  const std::string file = dir.file("q26.qasm");
  write_file(file, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[26];\nh q;\n");
  // The memory check is told 1 TiB is free, but the address space is capped at ~400 MB: the
  // 1 GiB state cannot be allocated.
  const ProcessResult r = run_process({"/bin/sh", "-c", "ulimit -v 400000 && exec \"$0\" \"$@\"",
                                       QSTATE_BINARY, "run", file, "--shots", "10"},
                                      {{"QSTATE_MEMORY_LIMIT", "1T"}});
  check_clean_failure(r, kRunError);
  CHECK(contains(r.err, "out of memory"));
#endif
}

TEST_CASE("error: a write that fails (a full disk)", "[cli][errors]") {
  const ProcessResult file = run_qstate({"run", cli_data("bell.qasm"), "--output", "/dev/full"});
  check_clean_failure(file, kRunError);
  CHECK(contains(file.err, "/dev/full"));
  CHECK(contains(file.err, "No space left on device"));

  const ProcessResult out = run_process({"/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full",
                                         QSTATE_BINARY, "run", cli_data("bell.qasm")});
  check_clean_failure(out, kRunError);
  CHECK(contains(out.err, "standard output"));
}

}  // namespace qstate::test
