// Atomic file writes for --statevector-file.
#include "simulator/file_output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "circuits/error.hpp"

namespace qstate {

std::string temporary_path(const std::string& path) {
  return path + ".tmp." + std::to_string(static_cast<long>(getpid()));
}

void write_file_atomically(const std::string& path, const void* data, std::size_t bytes) {
  const std::string tmp = temporary_path(path);
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw Error("cannot write '" + path + "': " + std::strerror(errno));
  const bool written = std::fwrite(data, 1, bytes, f) == bytes;
  const int saved = errno;
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int why = !written ? saved : errno;
    std::remove(tmp.c_str());
    throw Error("cannot write '" + path + "': " + std::strerror(why));
  }
}

}  // namespace qstate
