// OpenQASM 2 lexer: turns source text into tokens that point into the text (no copies, no heap
// allocation per token), each with its 1-based line and column (columns count bytes). Comments
// (`//` and `/* */`) and whitespace are skipped; lexical mistakes (unknown characters, unterminated
// strings or comments, malformed numbers) are qstate::Error with file:line:col.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace qstate::qasm {

enum class TokenKind : std::uint8_t {
  kEnd,         // end of the text
  kIdentifier,  // [A-Za-z_][A-Za-z0-9_]* that is not a keyword
  kInteger,     // [0-9]+
  kReal,        // 1.5, .5, 1., 1e3, 1.e-05
  kString,      // "..." or '...'; text() includes the quotes
  // punctuation
  kSemicolon,
  kComma,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kCaret,
  kArrow,  // ->
  kEqEq,   // ==
  // keywords
  kOpenqasm,
  kInclude,
  kQreg,
  kCreg,
  kGate,
  kOpaque,
  kMeasure,
  kReset,
  kBarrier,
  kIf,
  kPi,
  kSin,
  kCos,
  kTan,
  kExp,
  kLn,
  kSqrt,
};

// A readable name of a token kind for messages ("';'", "an identifier", ...).
std::string_view describe(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string_view text;  // the token as written (points into the lexer's text)
};

class Lexer {
 public:
  // `file` is used in messages only; `text` must outlive the lexer and its tokens.
  Lexer(std::string_view text, const std::string& file);

  // The next token; kEnd (repeatedly) at the end of the text.
  Token next();

  const std::string& file() const { return file_; }

 private:
  [[noreturn]] void fail(std::uint32_t line, std::uint32_t column, const std::string& msg) const;
  void skip_space_and_comments();
  Token lex_number(const char* start, std::uint32_t column);
  std::uint32_t column_of(const char* p) const {
    return static_cast<std::uint32_t>(p - line_start_) + 1;
  }

  std::string_view text_;
  std::string file_;
  const char* pos_;
  const char* end_;
  const char* line_start_;
  std::uint32_t line_ = 1;
};

}  // namespace qstate::qasm
