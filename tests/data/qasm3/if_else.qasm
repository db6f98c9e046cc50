OPENQASM 3.0;
include "stdgates.inc";
bit[2] cr;
qubit[2] qr;
x qr[0];
cr[0] = measure qr[0];
if (cr == 1) {
  x qr[1];
} else {
  z qr[1];
}
cr[1] = measure qr[1];
if (cr == 3) {
  if (!cr[0]) {
    cr[0] = measure qr[0];
  } else {
    x qr[0];
    cr[0] = measure qr[0];
  }
} else {
  if (cr[0]) {
    cr[1] = measure qr[1];
  } else {
    cr[0] = measure qr[0];
  }
}
