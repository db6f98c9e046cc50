OPENQASM 3.0;
include "stdgates.inc";
gate rzx(p0) _gate_q_0, _gate_q_1 {
  h _gate_q_1;
  cx _gate_q_0, _gate_q_1;
  rz(p0) _gate_q_1;
  cx _gate_q_0, _gate_q_1;
  h _gate_q_1;
}
gate rzz(p0) _gate_q_0, _gate_q_1 {
  cx _gate_q_0, _gate_q_1;
  rz(p0) _gate_q_1;
  cx _gate_q_0, _gate_q_1;
}
gate composite_circ _gate_q_0, _gate_q_1 {
  h _gate_q_0;
  x _gate_q_1;
  cx _gate_q_0, _gate_q_1;
}
gate custom(_gate_p_0, _gate_p_1) _gate_q_0, _gate_q_1 {
  rz(pi) _gate_q_0;
  rz(pi/4) _gate_q_1;
}
bit[2] cr;
qubit[2] qr;
h qr[0];
cx qr[0], qr[1];
barrier qr[0], qr[1];
composite_circ qr[0], qr[1];
rzx(0.5) qr[0], qr[1];
rzz(pi/3) qr[1], qr[0];
custom(pi, pi/2) qr[0], qr[1];
cr[0] = measure qr[0];
cr[1] = measure qr[1];
