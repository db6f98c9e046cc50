OPENQASM 3.0;
include "stdgates.inc";
def bellprep(qubit a, qubit b) {
  h a;
  cx a, b;
}
qubit[2] q;
bellprep(q[0], q[1]);
