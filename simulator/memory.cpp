// Memory detection for the preflight check.
#include "simulator/memory.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>

#include "circuits/error.hpp"

namespace qstate {
namespace {

constexpr std::uint64_t kUnlimited = std::numeric_limits<std::uint64_t>::max();

std::uint64_t parse_size(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    throw Error("QSTATE_MEMORY_LIMIT='" + text + "' is not a size (bytes, or with K/M/G/T)");
  }
  std::string suffix = text.substr(used);
  double scale = 1;
  if (!suffix.empty()) {
    switch (std::toupper(static_cast<unsigned char>(suffix[0]))) {
      case 'K':
        scale = 0x1p10;
        break;
      case 'M':
        scale = 0x1p20;
        break;
      case 'G':
        scale = 0x1p30;
        break;
      case 'T':
        scale = 0x1p40;
        break;
      default:
        throw Error("QSTATE_MEMORY_LIMIT='" + text + "' has an unknown unit (use K, M, G or T)");
    }
  }
  if (value < 0) throw Error("QSTATE_MEMORY_LIMIT must not be negative");
  return static_cast<std::uint64_t>(value * scale);
}

std::uint64_t meminfo_available() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kib * 1024;
  }
  return kUnlimited;
}

std::uint64_t cgroup_limit() {
  // cgroup v2: memory.max minus memory.current; v1: memory.limit_in_bytes.
  for (const char* path :
       {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    std::ifstream in(path);
    std::string text;
    if (!(in >> text) || text == "max") continue;
    std::uint64_t limit = 0;
    std::istringstream(text) >> limit;
    if (limit == 0 || limit > (std::uint64_t{1} << 60)) continue;
    std::uint64_t current = 0;
    std::ifstream cur(std::string(path).find("memory.max") != std::string::npos
                          ? "/sys/fs/cgroup/memory.current"
                          : "/sys/fs/cgroup/memory/memory.usage_in_bytes");
    cur >> current;
    return limit > current ? limit - current : 0;
  }
  return kUnlimited;
}

}  // namespace

std::uint64_t available_memory_bytes() {
  if (const char* env = std::getenv("QSTATE_MEMORY_LIMIT"); env != nullptr && *env != '\0')
    return parse_size(env);
  std::uint64_t avail = std::min(meminfo_available(), cgroup_limit());
  rlimit rl{};
  if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    avail = std::min<std::uint64_t>(avail, rl.rlim_cur);
  return avail;
}

std::string format_bytes(std::uint64_t bytes) {
  static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  auto value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 6) {
    value /= 1024.0;
    ++unit;
  }
  char buf[32];
  if (unit == 0)
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  else
    std::snprintf(buf, sizeof buf, value < 10 ? "%.2f %s" : "%.1f %s", value, kUnits[unit]);
  return buf;
}

std::uint64_t amplitude_bytes(unsigned qubits, std::uint64_t bytes_per_amplitude) {
  if (qubits >= 64) return kUnlimited;
  const std::uint64_t count = std::uint64_t{1} << qubits;
  if (bytes_per_amplitude != 0 && count > kUnlimited / bytes_per_amplitude) return kUnlimited;
  return count * bytes_per_amplitude;
}

}  // namespace qstate
