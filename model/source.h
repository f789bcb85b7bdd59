// Source buffers and locations. Every AST node carries a SourceRange (byte
// offsets); line and column are computed only when a message is rendered.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace csp::model {

struct SourceRange {
  int file = -1;            // index into SourceManager, -1 = no location
  std::uint32_t begin = 0;  // byte offset, inclusive
  std::uint32_t end = 0;    // byte offset, exclusive
  bool valid() const { return file >= 0; }
};

/// Merges two ranges of the same file into the smallest range covering both.
SourceRange join(SourceRange a, SourceRange b);

struct LineCol {
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, in code points
};

/// Owns the text of every loaded file, so a caret line never rereads a file.
class SourceManager {
 public:
  /// Adds an in-memory buffer (tests use this directly) and returns its id.
  int add(std::string path, std::string text);
  /// Adds bytes owned elsewhere (a data file mapped into memory, read in
  /// place rather than copied); `owner` keeps them alive while this manager lives.
  int add_view(std::string path, std::string_view text, std::shared_ptr<const void> owner);
  /// Reads a file from disk; nullopt when it cannot be read.
  std::optional<int> load(const std::string& path);

  const std::string& path(int file) const { return files_[file].path; }
  std::string_view text(int file) const { return files_[file].text; }
  std::size_t size() const { return files_.size(); }

  LineCol line_col(int file, std::uint32_t offset) const;
  /// The text of 1-based line `line`, without its newline.
  std::string_view line_text(int file, std::uint32_t line) const;
  /// `path:line:col` of the start of a range (empty string for no location).
  std::string where(SourceRange range) const;

 private:
  struct File {
    std::string path;
    std::shared_ptr<const void> owner;  // keeps `text` alive (it may not own it: a mapping)
    std::string_view text;
    std::vector<std::uint32_t> line_starts;
  };
  std::vector<File> files_;
};

}  // namespace csp::model
