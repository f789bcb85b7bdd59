// Lint findings in the SARIF report: one result per finding, its ruleId the
// lint check's id, level "warning" ("error" with --strict), located at the
// declaration, with the rules it names (implying set, blocking rules) as
// related locations.
#include <fmt/format.h>

#include "reports/lint.h"
#include "reports/sarif.h"

namespace csp::reports {

namespace {

std::size_t check_index(std::string_view id) {
  const auto& checks = lint_checks();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (checks[i].id == id) return i;
  }
  return 0;  // unreachable: every finding's id is listed
}

void emit_related_rules(JsonEmitter& json, const model::LintFinding& finding, const ReportContext& context,
                        Artifacts& artifacts) {
  json.key("relatedLocations").begin_array();
  int id = 0;
  for (int rule_id : finding.rules) {
    const model::FormulaDecl* rule = rule_of(context.model, rule_id);
    Location where = rule ? locate(context.sources, rule->range) : Location{};
    if (!where.valid()) continue;
    json.begin_object().key("id").integer(id++);
    emit_physical_location(json, where, artifacts);
    json.key("message").begin_object().key("text").string(rule_label(context.model, rule_id)).end_object();
    json.end_object();
  }
  json.end_array();
}

}  // namespace

void emit_lint_sarif_rules(JsonEmitter& json, const model::LintReport& lint) {
  for (const auto& check : lint_checks()) {
    json.begin_object().key("id").string(check.id).key("name").string(check.name);
    json.key("shortDescription").begin_object().key("text").string(check.description).end_object();
    json.key("defaultConfiguration").begin_object().key("level").string(lint_severity(lint)).end_object();
    json.end_object();
  }
}

void emit_lint_sarif_results(JsonEmitter& json, const model::LintReport& lint, const ReportContext& context,
                             std::size_t first_rule_index, Artifacts& artifacts) {
  for (const auto& finding : lint.findings) {
    json.begin_object();
    json.key("ruleId").string(finding.id);
    json.key("ruleIndex").integer(static_cast<std::int64_t>(first_rule_index + check_index(finding.id)));
    json.key("level").string(lint_severity(lint));
    json.key("message").begin_object().key("text").string(finding.message).end_object();
    json.key("locations").begin_array();
    Location where = locate(context.sources, finding.range);
    if (where.valid()) {
      json.begin_object();
      emit_physical_location(json, where, artifacts);
      json.end_object();
    }
    json.end_array();
    if (!finding.rules.empty()) emit_related_rules(json, finding, context, artifacts);
    json.key("properties").begin_object();
    json.key("kind").string("lint").key("name").string(finding.subject);
    if (!finding.bound.empty()) json.key("bound").string(finding.bound);
    json.end_object();
    json.end_object();
  }
}

}  // namespace csp::reports
