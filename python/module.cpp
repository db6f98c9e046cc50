// The Python binding of the public API (qstate/qstate.hpp): the same objects and methods, numpy
// arrays handed over without copies (the vectors the engine fills become the arrays' memory),
// qstate::Error raised as qstate.Error (a ValueError), the GIL released while the engine works.
#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <qstate/config.hpp>
#include <qstate/qiskit.hpp>
#include <qstate/qstate.hpp>

namespace py = pybind11;
namespace qs = qstate::api;

namespace {

// A vector's memory as a numpy array: the vector moves to the heap and the array owns it.
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* heap = new std::vector<T>(std::move(v));
  py::capsule owner(heap, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(heap->size()), heap->data(), owner);
}

// A run's result with the registers it needs to be written for Qiskit.
struct PyResult {
  qstate::Result result;
  std::vector<qstate::Register> qregs;
  std::vector<qstate::Register> cregs;
  int ranks = 1;
};

std::string qiskit_json(const PyResult& r, const std::string& name, const std::string& job_id,
                        int indent) {
  qstate::QiskitInfo info;
  info.experiment_name = name;
  info.job_id = job_id;
  info.indent = indent;
  return qstate::to_qiskit_json(r.result, r.qregs, r.cregs, info);
}

py::dict metadata_dict(const qstate::RunMetadata& m) {
  py::dict d;
  d["source"] = m.source;
  d["num_qubits"] = m.num_qubits;
  d["simulated_qubits"] = m.simulated_qubits;
  d["num_clbits"] = m.num_clbits;
  d["precision"] = m.precision;
  d["threads"] = m.threads;
  d["shot_method"] = m.shot_method;
  d["dynamic"] = m.dynamic;
  d["gate_counts"] = m.gate_counts;
  d["gates"] = m.gates;
  d["depth"] = m.depth;
  d["state_bytes"] = m.state_bytes;
  d["mpi_ranks"] = m.communication.ranks;
  d["remaps"] = m.communication.remaps;
  d["bytes_sent"] = m.communication.bytes_sent;
  py::dict fusion;
  fusion["enabled"] = m.fusion.enabled;
  fusion["gates_in"] = m.fusion.gates_in;
  fusion["gates_out"] = m.fusion.gates_out;
  fusion["widest"] = m.fusion.widest;
  d["fusion"] = fusion;
  py::dict t;
  for (const auto& [phase, seconds] : m.time_taken) t[py::str(phase)] = seconds;
  d["time_taken"] = t;
  return d;
}

// ExecuteOptions from keyword arguments; observables are strings or PauliSums.
qs::ExecuteOptions execute_options(std::uint64_t shots, std::optional<std::uint64_t> seed,
                                   bool memory, bool probabilities, bool statevector,
                                   const py::object& observables,
                                   const std::string& statevector_file) {
  qs::ExecuteOptions e;
  e.shots = shots;
  e.seed = seed;
  e.memory = memory;
  e.probabilities = probabilities;
  e.statevector = statevector;
  e.statevector_file = statevector_file;
  if (!observables.is_none()) {
    if (py::isinstance<py::str>(observables) || py::isinstance<qs::PauliSum>(observables))
      throw qstate::Error("observables is a list of Pauli sums (strings or PauliSum)");
    for (const py::handle item : observables) {
      if (py::isinstance<qs::PauliSum>(item)) {
        e.observables.push_back(item.cast<const qs::PauliSum&>().to_string());
      } else {
        e.observables.push_back(item.cast<std::string>());
      }
    }
  }
  return e;
}

void bind_values(qs::CompiledCircuit& c, const py::object& values) {
  if (values.is_none() && c.parameters().empty()) return;
  if (values.is_none() || py::isinstance<py::dict>(values)) {
    qs::Values out;
    if (!values.is_none())
      for (const auto& item : values.cast<py::dict>())
        out[item.first.cast<std::string>()] = item.second.cast<double>();
    c.bind(out);
  } else {
    c.bind(values.cast<std::vector<double>>());
  }
}

PyResult execute_on(qs::CompiledCircuit& c, const qs::ExecuteOptions& e) {
  PyResult r;
  {
    py::gil_scoped_release release;
    r.result = c.execute(e);
  }
  r.qregs = c.qregs();
  r.cregs = c.cregs();
  return r;
}

constexpr const char* kExecuteDoc =
    "Shots and outputs in one run, the way `qstate run` runs (memory check, gate fusion, cache "
    "blocking, the state split across MPI ranks): a Result with counts (Qiskit's keys), memory "
    "(per-shot keys, memory=True), probabilities and statevector (numpy arrays over the declared "
    "qubits, on rank 0 under MPI), expectation_values (one per observable: strings such as "
    "'0.5*ZZ - XX' or PauliSums), seed and metadata (timings, communication, fusion). "
    "statevector_file: raw amplitudes to that path plus a JSON header beside it. Without a "
    "seed one is drawn (on rank 0, shared). Outputs of the final state need a circuit that is "
    "not dynamic.";

qs::Values to_values(const py::object& values) {
  qs::Values out;
  if (values.is_none()) return out;
  for (const auto& item : values.cast<py::dict>())
    out[item.first.cast<std::string>()] = item.second.cast<double>();
  return out;
}

}  // namespace

PYBIND11_MODULE(_qstate, m) {
  m.doc() =
      "qstate: a state-vector simulator for research scripts (VQE, QAOA, gradients).\n\n"
      "Build a Circuit (or load OpenQASM), compile it once with a Simulator, bind parameter\n"
      "values and run it as often as needed; read expectation values, marginal probabilities,\n"
      "amplitudes, samples and the state vector from the State. Under mpirun every rank runs\n"
      "the same script; the state is split across the ranks and every call returns the same\n"
      "value on every rank.";

  static py::exception<qstate::Error> error(m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const qstate::Error& e) {
      PyErr_SetString(error.ptr(), e.what());
    }
  });

  py::class_<qs::Param>(m, "Param",
                        "A gate parameter: a number, a named symbol, or an affine combination "
                        "such as 2*Param('gamma') + 0.5. Gate methods also take a str (a symbol) "
                        "or a float.")
      .def(py::init<double>(), py::arg("value"))
      .def(py::init<std::string>(), py::arg("symbol"))
      .def_property_readonly("is_constant", &qs::Param::is_constant)
      .def_property_readonly("constant", &qs::Param::constant)
      .def_property_readonly("terms", &qs::Param::terms, "(symbol, coefficient) pairs")
      .def("evaluate", &qs::Param::evaluate, py::arg("values"),
           "The value for a dict of symbol values (qstate.Error for a missing one).")
      .def("__add__", [](const qs::Param& a, const qs::Param& b) { return a + b; })
      .def("__radd__", [](const qs::Param& a, double b) { return qs::Param(b) + a; })
      .def("__sub__", [](const qs::Param& a, const qs::Param& b) { return a - b; })
      .def("__rsub__", [](const qs::Param& a, double b) { return qs::Param(b) - a; })
      .def("__mul__", [](const qs::Param& a, double k) { return a * k; })
      .def("__rmul__", [](const qs::Param& a, double k) { return a * k; })
      .def("__truediv__", [](const qs::Param& a, double k) { return a / k; })
      .def("__neg__", [](const qs::Param& a) { return -a; })
      .def("__repr__", [](const qs::Param& p) { return "Param(" + p.to_string() + ")"; })
      .def("__str__", &qs::Param::to_string);
  py::implicitly_convertible<double, qs::Param>();
  py::implicitly_convertible<int, qs::Param>();
  py::implicitly_convertible<std::string, qs::Param>();

  py::class_<qstate::Register>(m, "Register", "A quantum or classical register.")
      .def_readonly("name", &qstate::Register::name)
      .def_readonly("first", &qstate::Register::first)
      .def_readonly("size", &qstate::Register::size)
      .def("__repr__", [](const qstate::Register& r) {
        return "Register('" + r.name + "', " + std::to_string(r.size) + ")";
      });

  auto circuit_class = py::class_<qs::Circuit>(
      m, "Circuit",
      "A quantum circuit. Circuit(n, c) has a register q of n qubits and, when c > 0, a "
      "classical register c. Gate methods take parameters first, then qubits (as Qiskit's "
      "QuantumCircuit), and return the circuit so calls chain. Qubit k is bit k of a basis "
      "index.");
  circuit_class
      .def(py::init<unsigned, unsigned>(), py::arg("num_qubits"), py::arg("num_clbits") = 0)
      .def_static("from_qasm", &qs::Circuit::from_qasm, py::arg("text"),
                  py::arg("name") = "<string>",
                  "Parse OpenQASM text (the version line picks the front end; OpenQASM 2 "
                  "when absent). Errors raise qstate.Error with name:line:col.")
      .def_static("from_file", &qs::Circuit::from_file, py::arg("path"), "Parse an OpenQASM file.")
      .def_static("gate_names", &qs::Circuit::gate_names, "Names gate() accepts.")
      .def_property_readonly("num_qubits", &qs::Circuit::num_qubits)
      .def_property_readonly("num_clbits", &qs::Circuit::num_clbits)
      .def_property_readonly("parameters", &qs::Circuit::parameters,
                             "Symbol names in order of first use (the order bind(list) takes).")
      .def_property("name", &qs::Circuit::name, &qs::Circuit::set_name)
      .def_property("global_phase", &qs::Circuit::global_phase, &qs::Circuit::set_global_phase)
      .def_property_readonly("qregs", [](const qs::Circuit& c) { return c.model().qregs; })
      .def_property_readonly("cregs", [](const qs::Circuit& c) { return c.model().cregs; })
      .def("__len__", &qs::Circuit::size)
      .def("gate", &qs::Circuit::gate, py::arg("name"), py::arg("qubits"),
           py::arg("params") = std::vector<qs::Param>{}, py::return_value_policy::reference,
           "Any standard gate by Qiskit's name, e.g. gate('cu', [0, 1], [t, p, l, g]); qubits "
           "controls first.")
      .def("unitary", &qs::Circuit::unitary, py::arg("matrix"), py::arg("qubits"),
           py::arg("name") = "unitary", py::return_value_policy::reference,
           "A k-qubit unitary (row-major list of 4^k complex entries, or a 2^k x 2^k numpy "
           "array flattened); bit j of its index is qubits[j].")
      .def("measure", &qs::Circuit::measure, py::arg("qubit"), py::arg("clbit"),
           py::return_value_policy::reference)
      .def("measure_all", &qs::Circuit::measure_all, py::return_value_policy::reference,
           "Add a classical register 'meas' and measure every qubit into it.")
      .def("reset", &qs::Circuit::reset, py::arg("qubit"), py::return_value_policy::reference)
      .def("barrier", &qs::Circuit::barrier, py::return_value_policy::reference)
      .def("__repr__", [](const qs::Circuit& c) {
        return "<qstate.Circuit " + std::to_string(c.num_qubits()) + " qubits, " +
               std::to_string(c.num_clbits()) + " clbits, " + std::to_string(c.size()) +
               " operations>";
      });
  // Named gates: one-qubit, one-parameter one-qubit, two-qubit, ...
  for (const char* name : {"id", "h", "x", "y", "z", "s", "sdg", "t", "tdg", "sx", "sxdg"})
    circuit_class.def(
        name,
        [n = std::string(name)](qs::Circuit& c, unsigned q) -> qs::Circuit& {
          return c.gate(n, {q});
        },
        py::arg("qubit"), py::return_value_policy::reference,
        (std::string("Apply ") + name + " to a qubit.").c_str());
  for (const char* name : {"rx", "ry", "rz", "p"})
    circuit_class.def(
        name,
        [n = std::string(name)](qs::Circuit& c, const qs::Param& a, unsigned q) -> qs::Circuit& {
          return c.gate(n, {q}, {a});
        },
        py::arg("theta"), py::arg("qubit"), py::return_value_policy::reference,
        (std::string("Apply ") + name +
         "(theta) to a qubit; theta a float, a symbol name or a Param.")
            .c_str());
  for (const char* name : {"cx", "cy", "cz", "ch", "swap"})
    circuit_class.def(
        name,
        [n = std::string(name)](qs::Circuit& c, unsigned a, unsigned b) -> qs::Circuit& {
          return c.gate(n, {a, b});
        },
        py::arg("qubit0"), py::arg("qubit1"), py::return_value_policy::reference,
        (std::string("Apply ") + name + " (control first).").c_str());
  for (const char* name : {"crx", "cry", "crz", "cp", "rxx", "rzz"})
    circuit_class.def(
        name,
        [n = std::string(name)](qs::Circuit& c, const qs::Param& a, unsigned q0,
                                unsigned q1) -> qs::Circuit& {
          return c.gate(n, {q0, q1}, {a});
        },
        py::arg("theta"), py::arg("qubit0"), py::arg("qubit1"), py::return_value_policy::reference,
        (std::string("Apply ") + name + "(theta) to two qubits.").c_str());
  for (const char* name : {"ccx", "cswap"})
    circuit_class.def(
        name,
        [n = std::string(name)](qs::Circuit& c, unsigned a, unsigned b,
                                unsigned t) -> qs::Circuit& {
          return c.gate(n, {a, b, t});
        },
        py::arg("qubit0"), py::arg("qubit1"), py::arg("qubit2"), py::return_value_policy::reference,
        (std::string("Apply ") + name + " to three qubits.").c_str());
  circuit_class.def("u", &qs::Circuit::u, py::arg("theta"), py::arg("phi"), py::arg("lam"),
                    py::arg("qubit"), py::return_value_policy::reference,
                    "Qiskit's U(theta, phi, lam).");

  py::class_<qs::PauliSum>(m, "PauliSum",
                           "A real combination of Pauli strings, labels in Qiskit's order (the "
                           "rightmost letter acts on qubit 0). PauliSum('0.5*ZZ - XX') or "
                           "PauliSum([('ZZ', 0.5), ('XX', -1.0)]); methods that take a PauliSum "
                           "also take either form directly.")
      .def(py::init<>())
      .def(py::init<std::string_view>(), py::arg("text"))
      .def(py::init<const std::vector<std::pair<std::string, double>>&>(), py::arg("terms"))
      .def("add", &qs::PauliSum::add, py::arg("label"), py::arg("coefficient") = 1.0,
           py::return_value_policy::reference)
      .def_property_readonly("num_qubits", &qs::PauliSum::num_qubits)
      .def_property_readonly("terms", &qs::PauliSum::terms, "(coefficient, label) pairs")
      .def("__len__", &qs::PauliSum::size)
      .def("__str__", &qs::PauliSum::to_string)
      .def("__repr__", [](const qs::PauliSum& p) { return "PauliSum('" + p.to_string() + "')"; });
  py::implicitly_convertible<std::string, qs::PauliSum>();
  py::implicitly_convertible<std::vector<std::pair<std::string, double>>, qs::PauliSum>();

  py::class_<qs::State>(
      m, "State",
      "The final state of a compiled circuit's last run (owned by it, re-used by every run). "
      "Local or split across MPI ranks; every method is collective under MPI and returns the "
      "same value on every rank. Qubits and indices are the circuit's declared qubits.")
      .def_property_readonly("num_qubits", &qs::State::num_qubits)
      .def_property_readonly("distributed", &qs::State::distributed)
      .def_property_readonly("memory_bytes", &qs::State::memory_bytes)
      .def_property_readonly("precision",
                             [](const qs::State& s) { return qstate::to_string(s.precision()); })
      .def("expectation", &qs::State::expectation, py::arg("observable"),
           py::call_guard<py::gil_scoped_release>(),
           "<psi|H|psi> of a Pauli sum: one pass over the state per non-identity term, no copy.")
      .def(
          "expectations",
          [](qs::State& s, const std::vector<qs::PauliSum>& sums) {
            std::vector<double> v;
            {
              py::gil_scoped_release release;
              v = s.expectations(sums);
            }
            return to_numpy(std::move(v));
          },
          py::arg("observables"),
          "Expectation values of several Pauli sums (numpy array); shared strings computed once.")
      .def(
          "probabilities",
          [](qs::State& s, const std::vector<unsigned>& qubits) {
            std::vector<double> v;
            {
              py::gil_scoped_release release;
              v = s.probabilities(qubits);
            }
            return to_numpy(std::move(v));
          },
          py::arg("qubits") = std::vector<unsigned>{},
          "Marginal probabilities of `qubits` (all when empty) as a numpy array: entry i has "
          "qubits[j] = bit j of i (Qiskit's Statevector.probabilities(qargs) order). At most 26 "
          "qubits are summed in place in one pass; all qubits are gathered on every rank.")
      .def("amplitude", &qs::State::amplitude, py::arg("index"), "<index|psi>.")
      .def(
          "sample",
          [](qs::State& s, std::uint64_t shots, std::uint64_t seed) {
            std::vector<std::uint64_t> v;
            {
              py::gil_scoped_release release;
              v = s.sample(shots, seed);
            }
            return to_numpy(std::move(v));
          },
          py::arg("shots"), py::arg("seed"),
          "Basis indices of `shots` samples of |psi|^2 (numpy uint64), reproducible from the "
          "seed at any thread or rank count.")
      .def("counts", &qs::State::counts, py::arg("shots"), py::arg("seed"),
           py::arg("qubits") = std::vector<unsigned>{},
           "Counts of sampled bit strings of `qubits` (all when empty), qubits[0] rightmost.")
      .def(
          "statevector",
          [](qs::State& s) {
            std::vector<std::complex<double>> v;
            {
              py::gil_scoped_release release;
              v = s.statevector();
            }
            return to_numpy(std::move(v));
          },
          "All amplitudes as a numpy complex128 array, gathered on every rank.");

  py::class_<PyResult>(m, "Result",
                       "Shots of a circuit's measurements: counts keyed as Qiskit keys them.")
      .def_property_readonly("counts", [](const PyResult& r) { return r.result.counts; })
      .def_property_readonly("memory", [](const PyResult& r) { return r.result.memory; })
      .def_property_readonly("shots", [](const PyResult& r) { return r.result.shots; })
      .def_property_readonly("seed", [](const PyResult& r) { return r.result.seed; })
      .def_property_readonly("seed_given", [](const PyResult& r) { return r.result.seed_given; })
      .def_property_readonly(
          "probabilities",
          [](const PyResult& r) -> py::object {
            if (!r.result.probabilities || r.result.probabilities->empty()) return py::none();
            return py::array_t<double>(static_cast<py::ssize_t>(r.result.probabilities->size()),
                                       r.result.probabilities->data());
          },
          "|a|^2 over the declared qubits (a numpy array), or None when not asked for (or on a "
          "rank other than 0 under MPI).")
      .def_property_readonly(
          "statevector",
          [](const PyResult& r) -> py::object {
            if (!r.result.statevector || r.result.statevector->empty()) return py::none();
            return py::array_t<std::complex<double>>(
                static_cast<py::ssize_t>(r.result.statevector->size()),
                r.result.statevector->data());
          },
          "The amplitudes over the declared qubits (a numpy complex128 array), or None.")
      .def_property_readonly(
          "expectation_values",
          [](const PyResult& r) {
            py::dict d;  // insertion order: the order the observables were given
            for (const auto& [text, value] : r.result.expectation_values) d[py::str(text)] = value;
            return d;
          },
          "{observable text: <psi|H|psi>} in the order given.")
      .def_property_readonly("metadata",
                             [](const PyResult& r) { return metadata_dict(r.result.metadata); })
      .def(
          "to_qiskit",
          [](const PyResult& r, const std::string& name, const std::string& job_id) {
            return py::module_::import("json").attr("loads")(qiskit_json(r, name, job_id, -1));
          },
          py::arg("name") = "", py::arg("job_id") = "",
          "The dict qiskit.result.Result.from_dict reads (hex counts, memory, header with the "
          "registers, seed, metadata with the MPI ranks).")
      .def(
          "to_qiskit_json",
          [](const PyResult& r, const std::string& name, const std::string& job_id, int indent) {
            return qiskit_json(r, name, job_id, indent);
          },
          py::arg("name") = "", py::arg("job_id") = "", py::arg("indent") = 2)
      .def("__repr__", [](const PyResult& r) {
        return "<qstate.Result " + std::to_string(r.result.shots) + " shots, " +
               std::to_string(r.result.counts.size()) + " outcomes>";
      });

  py::class_<qs::CompiledCircuit>(
      m, "CompiledCircuit",
      "A circuit parsed and planned once, with its state allocated once. bind() sets parameter "
      "values (no re-planning); run() applies the gates from |0...0> and returns the State.")
      .def_property_readonly("num_qubits", &qs::CompiledCircuit::num_qubits)
      .def_property_readonly("simulated_qubits", &qs::CompiledCircuit::simulated_qubits)
      .def_property_readonly("parameters", &qs::CompiledCircuit::parameters)
      .def_property_readonly("is_dynamic", &qs::CompiledCircuit::is_dynamic)
      .def(
          "bind",
          [](qs::CompiledCircuit& c, const py::object& values) -> qs::CompiledCircuit& {
            if (py::isinstance<py::dict>(values)) return c.bind(to_values(values));
            return c.bind(values.cast<std::vector<double>>());
          },
          py::arg("values"), py::return_value_policy::reference,
          "Values of all parameters: a dict by name, or a sequence in `parameters` order.")
      .def(
          "run",
          [](qs::CompiledCircuit& c, const py::object& values) -> qs::State& {
            if (!values.is_none()) {
              if (py::isinstance<py::dict>(values)) {
                c.bind(to_values(values));
              } else {
                c.bind(values.cast<std::vector<double>>());
              }
            }
            py::gil_scoped_release release;
            return c.run();
          },
          py::arg("values") = py::none(), py::return_value_policy::reference_internal,
          "Bind `values` (if given), run the gates, and return the State.")
      .def_property_readonly(
          "state", [](qs::CompiledCircuit& c) -> qs::State& { return c.state(); },
          py::return_value_policy::reference_internal)
      .def(
          "execute",
          [](qs::CompiledCircuit& c, std::uint64_t shots, std::optional<std::uint64_t> seed,
             bool memory, bool probabilities, bool statevector, const py::object& observables,
             const std::string& statevector_file) {
            return execute_on(c, execute_options(shots, seed, memory, probabilities, statevector,
                                                 observables, statevector_file));
          },
          py::arg("shots") = 1024, py::arg("seed") = py::none(), py::arg("memory") = false,
          py::arg("probabilities") = false, py::arg("statevector") = false,
          py::arg("observables") = py::none(), py::arg("statevector_file") = "", kExecuteDoc)
      .def(
          "check_memory",
          [](const qs::CompiledCircuit& c, std::uint64_t shots, bool memory, bool probabilities,
             bool statevector, const py::object& observables) {
            c.check_memory(execute_options(shots, std::nullopt, memory, probabilities, statevector,
                                           observables, ""));
          },
          py::arg("shots") = 1024, py::arg("memory") = false, py::arg("probabilities") = false,
          py::arg("statevector") = false, py::arg("observables") = py::none(),
          "Raise qstate.Error (on every rank) when execute() with these outputs would not fit "
          "in memory or asks for outputs the circuit cannot give.")
      .def_property_readonly("ranks_used", &qs::CompiledCircuit::ranks_used,
                             "The MPI ranks runs use (1 on one process).");

  py::class_<qs::Simulator>(
      m, "Simulator",
      "Where circuits run: one process, or (under mpirun) all ranks of MPI_COMM_WORLD, or the "
      "ranks of an mpi4py communicator given as comm.")
      .def(py::init([](const std::string& precision, int threads, bool fusion,
                       std::uint64_t exchange_buffer, bool distribute, const py::object& comm) {
             qs::SimulatorOptions o;
             if (precision != "double" && precision != "single")
               throw qstate::Error("precision must be 'single' or 'double', not '" + precision +
                                   "'");
             if (threads < 0) throw qstate::Error("threads must be >= 0");
             o.precision =
                 precision == "single" ? qstate::Precision::kSingle : qstate::Precision::kDouble;
             o.threads = threads;
             o.fusion = fusion;
             o.exchange_buffer_bytes = exchange_buffer;
             o.distribute = distribute;
             if (comm.is_none()) return qs::Simulator(o);
             const auto address =
                 py::module_::import("mpi4py.MPI").attr("_addressof")(comm).cast<std::uintptr_t>();
             return qs::Simulator::with_mpi_comm_address(reinterpret_cast<const void*>(address), o);
           }),
           py::arg("precision") = "double", py::arg("threads") = 0, py::arg("fusion") = true,
           py::arg("exchange_buffer") = 0, py::arg("distribute") = true,
           py::arg("comm") = py::none())
      .def_property_readonly("rank", &qs::Simulator::rank)
      .def_property_readonly("ranks", &qs::Simulator::ranks)
      .def_property_readonly("is_root", &qs::Simulator::is_root)
      .def_property_readonly(
          "precision",
          [](const qs::Simulator& s) { return qstate::to_string(s.options().precision); })
      .def_property_readonly("threads", [](const qs::Simulator& s) { return s.options().threads; })
      .def_static("mpi_enabled", &qs::Simulator::mpi_enabled)
      .def("compile", &qs::Simulator::compile, py::arg("circuit"),
           py::call_guard<py::gil_scoped_release>(),
           "Plan the circuit once: a CompiledCircuit to bind and run many times.")
      .def(
          "execute",
          [](const qs::Simulator& s, const qs::Circuit& circuit, std::uint64_t shots,
             std::optional<std::uint64_t> seed, const py::object& values, bool memory,
             bool probabilities, bool statevector, const py::object& observables,
             const std::string& statevector_file) {
            qs::CompiledCircuit c = s.compile(circuit);
            bind_values(c, values);
            return execute_on(c, execute_options(shots, seed, memory, probabilities, statevector,
                                                 observables, statevector_file));
          },
          py::arg("circuit"), py::arg("shots") = 1024, py::arg("seed") = py::none(),
          py::arg("values") = py::none(), py::arg("memory") = false,
          py::arg("probabilities") = false, py::arg("statevector") = false,
          py::arg("observables") = py::none(), py::arg("statevector_file") = "",
          "Compile (binding `values`, a dict or a sequence) and execute once: see "
          "CompiledCircuit.execute.");

  m.def(
      "counters",
      [] {
        const qs::Counters c = qs::counters();
        py::dict d;
        d["parses"] = c.parses;
        d["plans"] = c.plans;
        d["allocations"] = c.allocations;
        d["binds"] = c.binds;
        d["runs"] = c.runs;
        return d;
      },
      "Process-wide counts of parses, plans, state allocations, binds and runs.");
  m.def("reset_counters", &qs::reset_counters);
  m.def("counts_key_to_hex", &qstate::counts_key_to_hex, py::arg("key"),
        "A counts key such as '10 011' as Qiskit's hex form '0x13'.");
  m.attr("__version__") = QSTATE_VERSION_STRING;
}
