// RFC 4180 CSV reading for `enum ... from` and `table ... from`: a header
// line, quoted fields with commas, newlines and "" escapes, CRLF tolerated.
// Every field keeps its SourceRange so errors point into the CSV file.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/diagnostics.h"
#include "model/source.h"

namespace csp::model {

struct CsvField {
  std::string text;   // unquoted, "" unescaped
  SourceRange range;  // includes the quotes of a quoted field
};

struct CsvRecord {
  std::vector<CsvField> fields;
  SourceRange range;  // the whole record, without its line break
};

struct CsvTable {
  CsvRecord header;
  std::vector<CsvRecord> rows;

  std::vector<std::string> column_names() const;
  /// Index of the header column named `name`, or -1.
  int column(const std::string& name) const;
};

/// Reads a loaded CSV file one record at a time: for data too large to hold
/// as a table, and for readers that skip a malformed record and go on (the
/// audit). Blank lines are skipped; a leading UTF-8 byte order mark is ignored.
class CsvRecordReader {
 public:
  CsvRecordReader(const SourceManager& sources, int file);

  enum class Next { Record, Malformed, End };
  /// Reads the next record into `record`. A malformed one (an unterminated
  /// quote, text after a closing quote) is reported in `sink` and reading
  /// resumes on the line after the one it started on.
  Next next(CsvRecord& record, DiagnosticSink& sink);

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool at_end() const { return pos_ >= text_.size(); }
  bool at_line_break() const;
  void skip_line_break();
  SourceRange range(std::size_t begin, std::size_t end) const;
  bool skip_blank_lines();
  std::optional<CsvField> read_plain_field();
  std::optional<CsvField> read_quoted_field(DiagnosticSink& sink);

  std::string_view text_;
  int file_;
  std::size_t pos_ = 0;
};

/// Parses an already loaded CSV file. Malformed input (an unterminated quote,
/// a record whose field count differs from the header's) is reported at the
/// offending line and yields nullopt. Blank lines are skipped; a leading UTF-8
/// byte order mark is ignored.
std::optional<CsvTable> parse_csv(const SourceManager& sources, int file, DiagnosticSink& sink);

}  // namespace csp::model
