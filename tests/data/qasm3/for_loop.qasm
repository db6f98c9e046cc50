OPENQASM 3.0;
include "stdgates.inc";
gate custom _gate_q_0 {
  rx(0.5) _gate_q_0;
}
qubit[3] q;
for b in [0:1] {
  custom q[0];
}
for _ in [0:2] {
  h q[1];
}
for int i in [0:2:2] {
  x q[i];
}
for uint k in {1, 2} {
  rz(pi/4) q[k];
}
