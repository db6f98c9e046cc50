// A user gate and a barrier: counts as written differ from the gates simulated.
OPENQASM 2.0;
include "qelib1.inc";
gate bell a,b { h a; cx a,b; }
qreg q[3];
creg c[3];
bell q[0],q[1];
barrier q;
x q[2];
measure q -> c;
