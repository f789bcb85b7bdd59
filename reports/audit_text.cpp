// The audit's text report: what was read, each rule's outcome, the partners
// with the most violations, then every violation with its entities, the
// evaluator's explanation and the data records it rests on.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "reports/audit_view.h"
#include "reports/escape.h"

namespace csp::reports {

namespace {

constexpr std::size_t kTopPartners = 20;

void write_files(const AuditReport& report, std::ostream& out) {
  if (!report.data || report.data->files.empty()) return;
  out << "data:\n";
  std::size_t width = 0;
  for (const auto& f : report.data->files) width = std::max(width, f.path.size());
  for (const auto& f : report.data->files) {
    out << fmt::format("  {:<{}}  {} read, {} skipped, {} filtered, {} checked\n", terminal_safe(f.path), width, f.read,
                       f.skipped, f.filtered, f.checked());
  }
}

void write_data_errors(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  if (report.data_errors.empty()) return;
  out << fmt::format("data errors ({}):\n", report.data_errors.size());
  for (const auto& d : report.data_errors) out << "  " << terminal_safe(data_error_line(context.sources, d)) << "\n";
}

void write_rules(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  if (!report.result) return;
  out << "rules:\n";
  for (const auto& outcome : report.result->rules) {
    if (!outcome.selected) continue;
    bool unknown = !outcome.unknown_reason.empty();
    std::string status = unknown               ? "UNKNOWN "
                         : !outcome.complete    ? "NOT RUN "
                         : outcome.violations > 0 ? "VIOLATED"
                                                  : "ok      ";
    std::string count = outcome.violations > 0 ? fmt::format("  {} violation{}", outcome.violations,
                                                             outcome.violations == 1 ? "" : "s")
                                               : "";
    std::string time = context.options.timings && outcome.evaluated ? fmt::format(", {}", format_ms(outcome.ms)) : "";
    out << fmt::format("  {}  {}{}  ({} candidate bindings{})\n", status,
                       terminal_safe(rule_label(context.model, outcome.rule)), count, outcome.candidates, time);
    if (unknown) {
      out << fmt::format("            {} ({})\n", terminal_safe(outcome.unknown_reason),
                         terminal_safe(context.sources.where(outcome.unknown_at)));
    }
    if (outcome.listed < outcome.violations) {
      out << fmt::format("            {} listed below; raise --max-violations to list all\n", outcome.listed);
    }
  }
}

void write_partners(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  auto partners = partner_summaries(context.model, report);
  if (partners.empty()) return;
  out << fmt::format("partners with violations ({}{}):\n", partners.size(),
                     partners.size() > kTopPartners ? fmt::format(", the first {}", kTopPartners) : "");
  const model::Instance& instance = report.data->instance;
  for (std::size_t i = 0; i < partners.size() && i < kTopPartners; ++i) {
    std::vector<std::string> sources;
    for (int rule : partners[i].rules) {
      const auto& decl = context.model.rules[rule];
      sources.push_back(decl.source.empty() ? decl.name : decl.source);
    }
    out << fmt::format("  {}  {} violation{}  {}\n", terminal_safe(entity_key(instance, partners[i].entity)),
                       partners[i].violations, partners[i].violations == 1 ? "" : "s",
                       terminal_safe(fmt::format("{}", fmt::join(sources, ", "))));
  }
}

void write_violation(const AuditReport& report, const ReportContext& context, const audit::Violation& v,
                     std::ostream& out) {
  const model::FormulaDecl& rule = context.model.rules[v.rule];
  const model::Instance& instance = report.data->instance;
  out << fmt::format("  {}: {}\n", terminal_safe(rule_label(context.model, v.rule)), terminal_safe(rule.description));
  for (const auto& b : v.bindings) {
    std::string where = record_where(context.sources, report.data->entity_origin[b.entity]);
    out << fmt::format("    {} = {}{}\n", terminal_safe(b.variable), terminal_safe(entity_label(context.model, instance, b.entity)),
                       where.empty() ? "" : fmt::format(" ({})", terminal_safe(where)));
  }
  if (!v.message.empty()) out << "    in words: " << terminal_safe(v.message) << "\n";
  for (const auto& line : v.explanation) out << "    " << terminal_safe(line) << "\n";
  if (v.facts.empty()) return;
  out << "    facts:\n";
  for (const auto& fact : v.facts) {
    out << fmt::format("      {}  {}\n", terminal_safe(record_where(context.sources, fact.origin)),
                       terminal_safe(fact_text(context.model, instance, fact)));
  }
  if (v.facts_omitted > 0) out << fmt::format("      ... and {} more\n", v.facts_omitted);
}

}  // namespace

void write_audit_text(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  out << fmt::format("cspverify audit of `{}` against {}\n", terminal_safe(report.data_dir),
                     terminal_safe(fmt::format("{}", fmt::join(report.inputs, " "))));
  write_files(report, out);
  write_data_errors(report, context, out);
  if (report.data && !report.data->complete) {
    out << fmt::format("data incomplete ({}): rules {}\n", terminal_safe(report.data->stop_reason),
                       report.result ? "evaluated on what was read" : "not evaluated");
  }
  write_rules(report, context, out);
  write_partners(report, context, out);
  if (report.result && !report.result->violations.empty()) {
    out << "violations:\n";
    for (const auto& v : report.result->violations) write_violation(report, context, v, out);
  }
  AuditTotals totals = audit_totals(report, context.model);
  out << "summary: " << totals_text(totals);
  if (context.options.timings) {
    out << fmt::format(" (read {}, evaluated {})", format_ms(report.load_ms), format_ms(report.evaluate_ms));
  }
  out << "\n";
}

std::string audit_summary_line(const AuditReport& report, const ReportContext& context) {
  return "summary: " + totals_text(audit_totals(report, context.model)) + "\n";
}

}  // namespace csp::reports
