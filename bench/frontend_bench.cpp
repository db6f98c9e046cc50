// qstate_frontend_bench: what reading and planning a long circuit costs before any amplitude is
// touched. It generates a file of random 1- and 2-qubit gates (u3, rz, rx, h, x, sx, t, cx, cz,
// cp with literal angles, as an exporter writes them) in OpenQASM 2 (qelib1.inc) and OpenQASM 3
// (stdgates.inc), then times each phase on its own, as the executor runs them:
//   lex       the Lexer over the whole text
//   parse     the parser's statements (lexing included), nothing lowered
//   lower     parse_string (parse + lowering to a Circuit) minus parse
//   program   plan_program (idle qubits, final measurements)
//   fusion    fuse_gates with the simulator's fused_matrix (the executor's options)
//   blocking  plan_distribution of the fused ops with the cache block's positions local
//   ranks     plan_distribution of the fused ops over 8 ranks (MPI), for reference
// and prints one markdown table per language: median CPU seconds (process CPU time) and wall
// seconds of each phase over the repeats. "total" is parse + lower + program + fusion + blocking,
// what a one-core run pays before simulating. Under each table: a fingerprint (FNV-1a over every
// field of every op, matrix entries bit for bit) of the lowered, planned, fused and distributed
// ops, so that a change to the passes can show it gives the same results. Never a pass/fail test.
//
//   qstate_frontend_bench [--gates 1000000] [--qubits 20,26] [--lang 2,3] [--repeats 3]
//                         [--seed 1]
#include <time.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "circuits/passes/distribute.hpp"
#include "circuits/passes/fusion.hpp"
#include "circuits/passes/program.hpp"
#include "circuits/qasm/lexer.hpp"
#include "circuits/qasm/parser.hpp"
#include "circuits/qasm/qasm.hpp"
#include "circuits/qasm/qasm3_parser.hpp"
#include "simulator/blocked.hpp"
#include "simulator/fused_matrix.hpp"

namespace {

using namespace qstate;

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double wall_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// FNV-1a over the bytes of every field of every op (IfOp bodies included).
class Fingerprint {
 public:
  std::uint64_t value() const { return h_; }
  template <class T>
  void add(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const auto* p = reinterpret_cast<const unsigned char*>(&v);
    for (std::size_t i = 0; i < sizeof(T); ++i) h_ = (h_ ^ p[i]) * 1099511628211ULL;
  }
  template <class R>
  void add_range(const R& r) {
    add(static_cast<std::uint64_t>(std::size(r)));
    for (const auto& v : r) add(v);
  }
  void add_ops(const std::vector<Op>& ops) {
    add(static_cast<std::uint64_t>(ops.size()));
    for (const Op& op : ops) {
      add(op.index());
      if (const auto* g = std::get_if<GateOp>(&op)) {
        add_range(g->name);
        add_range(g->params);
        add_range(g->controls);
        add_range(g->targets);
        add(g->open_controls);
        add(g->matrix.kind);
        add(g->matrix.num_targets);
        for (const Complex& c : g->matrix.entries) {
          add(std::bit_cast<std::uint64_t>(c.real()));
          add(std::bit_cast<std::uint64_t>(c.imag()));
        }
        add_range(g->matrix.perm);
        add(g->parametric != nullptr);
        add(g->may_relabel);
      } else if (const auto* m = std::get_if<MeasureOp>(&op)) {
        add(m->qubit);
        add(m->clbit);
      } else if (const auto* r = std::get_if<ResetOp>(&op)) {
        add(r->qubit);
      } else if (const auto* b = std::get_if<BarrierOp>(&op)) {
        add_range(b->qubits);
      } else if (const auto* i = std::get_if<IfOp>(&op)) {
        add_range(i->condition.bits);
        add(i->condition.value);
        add(i->condition.negated);
        add(i->is_while);
        add_ops(i->then_ops);
        add_ops(i->else_ops);
      } else if (const auto* x = std::get_if<RemapOp>(&op)) {
        for (const auto& [a, b2] : x->pairs) {
          add(a);
          add(b2);
        }
        add(x->relabel);
      }
    }
  }

 private:
  std::uint64_t h_ = 14695981039346656037ULL;
};

std::uint64_t fingerprint(const std::vector<Op>& ops) {
  Fingerprint f;
  f.add_ops(ops);
  return f.value();
}

struct Timing {
  double cpu = 0;
  double wall = 0;
};

// Random gates from the set both languages know under the same names.
std::string make_text(int lang, unsigned n, std::size_t gates, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<unsigned> qubit(0, n - 1);
  std::uniform_real_distribution<double> angle(-3.14159, 3.14159);
  std::uniform_int_distribution<int> kind(0, 15);
  std::string s;
  s.reserve(gates * 32);
  if (lang == 2) {
    s += "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[" + std::to_string(n) + "];\ncreg c[" +
         std::to_string(n) + "];\n";
  } else {
    s += "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[" + std::to_string(n) + "] q;\nbit[" +
         std::to_string(n) + "] c;\n";
  }
  char buf[160];
  const auto a = [&] { return angle(rng); };
  for (std::size_t i = 0; i < gates; ++i) {
    const unsigned q0 = qubit(rng);
    unsigned q1 = qubit(rng);
    while (q1 == q0) q1 = qubit(rng);
    switch (kind(rng)) {
      case 0:
      case 1:
        std::snprintf(buf, sizeof buf, "u3(%.15g,%.15g,%.15g) q[%u];\n", a(), a(), a(), q0);
        break;
      case 2:
      case 3:
        std::snprintf(buf, sizeof buf, "rz(%.15g) q[%u];\n", a(), q0);
        break;
      case 4:
        std::snprintf(buf, sizeof buf, "rx(pi/4) q[%u];\n", q0);
        break;
      case 5:
      case 6:
        std::snprintf(buf, sizeof buf, "h q[%u];\n", q0);
        break;
      case 7:
        std::snprintf(buf, sizeof buf, "x q[%u];\n", q0);
        break;
      case 8:
        std::snprintf(buf, sizeof buf, "sx q[%u];\n", q0);
        break;
      case 9:
        std::snprintf(buf, sizeof buf, "t q[%u];\n", q0);
        break;
      case 10:
      case 11:
      case 12:
        std::snprintf(buf, sizeof buf, "cx q[%u],q[%u];\n", q0, q1);
        break;
      case 13:
      case 14:
        std::snprintf(buf, sizeof buf, "cz q[%u],q[%u];\n", q0, q1);
        break;
      default:
        std::snprintf(buf, sizeof buf, "cp(%.15g) q[%u],q[%u];\n", a(), q0, q1);
        break;
    }
    s += buf;
  }
  s += lang == 2 ? "measure q -> c;\n" : "c = measure q;\n";
  return s;
}

// Median over repeats of f's CPU and wall time; f returns a value kept alive against the
// optimiser.
Timing measure(int repeats, const std::function<void()>& f) {
  std::vector<double> cpu;
  std::vector<double> wall;
  for (int r = 0; r < repeats; ++r) {
    const double c0 = cpu_seconds();
    const double w0 = wall_seconds();
    f();
    cpu.push_back(cpu_seconds() - c0);
    wall.push_back(wall_seconds() - w0);
  }
  std::sort(cpu.begin(), cpu.end());
  std::sort(wall.begin(), wall.end());
  return {cpu[cpu.size() / 2], wall[wall.size() / 2]};
}

void print_row(const char* phase, const Timing& t) {
  std::printf("| %-9s | %8.3f | %8.3f |\n", phase, t.cpu, t.wall);
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t gates = 1000000;
  std::vector<std::string> qubits = {"20", "26"};
  std::vector<std::string> langs = {"2", "3"};
  int repeats = 3;
  unsigned seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i];
    const std::string value = argv[i + 1];
    if (key == "--gates") {
      gates = std::stoull(value);
    } else if (key == "--qubits") {
      qubits = split(value);
    } else if (key == "--lang") {
      langs = split(value);
    } else if (key == "--repeats") {
      repeats = std::max(1, std::stoi(value));
    } else if (key == "--seed") {
      seed = static_cast<unsigned>(std::stoul(value));
    } else {
      std::fprintf(stderr, "unknown option %s\n", key.c_str());
      return 2;
    }
  }
  const unsigned block = default_block_qubits(16);
  std::printf("%zu gates, median of %d, cache block %u qubits; CPU and wall seconds\n\n", gates,
              repeats, block);
  for (const std::string& lang_s : langs) {
    const int lang = std::stoi(lang_s);
    for (const std::string& n_s : qubits) {
      const auto n = static_cast<unsigned>(std::stoul(n_s));
      const std::string text = make_text(lang, n, gates, seed);
      const std::string name = "bench.qasm";
      std::printf(
          "OpenQASM %d, %u qubits, %.1f MB\n\n| phase     | CPU s    | wall s   |\n"
          "|-----------|----------|----------|\n",
          lang, n, static_cast<double>(text.size()) / 1e6);
      std::size_t sink = 0;
      const Timing lex = measure(repeats, [&] {
        qasm::Lexer lexer(text, name, lang == 2 ? qasm::Dialect::kQasm2 : qasm::Dialect::kQasm3);
        for (qasm::Token t = lexer.next(); t.kind != qasm::TokenKind::kEnd; t = lexer.next())
          ++sink;
      });
      const Timing parse = measure(repeats, [&] {
        if (lang == 2) {
          qasm::Parser parser(text, name);
          qasm::Statement st;
          qasm::ExprPool pool;
          while (parser.next(st, pool)) {
            ++sink;
            pool.clear();
          }
        } else {
          qasm3::Parser parser(text, name);
          qasm3::Stmt st;
          qasm3::ExprTree exprs;
          while (parser.next(st, exprs)) {
            ++sink;
            exprs.clear();
          }
        }
      });
      Circuit circuit;
      Timing full = measure(repeats, [&] { circuit = qasm::parse_string(text, name); });
      Program program;
      const Timing plan = measure(repeats, [&] { program = plan_program(circuit); });
      FusionOptions options;  // as the executor sets them on one rank without a setting
      options.fuse_parametric = true;
      std::vector<Op> fused;
      FusionStats stats;
      const Timing fusion = measure(repeats, [&] {
        stats = {};
        fused = fuse_gates(program.ops, fused_matrix, options, &stats);
      });
      const std::uint64_t lowered_print = fingerprint(circuit.ops);
      const std::uint64_t program_print = fingerprint(program.ops);
      const std::uint64_t fused_print = fingerprint(fused);
      std::vector<Op> planned;
      const Timing copy = measure(repeats, [&] { planned = fused; });
      Timing blocking;
      std::uint64_t blocking_print = 0;
      if (block != 0 && block + 2 <= n) {
        blocking = measure(repeats, [&] {
          planned = fused;
          const Layout identity(n);
          sink += plan_distribution(planned, n, block, &identity).remaps;
        });
        blocking_print = fingerprint(planned);
        blocking.cpu -= copy.cpu;
        blocking.wall -= copy.wall;
      }
      const Timing ranks = measure(repeats, [&] {
        planned = fused;
        sink += plan_distribution(planned, n, n - 3).remaps;
      });
      const std::uint64_t ranks_print = fingerprint(planned);
      Timing lower{full.cpu - parse.cpu, full.wall - parse.wall};
      Timing total{full.cpu + plan.cpu + fusion.cpu + blocking.cpu,
                   full.wall + plan.wall + fusion.wall + blocking.wall};
      print_row("lex", lex);
      print_row("parse", parse);
      print_row("lower", lower);
      print_row("program", plan);
      print_row("fusion", fusion);
      print_row("copy ops", copy);
      print_row("blocking", blocking);
      print_row("ranks (8)", {ranks.cpu - copy.cpu, ranks.wall - copy.wall});
      print_row("**total**", total);
      std::printf("\n%zu ops lowered, %llu after fusion (%llu fused, widest %u); checksum %zu\n",
                  circuit.ops.size(), static_cast<unsigned long long>(stats.gates_out),
                  static_cast<unsigned long long>(stats.fused), stats.widest, sink % 1000);
      std::printf(
          "fingerprints: lowered %016llx, program %016llx, fused %016llx, blocking %016llx, ranks "
          "%016llx\n\n",
          static_cast<unsigned long long>(lowered_print),
          static_cast<unsigned long long>(program_print),
          static_cast<unsigned long long>(fused_print),
          static_cast<unsigned long long>(blocking_print),
          static_cast<unsigned long long>(ranks_print));
    }
  }
  return 0;
}
