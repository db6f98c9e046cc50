// The CLI's outputs, byte for byte, against files recorded from the CLI as it was before it
// became a user of the public API (tests/cli/golden/): JSON, text and qiskit formats, info,
// sweeps, the --statevector-file header, and error messages with file:line:col, for the test
// data and a part of the shared corpus. Only what changes from run to run is masked: timings
// (metadata.time_taken, the text "time" line), the folders of the sources, and the available
// memory is fixed with QSTATE_MEMORY_LIMIT, the default thread count with OMP_NUM_THREADS.
//
// To record the files again (after a deliberate change of an output):
//   QSTATE_RECORD_GOLDEN=1 build/release/tests/cli/cli_tests "[golden]"
// (QSTATE_GOLDEN_BINARY=PATH runs another qstate binary, e.g. one built from an older commit.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/cli/cli_support.hpp"

namespace qstate::test {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string name;
  std::vector<std::string> args;
};

std::string golden_dir() {
  return std::string(QSTATE_CLI_GOLDEN_DIR);
}

std::string data_dir() {
  return fs::path(QSTATE_CLI_DATA_DIR).parent_path().string();  // tests/data
}

std::string corpus_dir() {
  return std::string(QSTATE_SHARED_DIR) + "/corpus/circuits";
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

bool number_char(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' ||
         c == 'e' || c == 'E';
}

// Replaces the number that starts at `at` (after spaces) by "T"; returns the index after it.
std::size_t mask_number(std::string& text, std::size_t at) {
  while (at < text.size() && text[at] == ' ') ++at;
  std::size_t end = at;
  while (end < text.size() && number_char(text[end])) ++end;
  if (end > at) text.replace(at, end - at, "T");
  return at + 1;
}

// Timings and folders: what differs between two runs of the same command.
std::string normalise(std::string text) {
  const std::string key = "\"time_taken\":";
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
    std::size_t p = at + key.size();
    while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p]))) ++p;
    if (p < text.size() && text[p] == '{') {
      const std::size_t close = text.find('}', p);
      for (std::size_t colon = text.find(':', p); colon != std::string::npos && colon < close;
           colon = text.find(':', colon + 1)) {
        mask_number(text, colon + 1);
      }
    } else {
      mask_number(text, p);
    }
  }
  // Text format: "  time        1.23 ms (parse 12.0 us, ...)".
  std::string out;
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    std::size_t end = text.find('\n', line_start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(line_start, end - line_start);
    if (line.rfind("  time ", 0) == 0) line = "  time <masked>";
    out += line;
    if (end < text.size()) out += '\n';
    line_start = end + 1;
  }
  replace_all(out, corpus_dir(), "<CORPUS>");
  replace_all(out, data_dir(), "<DATA>");
  return out;
}

std::string data(const std::string& relative) {
  return data_dir() + "/" + relative;
}

std::string corpus(const std::string& relative) {
  return corpus_dir() + "/" + relative;
}

// Circuits every output form is asked of.
std::vector<std::pair<std::string, std::string>> circuits() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* f : {"bell", "dynamic", "h_one", "idle_qubits", "user_gate", "ansatz"})
    out.emplace_back(std::string("cli_") + f, data(std::string("cli/") + f + ".qasm"));
  for (const char* f : {"qiskit_export_gates", "qiskit_export_mcx", "qiskit_legacy_export"})
    out.emplace_back(std::string("qasm2_") + f, data(std::string("qasm2/") + f + ".qasm"));
  for (const char* f :
       {"bell", "classical", "custom_gates", "for_loop", "if_else", "inputs", "loose_bits",
        "modifiers", "physical", "registers", "switch", "timing", "u_and_gphase", "while_loop"})
    out.emplace_back(std::string("qasm3_") + f, data(std::string("qasm3/") + f + ".qasm"));
  for (const char* f : {"openqasm2/W-state", "openqasm2/qft", "openqasm2/rb", "qasmbench/adder_n4",
                        "qasmbench/dnn_n8", "qasmbench/error_correctiond3_n5", "qasmbench/hhl_n7",
                        "qasmbench/qaoa_n6", "qasmbench/sat_n7", "qasmbench/simon_n6",
                        "qasmbench/teleportation_n3", "qasmbench/qft_n4_transpiled"}) {
    std::string name = std::string("corpus_") + f;
    std::replace(name.begin(), name.end(), '/', '_');
    out.emplace_back(name, corpus(std::string(f) + ".qasm"));
  }
  return out;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& [name, file] : circuits()) {
    out.push_back({name + ".json",
                   {"run", file, "--shots", "300", "--seed", "11", "--threads", "1", "--memory",
                    "--probabilities", "--statevector"}});
    out.push_back(
        {name + ".counts", {"run", file, "--shots", "500", "--seed", "3", "--threads", "2"}});
    out.push_back({name + ".text",
                   {"run", file, "--shots", "200", "--seed", "5", "--threads", "1", "--format",
                    "text", "--probabilities"}});
    out.push_back({name + ".qiskit",
                   {"run", file, "--shots", "100", "--seed", "9", "--threads", "1", "--format",
                    "qiskit", "--memory"}});
    out.push_back({name + ".info", {"info", file}});
    out.push_back({name + ".info_json", {"info", file, "--format", "json", "--ranks", "4"}});
  }
  const std::string bell = data("cli/bell.qasm");
  const std::string ansatz = data("cli/ansatz.qasm");
  const std::string inputs = data("qasm3/inputs.qasm");
  const std::string forty = data("cli/forty_qubits.qasm");
  out.push_back(
      {"bell.observables",
       {"run", bell, "--shots", "0", "--seed", "12", "--observable", "0.5*ZZ - XX", "--observable",
        "ZI", "--observable=-YY", "--observable", "ZI", "--format", "json"}});
  out.push_back({"bell.observables_text",
                 {"run", bell, "--shots", "10", "--seed", "1", "--observable", "0.5*ZZ - XX",
                  "--format", "text", "--statevector"}});
  out.push_back(
      {"bell.single",
       {"run", bell, "--seed", "2", "--precision", "single", "--probabilities", "--statevector"}});
  out.push_back({"bell.bad_observable", {"run", bell, "--observable", "ZZZ"}});
  out.push_back({"bell.bad_observable2", {"run", bell, "--observable", "0.5*QZ"}});
  out.push_back({"dynamic.probabilities", {"run", data("cli/dynamic.qasm"), "--probabilities"}});
  out.push_back({"errors.missing_semicolon", {"run", data("cli/missing_semicolon.qasm")}});
  out.push_back({"errors.unknown_gate", {"run", data("cli/unknown_gate.qasm")}});
  out.push_back({"errors.info_unknown_gate", {"info", data("cli/unknown_gate.qasm")}});
  out.push_back({"errors.no_file", {"run", data("cli/no_such_file.qasm")}});
  out.push_back({"errors.memory", {"run", forty, "--shots", "10", "--seed", "1"}});
  out.push_back({"errors.memory_single", {"run", forty, "--precision", "single", "--memory"}});
  out.push_back({"forty.info", {"info", forty, "--ranks", "8", "--precision", "single"}});
  out.push_back({"errors.info_ranks", {"info", bell, "--ranks", "3"}});
  out.push_back({"ansatz.param",
                 {"run", ansatz, "--param", "theta=pi/4", "--param", "phi=0.3", "--seed", "4",
                  "--probabilities", "--format", "json"}});
  out.push_back({"ansatz.param_text",
                 {"run", ansatz, "--param", "theta=0.25", "--param", "phi=1", "--seed", "4",
                  "--format", "text"}});
  out.push_back({"ansatz.param_qiskit",
                 {"run", ansatz, "--param", "theta=0.25", "--param", "phi=1", "--seed", "4",
                  "--format", "qiskit"}});
  out.push_back({"ansatz.unbound", {"run", ansatz}});
  out.push_back({"ansatz.unknown_param", {"run", ansatz, "--param", "phi=1"}});
  out.push_back({"ansatz.bad_value", {"run", ansatz, "--param", "theta=banana"}});
  out.push_back({"bell.param_no_inputs", {"run", bell, "--param", "theta=1"}});
  out.push_back({"inputs.param",
                 {"run", inputs, "--seed", "8", "--param", "theta=0.5", "--param", "phi=pi",
                  "--probabilities"}});
  return out;
}

// Cases that need files: sweeps from --params, --statevector-file, --output.
std::vector<Case> file_cases(const TempDir& dir) {
  const std::string ansatz = data("cli/ansatz.qasm");
  const std::string sweep = dir.file("sweep.json");
  write_file(sweep,
             "[{\"theta\": 0, \"phi\": 1}, {\"theta\": \"pi/2\", \"phi\": 0.5}, "
             "{\"theta\": 1.25, \"phi\": \"-pi/3\"}]");
  const std::string one = dir.file("one.json");
  write_file(one, "{\"theta\": 0.75, \"phi\": 0.1}");
  const std::string empty = dir.file("empty.json");
  write_file(empty, "[]");
  const std::string bad = dir.file("bad.json");
  write_file(bad, "[{\"theta\": 1, \"phi\": 0}, {\"theta\": \"x\", \"phi\": 0}]");
  const std::string broken = dir.file("broken.json");
  write_file(broken, "[{\"theta\": 1},");
  const std::string missing = dir.file("missing.json");
  write_file(missing, "[{\"theta\": 1, \"phi\": 0}, {\"theta\": 2}]");
  const std::string sv = dir.file("state.bin");
  return {
      {"sweep.json",
       {"run", ansatz, "--params", sweep, "--seed", "6", "--shots", "50", "--probabilities"}},
      {"sweep.text", {"run", ansatz, "--params", sweep, "--seed", "6", "--format", "text"}},
      {"sweep.qiskit", {"run", ansatz, "--params", sweep, "--seed", "6", "--format", "qiskit"}},
      {"sweep.one", {"run", ansatz, "--params", one, "--seed", "6", "--memory", "--shots", "8"}},
      {"sweep.override",
       {"run", ansatz, "--params", sweep, "--param", "theta=0.5", "--seed", "6", "--shots", "20"}},
      {"sweep.empty", {"run", ansatz, "--params", empty}},
      {"sweep.bad_value", {"run", ansatz, "--params", bad}},
      {"sweep.broken", {"run", ansatz, "--params", broken}},
      {"sweep.missing", {"run", ansatz, "--params", missing}},
      {"sweep.statevector_file", {"run", ansatz, "--params", sweep, "--statevector-file", sv}},
      {"statevector_file",
       {"run", data("cli/bell.qasm"), "--shots", "0", "--seed", "1", "--statevector-file", sv}},
  };
}

std::string hex_of(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : bytes) {
    hex += kDigits[b >> 4];
    hex += kDigits[b & 15];
  }
  return hex;
}

// Runs the case and compares (or records) exit code, stdout and stderr; `dir`: a temporary
// folder whose name is masked, and whose files the run wrote are appended.
// `launcher`: the command line qstate runs under (mpiexec -np N ...), empty for one process;
// `folder`: where under tests/cli/golden the expected files are.
void check_case(const Case& c, const TempDir* dir = nullptr,
                const std::vector<std::string>& launcher = {}, const std::string& folder = "") {
  // QSTATE_GOLDEN_BINARY: another qstate binary to run instead (e.g. the CLI of an older
  // commit, to record what it printed).
  const char* binary = std::getenv("QSTATE_GOLDEN_BINARY");
  std::vector<std::string> argv = launcher;
  argv.push_back(binary != nullptr ? binary : QSTATE_BINARY);
  argv.insert(argv.end(), c.args.begin(), c.args.end());
  const ProcessResult r =
      run_process(argv, {{"QSTATE_MEMORY_LIMIT", "4G"}, {"OMP_NUM_THREADS", "2"}});
  std::string err = r.err;
  if (!launcher.empty()) {
    // mpiexec's own report of a failed job (with job ids that change from run to run) follows
    // what qstate printed.
    const std::size_t report = err.find("-----------------------------------------------");
    if (report != std::string::npos && std::getenv("QSTATE_GOLDEN_RAW") == nullptr)
      err = err.substr(0, report) + "<mpiexec report>\n";
  }
  std::string got = "exit " + std::to_string(r.exit_code) + "\n--- stdout\n" + normalise(r.out) +
                    "--- stderr\n" + normalise(err);
  if (dir != nullptr) {
    for (const std::string& name : dir->entries()) {
      if (name.find("state.bin") != 0) continue;
      const std::string content = read_file(dir->file(name));
      got += "--- file " + name + "\n" +
             (name.size() > 5 && name.substr(name.size() - 5) == ".json" ? content
                                                                         : hex_of(content) + "\n");
      fs::remove(dir->file(name));
    }
    replace_all(got, dir->path(), "<TMP>");
  }
  const std::string path = golden_dir() + "/" + folder + c.name + ".txt";
  if (std::getenv("QSTATE_RECORD_GOLDEN") != nullptr) {
    fs::create_directories(fs::path(path).parent_path());
    write_file(path, got);
    return;
  }
  INFO("case " << c.name << " (" << path << ")");
  REQUIRE(fs::exists(path));
  const std::string want = read_file(path);
  CHECK(got == want);
}

}  // namespace

TEST_CASE("golden: the CLI's outputs are byte-identical to the recorded ones", "[cli][golden]") {
  for (const Case& c : cases()) check_case(c);
}

TEST_CASE("golden: sweeps, --params errors and --statevector-file as recorded", "[cli][golden]") {
  TempDir dir;
  for (const Case& c : file_cases(dir)) check_case(c, &dir);
}

// Under mpiexec (ctest label mpi: QSTATE_GOLDEN_RANKS=2 or 4): the state split across ranks,
// the warning about ranks left out, errors agreed by every rank and printed once by rank 0,
// --statevector-file written in place by every rank.
TEST_CASE("golden: the CLI under mpiexec as recorded", "[.golden-mpi]") {
  const char* ranks = std::getenv("QSTATE_GOLDEN_RANKS");
  REQUIRE(ranks != nullptr);
  const std::vector<std::string> launcher{QSTATE_MPIEXEC, "-np", ranks, "--oversubscribe"};
  const std::string folder = std::string("mpi") + ranks + "/";
  const std::vector<std::string> picked{"cli_bell.json",
                                        "cli_bell.text",
                                        "cli_h_one.counts",
                                        "cli_dynamic.counts",
                                        "cli_idle_qubits.json",
                                        "cli_user_gate.qiskit",
                                        "corpus_qasmbench_dnn_n8.json",
                                        "corpus_qasmbench_qaoa_n6.counts",
                                        "corpus_openqasm2_qft.text",
                                        "corpus_qasmbench_hhl_n7.qiskit",
                                        "qasm3_if_else.counts",
                                        "bell.observables",
                                        "dynamic.probabilities",
                                        "errors.missing_semicolon",
                                        "errors.memory",
                                        "ansatz.param",
                                        "ansatz.unknown_param",
                                        "cli_bell.info_json"};
  for (const Case& c : cases())
    if (std::find(picked.begin(), picked.end(), c.name) != picked.end())
      check_case(c, nullptr, launcher, folder);
  TempDir dir;
  for (const Case& c : file_cases(dir))
    if (c.name == "sweep.json" || c.name == "sweep.bad_value" || c.name == "statevector_file")
      check_case(c, &dir, launcher, folder);
}

}  // namespace qstate::test
