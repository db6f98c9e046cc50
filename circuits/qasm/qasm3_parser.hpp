// OpenQASM 3 recursive-descent parser: pulls tokens from the shared Lexer (OpenQASM 3 dialect)
// and hands out one top-level statement at a time, nested blocks complete, so a long exported
// program never exists as a whole tree. Only syntax is checked here, plus the constructs qstate
// refuses outright (calibrations, `extern`, `def`, `box`, `duration`, arrays, ...): each is a
// qstate::Error at its keyword with file:line:col.
//
// Expression precedence, loosest first (the OpenQASM 3 specification's):
//   ||   &&   |   ^   &   == !=   < <= > >=   << >>   + -   * / %   unary - ! ~   **
// `**` is right-associative and binds tighter than a unary operator on its left (-x**2 is
// -(x**2)); postfix indexing, calls and casts bind tightest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/qasm/lexer.hpp"
#include "circuits/qasm/qasm3_ast.hpp"

namespace qstate::qasm3 {

class Parser {
 public:
  // `text` must outlive the parser and every statement it returns.
  Parser(std::string_view text, const std::string& file);

  // Reads the next top-level statement into `out`, its expressions into `exprs` (a gate
  // definition keeps its own). Returns false at the end of the text.
  bool next(Stmt& out, ExprTree& exprs);

  // Parses `text` as one expression (for --param values such as "pi/4"); throws on anything else.
  static NodeId parse_expression(std::string_view text, const std::string& name, ExprTree& exprs);

  const std::string& file() const { return lexer_.file(); }

 private:
  using TokenKind = qasm::TokenKind;
  using Token = qasm::Token;

  // statements (qasm3_parser.cpp)
  static void reset(Stmt& out);
  void advance();
  bool at(TokenKind k) const { return cur_.kind == k; }
  bool at_word(std::string_view w) const {
    return cur_.kind == TokenKind::kIdentifier && cur_.text == w;
  }
  Token expect(TokenKind k, std::string_view what);
  void expect_semicolon();
  [[noreturn]] void fail_at(const Token& t, const std::string& msg) const;
  [[noreturn]] void fail_at(Pos p, const std::string& msg) const;
  [[noreturn]] void fail_expected(std::string_view what) const;
  Identifier parse_identifier(std::string_view what);

  void statement(Stmt& out, ExprTree& e);
  void statement_or_block(std::vector<Stmt>& out, ExprTree& e);
  void block(std::vector<Stmt>& out, ExprTree& e);
  void refuse(const Token& keyword);
  void qubit_declaration(Stmt& out, ExprTree& e);
  void bit_declaration(Stmt& out, ExprTree& e);
  void variable_declaration(Stmt& out, ExprTree& e);
  void gate_definition(Stmt& out);
  void gate_call(Stmt& out, ExprTree& e);
  void measure_statement(Stmt& out, ExprTree& e);
  void operand_list(Stmt& out, ExprTree& e, bool allow_empty);
  void if_statement(Stmt& out, ExprTree& e);
  void for_statement(Stmt& out, ExprTree& e);
  void switch_statement(Stmt& out, ExprTree& e);
  void assignment_or_call(Stmt& out, ExprTree& e);

  // expressions and types (qasm3_parse_expr.cpp)
  bool at_type_keyword() const;
  TypeSpec parse_type(ExprTree& e);
  NodeId expression(ExprTree& e);
  NodeId binary_level(ExprTree& e, int level);
  NodeId unary(ExprTree& e);
  NodeId power(ExprTree& e);
  NodeId postfix(ExprTree& e);
  NodeId primary(ExprTree& e);
  NodeId operand(ExprTree& e);
  NodeId index_suffix(ExprTree& e, NodeId base, const Token& open);
  NodeId index_entry(ExprTree& e);
  NodeId set_literal(ExprTree& e);
  NodeId range_or_expression(ExprTree& e, bool bracketed);
  NodeId literal(ExprTree& e, const Token& t);
  NodeId make(ExprTree& e, Node n) const { return e.add(n); }
  void check_depth(const Token& t) const;

  qasm::Lexer lexer_;
  Token cur_;
  Token next_;  // one token of look-ahead
  std::uint32_t prev_end_line_ = 1;
  std::uint32_t prev_end_column_ = 1;
  bool seen_statement_ = false;
  std::uint32_t depth_ = 0;  // expression and block nesting
};

}  // namespace qstate::qasm3
