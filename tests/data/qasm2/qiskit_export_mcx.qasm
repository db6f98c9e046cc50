// The multi-controlled X variants as qiskit.qasm2.dumps writes them for a circuit with
// MCXGrayCode(5) on qubits 0-5, MCXRecursive(5) on 0-6 and MCXVChain(5) on 0-8 (the shape of
// Qiskit's test_export.py::test_mcx_gate_variants; Python ids of renamed copies filled in).
// Inner gates are renamed <name>_<id> when the same name has another definition, and a body may
// apply a gate under a name defined earlier with a different qubit count.
OPENQASM 2.0;
include "qelib1.inc";
gate mcx_vchain_dg q0,q1,q2 { ccx q0,q1,q2; }
gate mcx_vchain q0,q1,q2,q3,q4 { h q3; p(pi/8) q0; p(pi/8) q1; p(pi/8) q2; p(pi/8) q3; cx q0,q1; p(-pi/8) q1; cx q0,q1; cx q1,q2; p(-pi/8) q2; cx q0,q2; p(pi/8) q2; cx q1,q2; p(-pi/8) q2; cx q0,q2; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; h q3; }
gate mcx_vchain_140001 q0,q1,q2 { ccx q0,q1,q2; }
gate mcx_vchain_140002 q0,q1,q2 { ccx q0,q1,q2; }
gate mcx_vchain_140003 q0,q1,q2 { ccx q0,q1,q2; }
gate mcx_vchain_dg_140004 q0,q1 { cx q0,q1; }
gate mcx_vchain_140005 q0,q1,q2 { ccx q0,q1,q2; }
gate mcx_vchain_140006 q0,q1 { cx q0,q1; }
gate mcx_vchain_dg_140007 q0,q1 { cx q0,q1; }
gate mcx_vchain_140008 q0,q1 { cx q0,q1; }
gate mcx_vchain_140009 q0,q1 { cx q0,q1; }
gate mcphase(param0) q0,q1,q2,q3,q4,q5 { h q5; p(pi/8) q0; p(pi/8) q1; p(pi/8) q2; p(pi/8) q5; cx q0,q1; p(-pi/8) q1; cx q0,q1; cx q1,q2; p(-pi/8) q2; cx q0,q2; p(pi/8) q2; cx q1,q2; p(-pi/8) q2; cx q0,q2; cx q2,q5; p(-pi/8) q5; cx q1,q5; p(pi/8) q5; cx q2,q5; p(-pi/8) q5; cx q0,q5; p(pi/8) q5; cx q2,q5; p(-pi/8) q5; cx q1,q5; p(pi/8) q5; cx q2,q5; p(-pi/8) q5; cx q0,q5; h q5; rz(-pi/4) q5; mcx_vchain_dg q3,q4,q5; rz(pi/4) q5; mcx_vchain q0,q1,q2,q5,q3; rz(-pi/4) q5; mcx_vchain_140001 q3,q4,q5; rz(pi/4) q5; ccx q0,q1,q4; rz(-pi/8) q4; mcx_vchain_dg q2,q3,q4; rz(pi/8) q4; mcx_vchain_140002 q0,q1,q4; rz(-pi/8) q4; mcx_vchain_140003 q2,q3,q4; rz(pi/8) q4; ccx q0,q1,q3; rz(-pi/16) q3; mcx_vchain_dg_140004 q2,q3; rz(pi/16) q3; mcx_vchain_140005 q0,q1,q3; rz(-pi/16) q3; mcx_vchain_140006 q2,q3; rz(pi/16) q3; cx q0,q2; rz(-pi/32) q2; mcx_vchain_dg_140007 q1,q2; rz(pi/32) q2; mcx_vchain_140008 q0,q2; rz(-pi/32) q2; mcx_vchain_140009 q1,q2; rz(pi/32) q2; crz(pi/16) q0,q1; p(pi/32) q0; }
gate mcx_gray q0,q1,q2,q3,q4,q5 { h q5; mcphase(pi) q0,q1,q2,q3,q4,q5; h q5; }
gate mcx_vchain_140010 q0,q1,q2,q3,q4 { h q3; p(pi/8) q0; p(pi/8) q1; p(pi/8) q2; p(pi/8) q3; cx q0,q1; p(-pi/8) q1; cx q0,q1; cx q1,q2; p(-pi/8) q2; cx q0,q2; p(pi/8) q2; cx q1,q2; p(-pi/8) q2; cx q0,q2; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; h q3; }
gate mcx_vchain_140011 q0,q1,q2,q3,q4 { h q3; p(pi/8) q0; p(pi/8) q1; p(pi/8) q2; p(pi/8) q3; cx q0,q1; p(-pi/8) q1; cx q0,q1; cx q1,q2; p(-pi/8) q2; cx q0,q2; p(pi/8) q2; cx q1,q2; p(-pi/8) q2; cx q0,q2; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; h q3; }
gate mcx_vchain_140012 q0,q1,q2,q3,q4 { h q3; p(pi/8) q0; p(pi/8) q1; p(pi/8) q2; p(pi/8) q3; cx q0,q1; p(-pi/8) q1; cx q0,q1; cx q1,q2; p(-pi/8) q2; cx q0,q2; p(pi/8) q2; cx q1,q2; p(-pi/8) q2; cx q0,q2; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; h q3; }
gate mcx_vchain_140013 q0,q1,q2,q3,q4 { h q3; p(pi/8) q0; p(pi/8) q1; p(pi/8) q2; p(pi/8) q3; cx q0,q1; p(-pi/8) q1; cx q0,q1; cx q1,q2; p(-pi/8) q2; cx q0,q2; p(pi/8) q2; cx q1,q2; p(-pi/8) q2; cx q0,q2; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q1,q3; p(pi/8) q3; cx q2,q3; p(-pi/8) q3; cx q0,q3; h q3; }
gate mcx_recursive q0,q1,q2,q3,q4,q5,q6 { mcx_vchain_140010 q0,q1,q2,q6,q3; mcx_vchain_140011 q3,q4,q6,q5,q0; mcx_vchain_140012 q0,q1,q2,q6,q3; mcx_vchain_140013 q3,q4,q6,q5,q0; }
gate mcx_vchain_140014 q0,q1,q2,q3,q4,q5,q6,q7,q8 { rccx q0,q1,q6; rccx q2,q6,q7; rccx q3,q7,q8; ccx q4,q8,q5; rccx q3,q7,q8; rccx q2,q6,q7; rccx q0,q1,q6; }
qreg q[9];
mcx_gray q[0],q[1],q[2],q[3],q[4],q[5];
barrier q[0],q[1],q[2],q[3],q[4],q[5],q[6],q[7],q[8];
mcx_recursive q[0],q[1],q[2],q[3],q[4],q[5],q[6];
barrier q[0],q[1],q[2],q[3],q[4],q[5],q[6],q[7],q[8];
mcx_vchain_140014 q[0],q[1],q[2],q[3],q[4],q[5],q[6],q[7],q[8];
barrier q[0],q[1],q[2],q[3],q[4],q[5],q[6],q[7],q[8];
