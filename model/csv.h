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

/// Parses an already loaded CSV file. Malformed input (an unterminated quote,
/// a record whose field count differs from the header's) is reported at the
/// offending line and yields nullopt. Blank lines are skipped; a leading UTF-8
/// byte order mark is ignored.
std::optional<CsvTable> parse_csv(const SourceManager& sources, int file, DiagnosticSink& sink);

}  // namespace csp::model
