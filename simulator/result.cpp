// Qiskit-style keys for counts and memory.
#include "simulator/result.hpp"

namespace qstate {

std::string format_counts_key(const std::vector<std::uint8_t>& bits,
                              const std::vector<Register>& cregs) {
  std::string key;
  for (auto reg = cregs.rbegin(); reg != cregs.rend(); ++reg) {
    if (reg != cregs.rbegin()) key.push_back(' ');
    for (std::uint32_t j = reg->size; j-- > 0;) key.push_back(bits[reg->first + j] ? '1' : '0');
  }
  return key;
}

}  // namespace qstate
