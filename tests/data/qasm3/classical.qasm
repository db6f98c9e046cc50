OPENQASM 3.0;
include "stdgates.inc";
const int[32] n = 3;
const float[64] half = 0.5;
uint[8] count = 0;
int[16] k = -2;
float[64] angle_sum = 0.0;
angle[20] a = pi / 4;
bool flag = true;
qubit[n] q;
bit[n] c;
for int i in [0:n - 1] {
  count += 1;
  angle_sum = angle_sum + half * i;
}
if (count == n && flag) {
  x q[0];
}
if (k < 0 || !flag) {
  ry(angle_sum) q[1];
}
k = k * k - 1;
if (k >= 3) x q[2];
rz(a) q[0];
c = measure q;
