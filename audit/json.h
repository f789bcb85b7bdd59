// A strict, streaming JSON reader for audit data (RFC 8259: no comments, no
// trailing commas, no NaN, strings of well-formed UTF-8 without raw control
// characters, at most kMaxDepth levels). It walks a REST response down to its
// record array (`items`), or reads one NDJSON line, and captures only the
// fields a mapping names; everything else is validated and skipped, so a
// million records cost one pass and no tree. Errors carry the byte offset,
// which the caller turns into file:line:col.
//
// No Debian library fits better: nlohmann-json and RapidJSON build a DOM (or
// SAX without source offsets) and accept a document only whole, whereas the
// audit needs an error per record, with its position, and to go on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace csp::audit {

/// One captured field of a record.
struct JsonField {
  enum class Kind { Missing, Null, Bool, Number, String, Object, Array };
  Kind kind = Kind::Missing;
  /// String: the unescaped text; Number: as written; Bool: `true` / `false`.
  /// Points into the document, or into `owned` when unescaping changed it.
  std::string_view text;
  std::string owned;
  std::uint32_t begin = 0, end = 0;  // byte range of the value in the document
};

/// The field paths to capture, as a trie of object keys ("a.b.c").
class FieldPaths {
 public:
  FieldPaths();
  /// Registers a dotted path and returns its slot (the same path, the same slot).
  int add(std::string_view dotted_path);
  std::size_t size() const { return slots_; }

  struct Node {
    std::vector<std::pair<std::string, int>> children;  // key -> node index
    int slot = -1;
  };
  const Node& node(int index) const { return nodes_[index]; }
  int child(int node, std::string_view key) const;

 private:
  std::vector<Node> nodes_;  // nodes_[0] is the root
  std::size_t slots_ = 0;
};

struct JsonError {
  std::uint32_t offset = 0;
  std::string message;  // lowercase, no final period
};

class JsonReader {
 public:
  static constexpr int kMaxDepth = 64;

  /// Reads `text[begin, end)`; offsets in fields and errors are into `text`.
  JsonReader(std::string_view text, std::uint32_t begin, std::uint32_t end);

  /// Positions the reader inside the record array: the document itself when
  /// `items` is empty, else the array at that dotted path of object keys.
  bool enter_array(std::string_view items, JsonError& error);

  enum class Next { Record, End, Error };
  /// The next element of the array entered: an object whose captured fields
  /// land in `fields` (resized to paths.size()); `record_begin` is where it
  /// starts. End also checks that the rest of the document is well formed.
  Next next_record(const FieldPaths& paths, std::vector<JsonField>& fields, std::uint32_t& record_begin,
                   JsonError& error);

  /// The whole range as one record object (an NDJSON line).
  bool read_single_record(const FieldPaths& paths, std::vector<JsonField>& fields, JsonError& error);

 private:
  bool value(const FieldPaths* paths, int node, std::vector<JsonField>* fields, int depth);
  bool object(const FieldPaths* paths, int node, std::vector<JsonField>* fields, int depth);
  bool array(int depth);
  bool string(std::string_view& out, std::string& scratch);
  bool escape(std::string& out);
  bool number();
  bool literal(std::string_view word);
  bool record_object(const FieldPaths& paths, std::vector<JsonField>& fields);
  bool finish_document();
  bool find_member(std::string_view key);
  void skip_whitespace();
  bool expect(char c, std::string_view context);
  char peek() const { return pos_ < end_ ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= end_; }
  bool fail(std::string message);
  bool fail_at(std::uint32_t offset, std::string message);
  std::string describe_here() const;

  std::string_view text_;
  std::uint32_t pos_;
  std::uint32_t end_;
  JsonError error_;
  bool first_element_ = true;
  int open_objects_ = 0;  // objects around the record array, left to close after it
  std::string key_scratch_;
};

}  // namespace csp::audit
