// Includes: qelib1.inc is built in (never read from disk); other files are read relative to the
// including file's folder; a missing file or an include cycle is an error at the include.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>

#include "qasm_test_helpers.hpp"

namespace fs = std::filesystem;
using qasm_test::file_error_of;
using qasm_test::gate_at;

namespace {

// A fresh folder under the system's temporary directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    path_ = fs::temp_directory_path() /
            ("qstate_qasm_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // Writes `text` to the relative path `name` and returns the full path.
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
    return p.string();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

TEST_CASE("include: files are read relative to the including file", "[qasm]") {
  TempDir dir;
  dir.write(
      "lib/defs.inc",
      "// definitions\nOPENQASM 2.0;\ngate bell a, b { h a; cx a, b; }\ninclude \"more.inc\";\n");
  dir.write("lib/more.inc", "gate bell2(t) a, b { bell a, b; rz(t) b; }\n");
  // A qelib1.inc on disk is never read: it would not parse.
  dir.write("qelib1.inc", "this is not OpenQASM\n");
  const std::string main = dir.write("main.qasm", R"(OPENQASM 2.0;
include "qelib1.inc";
include "lib/defs.inc";
qreg q[2];
bell2(0.5) q[1], q[0];
)");
  const qstate::Circuit c = qstate::qasm::parse_file(main);
  CHECK(c.source == main);
  REQUIRE(c.ops.size() == 3);
  CHECK(gate_at(c, 0).name == "h");
  CHECK(gate_at(c, 0).targets == std::vector<qstate::Qubit>{1});
  CHECK(gate_at(c, 2).name == "rz");
  CHECK(gate_at(c, 2).params == std::vector<double>{0.5});
  CHECK(c.written_counts == std::map<std::string, std::uint64_t>{{"bell2", 1}});
}

TEST_CASE("include: the same file twice (identical definitions) is accepted", "[qasm]") {
  TempDir dir;
  dir.write("a.inc", "gate g a { U(0.1, 0, 0) a; }\n");
  dir.write("b.inc", "include \"a.inc\";\n");
  const std::string main =
      dir.write("main.qasm", "include \"a.inc\";\ninclude \"b.inc\";\nqreg q[1];\ng q[0];\n");
  CHECK(qstate::qasm::parse_file(main).ops.size() == 1);
}

TEST_CASE("include: a missing file is an error at the include", "[qasm]") {
  TempDir dir;
  const std::string main = dir.write("main.qasm", "OPENQASM 2.0;\n  include \"nope.inc\";\n");
  CHECK(file_error_of(main) == main + ":2:11: cannot read included file 'nope.inc' (looked for '" +
                                   (dir.path() / "nope.inc").string() + "')");
}

TEST_CASE("include: stdgates.inc without a version line picks OpenQASM 3", "[qasm]") {
  // Most OpenQASM 3 examples have no version line and start with this include; it is built in.
  TempDir dir;
  const std::string main =
      dir.write("main.qasm", "include \"stdgates.inc\";\nqubit[2] q;\nh q[0];\ncx q[0], q[1];\n");
  const qstate::Circuit c = qstate::qasm::parse_file(main);
  CHECK(c.num_qubits == 2);
  CHECK(c.ops.size() == 2);
}

TEST_CASE("include: cycles are refused", "[qasm]") {
  TempDir dir;
  const std::string a = dir.write("a.inc", "include \"b.inc\";\n");
  const std::string b = dir.write("b.inc", "gate g x { U(0, 0, 0) x; }\ninclude \"a.inc\";\n");
  const std::string main = dir.write("main.qasm", "include \"a.inc\";\n");
  CHECK(file_error_of(main) ==
        b + ":2:9: include cycle: 'a.inc' is already being read (main.qasm -> a.inc -> b.inc -> "
            "a.inc)");
  const std::string self = dir.write("self.qasm", "OPENQASM 2.0;\ninclude \"self.qasm\";\n");
  CHECK(file_error_of(self) ==
        self + ":2:9: include cycle: 'self.qasm' is already being read (self.qasm -> self.qasm)");
}

TEST_CASE("include: errors inside an included file name that file", "[qasm]") {
  TempDir dir;
  const std::string inc = dir.write("sub/bad.inc", "gate g a {\n  h a;\n}\n");
  const std::string main = dir.write("main.qasm", "OPENQASM 2.0;\ninclude \"sub/bad.inc\";\n");
  CHECK(file_error_of(main) ==
        (dir.path() / "sub/bad.inc").string() +
            ":2:3: unknown gate 'h'; it is defined in \"qelib1.inc\": add 'include "
            "\"qelib1.inc\";' after the OPENQASM line (a gate body can only use gates defined "
            "before it)");
  (void)inc;
}

TEST_CASE("include: an included file may not switch to OpenQASM 3", "[qasm]") {
  TempDir dir;
  dir.write("three.inc", "OPENQASM 3.0;\n");
  const std::string main = dir.write("main.qasm", "OPENQASM 2.0;\ninclude \"three.inc\";\n");
  CHECK(file_error_of(main) == (dir.path() / "three.inc").string() +
                                   ":1:10: OpenQASM 3 is not supported yet (this front end reads "
                                   "OpenQASM 2.0)");
}

TEST_CASE("include: parse_string resolves absolute include paths", "[qasm]") {
  TempDir dir;
  const std::string inc = dir.write("defs.inc", "gate g a { U(0.1, 0, 0) a; }\n");
  const qstate::Circuit c =
      qasm_test::parse("include \"" + inc + "\";\nqreg q[1];\ng q[0];", "<string>");
  CHECK(c.source == "<string>");
  CHECK(c.ops.size() == 1);
}
