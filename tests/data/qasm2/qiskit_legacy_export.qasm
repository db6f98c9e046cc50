// Forms written by QuantumCircuit.qasm() of Qiskit 0.2x-0.45 (before qiskit.qasm2.dumps):
// no space after '{', older definitions of ecr / ryy / cs / csdg, an sxdg that shadows the
// qelib1 gate (qelib1.inc of that time had no sxdg), composites named <name>_<id>, and the
// opaque declaration written for qiskit.circuit.Delay. A barrier separates the applications.
OPENQASM 2.0;
include "qelib1.inc";
// QuantumCircuit(2, name="composite_circ").to_instruction()
gate composite_circ q0,q1 {h q0; x q1; cx q0,q1; }
// two different instructions both named my_gate: the later one gets my_gate_<id>
gate my_gate_140112346541904 q0 {x q0; }
gate my_gate q0 {h q0; }
// RZXGate and ECRGate (Qiskit 0.2x definition of ECR through RZX: exact, no global phase)
gate rzx(param0) q0,q1 { h q1; cx q0,q1; rz(param0) q1; cx q0,q1; h q1; }
gate ecr q0,q1 { rzx(pi/4) q0,q1; x q0; rzx(-pi/4) q0,q1; }
// RYYGate, older definition through rx(pi/2)
gate ryy(param0) q0,q1 { rx(pi/2) q0; rx(pi/2) q1; cx q0,q1; rz(param0) q1; cx q0,q1; rx(-pi/2) q0; rx(-pi/2) q1; }
// CSGate / CSdgGate, older definitions through t / tdg
gate cs q0,q1 { t q0; cx q0,q1; tdg q1; cx q0,q1; t q1; }
gate csdg q0,q1 { tdg q0; cx q0,q1; t q1; cx q0,q1; tdg q1; }
// SXdgGate written out (its definition s; h; s has global phase -pi/4, which is dropped)
gate sxdg q0 { s q0; h q0; s q0; }
// qiskit.circuit.Delay has no definition: written as opaque, applied as delay(duration)
opaque delay(param0) q0;
qreg q[3];
creg c[3];
composite_circ q[1],q[0];
barrier q[0],q[1],q[2];
my_gate_140112346541904 q[2];
barrier q[0],q[1],q[2];
my_gate q[2];
barrier q[0],q[1],q[2];
ecr q[1],q[2];
barrier q[0],q[1],q[2];
ryy(1.2894444149551456) q[2],q[0];
barrier q[0],q[1],q[2];
cs q[0],q[2];
barrier q[0],q[1],q[2];
csdg q[2],q[1];
barrier q[0],q[1],q[2];
sxdg q[1];
barrier q[0],q[1],q[2];
delay(160) q[0];
barrier q[0],q[1],q[2];
measure q[0] -> c[0];
measure q[1] -> c[1];
measure q[2] -> c[2];
