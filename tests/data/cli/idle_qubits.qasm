// Four declared qubits, only q[1] used: 16 probabilities, 0.5 at indices 0 and 2.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[4];
creg c[4];
h q[1];
measure q -> c;
