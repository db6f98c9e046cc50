// qstate::Error: every mistake a user can make (bad QASM, bad flags, too little memory, bad rank
// count) surfaces as this exception, with a message a person can act on. The CLI prints it and
// exits non-zero. Internal bugs are assertions, not Errors.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace qstate {

// A place in a source file; line and column are 1-based, 0 means unknown.
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  // "file:line:col" (parts that are unknown are left out).
  std::string to_string() const;
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
  // The message becomes "file:line:col: message".
  Error(const SourceLocation& where, const std::string& message)
      : std::runtime_error(where.to_string() + ": " + message), location_(where) {}

  const SourceLocation& location() const { return location_; }

 private:
  SourceLocation location_;
};

}  // namespace qstate
