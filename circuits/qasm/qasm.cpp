// OpenQASM entry points: read the text, look at the version line, hand the text to the front end
// of that version: `OPENQASM 2.x` to the qasm2 lowering, `OPENQASM 3.x` to the qasm3 lowering.
// Without a version line (allowed by Qiskit's permissive OpenQASM 2 loader and by OpenQASM 3)
// the first decisive token decides: an OpenQASM 3 construct (`include "stdgates.inc"`, `qubit`,
// `bit`, `input`, `const`, a gate modifier, a `$n` qubit, a UTF-8 name, ...) picks OpenQASM 3; an
// OpenQASM 2 one (`qreg`, `creg`, `opaque`, `include "qelib1.inc"`) or none picks OpenQASM 2.
#include "circuits/qasm/qasm.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "circuits/error.hpp"
#include "circuits/qasm/lexer.hpp"
#include "circuits/qasm/lower.hpp"
#include "circuits/qasm/qasm3.hpp"

namespace qstate::qasm {
namespace {

namespace fs = std::filesystem;

enum class Language { kQasm2, kQasm3 };

// Statements a file without a version line is scanned for (each is cheap to lex; a long OpenQASM
// 2 file is decided on its first statements).
constexpr std::size_t kScanStatements = 256;

// Words that start a statement only in OpenQASM 3 (`delay` is not one: Qiskit's OpenQASM 2
// exporter declares it as an opaque gate).
constexpr std::array<std::string_view, 32> kQasm3Words = {
    "qubit",  "bit",    "input",   "output", "const", "def",    "defcal",  "defcalgrammar",
    "cal",    "extern", "let",     "for",    "while", "box",    "stretch", "duration",
    "array",  "int",    "uint",    "float",  "angle", "bool",   "complex", "switch",
    "gphase", "ctrl",   "negctrl", "inv",    "pow",   "return", "break",   "continue"};

// Words that start a statement only in OpenQASM 2 (`qreg`/`creg` are OpenQASM 3 too, but a file
// without a version line that declares registers so is an OpenQASM 2 file).
bool qasm2_word(std::string_view w) {
  return w == "qreg" || w == "creg" || w == "opaque";
}

bool qasm3_only_word(std::string_view w) {
  for (const std::string_view k : kQasm3Words)
    if (k == w) return true;
  return false;
}

Language detect_without_version(std::string_view text, const std::string& file) {
  Lexer lexer(text, file, Dialect::kQasm3);
  bool statement_start = true;
  std::size_t statements = 0;
  try {
    for (Token t = lexer.next(); t.kind != TokenKind::kEnd && statements < kScanStatements;
         t = lexer.next()) {
      switch (t.kind) {
        case TokenKind::kString:
          if (t.text == "\"stdgates.inc\"" || t.text == "'stdgates.inc'") return Language::kQasm3;
          if (t.text == "\"qelib1.inc\"" || t.text == "'qelib1.inc'") return Language::kQasm2;
          break;
        case TokenKind::kHardwareQubit:
        case TokenKind::kAt:
        case TokenKind::kDuration:
        case TokenKind::kStarStar:
          return Language::kQasm3;
        case TokenKind::kIdentifier:
          for (const char c : t.text)
            if (static_cast<unsigned char>(c) >= 0x80) return Language::kQasm3;
          if (statement_start && qasm2_word(t.text)) return Language::kQasm2;
          if (statement_start && qasm3_only_word(t.text)) return Language::kQasm3;
          break;
        default:
          break;
      }
      statement_start = t.kind == TokenKind::kSemicolon || t.kind == TokenKind::kLBrace ||
                        t.kind == TokenKind::kRBrace;
      if (t.kind == TokenKind::kSemicolon) ++statements;
    }
  } catch (const Error&) {
    // Not even OpenQASM 3 tokens: the OpenQASM 2 front end reports the problem.
  }
  return Language::kQasm2;
}

// The language of `text`, from its first statement `OPENQASM <version>;` (the qasm2 lowering
// checks the version of OpenQASM 2 files in detail).
Language detect_language(std::string_view text, const std::string& file) {
  Lexer lexer(text, file);
  Token first;
  try {
    first = lexer.next();
  } catch (const Error&) {
    return detect_without_version(text, file);
  }
  if (first.kind != TokenKind::kOpenqasm) return detect_without_version(text, file);
  Token version;
  try {
    version = lexer.next();
  } catch (const Error&) {
    return Language::kQasm2;
  }
  if ((version.kind == TokenKind::kInteger || version.kind == TokenKind::kReal) &&
      (version.text == "3" || version.text.starts_with("3.")))
    return Language::kQasm3;
  return Language::kQasm2;
}

Circuit parse_text(std::string_view text, const std::string& file, const fs::path& dir) {
  switch (detect_language(text, file)) {
    case Language::kQasm2:
      return lower_qasm2(text, file, dir);
    case Language::kQasm3:
      return qasm3::lower_qasm3(text, file, dir);
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
