OPENQASM 3.0;
include "stdgates.inc";
defcalgrammar "openpulse";
qubit[1] q;
x q[0];
