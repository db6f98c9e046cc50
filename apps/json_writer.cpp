// Streaming JSON: layout (indentation, commas), shortest round-trip doubles, string escaping.
#include "apps/json_writer.hpp"

#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>

#include <nlohmann/json.hpp>

namespace qstate::cli {

std::size_t format_double(double value, char* buffer) {
  if (!std::isfinite(value)) {
    std::memcpy(buffer, "null", 4);
    return 4;
  }
  // Without a format argument, to_chars gives the shortest text that reads back exactly.
  const auto [end, ec] = std::to_chars(buffer, buffer + 30, value);
  assert(ec == std::errc());
  auto length = static_cast<std::size_t>(end - buffer);
  if (std::memchr(buffer, '.', length) == nullptr && std::memchr(buffer, 'e', length) == nullptr) {
    buffer[length++] = '.';
    buffer[length++] = '0';
  }
  return length;
}

void JsonWriter::newline_indent() {
  out_.put('\n');
  for (std::size_t i = 0; i < stack_.size(); ++i) out_.write("  ");
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (stack_.empty()) return;
  Level& level = stack_.back();
  assert(!level.object);  // object members need a key first
  if (!level.empty) out_.write(level.inline_elements ? ", " : ",");
  if (!level.inline_elements) newline_indent();
  level.empty = false;
}

void JsonWriter::key(std::string_view name) {
  assert(!stack_.empty() && stack_.back().object && !after_key_);
  Level& level = stack_.back();
  if (!level.empty) out_.put(',');
  level.empty = false;
  newline_indent();
  write_escaped(name);
  out_.write(": ");
  after_key_ = true;
}

void JsonWriter::begin_object() {
  before_value();
  out_.put('{');
  stack_.push_back(Level{true, false});
}

void JsonWriter::end_object() {
  assert(!stack_.empty() && stack_.back().object);
  const bool empty = stack_.back().empty;
  stack_.pop_back();
  if (!empty) newline_indent();
  out_.put('}');
}

void JsonWriter::begin_array(bool inline_elements) {
  before_value();
  out_.put('[');
  stack_.push_back(Level{false, inline_elements});
}

void JsonWriter::end_array() {
  assert(!stack_.empty() && !stack_.back().object);
  const Level level = stack_.back();
  stack_.pop_back();
  if (!level.empty && !level.inline_elements) newline_indent();
  out_.put(']');
}

void JsonWriter::string(std::string_view text) {
  before_value();
  write_escaped(text);
}

void JsonWriter::number(double value) {
  before_value();
  char buffer[32];
  out_.write(std::string_view(buffer, format_double(value, buffer)));
}

void JsonWriter::integer(std::uint64_t value) {
  before_value();
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.write(std::string_view(buffer, static_cast<std::size_t>(end - buffer)));
}

void JsonWriter::boolean(bool value) {
  before_value();
  out_.write(value ? "true" : "false");
}

void JsonWriter::null() {
  before_value();
  out_.write("null");
}

void JsonWriter::finish() {
  assert(stack_.empty());
  out_.put('\n');
}

void JsonWriter::write_escaped(std::string_view text) {
  // Counts keys and most names are plain printable ASCII: write those as they are.
  bool plain = true;
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
      plain = false;
      break;
    }
  }
  if (plain) {
    out_.put('"');
    out_.write(text);
    out_.put('"');
    return;
  }
  // Escapes, and invalid UTF-8 (a file name can hold any bytes) replaced by U+FFFD.
  out_.write(nlohmann::json(std::string(text))
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace qstate::cli
