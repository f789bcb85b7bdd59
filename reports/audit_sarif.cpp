// The audit's SARIF 2.1.0 report: each spec rule is a SARIF rule (its
// catalogue id), each violation a result located at the data record of the
// first entity it binds, with every fact's record as a related location; each
// data error a result at its file:line:col. The run's counts are in the run's
// property bag; a run stopped by bad data or a signal is not a successful one.
#include <fmt/format.h>

#include "model/stop.h"
#include "reports/audit_view.h"
#include "reports/json_emitter.h"

namespace csp::reports {

namespace {

constexpr const char* kDataErrorRule = "data-error";

class Artifacts {
 public:
  int index(const std::string& file) {
    for (std::size_t i = 0; i < files_.size(); ++i) {
      if (files_[i] == file) return static_cast<int>(i);
    }
    files_.push_back(file);
    return static_cast<int>(files_.size()) - 1;
  }
  const std::vector<std::string>& files() const { return files_; }

 private:
  std::vector<std::string> files_;
};

std::string rule_id(const model::FormulaDecl& rule) { return rule.source.empty() ? rule.name : rule.source; }

void emit_location(JsonEmitter& json, const Location& where, Artifacts& artifacts) {
  json.key("physicalLocation").begin_object();
  json.key("artifactLocation").begin_object();
  json.key("uri").string(sarif_artifact_uri(where.file)).key("index").integer(artifacts.index(where.file));
  json.end_object();
  json.key("region").begin_object();
  json.key("startLine").integer(where.line).key("startColumn").integer(where.column);
  json.end_object().end_object();
}

void emit_driver(JsonEmitter& json, const ReportContext& context) {
  json.key("tool").begin_object().key("driver").begin_object();
  json.key("name").string(kToolName).key("version").string(kToolVersion);
  json.key("rules").begin_array();
  for (const auto& rule : context.model.rules) {
    json.begin_object().key("id").string(rule_id(rule)).key("name").string(rule.name);
    json.key("shortDescription").begin_object().key("text").string(rule.description.empty() ? rule.name : rule.description);
    json.end_object();
    json.key("defaultConfiguration").begin_object().key("level").string("error").end_object();
    json.end_object();
  }
  json.begin_object().key("id").string(kDataErrorRule).key("name").string("DataError");
  json.key("shortDescription").begin_object().key("text").string("a data record that could not be read or mapped");
  json.end_object();
  json.key("defaultConfiguration").begin_object().key("level").string("error").end_object();
  json.end_object();
  json.end_array().end_object().end_object();
}

void emit_invocation(JsonEmitter& json, const AuditReport& report) {
  json.key("invocations").begin_array().begin_object();
  bool complete = report.data && report.data->complete && report.interrupted_by == 0;
  json.key("executionSuccessful").boolean(complete);
  json.key("exitCode").integer(report.exit_code);
  if (report.interrupted_by != 0) {
    json.key("exitSignalName").string(model::signal_name(report.interrupted_by));
    json.key("exitSignalNumber").integer(report.interrupted_by);
  }
  std::vector<std::string> notes;
  if (report.data && !report.data->complete) notes.push_back(fmt::format("data incomplete: {}", report.data->stop_reason));
  if (report.result) {
    for (const auto& o : report.result->rules) {
      if (!o.unknown_reason.empty()) notes.push_back(fmt::format("rule {} unknown: {}", o.rule, o.unknown_reason));
    }
  }
  if (!notes.empty()) {
    json.key("toolExecutionNotifications").begin_array();
    for (const auto& note : notes) {
      json.begin_object().key("level").string("error");
      json.key("message").begin_object().key("text").string(note).end_object().end_object();
    }
    json.end_array();
  }
  json.end_object().end_array();
}

void emit_violation(JsonEmitter& json, const AuditReport& report, const ReportContext& context,
                    const audit::Violation& v, Artifacts& artifacts) {
  const model::FormulaDecl& rule = context.model.rules[v.rule];
  const model::Instance& instance = report.data->instance;
  json.begin_object();
  json.key("ruleId").string(rule_id(rule)).key("ruleIndex").integer(v.rule).key("level").string("error");
  std::string message = fmt::format("{}: {}", rule_label(context.model, v.rule), rule.description);
  if (!v.message.empty()) message = v.message + "\n" + message;
  if (!v.bindings.empty()) message += fmt::format("\nfor {}", bindings_text(context.model, instance, v));
  for (const auto& line : v.explanation) message += "\n" + line;
  json.key("message").begin_object().key("text").string(message).end_object();
  json.key("locations").begin_array();
  Location where = v.bindings.empty() ? locate(context.sources, rule.range)
                                      : locate(context.sources, report.data->entity_origin[v.bindings[0].entity]);
  if (where.valid()) {
    json.begin_object();
    emit_location(json, where, artifacts);
    json.end_object();
  }
  json.end_array();
  json.key("relatedLocations").begin_array();
  int id = 0;
  for (const auto& fact : v.facts) {
    Location at = locate(context.sources, fact.origin);
    if (!at.valid()) continue;
    json.begin_object().key("id").integer(id++);
    emit_location(json, at, artifacts);
    json.key("message").begin_object().key("text").string(fact_text(context.model, instance, fact)).end_object();
    json.end_object();
  }
  Location declared = locate(context.sources, rule.range);
  if (declared.valid()) {
    json.begin_object().key("id").integer(id++);
    emit_location(json, declared, artifacts);
    json.key("message").begin_object().key("text").string(fmt::format("rule `{}`", rule.name)).end_object();
    json.end_object();
  }
  json.end_array();
  json.key("properties").begin_object();
  json.key("rule").string(rule.name).key("formula").integer(v.formula);
  json.key("entities").begin_array();
  for (const auto& b : v.bindings) {
    json.begin_object().key("variable").string(b.variable).key("kind").string(entity_kind(context.model, instance, b.entity));
    json.key("key").string(entity_key(instance, b.entity)).end_object();
  }
  json.end_array().end_object();
  json.end_object();
}

void emit_data_error(JsonEmitter& json, const ReportContext& context, const model::Diagnostic& d,
                     Artifacts& artifacts) {
  json.begin_object();
  json.key("ruleId").string(kDataErrorRule).key("ruleIndex").integer(static_cast<int>(context.model.rules.size()));
  json.key("level").string("error");
  std::string message = d.message + (d.help.empty() ? "" : "\n" + d.help);
  json.key("message").begin_object().key("text").string(message).end_object();
  json.key("locations").begin_array();
  Location where = locate(context.sources, d.range);
  if (where.valid()) {
    json.begin_object();
    emit_location(json, where, artifacts);
    json.end_object();
  }
  json.end_array();
  json.key("properties").begin_object().key("code").string(d.code).end_object();
  json.end_object();
}

void emit_counts(JsonEmitter& json, const AuditReport& report, const ReportContext& context) {
  AuditTotals t = audit_totals(report, context.model);
  json.key("properties").begin_object();
  json.key("records_read").integer(static_cast<std::int64_t>(t.records_read));
  json.key("records_skipped").integer(static_cast<std::int64_t>(t.records_skipped));
  json.key("records_filtered").integer(static_cast<std::int64_t>(t.records_filtered));
  json.key("records_checked").integer(static_cast<std::int64_t>(t.records_checked));
  json.key("rules_evaluated").integer(static_cast<std::int64_t>(t.rules_evaluated));
  json.key("rules_violated").integer(static_cast<std::int64_t>(t.rules_violated));
  json.key("violations").integer(static_cast<std::int64_t>(t.violations));
  json.key("data_errors").integer(static_cast<std::int64_t>(t.data_errors));
  json.end_object();
}

}  // namespace

void write_audit_sarif(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  JsonEmitter json(out);
  json.begin_object();
  json.key("$schema").string("https://json.schemastore.org/sarif-2.1.0.json");
  json.key("version").string("2.1.0");
  json.key("runs").begin_array().begin_object();
  emit_driver(json, context);
  emit_invocation(json, report);
  Artifacts artifacts;
  json.key("results").begin_array();
  if (report.result && report.data) {
    for (const auto& v : report.result->violations) emit_violation(json, report, context, v, artifacts);
  }
  for (const auto& d : report.data_errors) emit_data_error(json, context, d, artifacts);
  json.end_array();
  json.key("artifacts").begin_array();
  for (const auto& file : artifacts.files()) {
    json.begin_object().key("location").begin_object().key("uri").string(sarif_artifact_uri(file));
    json.end_object().end_object();
  }
  json.end_array();
  json.key("columnKind").string("unicodeCodePoints");
  emit_counts(json, report, context);
  json.end_object().end_array();
  json.end_object();
  json.finish();
}

}  // namespace csp::reports
