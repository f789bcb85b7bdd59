// The SARIF 2.1.0 report for code-scanning tools: one result per check that
// needs attention (a violation, a failed scenario, an inconsistency, a
// vacuous or undecided check), located at the declaration (an inconsistency:
// at its first conflicting rule, the others as related locations). The rules
// each proved property needs go in the run's property bag.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "reports/escape.h"
#include "reports/json_emitter.h"
#include "reports/lint.h"
#include "reports/sarif.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

struct SarifRule {
  std::string_view id;  // as finding_id() names it
  std::string_view name;
  std::string_view description;
  std::string_view level;
};

// tool.driver.rules: the kinds of check results a run can report.
constexpr SarifRule kRules[] = {
    {"property-violated", "PropertyViolated", "a property has a counterexample within scope", "error"},
    {"property-vacuous", "PropertyVacuous",
     "a property holds only because no instance has the kinds it quantifies over", "error"},
    {"expectation-not-met", "ExpectationNotMet", "a property's verdict differs from its `expect` clause", "error"},
    {"scenario-failed", "ScenarioFailed", "a scenario's verdict differs from its `expect` clause", "error"},
    {"rules-inconsistent", "RulesInconsistent", "no instance satisfies all rules", "error"},
    {"check-unknown", "CheckUnknown", "the solver could not decide a check", "warning"},
    {"known-gap", "KnownGap",
     "a property the spec documents as violated (`expect violated`) has a counterexample: a known gap in the rules",
     "note"},
};

int rule_index(std::string_view id) {
  for (std::size_t i = 0; i < std::size(kRules); ++i) {
    if (kRules[i].id == id) return static_cast<int>(i);
  }
  return 0;
}

// "error" when the result fails the run; a documented gap (`expect violated`) is a "note".
std::string_view level_of(const CheckResult& result) {
  if (result.status == Status::Unknown) return "warning";
  return is_failure(result) ? "error" : "note";
}

}  // namespace

void emit_physical_location(JsonEmitter& json, const Location& where, Artifacts& artifacts) {
  json.key("physicalLocation").begin_object();
  json.key("artifactLocation").begin_object();
  json.key("uri").string(sarif_artifact_uri(where.file)).key("index").integer(artifacts.index(where.file));
  json.end_object();
  json.key("region").begin_object();
  json.key("startLine").integer(where.line).key("startColumn").integer(where.column);
  json.key("endLine").integer(where.end_line).key("endColumn").integer(where.end_column);
  json.end_object().end_object();
}

namespace {

// The primary location: the declaration, or for an inconsistency its first core rule.
Location primary_location(const ReportContext& context, const CheckResult& result) {
  Location where = locate(context.sources, result.range);
  if (where.valid() || result.core.empty()) return where;
  const model::FormulaDecl* rule = rule_of(context.model, result.core.front());
  return rule ? locate(context.sources, rule->range) : Location{};
}

void emit_related_rules(JsonEmitter& json, const ReportContext& context, const CheckResult& result,
                        Artifacts& artifacts) {
  json.key("relatedLocations").begin_array();
  int id = 0;
  for (int rule_id : result.core) {
    const model::FormulaDecl* rule = rule_of(context.model, rule_id);
    Location where = rule ? locate(context.sources, rule->range) : Location{};
    if (!where.valid()) continue;
    json.begin_object().key("id").integer(id++);
    emit_physical_location(json, where, artifacts);
    json.key("message").begin_object();
    std::string_view role = result.kind == CheckResult::Kind::Consistency ? "conflicting rule"
                            : result.proof_core                            ? "needed by the proof:"
                                                                           : "forbidden by";
    json.key("text").string(fmt::format("{} {}", role, rule_label(context.model, rule_id)));
    json.end_object().end_object();
  }
  json.end_array();
}

std::vector<std::string> rule_names(const ReportContext& context, const std::vector<int>& rules) {
  std::vector<std::string> names;
  for (int id : rules) {
    const model::FormulaDecl* rule = rule_of(context.model, id);
    names.push_back(rule ? rule->name : rule_label(context.model, id));
  }
  return names;
}

void emit_names(JsonEmitter& json, const std::vector<std::string>& names) {
  json.begin_array();
  for (const auto& name : names) json.string(name);
  json.end_array();
}

// provedUsing (rule names, [] when the vocabulary alone proves it) and
// coreMinimal; firstCore when a search replaced it; allCores (--all-cores).
void emit_core_properties(JsonEmitter& json, const ReportContext& context, const CheckResult& result) {
  if (result.proof_core) {
    json.key("provedUsing");
    emit_names(json, rule_names(context, result.core));
    json.key("coreMinimal").boolean(result.core_minimal);
  }
  if (result.core_search && result.core_search->found) {
    json.key("firstCore");
    emit_names(json, rule_names(context, result.core_search->first_core));
  }
  if (result.all_cores) {
    json.key("allCores").begin_array();
    for (const auto& core : result.all_cores->cores) emit_names(json, rule_names(context, core));
    json.end_array().key("allCoresComplete").boolean(result.all_cores->complete);
  }
}

void emit_result(JsonEmitter& json, const ReportContext& context, const CheckResult& result, Artifacts& artifacts) {
  std::string_view id = finding_id(result);
  json.begin_object();
  json.key("ruleId").string(id).key("ruleIndex").integer(rule_index(id));
  json.key("level").string(level_of(result));
  // The first line is what a code-scanning list shows: the spec's own words when it has them.
  std::string details = details_text(context, result, "", false);
  std::string message = verdict_sentence(context.model, result);
  if (!result.message.empty()) message = result.message + "\n" + message;
  if (!details.empty()) message += "\n" + details;
  while (!message.empty() && message.back() == '\n') message.pop_back();
  json.key("message").begin_object().key("text").string(message).end_object();
  json.key("locations").begin_array();
  Location where = primary_location(context, result);
  if (where.valid()) {
    json.begin_object();
    emit_physical_location(json, where, artifacts);
    json.end_object();
  }
  json.end_array();
  if (!result.core.empty()) emit_related_rules(json, context, result, artifacts);
  json.key("properties").begin_object();
  json.key("kind").string(kind_name(result.kind)).key("name").string(display_name(result));
  json.key("status").string(model::status_name(result.status));
  json.key("knownGap").boolean(is_known_gap(result));
  emit_core_properties(json, context, result);
  json.end_object();
  json.end_object();
}

// The run's property bag: how many results are known gaps (each also a
// result of level note), and the rules behind every proved property, which
// has no result of its own (only what needs attention does).
void emit_run_properties(JsonEmitter& json, const RunReport& report, const ReportContext& context) {
  json.key("properties").begin_object();
  json.key("knownGaps").integer(summarize(report).known_gaps);
  auto proved = [](const CheckResult& result) { return result.proof_core && result.status == Status::Proved; };
  if (std::any_of(report.results.begin(), report.results.end(), proved)) {
    json.key("provedProperties").begin_array();
    for (const auto& result : report.results) {
      if (!proved(result)) continue;
      json.begin_object().key("name").string(display_name(result));
      Location where = locate(context.sources, result.range);
      if (where.valid()) {
        json.key("uri").string(sarif_artifact_uri(where.file)).key("startLine").integer(where.line);
      }
      json.key("bound").string(result.unbounded ? "unbounded" : "scope");
      emit_core_properties(json, context, result);
      json.end_object();
    }
    json.end_array();
  }
  json.end_object();
}

void emit_driver(JsonEmitter& json, const RunReport& report) {
  json.key("tool").begin_object().key("driver").begin_object();
  json.key("name").string(kToolName).key("version").string(kToolVersion);
  json.key("rules").begin_array();
  for (const auto& rule : kRules) {
    json.begin_object().key("id").string(rule.id).key("name").string(rule.name);
    json.key("shortDescription").begin_object().key("text").string(rule.description).end_object();
    json.key("defaultConfiguration").begin_object().key("level").string(rule.level).end_object();
    json.end_object();
  }
  if (report.lint) emit_lint_sarif_rules(json, *report.lint);
  json.end_array().end_object().end_object();
}

// How the run ended: an interrupted run is not a successful execution, and
// the checks it never reached are listed, so a code-scanning upload cannot
// pass for a complete one.
void emit_invocation(JsonEmitter& json, const RunReport& report, const ReportContext& context) {
  Summary summary = summarize(report);
  json.key("invocations").begin_array().begin_object();
  json.key("executionSuccessful").boolean(report.interrupted_by == 0);
  json.key("exitCode").integer(summary.exit_code);
  if (report.interrupted_by != 0) {
    json.key("exitSignalName").string(summary.interrupted_by);
    json.key("exitSignalNumber").integer(report.interrupted_by);
    json.key("toolExecutionNotifications").begin_array();
    for (const auto& item : report.not_run) {
      json.begin_object().key("level").string("error");
      json.key("message").begin_object();
      json.key("text").string(fmt::format("not run: {}: interrupted by {}", not_run_text(context, item),
                                          summary.interrupted_by));
      json.end_object().end_object();
    }
    json.end_array();
  }
  json.end_object().end_array();
}

}  // namespace

// Artifact URIs relative to the current directory where possible.
std::string sarif_artifact_uri(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path file(path);
  if (file.is_absolute()) {
    std::error_code error;
    fs::path relative = file.lexically_relative(fs::current_path(error));
    if (!error && !relative.empty() && *relative.begin() != "..") return uri_from_path(relative.generic_string());
  }
  return uri_from_path(file.generic_string());
}

void write_sarif(const RunReport& report, const ReportContext& context, std::ostream& out) {
  JsonEmitter json(out);
  json.begin_object();
  json.key("$schema").string("https://json.schemastore.org/sarif-2.1.0.json");
  json.key("version").string("2.1.0");
  json.key("runs").begin_array().begin_object();
  emit_driver(json, report);
  emit_invocation(json, report, context);
  Artifacts artifacts;
  json.key("results").begin_array();
  for (const auto& result : report.results) {
    if (needs_attention(result)) emit_result(json, context, result, artifacts);
  }
  if (report.lint) emit_lint_sarif_results(json, *report.lint, context, std::size(kRules), artifacts);
  json.end_array();
  json.key("artifacts").begin_array();
  for (const auto& file : artifacts.files()) {
    json.begin_object().key("location").begin_object().key("uri").string(sarif_artifact_uri(file));
    json.end_object().end_object();
  }
  json.end_array();
  json.key("columnKind").string("unicodeCodePoints");
  emit_run_properties(json, report, context);
  json.end_object().end_array();
  json.end_object();
  json.finish();
}

}  // namespace csp::reports
