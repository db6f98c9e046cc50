// OpenQASM 3 parser, statements (see qasm3_parser.hpp; expressions are in qasm3_parse_expr.cpp).
#include "circuits/qasm/qasm3_parser.hpp"

#include <array>

#include "circuits/error.hpp"
#include "circuits/qasm/diagnostics.hpp"

namespace qstate::qasm3 {
namespace {

using qasm::TokenKind;

std::string shown(const qasm::Token& t) {
  if (t.kind == TokenKind::kEnd) return "the end of the file";
  if (t.kind == TokenKind::kString) return std::string(t.text);
  std::string out;
  out += '\'';
  out += t.text;
  out += '\'';
  return out;
}

Pos pos_of(const qasm::Token& t) {
  return Pos{t.line, t.column};
}

// Keywords of constructs qstate refuses, with the reason given to the user.
struct Refusal {
  std::string_view keyword;
  std::string_view message;
};
constexpr std::array kRefusals = {
    Refusal{"defcalgrammar",
            "pulse-level calibration ('defcalgrammar') is not supported: qstate simulates gates, "
            "not pulses"},
    Refusal{"defcal",
            "pulse-level calibration ('defcal') is not supported: qstate simulates gates, not "
            "pulses"},
    Refusal{"cal",
            "pulse-level calibration ('cal') is not supported: qstate simulates gates, not pulses"},
    Refusal{"extern",
            "'extern' functions are not supported: their results are computed outside the "
            "program"},
    Refusal{"def",
            "subroutine definitions ('def') are not supported; write the subroutine's body where "
            "it is called, or make it a 'gate' if it is unitary"},
    Refusal{"box",
            "timing boxes ('box') are not supported: qstate ignores timing; write the box's body "
            "without 'box'"},
    Refusal{"duration",
            "'duration' variables are not supported: qstate ignores timing (a 'delay' is "
            "accepted and ignored)"},
    Refusal{"durationof", "'durationof' is not supported: qstate ignores timing"},
    Refusal{"array", "arrays ('array') are not supported"},
    Refusal{"complex", "complex variables ('complex') are not supported"},
    Refusal{"output",
            "'output' declarations are not supported: the results of a run are its measured "
            "bits"},
    Refusal{"return",
            "'return' is only meaningful in a subroutine ('def'), which is not supported"},
    Refusal{"end", "'end' is not supported"},
    Refusal{"pragma", "'#pragma' directives are not supported"},
};

bool is_modifier(std::string_view w) {
  return w == "ctrl" || w == "negctrl" || w == "inv" || w == "pow";
}

}  // namespace

Parser::Parser(std::string_view text, const std::string& file)
    : lexer_(text, file, qasm::Dialect::kQasm3) {
  cur_ = lexer_.next();
  next_ = lexer_.next();
}

void Parser::advance() {
  prev_end_line_ = cur_.line;
  prev_end_column_ = cur_.column + static_cast<std::uint32_t>(cur_.text.size());
  cur_ = next_;
  next_ = lexer_.next();
}

void Parser::fail_at(const Token& t, const std::string& msg) const {
  throw Error(SourceLocation{file(), t.line, t.column}, msg);
}

void Parser::fail_at(Pos p, const std::string& msg) const {
  throw Error(SourceLocation{file(), p.line, p.column}, msg);
}

void Parser::fail_expected(std::string_view what) const {
  fail_at(cur_, "expected " + std::string(what) + " but found " + shown(cur_));
}

Parser::Token Parser::expect(TokenKind k, std::string_view what) {
  if (cur_.kind != k) fail_expected(what);
  const Token t = cur_;
  advance();
  return t;
}

void Parser::expect_semicolon() {
  if (at(TokenKind::kSemicolon)) {
    advance();
    return;
  }
  throw Error(SourceLocation{file(), prev_end_line_, prev_end_column_},
              "expected ';' but found " + shown(cur_));
}

Identifier Parser::parse_identifier(std::string_view what) {
  const Token t = expect(TokenKind::kIdentifier, what);
  return Identifier{t.text, pos_of(t)};
}

void Parser::refuse(const Token& keyword) {
  for (const Refusal& r : kRefusals)
    if (r.keyword == keyword.text) fail_at(keyword, std::string(r.message));
}

// A fresh statement that keeps the lists' storage: a long file of gate calls then parses without
// allocating per statement (and without building a whole empty Stmt to assign from each time).
void Parser::reset(Stmt& out) {
  out.kind = StmtKind::kBlock;
  out.pos = {};
  out.type = {};
  out.name = {};
  out.is_const = false;
  out.value = kNoNode;
  out.target = kNoNode;
  out.assign_op = {};
  out.modifiers.clear();
  out.params.clear();
  out.params_pos = {};
  out.operands.clear();
  out.body.clear();
  out.else_body.clear();
  out.has_else = false;
  out.cases.clear();
  out.gate.reset();
}

bool Parser::next(Stmt& out, ExprTree& exprs) {
  while (at(TokenKind::kSemicolon)) advance();  // empty statements
  if (at(TokenKind::kEnd)) return false;
  reset(out);
  statement(out, exprs);
  seen_statement_ = true;
  return true;
}

void Parser::block(std::vector<Stmt>& out, ExprTree& e) {
  const Token open = expect(TokenKind::kLBrace, "'{'");
  if (++depth_ > qasm::kMaxExprDepth) fail_at(open, "blocks are nested too deeply");
  for (;;) {
    if (at(TokenKind::kRBrace)) {
      advance();
      break;
    }
    if (at(TokenKind::kSemicolon)) {
      advance();
      continue;
    }
    if (at(TokenKind::kEnd))
      fail_at(open, "this '{' is not closed: missing '}' before the end of the file");
    statement(out.emplace_back(), e);
  }
  --depth_;
}

void Parser::statement_or_block(std::vector<Stmt>& out, ExprTree& e) {
  if (at(TokenKind::kLBrace)) {
    block(out, e);
    return;
  }
  if (at(TokenKind::kSemicolon)) fail_expected("a statement or a block");
  statement(out.emplace_back(), e);
}

void Parser::statement(Stmt& out, ExprTree& e) {
  out.pos = pos_of(cur_);
  switch (cur_.kind) {
    case TokenKind::kOpenqasm: {
      if (seen_statement_ || depth_ > 0)
        fail_at(cur_, "the 'OPENQASM' version line must be the first statement of the file");
      advance();
      if (!at(TokenKind::kReal) && !at(TokenKind::kInteger))
        fail_expected("a version number such as 3.0");
      out.kind = StmtKind::kVersion;
      out.name = Identifier{cur_.text, pos_of(cur_)};
      advance();
      expect_semicolon();
      return;
    }
    case TokenKind::kInclude: {
      advance();
      const Token t = expect(TokenKind::kString, "a file name in quotes");
      out.kind = StmtKind::kInclude;
      out.name = Identifier{t.text.substr(1, t.text.size() - 2), pos_of(t)};
      expect_semicolon();
      return;
    }
    case TokenKind::kLBrace:
      out.kind = StmtKind::kBlock;
      block(out.body, e);
      return;
    case TokenKind::kAt:
      fail_at(cur_, "annotations ('@name') are not supported");
    case TokenKind::kIdentifier:
      break;
    default:
      fail_at(cur_, "expected a statement but found " + shown(cur_));
  }
  const std::string_view w = cur_.text;
  refuse(cur_);
  if (w == "qubit" || w == "qreg") return qubit_declaration(out, e);
  if ((w == "bit" || w == "creg") && next_.kind != TokenKind::kLParen)
    return bit_declaration(out, e);
  if (w == "const" || w == "input" ||
      ((w == "int" || w == "uint" || w == "float" || w == "angle" || w == "bool") &&
       next_.kind != TokenKind::kLParen))
    return variable_declaration(out, e);
  if (w == "stretch") {
    advance();
    out.kind = StmtKind::kStretch;
    out.name = parse_identifier("a name after 'stretch'");
    if (at(TokenKind::kAssign)) fail_at(cur_, "stretch variables cannot be assigned");
    expect_semicolon();
    return;
  }
  if (w == "let") {
    advance();
    out.kind = StmtKind::kAlias;
    out.name = parse_identifier("a name after 'let'");
    expect(TokenKind::kAssign, "'=' after the alias name");
    NodeId value = operand(e);
    while (at(TokenKind::kPlusPlus)) {
      const Token op = cur_;
      advance();
      Node n;
      n.kind = NodeKind::kBinary;
      n.op = op.kind;
      n.pos = pos_of(op);
      n.a = value;
      n.b = operand(e);
      value = make(e, n);
    }
    out.value = value;
    expect_semicolon();
    return;
  }
  if (w == "gate") return gate_definition(out);
  if (w == "measure") return measure_statement(out, e);
  if (w == "reset" || w == "barrier") {
    out.kind = w == "reset" ? StmtKind::kReset : StmtKind::kBarrier;
    advance();
    operand_list(out, e, out.kind == StmtKind::kBarrier);
    expect_semicolon();
    return;
  }
  if (w == "delay") {
    out.kind = StmtKind::kDelay;
    advance();
    expect(TokenKind::kLBracket, "'[' and a duration after 'delay'");
    out.value = expression(e);
    expect(TokenKind::kRBracket, "']' after the duration");
    operand_list(out, e, true);
    expect_semicolon();
    return;
  }
  if (w == "if") return if_statement(out, e);
  if (w == "for") return for_statement(out, e);
  if (w == "while") {
    out.kind = StmtKind::kWhile;
    advance();
    expect(TokenKind::kLParen, "'(' after 'while'");
    out.value = expression(e);
    expect(TokenKind::kRParen, "')' after the condition");
    statement_or_block(out.body, e);
    return;
  }
  if (w == "break" || w == "continue") {
    out.kind = w == "break" ? StmtKind::kBreak : StmtKind::kContinue;
    advance();
    expect_semicolon();
    return;
  }
  if (w == "switch") return switch_statement(out, e);
  if (is_modifier(w) || w == "gphase") return gate_call(out, e);
  assignment_or_call(out, e);
}

void Parser::qubit_declaration(Stmt& out, ExprTree& e) {
  out.kind = StmtKind::kQubitDecl;
  const Token keyword = cur_;
  advance();
  out.type.kind = TypeKind::kQubit;
  out.type.pos = pos_of(keyword);
  out.type.name = keyword.text;
  if (keyword.text == "qubit") {
    if (at(TokenKind::kLBracket)) {
      advance();
      out.type.width = expression(e);
      expect(TokenKind::kRBracket, "']' after the number of qubits");
    }
    out.name = parse_identifier("a register name");
  } else {
    out.name = parse_identifier("a register name");
    if (at(TokenKind::kLBracket)) {
      advance();
      out.type.width = expression(e);
      expect(TokenKind::kRBracket, "']' after the number of qubits");
    }
  }
  expect_semicolon();
}

void Parser::bit_declaration(Stmt& out, ExprTree& e) {
  out.kind = StmtKind::kBitDecl;
  const Token keyword = cur_;
  advance();
  out.type.kind = TypeKind::kBit;
  out.type.pos = pos_of(keyword);
  out.type.name = keyword.text;
  if (keyword.text == "bit") {
    if (at(TokenKind::kLBracket)) {
      advance();
      out.type.width = expression(e);
      expect(TokenKind::kRBracket, "']' after the number of bits");
    }
    out.name = parse_identifier("a register name");
  } else {
    out.name = parse_identifier("a register name");
    if (at(TokenKind::kLBracket)) {
      advance();
      out.type.width = expression(e);
      expect(TokenKind::kRBracket, "']' after the number of bits");
    }
  }
  if (at(TokenKind::kAssign)) {
    advance();
    if (at_word("measure")) {
      advance();
      out.operands.push_back(operand(e));
    } else {
      out.value = expression(e);
    }
  }
  expect_semicolon();
}

void Parser::variable_declaration(Stmt& out, ExprTree& e) {
  out.kind = StmtKind::kVarDecl;
  if (at_word("const")) {
    out.is_const = true;
    advance();
  } else if (at_word("input")) {
    out.kind = StmtKind::kInput;
    advance();
  }
  if (!at_type_keyword()) {
    if (cur_.kind == TokenKind::kIdentifier) refuse(cur_);
    fail_expected("a type (int, uint, float, angle, bool or bit)");
  }
  out.type = parse_type(e);
  out.name = parse_identifier("a variable name");
  if (at(TokenKind::kAssign)) {
    if (out.kind == StmtKind::kInput) fail_at(cur_, "an input cannot have an initial value");
    advance();
    if (at_word("measure"))
      fail_at(cur_, "a measurement can only be stored in bits ('bit c = measure q;')");
    out.value = expression(e);
  } else if (out.is_const) {
    fail_expected("'=' and the value of the constant");
  }
  expect_semicolon();
}

void Parser::gate_definition(Stmt& out) {
  const Token keyword = cur_;
  advance();
  auto def = std::make_shared<GateDef>();
  def->exprs = std::make_shared<ExprTree>();
  def->pos = pos_of(keyword);
  def->file = file();
  def->name = parse_identifier("a gate name");
  if (at(TokenKind::kLParen)) {
    advance();
    while (at(TokenKind::kIdentifier)) {
      def->params.push_back(parse_identifier("a parameter name"));
      if (!at(TokenKind::kComma)) break;
      advance();
    }
    expect(TokenKind::kRParen, "a parameter name, ',' or ')'");
  }
  while (at(TokenKind::kIdentifier)) {
    def->qubits.push_back(parse_identifier("a qubit name"));
    if (!at(TokenKind::kComma)) break;
    advance();
  }
  if (!at(TokenKind::kLBrace)) fail_expected("a qubit name, ',' or '{' to open the gate body");
  block(def->body, *def->exprs);
  out.kind = StmtKind::kGateDef;
  out.name = def->name;
  out.gate = std::move(def);
}

void Parser::gate_call(Stmt& out, ExprTree& e) {
  out.kind = StmtKind::kGateCall;
  while (cur_.kind == TokenKind::kIdentifier && is_modifier(cur_.text) &&
         (next_.kind == TokenKind::kAt || next_.kind == TokenKind::kLParen)) {
    Modifier m;
    m.pos = pos_of(cur_);
    m.kind = cur_.text == "ctrl"      ? ModifierKind::kCtrl
             : cur_.text == "negctrl" ? ModifierKind::kNegCtrl
             : cur_.text == "inv"     ? ModifierKind::kInv
                                      : ModifierKind::kPow;
    const Token word = cur_;
    advance();
    if (at(TokenKind::kLParen)) {
      if (m.kind == ModifierKind::kInv) fail_at(cur_, "'inv' takes no argument");
      advance();
      m.arg = expression(e);
      if (at(TokenKind::kComma))
        fail_at(cur_, qasm::in_quotes(word.text) + " takes a single argument");
      expect(TokenKind::kRParen, "')' after the modifier's argument");
    } else if (m.kind == ModifierKind::kPow) {
      fail_at(word, "'pow' needs an exponent: pow(k) @");
    }
    expect(TokenKind::kAt, "'@' after the modifier");
    out.modifiers.push_back(m);
  }
  out.name = parse_identifier("a gate name");
  if (at(TokenKind::kAt))
    fail_at(cur_, qasm::in_quotes(out.name.name) +
                      " is not a gate modifier (the modifiers are ctrl, negctrl, inv and pow)");
  out.params_pos = out.name.pos;
  if (at(TokenKind::kLParen)) {
    out.params_pos = pos_of(cur_);
    advance();
    while (!at(TokenKind::kRParen)) {
      out.params.push_back(expression(e));
      if (!at(TokenKind::kComma)) break;
      advance();
    }
    expect(TokenKind::kRParen, "',' or ')' in the parameter list");
    if (at(TokenKind::kLParen)) fail_at(cur_, "a gate takes one parameter list");
    if (at(TokenKind::kAt))
      fail_at(cur_,
              qasm::in_quotes(std::string(out.name.name) + "(...)") + " is not a gate modifier");
  }
  operand_list(out, e, out.name.name == "gphase");
  expect_semicolon();
}

void Parser::operand_list(Stmt& out, ExprTree& e, bool allow_empty) {
  if (at(TokenKind::kSemicolon)) {
    if (!allow_empty) fail_expected("a qubit or register");
    return;
  }
  out.operands.push_back(operand(e));
  while (at(TokenKind::kComma)) {
    advance();
    out.operands.push_back(operand(e));
  }
}

void Parser::measure_statement(Stmt& out, ExprTree& e) {
  out.kind = StmtKind::kMeasure;
  advance();
  out.operands.push_back(operand(e));
  if (at(TokenKind::kComma))
    fail_at(cur_, "'measure' measures one qubit or register; write one statement per operand");
  if (at(TokenKind::kArrow)) {
    advance();
    out.target = operand(e);
  }
  expect_semicolon();
}

void Parser::if_statement(Stmt& out, ExprTree& e) {
  out.kind = StmtKind::kIf;
  advance();
  expect(TokenKind::kLParen, "'(' after 'if'");
  out.value = expression(e);
  expect(TokenKind::kRParen, "')' after the condition");
  statement_or_block(out.body, e);
  if (at_word("else")) {
    advance();
    out.has_else = true;
    statement_or_block(out.else_body, e);
  }
}

void Parser::for_statement(Stmt& out, ExprTree& e) {
  out.kind = StmtKind::kFor;
  advance();
  if (at_type_keyword()) out.type = parse_type(e);
  out.name = parse_identifier("the loop variable");
  if (!at_word("in")) fail_expected("'in' after the loop variable");
  advance();
  if (at(TokenKind::kLBracket)) {
    const Token open = cur_;
    advance();
    out.value = range_or_expression(e, true);
    if (e[out.value].kind != NodeKind::kRange)
      fail_at(open, "a loop over '[...]' needs a range such as [0:3]");
    expect(TokenKind::kRBracket, "']' after the range");
  } else if (at(TokenKind::kLBrace)) {
    out.value = set_literal(e);
  } else {
    out.value = expression(e);
  }
  statement_or_block(out.body, e);
}

void Parser::switch_statement(Stmt& out, ExprTree& e) {
  out.kind = StmtKind::kSwitch;
  advance();
  expect(TokenKind::kLParen, "'(' after 'switch'");
  out.value = expression(e);
  expect(TokenKind::kRParen, "')' after the switch target");
  expect(TokenKind::kLBrace, "'{' to open the cases");
  while (!at(TokenKind::kRBrace)) {
    SwitchCase& c = out.cases.emplace_back();
    c.pos = pos_of(cur_);
    if (at_word("default")) {
      c.is_default = true;
      advance();
    } else if (at_word("case")) {
      advance();
      c.values.push_back(expression(e));
      while (at(TokenKind::kComma)) {
        advance();
        c.values.push_back(expression(e));
      }
    } else {
      fail_expected("'case', 'default' or '}'");
    }
    if (at(TokenKind::kColon)) advance();  // the pre-release form `case 1: { ... } break;`
    block(c.body, e);
    if (at_word("break") && next_.kind == TokenKind::kSemicolon) {
      advance();
      advance();
    }
  }
  advance();
}

void Parser::assignment_or_call(Stmt& out, ExprTree& e) {
  // `name = ...`, `name[i] = ...`, `name op= ...` assign; anything else is a gate call.
  if (next_.kind == TokenKind::kAssign || next_.kind == TokenKind::kCompoundAssign ||
      next_.kind == TokenKind::kLBracket) {
    out.target = operand(e);
    if (!at(TokenKind::kAssign) && !at(TokenKind::kCompoundAssign))
      fail_expected("'=' (an indexed name starts an assignment)");
    out.assign_op = cur_.text;
    const Token op = cur_;
    advance();
    if (at_word("measure")) {
      if (op.kind != TokenKind::kAssign) fail_at(op, "a measurement is stored with '='");
      out.kind = StmtKind::kMeasure;
      advance();
      out.operands.push_back(operand(e));
      if (at(TokenKind::kComma))
        fail_at(cur_, "'measure' measures one qubit or register; write one statement per operand");
    } else {
      out.kind = StmtKind::kAssign;
      out.value = expression(e);
    }
    expect_semicolon();
    return;
  }
  gate_call(out, e);
}

}  // namespace qstate::qasm3
