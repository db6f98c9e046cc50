// Writing result files so that they appear only when complete: data goes to a temporary file
// beside the target, which is renamed into place at the end. Amplitudes are written raw in the
// machine's byte order, which must be little-endian (the documented format).
#pragma once

#include <bit>
#include <cstddef>
#include <string>

namespace qstate {

static_assert(std::endian::native == std::endian::little,
              "amplitude files are little-endian; add a byte swap for this machine");

// Writes bytes to path via path.tmp.<pid> and a rename; throws qstate::Error naming the path and
// the system's reason on failure (and removes the temporary file).
void write_file_atomically(const std::string& path, const void* data, std::size_t bytes);

// A temporary name beside `path`, unique to this process.
std::string temporary_path(const std::string& path);

}  // namespace qstate
