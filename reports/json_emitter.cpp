// Streaming JSON emitter; see json_emitter.h.
#include "reports/json_emitter.h"

#include <cmath>

#include <fmt/format.h>

#include "reports/escape.h"

namespace csp::reports {

void JsonEmitter::newline_and_indent() {
  out_ << '\n';
  for (std::size_t i = 0; i < levels_.size(); ++i) out_ << "  ";
}

// Separators go before each item, so the emitter never needs to look ahead.
void JsonEmitter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  if (levels_.back().has_items) out_ << ',';
  levels_.back().has_items = true;
  newline_and_indent();
}

JsonEmitter& JsonEmitter::key(std::string_view name) {
  before_value();
  out_ << json_quote(name) << ": ";
  after_key_ = true;
  return *this;
}

JsonEmitter& JsonEmitter::begin_object() {
  before_value();
  out_ << '{';
  levels_.push_back({true, false});
  return *this;
}

JsonEmitter& JsonEmitter::begin_array() {
  before_value();
  out_ << '[';
  levels_.push_back({false, false});
  return *this;
}

void JsonEmitter::end_level(char close) {
  bool had_items = levels_.back().has_items;
  levels_.pop_back();
  if (had_items) newline_and_indent();
  out_ << close;
}

JsonEmitter& JsonEmitter::end_object() {
  end_level('}');
  return *this;
}

JsonEmitter& JsonEmitter::end_array() {
  end_level(']');
  return *this;
}

JsonEmitter& JsonEmitter::string(std::string_view text) {
  before_value();
  out_ << json_quote(text);
  return *this;
}

JsonEmitter& JsonEmitter::integer(std::int64_t number) {
  before_value();
  out_ << number;
  return *this;
}

JsonEmitter& JsonEmitter::real(double number) {
  if (!std::isfinite(number)) return null();
  before_value();
  out_ << fmt::format("{}", number);
  return *this;
}

JsonEmitter& JsonEmitter::boolean(bool value) {
  before_value();
  out_ << (value ? "true" : "false");
  return *this;
}

JsonEmitter& JsonEmitter::null() {
  before_value();
  out_ << "null";
  return *this;
}

void JsonEmitter::finish() { out_ << '\n'; }

}  // namespace csp::reports
