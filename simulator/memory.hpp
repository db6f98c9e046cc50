// Memory preflight: how many bytes a run needs, how many this process may use, and a refusal
// that says both before anything large is allocated.
#pragma once

#include <cstdint>
#include <string>

namespace qstate {

// Bytes this process can allocate without swapping: MemAvailable from /proc/meminfo, lowered
// to the cgroup limit and RLIMIT_AS when those are tighter. QSTATE_MEMORY_LIMIT (bytes, or with
// a K/M/G/T suffix) overrides the detection.
std::uint64_t available_memory_bytes();

// "1.50 GiB", "512.0 MiB", "16.0 TiB" (three significant digits), "100 bytes".
std::string format_bytes(std::uint64_t bytes);

// 2^qubits * bytes_per_amplitude, saturating at UINT64_MAX.
std::uint64_t amplitude_bytes(unsigned qubits, std::uint64_t bytes_per_amplitude);

}  // namespace qstate
