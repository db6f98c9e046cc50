// A streaming JSON writer for the CLI's outputs: values go straight to an OutputSink as they are
// produced, so a 2^26-entry probability array never exists as a JSON tree in memory. Objects are
// written one member per line; arrays either one element per line or inline (`[0.5, 0.5]`, for
// long runs of numbers). Doubles are written in their shortest form that reads back to the same
// value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "apps/output_sink.hpp"

namespace qstate::cli {

// The shortest decimal text that parses back to exactly `value`, with ".0" added when it would
// otherwise read as an integer ("1.0", "0.5", "1e-05"); "null" for NaN and infinities (JSON has
// no such numbers). `buffer` needs 32 bytes; returns the length.
std::size_t format_double(double value, char* buffer);

class JsonWriter {
 public:
  explicit JsonWriter(OutputSink& out) : out_(out) {}

  void begin_object();
  void end_object();
  // `inline_elements`: all elements on one line.
  void begin_array(bool inline_elements);
  void end_array();
  // The next value is this member of the current object.
  void key(std::string_view name);

  void string(std::string_view text);
  void number(double value);
  void integer(std::uint64_t value);
  void boolean(bool value);
  void null();

  // Ends the document with a newline.
  void finish();

 private:
  struct Level {
    bool object;
    bool inline_elements;
    bool empty = true;
  };
  void before_value();
  void newline_indent();
  void write_escaped(std::string_view text);

  OutputSink& out_;
  std::vector<Level> stack_;
  bool after_key_ = false;
};

}  // namespace qstate::cli
