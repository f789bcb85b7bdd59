// The audit reports' format table: name, file extension and writer.
#include <fmt/format.h>

#include "reports/audit.h"

namespace csp::reports {

namespace {

struct AuditFormatEntry {
  AuditFormat format;
  std::string_view name;
  std::string_view extension;
  void (*write)(const AuditReport&, const ReportContext&, std::ostream&);
};

constexpr AuditFormatEntry kAuditFormats[] = {
    {AuditFormat::Text, "text", "txt", write_audit_text},
    {AuditFormat::Json, "json", "json", write_audit_json},
    {AuditFormat::Csv, "csv", "csv", write_audit_csv},
    {AuditFormat::Sarif, "sarif", "sarif", write_audit_sarif},
    {AuditFormat::Junit, "junit", "junit.xml", write_audit_junit},
    {AuditFormat::Html, "html", "html", write_audit_html},
};

}  // namespace

std::optional<AuditFormat> parse_audit_format(std::string_view name) {
  for (const auto& f : kAuditFormats) {
    if (f.name == name || f.extension == name) return f.format;
  }
  if (name == "xml") return AuditFormat::Junit;
  return std::nullopt;
}

std::string_view audit_format_name(AuditFormat format) {
  for (const auto& f : kAuditFormats) {
    if (f.format == format) return f.name;
  }
  return "text";
}

std::string_view audit_format_extension(AuditFormat format) {
  for (const auto& f : kAuditFormats) {
    if (f.format == format) return f.extension;
  }
  return "txt";
}

std::vector<std::string> audit_format_names() {
  std::vector<std::string> names;
  for (const auto& f : kAuditFormats) names.emplace_back(f.name);
  return names;
}

void write_audit_report(AuditFormat format, const AuditReport& report, const ReportContext& context,
                        std::ostream& out) {
  for (const auto& f : kAuditFormats) {
    if (f.format == format) return f.write(report, context, out);
  }
}

}  // namespace csp::reports
