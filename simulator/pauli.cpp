// Parser for Pauli-sum expressions given with --observable.
#include "simulator/pauli.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>

#include "circuits/error.hpp"

namespace qstate {
namespace {

class PauliParser {
 public:
  explicit PauliParser(std::string_view text) : text_(text) {}

  PauliSum parse() {
    PauliSum sum;
    sum.text = std::string(text_);
    skip_space();
    if (at_end()) fail("empty observable; expected terms like '0.5*ZZ - XI'");
    bool first = true;
    while (!at_end()) {
      double sign = 1.0;
      if (peek() == '+' || peek() == '-') {
        sign = peek() == '-' ? -1.0 : 1.0;
        ++pos_;
        skip_space();
      } else if (!first) {
        fail("expected '+' or '-' between terms");
      }
      PauliTerm term = parse_term();
      term.coefficient *= sign;
      if (!sum.terms.empty() && term.label.size() != sum.terms[0].label.size())
        fail_at(label_start_,
                "label '" + term.label + "' has " + std::to_string(term.label.size()) +
                    " letters but the first term has " + std::to_string(sum.terms[0].label.size()));
      sum.terms.push_back(std::move(term));
      first = false;
      skip_space();
    }
    return sum;
  }

 private:
  PauliTerm parse_term() {
    PauliTerm term;
    if (std::isdigit(static_cast<unsigned char>(peek())) || peek() == '.') {
      term.coefficient = parse_number();
      skip_space();
      if (peek() == '*') {
        ++pos_;
        skip_space();
      }
    }
    label_start_ = pos_;
    while (!at_end() && std::isalpha(static_cast<unsigned char>(peek()))) {
      const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(peek())));
      if (c != 'I' && c != 'X' && c != 'Y' && c != 'Z')
        fail(std::string("'") += peek(), "' is not a Pauli letter (use I, X, Y, Z)");
      term.label.push_back(c);
      ++pos_;
    }
    if (term.label.empty()) fail("expected a Pauli label such as 'ZZI'");
    return term;
  }

  double parse_number() {
    const char* begin = text_.data() + pos_;
    const char* end = text_.data() + text_.size();
    double value = 0;
    const auto [ptr, ec] = std::from_chars(begin, end, value);
    if (ec != std::errc() || ptr == begin) fail("bad number");
    pos_ += static_cast<std::size_t>(ptr - begin);
    return value;
  }

  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return at_end() ? '\0' : text_[pos_]; }
  void skip_space() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek()))) ++pos_;
  }
  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  [[noreturn]] void fail(std::string first, const char* rest) const {
    fail_at(pos_, first += rest);
  }
  [[noreturn]] void fail_at(std::size_t where, const std::string& what) const {
    throw Error("observable '" + std::string(text_) + "', column " + std::to_string(where + 1) +
                ": " + what);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t label_start_ = 0;
};

}  // namespace

PauliSum parse_pauli_sum(std::string_view text) {
  return PauliParser(text).parse();
}

std::vector<CompiledObservable> compile_observables(const Program& p,
                                                    const std::vector<std::string>& texts) {
  std::vector<Qubit> compact(p.declared_qubits, kIdleQubit);
  for (Qubit k = 0; k < p.num_qubits(); ++k) compact[p.used_qubits[k]] = k;
  std::vector<CompiledObservable> out;
  for (const std::string& text : texts) {
    const PauliSum sum = parse_pauli_sum(text);
    if (sum.num_qubits() != p.declared_qubits)
      throw Error("observable '" + text + "' has labels of " + std::to_string(sum.num_qubits()) +
                  " letters but the circuit declares " + std::to_string(p.declared_qubits) +
                  " qubits (one letter per qubit, the rightmost is qubit 0)");
    CompiledObservable c{text, {}};
    for (const PauliTerm& term : sum.terms) {
      kernels::PauliMasks masks;
      bool zero = false;
      const std::size_t len = term.label.size();
      for (std::size_t k = 0; k < len; ++k) {
        const char letter = term.label[len - 1 - k];
        if (letter == 'I') continue;
        const Qubit q = compact[k];
        if (q == kIdleQubit) {
          zero = zero || letter != 'Z';
          continue;
        }
        if (letter == 'X' || letter == 'Y') masks.x_mask |= std::uint64_t{1} << q;
        if (letter == 'Z' || letter == 'Y') masks.z_mask |= std::uint64_t{1} << q;
        if (letter == 'Y') ++masks.num_y;
      }
      if (!zero) c.terms.emplace_back(term.coefficient, masks);
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace qstate
