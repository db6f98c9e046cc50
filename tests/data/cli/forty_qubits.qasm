// 2^40 amplitudes: 16 TiB in double precision, refused before allocation.
OPENQASM 2.0;
include "qelib1.inc";
qreg q[40];
h q;
