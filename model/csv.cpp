// A small RFC 4180 reader that remembers where every field came from.
#include "model/csv.h"

#include <fmt/format.h>

namespace csp::model {

CsvRecordReader::CsvRecordReader(const SourceManager& sources, int file) : text_(sources.text(file)), file_(file) {
  if (text_.rfind("\xEF\xBB\xBF", 0) == 0) pos_ = 3;
}

bool CsvRecordReader::at_line_break() const {
  return peek() == '\n' || (peek() == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n');
}

void CsvRecordReader::skip_line_break() { pos_ += peek() == '\r' ? 2 : 1; }

SourceRange CsvRecordReader::range(std::size_t begin, std::size_t end) const {
  return {file_, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)};
}

// Returns false at the end of the text.
bool CsvRecordReader::skip_blank_lines() {
  while (!at_end() && at_line_break()) skip_line_break();
  return !at_end();
}

CsvRecordReader::Next CsvRecordReader::next(CsvRecord& record, DiagnosticSink& sink) {
  record.fields.clear();
  if (!skip_blank_lines()) return Next::End;
  std::size_t start = pos_;
  for (;;) {
    auto field = peek() == '"' ? read_quoted_field(sink) : read_plain_field();
    if (!field) {
      // Resume on the line after the record's first line: the rest of this
      // line cannot be split into fields with any confidence.
      std::size_t line_end = text_.find('\n', start);
      pos_ = line_end == std::string::npos ? text_.size() : line_end + 1;
      record.range = range(start, start);
      return Next::Malformed;
    }
    record.fields.push_back(std::move(*field));
    if (peek() != ',') break;
    ++pos_;
  }
  record.range = range(start, pos_);
  if (!at_end()) skip_line_break();
  return Next::Record;
}

std::optional<CsvField> CsvRecordReader::read_plain_field() {
  std::size_t start = pos_;
  while (!at_end() && peek() != ',' && !at_line_break()) ++pos_;
  return CsvField{std::string(text_.substr(start, pos_ - start)), range(start, pos_)};
}

std::optional<CsvField> CsvRecordReader::read_quoted_field(DiagnosticSink& sink) {
  std::size_t start = pos_++;
  std::string value;
  for (;;) {
    if (at_end()) {
      std::size_t line_end = text_.find('\n', start);
      if (line_end == std::string::npos) line_end = text_.size();
      if (line_end > start && text_[line_end - 1] == '\r') --line_end;
      sink.error(range(start, line_end), "unterminated quoted field in CSV");
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
    sink.error(range(pos_, pos_ + 1),
               fmt::format("expected `,` or end of line after a quoted CSV field, got `{}`", peek()));
    return std::nullopt;
  }
  return CsvField{std::move(value), range(start, pos_)};
}

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

// The whole file as a table; any malformed record fails it, as the rest of
// a spec's data cannot be trusted then.
std::optional<CsvTable> parse_csv(const SourceManager& sources, int file, DiagnosticSink& sink) {
  CsvRecordReader reader(sources, file);
  std::vector<CsvRecord> records;
  CsvRecord record;
  for (;;) {
    auto next = reader.next(record, sink);
    if (next == CsvRecordReader::Next::End) break;
    if (next == CsvRecordReader::Next::Malformed) return std::nullopt;
    records.push_back(std::move(record));
  }
  if (records.empty()) {
    sink.error({file, 0, 0}, "CSV file has no header line");
    return std::nullopt;
  }
  CsvTable table;
  table.header = std::move(records.front());
  bool ok = true;
  for (std::size_t i = 1; i < records.size(); ++i) {
    std::size_t got = records[i].fields.size();
    std::size_t want = table.header.fields.size();
    if (got != want) {
      sink.error(records[i].range,
                 fmt::format("CSV row has {} field{}, the header has {}", got, got == 1 ? "" : "s", want));
      ok = false;
    }
    table.rows.push_back(std::move(records[i]));
  }
  if (!ok) return std::nullopt;
  return table;
}

}  // namespace csp::model
