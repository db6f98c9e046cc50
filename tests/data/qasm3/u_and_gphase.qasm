OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
U(2*pi, 3*pi, -5*pi) q[0];
U(pi/2, pi/4, -pi/8) q[1];
gphase(pi/4);
p(0.3) q[0];
rz(0.7) q[1];
