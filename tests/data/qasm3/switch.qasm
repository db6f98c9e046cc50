OPENQASM 3.0;
include "stdgates.inc";
bit[2] c;
qubit[2] q;
x q[1];
c[1] = measure q[1];
switch (c) {
  case 0 {
    x q[0];
  }
  case 2, 3 {
    h q[0];
  }
  default {
  }
}
c[0] = measure q[0];
