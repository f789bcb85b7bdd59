// The format table and the dispatch from a Format to its writer.
#include "reports/report.h"

#include <array>

#include "model/sweep.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

using Writer = void (*)(const model::RunReport&, const ReportContext&, std::ostream&);

struct FormatInfo {
  Format format;
  std::string_view name;
  std::string_view extension;
  Writer writer;
};

constexpr std::array<FormatInfo, 7> kFormats = {{
    {Format::Text, "text", "txt", write_text},
    {Format::Json, "json", "json", write_json},
    {Format::Dot, "dot", "dot", write_dot},
    {Format::Html, "html", "html", write_html},
    {Format::Markdown, "markdown", "md", write_markdown},
    {Format::Junit, "junit", "junit.xml", write_junit},
    {Format::Sarif, "sarif", "sarif", write_sarif},
}};

const FormatInfo& info(Format format) {
  for (const auto& entry : kFormats) {
    if (entry.format == format) return entry;
  }
  return kFormats.front();  // unreachable: the table lists every Format
}

}  // namespace

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& entry : kFormats) {
    if (name == entry.name || name == entry.extension) return entry.format;
  }
  return std::nullopt;
}

std::string_view format_name(Format format) { return info(format).name; }

std::string_view format_extension(Format format) { return info(format).extension; }

std::vector<std::string> format_names() {
  std::vector<std::string> names;
  for (const auto& entry : kFormats) names.emplace_back(entry.name);
  return names;
}

void write_report(Format format, const model::RunReport& report, const ReportContext& context,
                  std::ostream& out) {
  // A sweep's reports show each check once, by its deciding result with its
  // steps (model/sweep.h); the JSON report keeps every step, for `cspverify merge`.
  if (!report.sweep.empty() && !report.sweep_view && format != Format::Json) {
    info(format).writer(model::sweep_view(report), context, out);
    return;
  }
  info(format).writer(report, context, out);
}

std::string summary_line(const model::RunReport& report) {
  return "summary: " + summary_text(summarize(report)) + "\n";
}

}  // namespace csp::reports
