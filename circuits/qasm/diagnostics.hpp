// Small helpers for the front end's error messages: a SourceLocation from a file and a position,
// a quoted name, "1 qubit" / "2 qubits".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "circuits/error.hpp"
#include "circuits/qasm/ast.hpp"

namespace qstate::qasm {

inline SourceLocation location(const std::string& file, Pos p) {
  return SourceLocation{file, p.line, p.column};
}

// 'name' (built by appending: g++ 12 warns wrongly on `"'" + s + "'"` at -O2).
inline std::string in_quotes(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  out += s;
  out += '\'';
  return out;
}

inline std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace qstate::qasm
