// The lint report's shared facts and its text section; see lint.h.
#include <cmath>

#include <fmt/format.h>

#include "model/diagnostics.h"
#include "reports/escape.h"
#include "reports/lint.h"
#include "reports/view.h"

namespace csp::reports {

const std::vector<LintCheck>& lint_checks() {
  static const std::vector<LintCheck> checks = {
      {"redundant-rule", "RedundantRule", "a rule the other rules imply"},
      {"vacuous-rule", "VacuousRule", "a rule whose premise never holds given the other rules"},
      {"unneeded-rule", "UnneededRule",
       "a rule in no proved property's minimal core and no forbidden scenario's core"},
      {"uncovered-rule", "UncoveredRule", "a rule no scenario exercises"},
      {"property-needs-no-rule", "PropertyNeedsNoRule", "a property that holds without any rule"},
      {"unused-define", "UnusedDefine", "a define no rule or property calls"},
      {"unused-attribute", "UnusedAttribute", "an attribute no rule, property or define reads"},
      {"unused-relation", "UnusedRelation", "a relation no rule, property or define reads"},
      {"unused-table", "UnusedTable", "a table no rule, property or define reads"},
      {"unused-enum", "UnusedEnum", "an enum nothing has the type of and no formula names a value of"},
      {"unused-import", "UnusedImport", "an import whose data no rule, property or define reads"},
  };
  return checks;
}

std::string_view lint_severity(const model::LintReport& lint) { return lint.strict ? "error" : "warning"; }

std::string coverage_figure(const model::LintReport& lint) {
  int total = static_cast<int>(lint.coverage.size());
  int covered = lint.covered_rules();
  if (total == 0) return "0/0 rules";
  // Rounded down, so 99.6% never reads as full coverage.
  return fmt::format("{}/{} rules ({}%)", covered, total, covered * 100 / total);
}

std::string lint_summary_text(const model::LintReport& lint) {
  std::size_t count = lint.findings.size();
  std::string text = fmt::format("{} {}{}", count, lint_severity(lint), count == 1 ? "" : "s");
  if (!lint.undecided.empty()) text += fmt::format(", {} not decided", lint.undecided.size());
  if (!lint.solver_checks_skipped.empty()) text += ", solver checks skipped";
  text += "; scenario coverage: " + coverage_figure(lint);
  return text;
}

namespace {

model::Diagnostic diagnostic_of(const model::LintFinding& finding, const model::LintReport& lint,
                                const model::Model& model) {
  model::Diagnostic d;
  d.severity = lint.strict ? model::Severity::Error : model::Severity::Warning;
  d.range = finding.range;
  d.message = fmt::format("{} [{}]", finding.message, finding.id);
  d.code = finding.id;
  for (int id : finding.rules) {
    const auto* rule = rule_of(model, id);
    if (rule) d.notes.push_back({rule->range, fmt::format("{} is here", rule_label(model, id))});
  }
  return d;
}

std::string coverage_line(const model::RuleCoverage& c, const model::Model& model) {
  std::vector<std::string> parts;
  if (!c.forbidding.empty()) {
    parts.push_back(fmt::format("forbids {} scenario{}", c.forbidding.size(), c.forbidding.size() == 1 ? "" : "s"));
  }
  if (!c.applying.empty()) {
    parts.push_back(fmt::format("applies in {} allowed scenario{}", c.applying.size(),
                                c.applying.size() == 1 ? "" : "s"));
  }
  std::string what = parts.empty() ? "NOT EXERCISED" : fmt::format("{}", fmt::join(parts, ", "));
  return fmt::format("  {:<14} {}\n", c.covered() ? "covered" : "uncovered",
                     fmt::format("{}: {}", rule_label(model, c.rule_id), what));
}

}  // namespace

std::string lint_text(const model::LintReport& lint, const ReportContext& context) {
  std::string out;
  for (const auto& finding : lint.findings) {
    out += model::render(diagnostic_of(finding, lint, context.model), context.sources);
  }
  if (!lint.solver_checks_skipped.empty()) {
    out += fmt::format("lint: solver checks skipped: {}\n", lint.solver_checks_skipped);
  }
  for (const auto& item : lint.undecided) {
    std::string where = context.sources.where(item.range);
    out += fmt::format("{}: not decided: {} `{}`: {}\n", where.empty() ? "cspverify" : where, item.check,
                       item.subject, item.reason);
  }
  out += fmt::format("scenario coverage: {}", coverage_figure(lint));
  if (lint.scenarios_unknown > 0) {
    out += fmt::format(" ({} scenario{} undecided, counted as exercising nothing)", lint.scenarios_unknown,
                       lint.scenarios_unknown == 1 ? "" : "s");
  }
  out += "\n";
  for (const auto& c : lint.coverage) out += coverage_line(c, context.model);
  return terminal_safe(out);
}

}  // namespace csp::reports
