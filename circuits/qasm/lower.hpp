// OpenQASM 2 lowering: statements from the parser → a Circuit. Resolves registers, includes and
// gates, checks every rule the syntax cannot (arity, parameter counts, declared registers, index
// ranges, distinct qubits, broadcast sizes, opaque gates, conditions), expands broadcasts and user
// gates, and counts the operations as written (Circuit::written_counts). Every problem is a
// qstate::Error with file:line:col of the offending token.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "circuits/circuit.hpp"

namespace qstate::qasm {

// Reads a whole file into `out`; false when it cannot be opened or read.
bool read_text_file(const std::filesystem::path& path, std::string& out);

// How many ops to reserve for lowering `text`: one per statement (counting ';' is cheap), plus
// slack for the few statements that become many ops (a broadcast, a user gate), so that the
// closing `measure q -> c;` of an exported file does not relocate the whole list.
std::size_t expected_ops(std::string_view text);

// Lowers the OpenQASM 2 program `text`, read from `file` (used in messages and as
// Circuit::source); `include "x";` is read from `include_dir` / x unless x is built in.
Circuit lower_qasm2(std::string_view text, const std::string& file,
                    const std::filesystem::path& include_dir);

}  // namespace qstate::qasm
