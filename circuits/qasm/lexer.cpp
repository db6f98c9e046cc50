// OpenQASM 2 lexer (see lexer.hpp). A hand-written scanner over the byte buffer: one switch per
// token, keywords recognised by comparing the finished word.
#include "circuits/qasm/lexer.hpp"

#include <cstdio>

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

Lexer::Lexer(std::string_view text, const std::string& file)
    : text_(text),
      file_(file),
      pos_(text.data()),
      end_(text.data() + text.size()),
      line_start_(text.data()) {}

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

}  // namespace qstate::qasm
