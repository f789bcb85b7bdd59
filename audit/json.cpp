// The strict JSON reader: recursive descent with a depth bound, capturing the
// fields named in a FieldPaths trie and validating everything else.
#include "audit/json.h"

#include <fmt/format.h>

#include "model/utf8.h"

namespace csp::audit {

// ------------------------------------------------------------- field paths

FieldPaths::FieldPaths() : nodes_(1) {}

int FieldPaths::child(int node, std::string_view key) const {
  for (const auto& [name, index] : nodes_[node].children) {
    if (name == key) return index;
  }
  return -1;
}

int FieldPaths::add(std::string_view dotted_path) {
  int node = 0;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = dotted_path.find('.', start);
    std::string_view key = dotted_path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    int next = child(node, key);
    if (next < 0) {
      next = static_cast<int>(nodes_.size());
      nodes_[node].children.emplace_back(std::string(key), next);
      nodes_.emplace_back();
    }
    node = next;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (nodes_[node].slot < 0) nodes_[node].slot = static_cast<int>(slots_++);
  return nodes_[node].slot;
}

// ------------------------------------------------------------------ reader

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

JsonReader::JsonReader(std::string_view text, std::uint32_t begin, std::uint32_t end)
    : text_(text), pos_(begin), end_(end) {}

bool JsonReader::fail(std::string message) { return fail_at(pos_, std::move(message)); }

bool JsonReader::fail_at(std::uint32_t offset, std::string message) {
  error_ = {offset, std::move(message)};
  return false;
}

// "`x`", "end of file", or "a control character" for messages.
std::string JsonReader::describe_here() const {
  if (at_end()) return "end of input";
  unsigned char c = static_cast<unsigned char>(peek());
  if (c < 0x20) return fmt::format("control character U+{:04X}", c);
  if (c >= 0x80) return "a non-ASCII character";
  return fmt::format("`{}`", static_cast<char>(c));
}

void JsonReader::skip_whitespace() {
  while (!at_end()) {
    char c = peek();
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
    ++pos_;
  }
}

bool JsonReader::expect(char c, std::string_view context) {
  skip_whitespace();
  if (peek() == c && !at_end()) {
    ++pos_;
    return true;
  }
  return fail(fmt::format("expected `{}` {}, got {}", c, context, describe_here()));
}

bool JsonReader::literal(std::string_view word) {
  if (pos_ + word.size() > end_ || text_.substr(pos_, word.size()) != word) {
    return fail(fmt::format("expected a JSON value, got {}", describe_here()));
  }
  pos_ += static_cast<std::uint32_t>(word.size());
  return true;
}

// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool JsonReader::number() {
  std::uint32_t start = pos_;
  if (peek() == '-') ++pos_;
  if (peek() == '0') {
    ++pos_;
  } else if (is_digit(peek()) && !at_end()) {
    while (!at_end() && is_digit(peek())) ++pos_;
  } else {
    return fail_at(start, "malformed number");
  }
  if (!at_end() && peek() == '.') {
    ++pos_;
    if (at_end() || !is_digit(peek())) return fail("malformed number: a digit must follow `.`");
    while (!at_end() && is_digit(peek())) ++pos_;
  }
  if (!at_end() && (peek() == 'e' || peek() == 'E')) {
    ++pos_;
    if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
    if (at_end() || !is_digit(peek())) return fail("malformed number: a digit must follow the exponent");
    while (!at_end() && is_digit(peek())) ++pos_;
  }
  if (!at_end() && is_digit(peek())) return fail_at(start, "malformed number: a leading zero");
  return true;
}

// One escape after the backslash, appended to `out` as UTF-8.
bool JsonReader::escape(std::string& out) {
  std::uint32_t start = pos_ - 1;
  if (at_end()) return fail("unterminated string");
  char c = text_[pos_++];
  switch (c) {
    case '"': out += '"'; return true;
    case '\\': out += '\\'; return true;
    case '/': out += '/'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case 'n': out += '\n'; return true;
    case 'r': out += '\r'; return true;
    case 't': out += '\t'; return true;
    case 'u': break;
    default: return fail_at(start, fmt::format("invalid escape `\\{}` in a string", c));
  }
  auto read_hex4 = [&](std::uint32_t& value) {
    value = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = at_end() ? -1 : hex_value(text_[pos_]);
      if (digit < 0) return fail_at(start, "`\\u` needs four hexadecimal digits");
      value = value * 16 + static_cast<std::uint32_t>(digit);
      ++pos_;
    }
    return true;
  };
  std::uint32_t cp = 0;
  if (!read_hex4(cp)) return false;
  if (cp >= 0xDC00 && cp <= 0xDFFF) return fail_at(start, "a lone low surrogate `\\u` escape");
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    std::uint32_t low = 0;
    if (pos_ + 2 > end_ || text_.substr(pos_, 2) != "\\u") return fail_at(start, "a high surrogate without its low half");
    pos_ += 2;
    if (!read_hex4(low)) return false;
    if (low < 0xDC00 || low > 0xDFFF) return fail_at(start, "a high surrogate without its low half");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  }
  append_utf8(out, cp);
  return true;
}

// A string at `"`: `out` views the document when there is no escape, else `scratch`.
bool JsonReader::string(std::string_view& out, std::string& scratch) {
  std::uint32_t open = pos_++;
  std::uint32_t run = pos_;  // start of the text not yet copied to scratch
  bool escaped = false;
  for (;;) {
    if (at_end()) return fail_at(open, "unterminated string");
    unsigned char c = static_cast<unsigned char>(text_[pos_]);
    if (c == '"') break;
    if (c < 0x20) return fail(fmt::format("control character U+{:04X} in a string (escape it)", c));
    if (c == '\\') {
      if (!escaped) scratch.clear();
      escaped = true;
      scratch.append(text_.substr(run, pos_ - run));
      ++pos_;
      if (!escape(scratch)) return false;
      run = pos_;
      continue;
    }
    if (c < 0x80) {
      ++pos_;
      continue;
    }
    std::size_t length = model::utf8_sequence_length(text_.substr(0, end_), pos_);
    if (length == 0) return fail("bytes that are not UTF-8 in a string");
    pos_ += static_cast<std::uint32_t>(length);
  }
  if (escaped) {
    scratch.append(text_.substr(run, pos_ - run));
    out = scratch;
  } else {
    out = text_.substr(open + 1, pos_ - open - 1);
  }
  ++pos_;
  return true;
}

bool JsonReader::value(const FieldPaths* paths, int node, std::vector<JsonField>* fields, int depth) {
  skip_whitespace();
  if (depth > kMaxDepth) return fail(fmt::format("JSON nested deeper than {} levels", kMaxDepth));
  JsonField* captured = nullptr;
  if (paths && node >= 0 && paths->node(node).slot >= 0) {
    captured = &(*fields)[paths->node(node).slot];
    if (captured->kind != JsonField::Kind::Missing) return fail("the same key twice in one object");
  }
  std::uint32_t start = pos_;
  JsonField::Kind kind = JsonField::Kind::Null;
  char c = peek();
  bool ok = true;
  if (at_end()) {
    return fail("expected a JSON value, got end of input");
  } else if (c == '{') {
    kind = JsonField::Kind::Object;
    ok = object(paths, node, fields, depth + 1);
  } else if (c == '[') {
    kind = JsonField::Kind::Array;
    ok = array(depth + 1);
  } else if (c == '"') {
    kind = JsonField::Kind::String;
    std::string_view text;
    std::string& scratch = captured ? captured->owned : key_scratch_;
    ok = string(text, scratch);
    if (ok && captured) captured->text = text;
  } else if (c == 't' || c == 'f') {
    kind = JsonField::Kind::Bool;
    ok = literal(c == 't' ? "true" : "false");
  } else if (c == 'n') {
    ok = literal("null");
  } else if (c == '-' || is_digit(c)) {
    kind = JsonField::Kind::Number;
    ok = number();
  } else {
    return fail(fmt::format("expected a JSON value, got {}", describe_here()));
  }
  if (!ok) return false;
  if (captured) {
    captured->kind = kind;
    captured->begin = start;
    captured->end = pos_;
    if (kind == JsonField::Kind::Bool || kind == JsonField::Kind::Number) captured->text = text_.substr(start, pos_ - start);
  }
  return true;
}

bool JsonReader::object(const FieldPaths* paths, int node, std::vector<JsonField>* fields, int depth) {
  ++pos_;  // '{'
  skip_whitespace();
  if (peek() == '}' && !at_end()) {
    ++pos_;
    return true;
  }
  for (;;) {
    skip_whitespace();
    if (peek() != '"' || at_end()) return fail(fmt::format("expected a string key, got {}", describe_here()));
    std::string_view key;
    if (!string(key, key_scratch_)) return false;
    int child = paths && node >= 0 ? paths->child(node, key) : -1;
    if (!expect(':', "after the key")) return false;
    if (!value(paths, child, fields, depth)) return false;
    skip_whitespace();
    if (peek() == ',' && !at_end()) {
      ++pos_;
      continue;
    }
    if (peek() == '}' && !at_end()) {
      ++pos_;
      return true;
    }
    return fail(fmt::format("expected `,` or `}}` in an object, got {}", describe_here()));
  }
}

bool JsonReader::array(int depth) {
  ++pos_;  // '['
  skip_whitespace();
  if (peek() == ']' && !at_end()) {
    ++pos_;
    return true;
  }
  for (;;) {
    if (!value(nullptr, -1, nullptr, depth)) return false;
    skip_whitespace();
    if (peek() == ',' && !at_end()) {
      ++pos_;
      continue;
    }
    if (peek() == ']' && !at_end()) {
      ++pos_;
      return true;
    }
    return fail(fmt::format("expected `,` or `]` in an array, got {}", describe_here()));
  }
}

// Finds `key` among the members of the object just opened, leaving the
// reader at its value; false (with the error set) when it is not there.
bool JsonReader::find_member(std::string_view key) {
  skip_whitespace();
  if (peek() == '}' && !at_end()) return fail(fmt::format("the document has no field `{}`", key));
  for (;;) {
    skip_whitespace();
    if (peek() != '"' || at_end()) return fail(fmt::format("expected a string key, got {}", describe_here()));
    std::string_view name;
    if (!string(name, key_scratch_) || !expect(':', "after the key")) return false;
    if (name == key) return true;
    if (!value(nullptr, -1, nullptr, open_objects_)) return false;
    skip_whitespace();
    if (peek() == '}' && !at_end()) return fail(fmt::format("the document has no field `{}`", key));
    if (peek() != ',' || at_end()) return fail(fmt::format("expected `,` or `}}` in an object, got {}", describe_here()));
    ++pos_;
  }
}

bool JsonReader::enter_array(std::string_view items, JsonError& error) {
  std::size_t start = 0;
  bool ok = true;
  while (ok && !items.empty()) {
    std::size_t dot = items.find('.', start);
    std::string_view segment = items.substr(start, dot == std::string_view::npos ? dot : dot - start);
    ok = expect('{', fmt::format("(a JSON object holding `{}`)", segment));
    if (ok) {
      ++open_objects_;
      ok = find_member(segment);
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (ok) ok = expect('[', items.empty() ? "(a JSON array of records)" : fmt::format("(the record array `{}`)", items));
  if (!ok) {
    error = error_;
    return false;
  }
  first_element_ = true;
  return true;
}

bool JsonReader::record_object(const FieldPaths& paths, std::vector<JsonField>& fields) {
  fields.resize(paths.size());
  for (JsonField& f : fields) f.kind = JsonField::Kind::Missing;  // keeps each field's buffer
  skip_whitespace();
  if (peek() != '{' || at_end()) {
    return fail(at_end() ? "expected a record (a JSON object), got end of input"
                         : fmt::format("a record must be a JSON object, got {}", describe_here()));
  }
  return value(&paths, 0, &fields, 1);
}

JsonReader::Next JsonReader::next_record(const FieldPaths& paths, std::vector<JsonField>& fields,
                                         std::uint32_t& record_begin, JsonError& error) {
  skip_whitespace();
  bool closing = peek() == ']' && !at_end();
  if (!first_element_ && !closing) {
    if (peek() != ',' || at_end()) {
      fail(fmt::format("expected `,` or `]` after a record, got {}", describe_here()));
      error = error_;
      return Next::Error;
    }
    ++pos_;
    skip_whitespace();
  }
  if (closing) {
    ++pos_;
    if (!finish_document()) {
      error = error_;
      return Next::Error;
    }
    return Next::End;
  }
  first_element_ = false;
  record_begin = pos_;
  if (!record_object(paths, fields)) {
    error = error_;
    return Next::Error;
  }
  return Next::Record;
}

// After the record array: the rest of each enclosing object, then nothing.
bool JsonReader::finish_document() {
  for (; open_objects_ > 0; --open_objects_) {
    for (;;) {
      skip_whitespace();
      if (peek() == '}' && !at_end()) {
        ++pos_;
        break;
      }
      if (!expect(',', "or `}` after a value")) return false;
      skip_whitespace();
      if (peek() != '"' || at_end()) return fail(fmt::format("expected a string key, got {}", describe_here()));
      std::string_view key;
      if (!string(key, key_scratch_) || !expect(':', "after the key")) return false;
      if (!value(nullptr, -1, nullptr, open_objects_)) return false;
    }
  }
  skip_whitespace();
  if (!at_end()) return fail(fmt::format("text after the end of the JSON document: {}", describe_here()));
  return true;
}

bool JsonReader::read_single_record(const FieldPaths& paths, std::vector<JsonField>& fields, JsonError& error) {
  if (!record_object(paths, fields)) {
    error = error_;
    return false;
  }
  skip_whitespace();
  if (!at_end()) {
    fail(fmt::format("text after the record's closing `}}`: {}", describe_here()));
    error = error_;
    return false;
  }
  return true;
}

}  // namespace csp::audit
