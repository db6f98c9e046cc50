// Parameter expressions of the OpenQASM 2 front end: numbers, precedence and associativity
// (Qiskit's: unary minus binds looser than ^ and tighter than *), functions, and the expression
// tree used directly (bind names to slots, evaluate).
#include <catch2/catch.hpp>

#include <cmath>
#include <numbers>
#include <string>

#include "circuits/qasm/expr.hpp"
#include "qasm_test_helpers.hpp"

using qasm_test::error_of;
using qasm_test::gate_at;
using qasm_test::parse;
using std::numbers::pi;

namespace {

// The value of `expr` as the first parameter of a top-level U.
double value_of(const std::string& expr) {
  const qstate::Circuit c = parse("qreg q[1];\nU(" + expr + ", 0, 0) q[0];");
  return gate_at(c, 0).params.at(0);
}

// The value of `expr` inside a gate body where a = 3 and b = 0.5.
double body_value_of(const std::string& expr) {
  const qstate::Circuit c =
      parse("gate g(a, b) x { U(" + expr + ", 0, 0) x; }\nqreg q[1];\ng(3, 0.5) q[0];");
  return gate_at(c, 0).params.at(0);
}

}  // namespace

TEST_CASE("numbers in every form Qiskit writes", "[qasm]") {
  CHECK(value_of("2") == 2.0);
  CHECK(value_of("1.e-05") == 1e-05);
  CHECK(value_of(".5") == 0.5);
  CHECK(value_of("1e3") == 1000.0);
  CHECK(value_of("2.") == 2.0);
  CHECK(value_of("1.5E+2") == 150.0);
  CHECK(value_of("0.123456789") == 0.123456789);
  CHECK(value_of("3.141592653599793") == 3.141592653599793);
  // 2^200 written out: far beyond 64 bits, exact as a double.
  CHECK(value_of("1606938044258990275541962092341162602522202993782792835301376") ==
        std::ldexp(1.0, 200));
}

TEST_CASE("pi and arithmetic", "[qasm]") {
  CHECK(value_of("pi") == pi);
  CHECK(value_of("-pi/2") == -pi / 2);
  CHECK(value_of("3*pi/4") == 3 * pi / 4);
  CHECK(value_of("1 + 2 * 3") == 7.0);
  CHECK(value_of("(1 + 2) * 3") == 9.0);
  CHECK(value_of("2.0 - 1.0 - 1.0") == 0.0);  // left-associative
  CHECK(value_of("4.0 / 2.0 / 2.0") == 1.0);  // left-associative
  CHECK(value_of("2*-3") == -6.0);
}

TEST_CASE("power is right-associative and binds tighter than unary minus", "[qasm]") {
  CHECK(value_of("2^3^2") == 512.0);
  CHECK(value_of("(2^3)^2") == 64.0);
  CHECK(value_of("-2^2") == -4.0);  // -(2^2), as Qiskit (and Python's -2**2)
  CHECK(value_of("(-2)^2") == 4.0);
  CHECK(value_of("2^-1") == 0.5);
  CHECK(body_value_of("-a^2") == -9.0);
  // Qiskit's test_precedence: evaluates as Python does.
  CHECK(value_of("1.0 + 2.0 * -3.0  ^ 1.5 - 0.5 / +0.25") ==
        1.0 + 2.0 * -std::pow(3.0, 1.5) - 0.5 / 0.25);
}

TEST_CASE("unary plus and minus chains", "[qasm]") {
  CHECK(value_of("-(0.5 + 0.5)") == -1.0);
  CHECK(value_of("+(+1 - 2)") == -1.0);
  CHECK(value_of("-+-+2") == 2.0);
  CHECK(body_value_of("-(a + a)") == -6.0);
  CHECK(body_value_of("-+-+b") == 0.5);
}

TEST_CASE("functions", "[qasm]") {
  CHECK(value_of("sin(pi/2)") == 1.0);
  CHECK(value_of("cos(0)") == 1.0);
  CHECK(value_of("tan(0.5)") == std::tan(0.5));
  CHECK(value_of("exp(1)") == std::exp(1.0));
  CHECK(value_of("ln(exp(2))") == Approx(2.0).epsilon(1e-15));
  CHECK(value_of("sqrt(2)") == std::sqrt(2.0));
  // Accepted as QuantumCircuit.from_qasm_str accepts them (Qiskit's LEGACY_CUSTOM_CLASSICAL).
  CHECK(value_of("asin(1)") == pi / 2);
  CHECK(value_of("acos(0)") == std::acos(0.0));
  CHECK(value_of("atan(1)") == pi / 4);
  CHECK(body_value_of("sin(a)*cos(b)") == std::sin(3.0) * std::cos(0.5));
  // Not keywords: a parameter may be called atan.
  CHECK(parse("gate g(atan) x { U(atan, 0, 0) x; } qreg q[1]; g(0.25) q[0];").ops.size() == 1);
}

TEST_CASE("gate parameters are evaluated per application", "[qasm]") {
  const qstate::Circuit c = parse(R"(
gate g(theta, phi) a { U(theta/2, phi - pi, -theta*phi) a; }
qreg q[2];
g(1, 2) q[0];
g(0.5, -1) q[1];
)");
  REQUIRE(c.ops.size() == 2);
  CHECK(gate_at(c, 0).params == std::vector<double>{0.5, 2.0 - pi, -2.0});
  CHECK(gate_at(c, 1).params == std::vector<double>{0.25, -1.0 - pi, 0.5});
}

TEST_CASE("expression errors carry the location of the operator", "[qasm]") {
  CHECK(error_of("qreg q[1];\nU(2.0/0.0, 0, 0) q[0];") == "t.qasm:2:6: division by zero");
  CHECK(error_of("qreg q[1];\nU(2.0/(1.0-1.0), 0, 0) q[0];") == "t.qasm:2:6: division by zero");
  CHECK(error_of("qreg q[1];\nU(ln(0), 0, 0) q[0];") == "t.qasm:2:3: ln of a non-positive number");
  CHECK(error_of("qreg q[1];\nU(sqrt(-2), 0, 0) q[0];") == "t.qasm:2:3: sqrt of a negative number");
  // Division by zero inside a gate body is found when the gate is applied.
  CHECK(error_of("gate g(a) x { U(1/a, 0, 0) x; }\nqreg q[1];\ng(0) q[0];") ==
        "t.qasm:1:18: division by zero (in 'g' applied at t.qasm:3:1)");
  CHECK(error_of("qreg q[1];\nU(1e308*10, 0, 0) q[0];") ==
        "t.qasm:2:8: the expression's value is not a finite number");
}

TEST_CASE("malformed expressions", "[qasm]") {
  CHECK(error_of("qreg q[1];\nU(1 +, 0, 0) q[0];") ==
        "t.qasm:2:6: expected an expression but found ','");
  CHECK(error_of("qreg q[1];\nU(*1, 0, 0) q[0];") ==
        "t.qasm:2:3: expected an expression but found '*'");
  CHECK(error_of("qreg q[1];\nU((1 + 1 2), 0, 0) q[0];") ==
        "t.qasm:2:10: expected ')' to close the '(' at 2:3 but found '2'");
  CHECK(error_of("qreg q[1];\nU(sin(), 0, 0) q[0];") ==
        "t.qasm:2:7: expected an expression but found ')'");
  CHECK(error_of("qreg q[1];\nU(foo(1), 0, 0) q[0];")
            .starts_with("t.qasm:2:3: unknown function 'foo'"));
  CHECK(error_of("qreg q[1];\nU(theta, 0, 0) q[0];") ==
        "t.qasm:2:3: unknown identifier 'theta' in an expression");
}

TEST_CASE("deeply nested expressions are refused, not a crash", "[qasm]") {
  const std::string minus(5000, '-');
  CHECK(error_of("qreg q[1];\nU(" + minus + "1, 0, 0) q[0];")
            .find("expression is nested too deeply") != std::string::npos);
  const std::string open(5000, '(');
  const std::string close(5000, ')');
  CHECK(error_of("qreg q[1];\nU(" + open + "1" + close + ", 0, 0) q[0];")
            .find("expression is nested too deeply") != std::string::npos);
  std::string sum = "1";
  for (int i = 0; i < 3000; ++i) sum += "+1";
  CHECK(
      error_of("qreg q[1];\nU(" + sum + ", 0, 0) q[0];").find("expression is nested too deeply") !=
      std::string::npos);
  // 200 levels are fine.
  CHECK(value_of(std::string(200, '-') + "1") == 1.0);
}

TEST_CASE("expression trees: bind names to slots, evaluate many times", "[qasm]") {
  using namespace qstate::qasm;
  ExprPool pool;
  // (theta + 1) * -phi
  const ExprId theta = pool.symbol("theta", 1, 1);
  const ExprId one = pool.number(1.0, 1, 9);
  const ExprId sum = pool.binary(ExprOp::kAdd, theta, one, 1, 7);
  const ExprId phi = pool.symbol("phi", 1, 14);
  const ExprId neg = pool.unary(ExprOp::kNeg, phi, 1, 13);
  const ExprId root = pool.binary(ExprOp::kMul, sum, neg, 1, 11);
  CHECK(to_string(pool, root) == "((theta + 1) * (-phi))");
  CHECK(pool[root].depth == 3);

  const std::string_view names[] = {"phi", "theta"};
  CHECK(bind_symbols(pool, root, names) == kNoExpr);
  CHECK(pool[theta].op == ExprOp::kSlot);
  CHECK(pool[theta].slot == 1);
  const double v1[] = {2.0, 3.0};
  CHECK(evaluate(pool, root, v1, "x") == -8.0);
  const double v2[] = {-1.0, 0.5};
  CHECK(evaluate(pool, root, v2, "x") == 1.5);

  // A name missing from the binding is reported (the first one found, left to right).
  ExprPool p1;
  const ExprId e1 = p1.binary(ExprOp::kSub, p1.symbol("a", 1, 1), p1.symbol("b", 1, 5), 1, 3);
  const std::string_view only_a[] = {"a"};
  const ExprId unbound = bind_symbols(p1, e1, only_a);
  REQUIRE(unbound != kNoExpr);
  CHECK(p1[unbound].name == "b");
  CHECK(p1[unbound].column == 5);

  ExprPool p2;
  const ExprId d = p2.binary(ExprOp::kDiv, p2.number(1, 4, 2), p2.number(0, 4, 4), 4, 3);
  try {
    evaluate(p2, d, {}, "f.qasm");
    FAIL("no error");
  } catch (const qstate::Error& e) {
    CHECK(std::string(e.what()) == "f.qasm:4:3: division by zero");
    CHECK(e.location().line == 4);
    CHECK(e.location().column == 3);
  }
}
