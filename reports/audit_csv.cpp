// The audit's CSV report (RFC 4180): one row per listed violation, then one
// summary row with the run's counts, so a spreadsheet gets both.
#include <fmt/format.h>

#include "reports/audit_view.h"
#include "reports/escape.h"

namespace csp::reports {

namespace {

// A field quoted when it holds a comma, a quote or a line break.
std::string csv_field(std::string_view text) {
  std::string valid = valid_utf8(text);
  if (valid.find_first_of(",\"\r\n") == std::string::npos) return valid;
  std::string out = "\"";
  for (char c : valid) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
  out << "\r\n";
}

}  // namespace

void write_audit_csv(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  row(out, {"kind", "rule", "source", "formula", "entities", "file", "line", "explanation", "facts", "records_read",
            "records_skipped", "records_checked", "violations"});
  if (report.result && report.data) {
    const model::Instance& instance = report.data->instance;
    for (const auto& v : report.result->violations) {
      const model::FormulaDecl& rule = context.model.rules[v.rule];
      Location where = v.bindings.empty() ? Location{} : locate(context.sources, report.data->entity_origin[v.bindings[0].entity]);
      std::vector<std::string> facts;
      for (const auto& fact : v.facts) {
        facts.push_back(fmt::format("{} {}", record_where(context.sources, fact.origin), fact_text(context.model, instance, fact)));
      }
      if (v.facts_omitted) facts.push_back(fmt::format("... and {} more", v.facts_omitted));
      row(out, {"violation", rule.name, rule.source, std::to_string(v.formula), bindings_text(context.model, instance, v),
                where.file, where.valid() ? std::to_string(where.line) : "",
                fmt::format("{}", fmt::join(v.explanation, "\n")), fmt::format("{}", fmt::join(facts, "\n")), "", "", "",
                ""});
    }
  }
  AuditTotals t = audit_totals(report, context.model);
  row(out, {"summary", "", "", "", "", report.data_dir, "", totals_text(t), "", std::to_string(t.records_read),
            std::to_string(t.records_skipped), std::to_string(t.records_checked), std::to_string(t.violations)});
}

}  // namespace csp::reports
