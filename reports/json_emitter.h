// A small streaming JSON emitter for the JSON and SARIF reports: two-space
// indentation, keys in the order written, so equal input gives equal bytes.
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

namespace csp::reports {

class JsonEmitter {
 public:
  explicit JsonEmitter(std::ostream& out) : out_(out) {}

  JsonEmitter& begin_object();
  JsonEmitter& end_object();
  JsonEmitter& begin_array();
  JsonEmitter& end_array();
  /// Names the next value; only inside an object.
  JsonEmitter& key(std::string_view name);

  JsonEmitter& string(std::string_view text);
  JsonEmitter& integer(std::int64_t number);
  /// Shortest round-trip form; NaN and infinities (not JSON) become null.
  JsonEmitter& real(double number);
  JsonEmitter& boolean(bool value);
  JsonEmitter& null();

  /// Ends the document with a newline.
  void finish();

 private:
  struct Level {
    bool object = false;
    bool has_items = false;
  };
  void before_value();
  void end_level(char close);
  void newline_and_indent();

  std::ostream& out_;
  std::vector<Level> levels_;
  bool after_key_ = false;
};

}  // namespace csp::reports
