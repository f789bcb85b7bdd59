// A small RFC 4180 reader that remembers where every field came from.
#include "model/csv.h"

#include <fmt/format.h>

namespace csp::model {

namespace {

class CsvReader {
 public:
  CsvReader(const SourceManager& sources, int file, DiagnosticSink& sink)
      : text_(sources.text(file)), file_(file), sink_(sink) {
    if (text_.rfind("\xEF\xBB\xBF", 0) == 0) pos_ = 3;
  }

  std::optional<CsvTable> read() {
    std::vector<CsvRecord> records;
    bool ok = true;
    while (skip_blank_lines()) {
      auto record = read_record();
      if (!record) return std::nullopt;  // the rest of the file cannot be trusted
      records.push_back(std::move(*record));
    }
    if (records.empty()) {
      sink_.error({file_, 0, 0}, "CSV file has no header line");
      return std::nullopt;
    }
    CsvTable table;
    table.header = std::move(records.front());
    for (std::size_t i = 1; i < records.size(); ++i) {
      std::size_t got = records[i].fields.size();
      std::size_t want = table.header.fields.size();
      if (got != want) {
        sink_.error(records[i].range, fmt::format("CSV row has {} field{}, the header has {}", got,
                                                  got == 1 ? "" : "s", want));
        ok = false;
      }
      table.rows.push_back(std::move(records[i]));
    }
    if (!ok) return std::nullopt;
    return table;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }
  bool at_line_break() const { return peek() == '\n' || (peek() == '\r' && next_is('\n')); }
  bool next_is(char c) const { return pos_ + 1 < text_.size() && text_[pos_ + 1] == c; }
  void skip_line_break() { pos_ += peek() == '\r' ? 2 : 1; }
  SourceRange range(std::size_t begin, std::size_t end) const {
    return {file_, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
  }

  // Returns false at the end of the text.
  bool skip_blank_lines() {
    while (!at_end() && at_line_break()) skip_line_break();
    return !at_end();
  }

  std::optional<CsvRecord> read_record() {
    CsvRecord record;
    std::size_t start = pos_;
    for (;;) {
      auto field = peek() == '"' ? read_quoted_field() : read_plain_field();
      if (!field) return std::nullopt;
      record.fields.push_back(std::move(*field));
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      break;
    }
    record.range = range(start, pos_);
    if (!at_end()) skip_line_break();
    return record;
  }

  std::optional<CsvField> read_plain_field() {
    std::size_t start = pos_;
    while (!at_end() && peek() != ',' && !at_line_break()) ++pos_;
    return CsvField{text_.substr(start, pos_ - start), range(start, pos_)};
  }

  std::optional<CsvField> read_quoted_field() {
    std::size_t start = pos_++;
    std::string value;
    for (;;) {
      if (at_end()) {
        std::size_t line_end = text_.find('\n', start);
        if (line_end == std::string::npos) line_end = text_.size();
        if (line_end > start && text_[line_end - 1] == '\r') --line_end;
        sink_.error(range(start, line_end), "unterminated quoted field in CSV");
        return std::nullopt;
      }
      char c = text_[pos_++];
      if (c != '"') {
        value += c;
      } else if (peek() == '"') {
        value += '"';
        ++pos_;
      } else {
        break;
      }
    }
    if (!at_end() && peek() != ',' && !at_line_break()) {
      sink_.error(range(pos_, pos_ + 1),
                  fmt::format("expected `,` or end of line after a quoted CSV field, got `{}`", peek()));
      return std::nullopt;
    }
    return CsvField{std::move(value), range(start, pos_)};
  }

  const std::string& text_;
  int file_;
  DiagnosticSink& sink_;
  std::size_t pos_ = 0;
};

}  // namespace

std::vector<std::string> CsvTable::column_names() const {
  std::vector<std::string> names;
  for (const auto& field : header.fields) names.push_back(field.text);
  return names;
}

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.fields.size(); ++i) {
    if (header.fields[i].text == name) return static_cast<int>(i);
  }
  return -1;
}

std::optional<CsvTable> parse_csv(const SourceManager& sources, int file, DiagnosticSink& sink) {
  return CsvReader(sources, file, sink).read();
}

}  // namespace csp::model
