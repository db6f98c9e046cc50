OPENQASM 3.0;
include "stdgates.inc";
bit[2] cr;
qubit[2] qr;
h qr[0];
cr[0] = measure qr[0];
while (cr == 0) {
  h qr[0];
  cr[0] = measure qr[0];
}
while (!cr[1]) {
  x qr[1];
  cr[1] = measure qr[1];
  break;
}
