// Buffered writes to a file descriptor, and the write-to-temporary-then-rename --output file.
#include "apps/output_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <qstate/qstate.hpp>  // qstate::Error

namespace qstate::cli {
namespace {

std::string errno_text(int err) {
  return std::strerror(err);
}

std::string folder_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

[[noreturn]] void fail_create(const std::string& path, int err) {
  std::string why = errno_text(err);
  const std::string folder = folder_of(path);
  if (err == ENOENT) why += " (the folder '" + folder + "' does not exist)";
  if (err == EACCES || err == EPERM || err == EROFS)
    why += " (the folder '" + folder + "' is not writable)";
  throw Error("cannot create the output file '" + path + "': " + why);
}

mode_t default_file_mode() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

}  // namespace

OutputSink::OutputSink(int fd, std::string name) : fd_(fd), name_(std::move(name)) {
  buffer_.reserve(kFlushBytes + 4096);
}

void OutputSink::flush() {
  const char* data = buffer_.data();
  std::size_t left = buffer_.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      buffer_.clear();
      throw Error("cannot write to " + name_ + ": " + errno_text(err));
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

int OutputTarget::open_target(const std::string& path, std::string& final_path,
                              std::string& temp_path) {
  if (path.empty()) return STDOUT_FILENO;
  final_path = path;
  mode_t mode = default_file_mode();
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw Error("cannot write the output file '" + path + "': it is a folder (give a file name)");
    if (!S_ISREG(st.st_mode)) {
      // A device or FIFO cannot be replaced by a rename: write to it directly.
      const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) fail_create(path, errno);
      return fd;
    }
    mode = st.st_mode & 07777;
    // Replace what a symbolic link points to, not the link itself.
    if (char* resolved = ::realpath(path.c_str(), nullptr)) {
      final_path = resolved;
      std::free(resolved);
    }
  }
  std::string pattern = folder_of(final_path) + "/." + base_of(final_path) + ".tmp.XXXXXX";
  const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) fail_create(path, errno);
  temp_path = pattern;
  ::fchmod(fd, mode);  // mkostemp creates 0600; a failure here only leaves it private
  return fd;
}

OutputTarget::OutputTarget(const std::string& path)
    : fd_(open_target(path, final_path_, temp_path_)),
      sink_(fd_, path.empty() ? std::string("standard output") : "'" + path + "'") {}

OutputTarget::~OutputTarget() {
  if (fd_ != STDOUT_FILENO && fd_ >= 0) ::close(fd_);
  if (!done_ && !temp_path_.empty()) ::unlink(temp_path_.c_str());
}

void OutputTarget::commit() {
  sink_.flush();
  if (fd_ == STDOUT_FILENO) {
    done_ = true;
    return;
  }
  const std::string& name = sink_.name();
  if (!temp_path_.empty() && ::fsync(fd_) != 0 && errno != EINVAL)
    throw Error("cannot write to " + name + ": " + errno_text(errno));
  const int fd = std::exchange(fd_, -1);
  // Network file systems may report a failed write only when the file is closed.
  if (::close(fd) != 0) throw Error("cannot write to " + name + ": " + errno_text(errno));
  if (!temp_path_.empty() && ::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    throw Error("cannot move the finished output into place as " + name + ": " + errno_text(errno));
  done_ = true;
}

}  // namespace qstate::cli
