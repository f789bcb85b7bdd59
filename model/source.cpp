#include "model/source.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace csp::model {

namespace {

// A UTF-8 byte order mark at the start of a file is not part of line 1: the
// lexer and the CSV reader skip it, columns and caret lines leave it out.
std::uint32_t bom_length(std::string_view text) { return text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0; }

}  // namespace

SourceRange join(SourceRange a, SourceRange b) {
  if (!a.valid()) return b;
  if (!b.valid() || a.file != b.file) return a;
  return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

int SourceManager::add(std::string path, std::string text) {
  // On the heap, so the view stays put when files_ grows (a short string's bytes would move).
  auto owned = std::make_shared<const std::string>(std::move(text));
  std::string_view view = *owned;
  return add_view(std::move(path), view, std::move(owned));
}

int SourceManager::add_view(std::string path, std::string_view text, std::shared_ptr<const void> owner) {
  File file{std::move(path), std::move(owner), text, {0}};
  // memchr: a data file for `cspverify audit` can have millions of lines.
  const char* begin = file.text.data();
  const char* end = begin + file.text.size();
  for (const char* at = begin; (at = static_cast<const char*>(std::memchr(at, '\n', end - at))) != nullptr; ++at) {
    file.line_starts.push_back(static_cast<std::uint32_t>(at - begin + 1));
  }
  files_.push_back(std::move(file));
  return static_cast<int>(files_.size()) - 1;
}

std::optional<int> SourceManager::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return add(path, text.str());
}

LineCol SourceManager::line_col(int file, std::uint32_t offset) const {
  const auto& starts = files_[file].line_starts;
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  auto line = static_cast<std::uint32_t>(it - starts.begin());
  std::uint32_t column = 1;
  std::string_view text = files_[file].text;
  // Count code points, not bytes: skip UTF-8 continuation bytes.
  std::uint32_t begin = line == 1 ? bom_length(text) : starts[line - 1];
  for (std::uint32_t i = begin; i < offset && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

std::string_view SourceManager::line_text(int file, std::uint32_t line) const {
  const auto& f = files_[file];
  if (line == 0 || line > f.line_starts.size()) return {};
  std::uint32_t begin = line == 1 ? bom_length(f.text) : f.line_starts[line - 1];
  std::uint32_t end = line < f.line_starts.size() ? f.line_starts[line] - 1
                                                  : static_cast<std::uint32_t>(f.text.size());
  if (end > begin && f.text[end - 1] == '\r') --end;
  return f.text.substr(begin, end - begin);
}

std::string SourceManager::where(SourceRange range) const {
  if (!range.valid()) return "";
  LineCol lc = line_col(range.file, range.begin);
  return fmt::format("{}:{}:{}", path(range.file), lc.line, lc.column);
}

}  // namespace csp::model
