OPENQASM 3.0;
include "stdgates.inc";
bit _bit0;
bit _bit1;
bit _bit2;
let cr1 = {_bit1, _bit2};
qubit _qubit0;
qubit[1] qr;
x _qubit0;
for my_x in {0, 3, 4} {
  rx(my_x) qr[0];
  x qr[0];
  break;
  continue;
}
_bit0 = measure _qubit0;
cr1[0] = measure qr[0];
cr1[1] = measure _qubit0;
