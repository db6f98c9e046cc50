// OpenQASM front end entry points: text in, Circuit out. The version line picks the front end
// (OpenQASM 2 today); a missing version line is read as OpenQASM 2, as Qiskit's permissive loader
// does. Every problem in the input is a qstate::Error whose message starts with file:line:col.
#pragma once

#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace qstate::qasm {

// Reads and lowers a file. `include "x.inc";` is resolved relative to the including file's
// folder; "qelib1.inc" is built in (Qiskit's extended gate set) and never read from disk.
Circuit parse_file(const std::string& path);

// Lowers program text; `name` is used in messages and to resolve includes relative to the
// current directory.
Circuit parse_string(std::string_view text, const std::string& name = "<string>");

}  // namespace qstate::qasm
