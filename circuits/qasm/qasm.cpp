// OpenQASM entry points: read the text, look at the version line, hand the text to the front end
// of that version. OpenQASM 2 (or no version line, as Qiskit's permissive loader allows) goes to
// the qasm2 lowering; OpenQASM 3 is refused for now (its front end will plug in here).
#include "circuits/qasm/qasm.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "circuits/error.hpp"
#include "circuits/qasm/lexer.hpp"
#include "circuits/qasm/lower.hpp"

namespace qstate::qasm {
namespace {

namespace fs = std::filesystem;

enum class Language { kQasm2, kQasm3 };

// The language of `text`, from its first statement `OPENQASM <version>;` (the qasm2 lowering
// checks the version of OpenQASM 2 files in detail).
Language detect_language(std::string_view text, const std::string& file) {
  Lexer lexer(text, file);
  const Token first = lexer.next();
  if (first.kind != TokenKind::kOpenqasm) return Language::kQasm2;
  const Token version = lexer.next();
  if ((version.kind == TokenKind::kInteger || version.kind == TokenKind::kReal) &&
      (version.text == "3" || version.text.starts_with("3.")))
    return Language::kQasm3;
  return Language::kQasm2;
}

Circuit parse_text(std::string_view text, const std::string& file, const fs::path& dir) {
  Lexer lexer(text, file);
  switch (detect_language(text, file)) {
    case Language::kQasm2:
      return lower_qasm2(text, file, dir);
    case Language::kQasm3: {
      lexer.next();
      const Token version = lexer.next();
      throw Error(SourceLocation{file, version.line, version.column},
                  "OpenQASM 3 is not supported yet (this front end reads OpenQASM 2.0)");
    }
  }
  return {};
}

}  // namespace

Circuit parse_file(const std::string& path) {
  std::string text;
  errno = 0;
  if (!read_text_file(path, text)) {
    const int err = errno;
    throw Error(SourceLocation{path, 0, 0},
                std::string("cannot read file: ") + (err != 0 ? std::strerror(err) : "I/O error"));
  }
  return parse_text(text, path, fs::path(path).parent_path());
}

Circuit parse_string(std::string_view text, const std::string& name) {
  return parse_text(text, name, fs::path{});  // relative to the current directory
}

}  // namespace qstate::qasm
