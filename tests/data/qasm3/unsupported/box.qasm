OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
box[50.0ms] {
  h q[1];
}
