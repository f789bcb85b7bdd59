// The JSON report's "lint" object, exactly as documented in docs/json.md.
#include <fmt/format.h>

#include "reports/lint.h"
#include "reports/view.h"

namespace csp::reports {

namespace {

void emit_where(JsonEmitter& json, const ReportContext& context, model::SourceRange range) {
  Location where = locate(context.sources, range);
  if (!where.valid()) {
    json.key("file").null().key("line").null().key("column").null();
    return;
  }
  json.key("file").string(where.file).key("line").integer(where.line).key("column").integer(where.column);
}

void emit_rule_ref(JsonEmitter& json, const ReportContext& context, int id) {
  const auto* rule = rule_of(context.model, id);
  json.begin_object().key("rule").string(rule ? rule->name : rule_label(context.model, id));
  json.key("source");
  if (rule && !rule->source.empty()) json.string(rule->source);
  else json.null();
  emit_where(json, context, rule ? rule->range : model::SourceRange{});
  json.end_object();
}

void emit_findings(JsonEmitter& json, const model::LintReport& lint, const ReportContext& context) {
  json.key("findings").begin_array();
  for (const auto& finding : lint.findings) {
    json.begin_object().key("id").string(finding.id).key("severity").string(lint_severity(lint));
    json.key("subject").string(finding.subject).key("message").string(finding.message);
    emit_where(json, context, finding.range);
    json.key("rules").begin_array();
    for (int id : finding.rules) emit_rule_ref(json, context, id);
    json.end_array();
    json.key("bound");
    if (finding.bound.empty()) json.null();
    else json.string(finding.bound);
    json.end_object();
  }
  json.end_array();
}

void emit_undecided(JsonEmitter& json, const model::LintReport& lint, const ReportContext& context) {
  json.key("undecided").begin_array();
  for (const auto& item : lint.undecided) {
    json.begin_object().key("check").string(item.check).key("subject").string(item.subject);
    emit_where(json, context, item.range);
    json.key("reason").string(item.reason).end_object();
  }
  json.end_array();
}

void emit_coverage(JsonEmitter& json, const model::LintReport& lint, const ReportContext& context) {
  json.key("coverage").begin_object();
  json.key("rules").integer(static_cast<std::int64_t>(lint.coverage.size()));
  json.key("covered").integer(lint.covered_rules());
  json.key("scenarios_unknown").integer(lint.scenarios_unknown);
  json.key("per_rule").begin_array();
  for (const auto& c : lint.coverage) {
    const auto* rule = rule_of(context.model, c.rule_id);
    json.begin_object().key("rule").string(rule ? rule->name : rule_label(context.model, c.rule_id));
    json.key("covered").boolean(c.covered());
    json.key("forbids").begin_array();
    for (const auto& name : c.forbidding) json.string(name);
    json.end_array().key("applies_in").begin_array();
    for (const auto& name : c.applying) json.string(name);
    json.end_array().end_object();
  }
  json.end_array().end_object();
}

}  // namespace

void emit_lint_json(JsonEmitter& json, const model::RunReport& report, const ReportContext& context) {
  json.key("lint");
  if (!report.lint) {
    json.null();
    return;
  }
  const model::LintReport& lint = *report.lint;
  json.begin_object().key("strict").boolean(lint.strict);
  emit_findings(json, lint, context);
  emit_undecided(json, lint, context);
  emit_coverage(json, lint, context);
  json.key("solver_checks_skipped");
  if (lint.solver_checks_skipped.empty()) json.null();
  else json.string(lint.solver_checks_skipped);
  json.end_object();
}

}  // namespace csp::reports
