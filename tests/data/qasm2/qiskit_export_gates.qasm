// Gates that qiskit.qasm2.dumps (Qiskit 1.x) writes as one-line `gate` definitions, because they
// are not in qelib1.inc, each applied once; a barrier separates the applications so that a test
// can multiply the ops of each one. The comment above each definition names the Qiskit construct
// that produces it. Layout as Qiskit writes it: header, definitions, registers, instructions.
OPENQASM 2.0;
include "qelib1.inc";
// qc.rzx(theta, 0, 1) -> RZXGate; parameters are renamed param0, param1, ...
gate rzx(param0) q0,q1 { h q1; cx q0,q1; rz(param0) q1; cx q0,q1; h q1; }
// qc.ecr(0, 1) -> ECRGate (Qiskit >= 1.0 definition; its global phase -pi/4 is dropped)
gate ecr q0,q1 { s q0; sx q1; cx q0,q1; x q0; }
// qc.r(theta, phi, 0) -> RGate
gate r(param0,param1) q0 { u(param0,-pi/2 + param1,pi/2 - param1) q0; }
// qc.ryy(theta, 0, 1) -> RYYGate
gate ryy(param0) q0,q1 { sxdg q0; sxdg q1; cx q0,q1; rz(param0) q1; cx q0,q1; sx q0; sx q1; }
// qc.iswap(0, 1) -> iSwapGate
gate iswap q0,q1 { s q0; s q1; h q0; cx q0,q1; cx q1,q0; h q1; }
// qc.dcx(0, 1) -> DCXGate
gate dcx q0,q1 { cx q0,q1; cx q1,q0; }
// qc.append(XXPlusYYGate(theta, beta), [0, 1]); note the parenthesised negative factor
gate xx_plus_yy(param0,param1) q0,q1 { rz(param1) q0; sdg q1; sx q1; s q1; s q0; cx q1,q0; ry((-0.5)*param0) q1; ry((-0.5)*param0) q0; cx q1,q0; sdg q0; sdg q1; sxdg q1; s q1; rz(-param1) q0; }
// qc.append(XXMinusYYGate(theta, beta), [0, 1])
gate xx_minus_yy(param0,param1) q0,q1 { rz(-param1) q1; sdg q0; sx q0; s q0; s q1; cx q0,q1; ry(0.5*param0) q0; ry((-0.5)*param0) q1; cx q0,q1; sdg q1; sdg q0; sxdg q0; s q0; rz(param1) q1; }
// qc.ccz(0, 1, 2) -> CCZGate
gate ccz q0,q1,q2 { h q2; ccx q0,q1,q2; h q2; }
// qc.cs(0, 1) -> CSGate
gate cs q0,q1 { p(pi/4) q0; cx q0,q1; p(-pi/4) q1; cx q0,q1; p(pi/4) q1; }
// qc.csdg(0, 1) -> CSdgGate
gate csdg q0,q1 { p(-pi/4) q0; cx q0,q1; p(pi/4) q1; cx q0,q1; p(-pi/4) q1; }
// qc.rcccx(0, 1, 2, 3) -> RC3XGate, whose Qiskit name is 'rcccx' (qelib1 calls it rc3x)
gate rcccx q0,q1,q2,q3 { h q3; t q3; cx q2,q3; tdg q3; h q3; cx q0,q3; t q3; cx q1,q3; tdg q3; cx q0,q3; t q3; cx q1,q3; tdg q3; h q3; t q3; cx q2,q3; tdg q3; h q3; }
// qc.mcx([0, 1, 2], 3) -> MCXGate with 3 controls
gate mcx q0,q1,q2,q3 { h q3; p(pi/8) q0; p(pi/8) q1; p(pi/8) q2; p(pi/8) q3; cx q0,q1; p(-pi/8) q1; cx q0,q1; cx q1,q2; p(-pi/8) q2; cx q0,q2; p(pi/8) q2; cx q1,q2; p(-pi/8) q2; cx q0,q2; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; h q3; }
// qc.unitary([[0, 1], [1, 0]], 0) -> UnitaryGate; the exporter writes its ZYZ angles and drops
// the global phase (here u(pi,-pi,0) = -X)
gate unitary q0 { u(pi,-pi,0) q0; }
// a second UnitaryGate in the same circuit gets the name unitary_<id(gate)>
gate unitary_139872263015376 q0 { u(0,0,pi) q0; }
// qc.ch(0, 1, ctrl_state=0): an open control is written around the closed-control gate
gate ch_o0 q0,q1 { x q0; ch q0,q1; x q0; }
// qc.append(PermutationGate([2, 1, 0]), [0, 1, 2]): brackets and commas escape to '_'
gate permutation__2_1_0_ q0,q1,q2 { swap q0,q2; }
// PermutationGate([0, 1, 2]): the identity, written with an empty body
gate permutation__0_1_2_ q0,q1,q2 {  }
// a gate named "A[$]" (invalid identifier) is escaped with the prefix gate_
gate gate_A___ q0 { x q0; u(0,0,pi) q0; }
// qc.append(QuantumCircuit(2, name="circuit-123").to_gate(), [0, 1]): '-' escapes to '_'; the
// composite uses gates defined above it
gate circuit_123 q0,q1 { h q0; cx q0,q1; rzx(pi/3) q0,q1; }
qreg q[4];
creg meas[4];
rzx(0.7) q[1],q[2];
barrier q[0],q[1],q[2],q[3];
ecr q[0],q[1];
barrier q[0],q[1],q[2],q[3];
r(1.2,0.3) q[3];
barrier q[0],q[1],q[2],q[3];
ryy(0.9) q[2],q[0];
barrier q[0],q[1],q[2],q[3];
iswap q[0],q[3];
barrier q[0],q[1],q[2],q[3];
dcx q[1],q[0];
barrier q[0],q[1],q[2],q[3];
xx_plus_yy(2.1220563625025233,1.609259247550925) q[0],q[1];
barrier q[0],q[1],q[2],q[3];
xx_minus_yy(2.9414951272721104,1.4074238850022727) q[2],q[3];
barrier q[0],q[1],q[2],q[3];
ccz q[0],q[2],q[1];
barrier q[0],q[1],q[2],q[3];
cs q[3],q[0];
barrier q[0],q[1],q[2],q[3];
csdg q[0],q[1];
barrier q[0],q[1],q[2],q[3];
rcccx q[0],q[1],q[2],q[3];
barrier q[0],q[1],q[2],q[3];
mcx q[3],q[1],q[0],q[2];
barrier q[0],q[1],q[2],q[3];
unitary q[2];
barrier q[0],q[1],q[2],q[3];
unitary_139872263015376 q[1];
barrier q[0],q[1],q[2],q[3];
ch_o0 q[0],q[1];
barrier q[0],q[1],q[2],q[3];
permutation__2_1_0_ q[0],q[1],q[2];
barrier q[0],q[1],q[2],q[3];
permutation__0_1_2_ q[1],q[2],q[3];
barrier q[0],q[1],q[2],q[3];
gate_A___ q[0];
barrier q[0],q[1],q[2],q[3];
circuit_123 q[2],q[3];
barrier q[0],q[1],q[2],q[3];
measure q[0] -> meas[0];
measure q[1] -> meas[1];
measure q[2] -> meas[2];
measure q[3] -> meas[3];
