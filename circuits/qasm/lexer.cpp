// The OpenQASM lexer (see lexer.hpp). A hand-written scanner over the byte buffer: one switch per
// token, keywords recognised by comparing the finished word. The OpenQASM 3 additions (operators,
// number forms, durations) are in their own functions so the OpenQASM 2 path stays as it was.
#include "circuits/qasm/lexer.hpp"

#include <charconv>
#include <cstdio>
#include <string>

#include "circuits/error.hpp"

namespace qstate::qasm {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ident_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_ident_char(char c) {
  return is_ident_start(c) || is_digit(c);
}
// OpenQASM 3 identifiers may hold any UTF-8 encoded letter (θ, π); bytes of multi-byte sequences
// are accepted as they are.
bool is_utf8_byte(char c) {
  return static_cast<unsigned char>(c) >= 0x80;
}
bool is_ident_start3(char c) {
  return is_ident_start(c) || is_utf8_byte(c);
}
bool is_ident_char3(char c) {
  return is_ident_char(c) || is_utf8_byte(c);
}
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

struct Keyword {
  std::string_view word;
  TokenKind kind;
};

constexpr Keyword kKeywords[] = {
    {"OPENQASM", TokenKind::kOpenqasm},
    {"include", TokenKind::kInclude},
    {"qreg", TokenKind::kQreg},
    {"creg", TokenKind::kCreg},
    {"gate", TokenKind::kGate},
    {"opaque", TokenKind::kOpaque},
    {"measure", TokenKind::kMeasure},
    {"reset", TokenKind::kReset},
    {"barrier", TokenKind::kBarrier},
    {"if", TokenKind::kIf},
    {"pi", TokenKind::kPi},
    {"sin", TokenKind::kSin},
    {"cos", TokenKind::kCos},
    {"tan", TokenKind::kTan},
    {"exp", TokenKind::kExp},
    {"ln", TokenKind::kLn},
    {"sqrt", TokenKind::kSqrt},
};

TokenKind classify_word(std::string_view w) {
  // Every keyword is 2..8 characters and starts with one of these letters.
  if (w.size() < 2 || w.size() > 8) return TokenKind::kIdentifier;
  switch (w[0]) {
    case 'O':
    case 'i':
    case 'q':
    case 'c':
    case 'g':
    case 'o':
    case 'm':
    case 'r':
    case 'b':
    case 'p':
    case 's':
    case 't':
    case 'e':
    case 'l':
      break;
    default:
      return TokenKind::kIdentifier;
  }
  for (const Keyword& k : kKeywords)
    if (k.word == w) return k.kind;
  return TokenKind::kIdentifier;
}

std::string printable(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
  return buf;
}

// `text` without its underscores: the text itself when it has none (the common case: no copy and
// no allocation for a long real literal), else a copy in `buffer`.
std::string_view without_underscores(std::string_view text, std::string& buffer) {
  if (text.find('_') == std::string_view::npos) return text;
  buffer.clear();
  for (const char c : text)
    if (c != '_') buffer += c;
  return buffer;
}

}  // namespace

std::string_view describe(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd:
      return "the end of the file";
    case TokenKind::kIdentifier:
      return "an identifier";
    case TokenKind::kInteger:
      return "an integer";
    case TokenKind::kReal:
      return "a real number";
    case TokenKind::kString:
      return "a string";
    case TokenKind::kSemicolon:
      return "';'";
    case TokenKind::kComma:
      return "','";
    case TokenKind::kLParen:
      return "'('";
    case TokenKind::kRParen:
      return "')'";
    case TokenKind::kLBracket:
      return "'['";
    case TokenKind::kRBracket:
      return "']'";
    case TokenKind::kLBrace:
      return "'{'";
    case TokenKind::kRBrace:
      return "'}'";
    case TokenKind::kPlus:
      return "'+'";
    case TokenKind::kMinus:
      return "'-'";
    case TokenKind::kStar:
      return "'*'";
    case TokenKind::kSlash:
      return "'/'";
    case TokenKind::kCaret:
      return "'^'";
    case TokenKind::kArrow:
      return "'->'";
    case TokenKind::kEqEq:
      return "'=='";
    case TokenKind::kAt:
      return "'@'";
    case TokenKind::kHardwareQubit:
      return "a physical qubit ($n)";
    case TokenKind::kBang:
      return "'!'";
    case TokenKind::kTilde:
      return "'~'";
    case TokenKind::kAmp:
      return "'&'";
    case TokenKind::kAmpAmp:
      return "'&&'";
    case TokenKind::kPipe:
      return "'|'";
    case TokenKind::kPipePipe:
      return "'||'";
    case TokenKind::kNotEq:
      return "'!='";
    case TokenKind::kLess:
      return "'<'";
    case TokenKind::kLessEq:
      return "'<='";
    case TokenKind::kGreater:
      return "'>'";
    case TokenKind::kGreaterEq:
      return "'>='";
    case TokenKind::kShl:
      return "'<<'";
    case TokenKind::kShr:
      return "'>>'";
    case TokenKind::kStarStar:
      return "'**'";
    case TokenKind::kPercent:
      return "'%'";
    case TokenKind::kAssign:
      return "'='";
    case TokenKind::kCompoundAssign:
      return "a compound assignment";
    case TokenKind::kColon:
      return "':'";
    case TokenKind::kPlusPlus:
      return "'++'";
    case TokenKind::kDuration:
      return "a duration";
    case TokenKind::kImaginary:
      return "an imaginary number";
    case TokenKind::kOpenqasm:
      return "'OPENQASM'";
    case TokenKind::kInclude:
      return "'include'";
    case TokenKind::kQreg:
      return "'qreg'";
    case TokenKind::kCreg:
      return "'creg'";
    case TokenKind::kGate:
      return "'gate'";
    case TokenKind::kOpaque:
      return "'opaque'";
    case TokenKind::kMeasure:
      return "'measure'";
    case TokenKind::kReset:
      return "'reset'";
    case TokenKind::kBarrier:
      return "'barrier'";
    case TokenKind::kIf:
      return "'if'";
    case TokenKind::kPi:
      return "'pi'";
    case TokenKind::kSin:
      return "'sin'";
    case TokenKind::kCos:
      return "'cos'";
    case TokenKind::kTan:
      return "'tan'";
    case TokenKind::kExp:
      return "'exp'";
    case TokenKind::kLn:
      return "'ln'";
    case TokenKind::kSqrt:
      return "'sqrt'";
  }
  return "a token";
}

Lexer::Lexer(std::string_view text, const std::string& file, Dialect dialect)
    : text_(text),
      file_(file),
      pos_(text.data()),
      end_(text.data() + text.size()),
      line_start_(text.data()),
      dialect_(dialect) {}

void Lexer::fail(std::uint32_t line, std::uint32_t column, const std::string& msg) const {
  throw Error(SourceLocation{file_, line, column}, msg);
}

void Lexer::skip_space_and_comments() {
  while (pos_ < end_) {
    const char c = *pos_;
    if (c == '\n') {
      ++pos_;
      ++line_;
      line_start_ = pos_;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < end_ && pos_[1] == '/') {
      while (pos_ < end_ && *pos_ != '\n') ++pos_;
    } else if (c == '/' && pos_ + 1 < end_ && pos_[1] == '*') {
      const std::uint32_t line = line_;
      const std::uint32_t column = column_of(pos_);
      pos_ += 2;
      for (;;) {
        if (pos_ >= end_) fail(line, column, "unterminated comment: '/*' has no matching '*/'");
        if (*pos_ == '*' && pos_ + 1 < end_ && pos_[1] == '/') {
          pos_ += 2;
          break;
        }
        if (*pos_ == '\n') {
          ++line_;
          line_start_ = pos_ + 1;
        }
        ++pos_;
      }
    } else {
      return;
    }
  }
}

Token Lexer::lex_number(const char* start, std::uint32_t column) {
  const char* p = start;
  bool real = false;
  while (p < end_ && is_digit(*p)) ++p;
  if (p < end_ && *p == '.') {
    real = true;
    ++p;
    const char* frac = p;
    while (p < end_ && is_digit(*p)) ++p;
    if (start + 1 == frac && frac == p)  // a lone '.'
      fail(line_, column, "expected a digit after '.'");
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    real = true;
    ++p;
    if (p < end_ && (*p == '+' || *p == '-')) ++p;
    if (p >= end_ || !is_digit(*p))
      fail(line_, column,
           "malformed number '" + std::string(start, p) +
               "': the exponent needs at least one digit");
    while (p < end_ && is_digit(*p)) ++p;
  }
  if (p < end_ && (is_ident_char(*p) || *p == '.')) {
    const char* q = p;
    while (q < end_ && (is_ident_char(*q) || *q == '.')) ++q;
    fail(line_, column, "malformed number '" + std::string(start, q) + "'");
  }
  pos_ = p;
  return Token{real ? TokenKind::kReal : TokenKind::kInteger, line_, column,
               std::string_view(start, static_cast<std::size_t>(p - start))};
}

Token Lexer::next() {
  skip_space_and_comments();
  if (pos_ >= end_) return Token{TokenKind::kEnd, line_, column_of(pos_), {}};
  const char* start = pos_;
  const std::uint32_t column = column_of(start);
  const char c = *start;
  auto single = [&](TokenKind k) {
    ++pos_;
    return Token{k, line_, column, std::string_view(start, 1)};
  };
  if (dialect_ == Dialect::kQasm3) {
    // Numbers and names first (most tokens; no operator starts with a digit or a name's
    // character), then the operators.
    if (is_digit(c) || (c == '.' && start + 1 < end_ && is_digit(start[1])))
      return lex_number3(start, column);
    if (is_ident_start3(c)) {
      const char* p = start + 1;
      while (p < end_ && is_ident_char3(*p)) ++p;
      pos_ = p;
      const std::string_view word(start, static_cast<std::size_t>(p - start));
      const TokenKind kind = word == "OPENQASM"  ? TokenKind::kOpenqasm
                             : word == "include" ? TokenKind::kInclude
                                                 : TokenKind::kIdentifier;
      return Token{kind, line_, column, word};
    }
    Token op;
    if (lex_operator3(start, column, op)) return op;
  }
  switch (c) {
    case ';':
      return single(TokenKind::kSemicolon);
    case ',':
      return single(TokenKind::kComma);
    case '(':
      return single(TokenKind::kLParen);
    case ')':
      return single(TokenKind::kRParen);
    case '[':
      return single(TokenKind::kLBracket);
    case ']':
      return single(TokenKind::kRBracket);
    case '{':
      return single(TokenKind::kLBrace);
    case '}':
      return single(TokenKind::kRBrace);
    case '+':
      return single(TokenKind::kPlus);
    case '*':
      return single(TokenKind::kStar);
    case '/':
      return single(TokenKind::kSlash);
    case '^':
      return single(TokenKind::kCaret);
    case '-':
      if (start + 1 < end_ && start[1] == '>') {
        pos_ += 2;
        return Token{TokenKind::kArrow, line_, column, std::string_view(start, 2)};
      }
      return single(TokenKind::kMinus);
    case '=':
      if (start + 1 < end_ && start[1] == '=') {
        pos_ += 2;
        return Token{TokenKind::kEqEq, line_, column, std::string_view(start, 2)};
      }
      fail(line_, column, "unexpected '=' (comparisons are written '==')");
    case '"':
    case '\'': {
      const char* p = start + 1;
      while (p < end_ && *p != c && *p != '\n') ++p;
      if (p >= end_ || *p != c)
        fail(line_, column,
             "unterminated string: missing closing " + printable(c) + " on this line");
      pos_ = p + 1;
      return Token{TokenKind::kString, line_, column,
                   std::string_view(start, static_cast<std::size_t>(pos_ - start))};
    }
    default:
      break;
  }
  if (is_digit(c) || c == '.') return lex_number(start, column);
  if (is_ident_start(c)) {
    const char* p = start + 1;
    while (p < end_ && is_ident_char(*p)) ++p;
    pos_ = p;
    const std::string_view word(start, static_cast<std::size_t>(p - start));
    return Token{classify_word(word), line_, column, word};
  }
  if (static_cast<unsigned char>(c) >= 0x80)
    fail(line_, column,
         "unexpected non-ASCII character (" + printable(c) + "); OpenQASM 2 source is ASCII");
  fail(line_, column, "unexpected character " + printable(c));
}

// ---- OpenQASM 3 --------------------------------------------------------------------------

bool Lexer::lex_operator3(const char* start, std::uint32_t column, Token& out) {
  const std::size_t left = static_cast<std::size_t>(end_ - start);
  auto at = [&](std::size_t i) { return i < left ? start[i] : '\0'; };
  auto make = [&](TokenKind k, std::size_t n) {
    pos_ = start + n;
    out = Token{k, line_, column, std::string_view(start, n)};
    return true;
  };
  const char c = at(0);
  const char d = at(1);
  switch (c) {
    case '@':
      return make(TokenKind::kAt, 1);
    case ':':
      return make(TokenKind::kColon, 1);
    case '%':
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kPercent, 1);
    case '~':
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kTilde, 1);
    case '^':
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kCaret, 1);
    case '/':
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kSlash, 1);
    case '+':
      if (d == '+') return make(TokenKind::kPlusPlus, 2);
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kPlus, 1);
    case '-':
      if (d == '>') return make(TokenKind::kArrow, 2);
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kMinus, 1);
    case '*':
      if (d == '*')
        return at(2) == '=' ? make(TokenKind::kCompoundAssign, 3) : make(TokenKind::kStarStar, 2);
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kStar, 1);
    case '=':
      return d == '=' ? make(TokenKind::kEqEq, 2) : make(TokenKind::kAssign, 1);
    case '!':
      return d == '=' ? make(TokenKind::kNotEq, 2) : make(TokenKind::kBang, 1);
    case '&':
      if (d == '&') return make(TokenKind::kAmpAmp, 2);
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kAmp, 1);
    case '|':
      if (d == '|') return make(TokenKind::kPipePipe, 2);
      return d == '=' ? make(TokenKind::kCompoundAssign, 2) : make(TokenKind::kPipe, 1);
    case '<':
      if (d == '<')
        return at(2) == '=' ? make(TokenKind::kCompoundAssign, 3) : make(TokenKind::kShl, 2);
      return d == '=' ? make(TokenKind::kLessEq, 2) : make(TokenKind::kLess, 1);
    case '>':
      if (d == '>')
        return at(2) == '=' ? make(TokenKind::kCompoundAssign, 3) : make(TokenKind::kShr, 2);
      return d == '=' ? make(TokenKind::kGreaterEq, 2) : make(TokenKind::kGreater, 1);
    case '$': {
      std::size_t n = 1;
      while (n < left && is_digit(start[n])) ++n;
      if (n == 1) fail(line_, column, "expected the number of a physical qubit after '$'");
      if (n < left && is_ident_char3(start[n]))
        fail(line_, column, "malformed physical qubit '" + std::string(start, n + 1) + "'");
      return make(TokenKind::kHardwareQubit, n);
    }
    default:
      return false;
  }
}

Token Lexer::lex_number3(const char* start, std::uint32_t column) {
  const char* p = start;
  bool real = false;
  auto malformed = [&](const char* stop) {
    const char* q = stop;
    while (q < end_ && (is_ident_char3(*q) || *q == '.')) ++q;
    fail(line_, column, "malformed number '" + std::string(start, q) + "'");
  };
  // Digits with single underscores between them (1_000); returns false for a misplaced '_'.
  auto digits = [&](auto accept) {
    if (p >= end_ || !accept(*p)) return true;
    while (p < end_ && (accept(*p) || *p == '_')) {
      if (*p == '_' && (p + 1 >= end_ || !accept(p[1]))) return false;
      ++p;
    }
    return true;
  };
  const auto decimal = [](char ch) { return is_digit(ch); };
  if (*p == '0' && p + 1 < end_ &&
      (p[1] == 'x' || p[1] == 'X' || p[1] == 'b' || p[1] == 'B' || p[1] == 'o' || p[1] == 'O')) {
    const char base = static_cast<char>(p[1] | 0x20);
    p += 2;
    const char* first = p;
    bool ok = true;
    if (base == 'x') ok = digits([](char ch) { return is_hex_digit(ch); });
    if (base == 'b') ok = digits([](char ch) { return ch == '0' || ch == '1'; });
    if (base == 'o') ok = digits([](char ch) { return ch >= '0' && ch <= '7'; });
    if (!ok || p == first || (p < end_ && (is_ident_char3(*p) || *p == '.'))) malformed(p);
    pos_ = p;
    return Token{TokenKind::kInteger, line_, column,
                 std::string_view(start, static_cast<std::size_t>(p - start))};
  }
  if (!digits(decimal)) malformed(p);
  if (p < end_ && *p == '.') {
    real = true;
    ++p;
    if (!digits(decimal)) malformed(p);
  }
  if (p < end_ && (*p == 'e' || *p == 'E')) {
    const char* e = p;
    ++p;
    if (p < end_ && (*p == '+' || *p == '-')) ++p;
    if (p >= end_ || !is_digit(*p))
      fail(line_, column,
           "malformed number '" + std::string(start, p) +
               "': the exponent needs at least one digit");
    if (!digits(decimal)) malformed(p);
    real = true;
    (void)e;
  }
  // A unit makes a duration; `im` an imaginary number.
  TokenKind kind = real ? TokenKind::kReal : TokenKind::kInteger;
  const char* suffix = p;
  while (p < end_ && is_ident_char3(*p)) ++p;
  const std::string_view unit(suffix, static_cast<std::size_t>(p - suffix));
  if (!unit.empty()) {
    if (unit == "dt" || unit == "ns" || unit == "us" || unit == "ms" || unit == "s" ||
        unit == "\xC2\xB5s" || unit == "\xCE\xBCs") {
      kind = TokenKind::kDuration;
    } else if (unit == "im") {
      kind = TokenKind::kImaginary;
    } else {
      malformed(suffix);
    }
  }
  if (p < end_ && *p == '.') malformed(p);
  pos_ = p;
  return Token{kind, line_, column, std::string_view(start, static_cast<std::size_t>(p - start))};
}

bool parse_integer_literal(std::string_view text, std::uint64_t& value) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0') {
    const char b = static_cast<char>(text[1] | 0x20);
    if (b == 'x') base = 16;
    if (b == 'b') base = 2;
    if (b == 'o') base = 8;
    if (base != 10) text.remove_prefix(2);
  }
  std::string buffer;
  const std::string_view digits = without_underscores(text, buffer);
  value = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  return r.ec == std::errc() && r.ptr == digits.data() + digits.size();
}

bool parse_real_literal(std::string_view text, double& value) {
  std::string buffer;
  const std::string_view digits = without_underscores(text, buffer);
  value = 0.0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return r.ec == std::errc() && r.ptr == digits.data() + digits.size();
}

}  // namespace qstate::qasm
