// One qubit in |+>: probabilities [0.5, 0.5], amplitudes 1/sqrt(2); no classical bits.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[1];
h q[0];
