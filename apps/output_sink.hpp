// Where the CLI's results go: a buffered writer on a file descriptor (standard output or a file)
// and the --output file, which appears under its name only once everything was written (the data
// goes to a temporary file in the same folder that is renamed into place), so a failed run never
// leaves a partial or empty result behind.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace qstate::cli {

// Appends to a file descriptor through a large buffer. Every failure is a qstate::Error that
// names the destination. The destructor does not flush: call flush() when done.
class OutputSink {
 public:
  OutputSink(int fd, std::string name);
  OutputSink(const OutputSink&) = delete;
  OutputSink& operator=(const OutputSink&) = delete;

  void write(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kFlushBytes) flush();
  }
  void put(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= kFlushBytes) flush();
  }
  // Writes out everything buffered so far.
  void flush();

  // "standard output" or the file's path, for messages.
  const std::string& name() const { return name_; }

 private:
  static constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
  int fd_;
  std::string name_;
  std::string buffer_;
};

// Standard output (empty path) or the --output file. For a path, the constructor checks at once
// that the file can be created (before any long simulation) by creating the temporary file next to
// it; commit() flushes, syncs and renames it into place; the destructor removes the temporary file
// when commit() was not reached. An existing non-regular file (/dev/null, a FIFO) is written
// directly.
class OutputTarget {
 public:
  explicit OutputTarget(const std::string& path);
  ~OutputTarget();
  OutputTarget(const OutputTarget&) = delete;
  OutputTarget& operator=(const OutputTarget&) = delete;

  OutputSink& sink() { return sink_; }
  void commit();

 private:
  static int open_target(const std::string& path, std::string& final_path, std::string& temp_path);

  std::string final_path_;  // where the result must appear ("" for standard output)
  std::string temp_path_;   // the temporary file ("" when writing directly)
  int fd_;
  OutputSink sink_;
  bool done_ = false;
};

}  // namespace qstate::cli
