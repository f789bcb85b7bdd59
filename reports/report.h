// The reports' entry point: one RunReport, written in any output format.
// Formats are table-driven (name, file extension, writer); every writer
// prints to the stream it is given and is deterministic: the same input
// gives byte-identical output (timings only when options.timings).
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "model/ast.h"
#include "model/source.h"
#include "model/result.h"

namespace csp::reports {

struct ReportOptions {
  bool timings = true;   // print time_ms (off for golden files and reproducible reports)
  bool color = false;    // ANSI colour in the text report (the CLI decides: terminal and no NO_COLOR)
  /// JUnit's required run time stamp, `YYYY-MM-DDTHH:MM:SS` (UTC); the CLI
  /// sets it. Empty prints the fixed 1970-01-01T00:00:00, keeping output reproducible.
  std::string timestamp;
  /// Graphviz program the HTML report runs to draw graphs as inline SVG;
  /// empty (or not found) embeds the DOT source instead.
  std::string dot_program = "dot";
};

struct ReportContext {
  const model::Model& model;
  const model::SourceManager& sources;
  ReportOptions options;
};

enum class Format { Text, Json, Dot, Html, Markdown, Junit, Sarif };

/// Accepts a format's name (`text`, `json`, `dot`, `html`, `markdown`,
/// `junit`, `sarif`) or its file extension (`txt`, `md`, ...).
std::optional<Format> parse_format(std::string_view name);
std::string_view format_name(Format format);
/// Extension of a report file, without the dot: `txt`, `json`, `junit.xml`, ...
std::string_view format_extension(Format format);
/// Every format's name, in table order (for help text and suggestions).
std::vector<std::string> format_names();

void write_report(Format format, const model::RunReport& report, const ReportContext& context,
                  std::ostream& out);

/// One DOT file per graph: `property-no_self_sale.dot`, `scenario-cross_region_sale.dot`.
struct DotFile {
  std::string name;      // <kind>-<name>.dot, the name made file-safe
  std::string contents;  // one digraph
};
/// Every graph of the run, one digraph each (the DOT report writes them all
/// into one file, which `dot -Tsvg` reads only the first graph of).
std::vector<DotFile> dot_files(const model::RunReport& report, const ReportContext& context);

/// "summary: 3 properties: 2 proved, ...", the line the text report ends
/// with; the console prints it also when every report goes to files (--out).
std::string summary_line(const model::RunReport& report);

}  // namespace csp::reports
