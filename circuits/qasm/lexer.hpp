// The OpenQASM lexer shared by both front ends: turns source text into tokens that point into the
// text (no copies, no heap allocation per token), each with its 1-based line and column (columns
// count bytes). Comments (`//` and `/* */`) and whitespace are skipped; lexical mistakes (unknown
// characters, unterminated strings or comments, malformed numbers) are qstate::Error with
// file:line:col. The OpenQASM 3 dialect adds its operators, `$n` physical qubits, duration
// literals (`100dt`, `2.5us`), number forms (`1_000`, `0x1F`, `0b101`, `0o17`) and UTF-8
// identifiers (`θ`, `π`); in it every word is an identifier except `OPENQASM` and `include` (the
// parser knows the keywords), while the OpenQASM 2 dialect keeps its keyword tokens.
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
  // OpenQASM 3 only
  kAt,              // @
  kHardwareQubit,   // $0, $12
  kBang,            // !
  kTilde,           // ~
  kAmp,             // &
  kAmpAmp,          // &&
  kPipe,            // |
  kPipePipe,        // ||
  kNotEq,           // !=
  kLess,            // <
  kLessEq,          // <=
  kGreater,         // >
  kGreaterEq,       // >=
  kShl,             // <<
  kShr,             // >>
  kStarStar,        // **
  kPercent,         // %
  kAssign,          // =
  kCompoundAssign,  // += -= *= /= %= **= &= |= ^= <<= >>= ~=  (text() tells which)
  kColon,           // :
  kPlusPlus,        // ++ (register concatenation)
  kDuration,        // 100dt, 2.5us, 1µs: a number with a time unit
  kImaginary,       // 1.5im
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

// Which language the text is lexed as.
enum class Dialect : std::uint8_t { kQasm2, kQasm3 };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string_view text;  // the token as written (points into the lexer's text)
};

class Lexer {
 public:
  // `file` is used in messages only; `text` must outlive the lexer and its tokens.
  Lexer(std::string_view text, const std::string& file, Dialect dialect = Dialect::kQasm2);

  // The next token; kEnd (repeatedly) at the end of the text.
  Token next();

  const std::string& file() const { return file_; }

 private:
  [[noreturn]] void fail(std::uint32_t line, std::uint32_t column, const std::string& msg) const;
  void skip_space_and_comments();
  Token lex_number(const char* start, std::uint32_t column);
  Token lex_number3(const char* start, std::uint32_t column);
  bool lex_operator3(const char* start, std::uint32_t column, Token& out);
  std::uint32_t column_of(const char* p) const {
    return static_cast<std::uint32_t>(p - line_start_) + 1;
  }

  std::string_view text_;
  std::string file_;
  const char* pos_;
  const char* end_;
  const char* line_start_;
  std::uint32_t line_ = 1;
  Dialect dialect_;
};

// The value of an integer literal as the OpenQASM 3 lexer accepts it (decimal, 0x.., 0b.., 0o..,
// underscores between digits); false when it does not fit in 64 bits.
bool parse_integer_literal(std::string_view text, std::uint64_t& value);
// The value of a real literal (underscores allowed between digits); false when out of range.
bool parse_real_literal(std::string_view text, double& value);

}  // namespace qstate::qasm
