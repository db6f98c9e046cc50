OPENQASM 3.0;
include "stdgates.inc";
extern get_angle(int[32]) -> angle[32];
qubit[1] q;
