// The SARIF 2.1.0 diff report, for code-scanning views of a pull request: one
// result per regression (at the check's declaration on the proposed side),
// per newly allowed or newly forbidden witness (at the first rule blamed for
// it), and per undecided direction or check.
#include <filesystem>

#include <fmt/format.h>

#include "reports/diff_report.h"
#include "reports/diff_view.h"
#include "model/instance.h"
#include "reports/escape.h"
#include "reports/json_emitter.h"
#include "reports/view.h"

namespace csp::reports {

namespace {

using reports::JsonEmitter;
using reports::Location;

struct SarifRule {
  const char* id;
  const char* description;
  const char* level;
};

constexpr SarifRule kDiffRules[] = {
    {"diff-regression", "a check the base rules pass fails under the proposed rules", "error"},
    {"diff-newly-allowed", "the proposed rules allow an instance the base rules forbid", "note"},
    {"diff-newly-forbidden", "the proposed rules forbid an instance the base rules allow", "note"},
    {"diff-expectation", "a witness contradicts what `--expect` says the change does", "error"},
    {"diff-unknown", "the solver could not decide a direction or a check", "warning"},
    {"diff-unset-attribute", "a scenario's changed verdict rests on an attribute it leaves unset", "warning"},
};

int rule_index(std::string_view id) {
  for (std::size_t i = 0; i < std::size(kDiffRules); ++i) {
    if (kDiffRules[i].id == id) return static_cast<int>(i);
  }
  return 0;
}

std::string uri(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path file(path);
  std::error_code error;
  if (file.is_absolute()) {
    fs::path relative = file.lexically_relative(fs::current_path(error));
    if (!error && !relative.empty() && *relative.begin() != "..") file = relative;
  }
  return reports::uri_from_path(file.generic_string());
}

void emit_result(JsonEmitter& json, std::string_view id, std::string_view level, const std::string& message,
                 const Location& where) {
  json.begin_object();
  json.key("ruleId").string(id).key("ruleIndex").integer(rule_index(id)).key("level").string(level);
  json.key("message").begin_object().key("text").string(message).end_object();
  json.key("locations").begin_array();
  if (where.valid()) {
    json.begin_object().key("physicalLocation").begin_object();
    json.key("artifactLocation").begin_object().key("uri").string(uri(where.file)).end_object();
    json.key("region").begin_object();
    json.key("startLine").integer(where.line).key("startColumn").integer(where.column);
    json.key("endLine").integer(where.end_line).key("endColumn").integer(where.end_column);
    json.end_object().end_object().end_object();
  }
  json.end_array().end_object();
}

void emit_direction(JsonEmitter& json, const model::DiffReport& report, const DiffContext& context,
                    const model::Difference& d, bool newly_allowed) {
  const char* what = newly_allowed ? "newly allowed" : "newly forbidden";
  if (d.answer == model::Difference::Answer::None) return;
  if (d.answer == model::Difference::Answer::Unknown) {
    emit_result(json, "diff-unknown", "warning", fmt::format("{}: unknown ({})", what, d.unknown_reason), {});
    return;
  }
  bool contradicted = report.expectation_forbids(newly_allowed);
  for (const auto& w : d.witnesses) {
    std::string message = fmt::format("{} by the change: the {} rules allow this instance{}:\n{}forbidden by:\n", what,
                                      newly_allowed ? "proposed" : "base", w.minimal ? " (minimal)" : "",
                                      model::format_instance(context.merged, w.instance));
    for (int rule : w.blame) message += fmt::format("  {}\n", side_rule_label(context.merged, rule));
    message.pop_back();
    Location where = w.blame.empty() ? Location{}
                                     : reports::locate(context.sources, context.merged.rules[w.blame.front()].range);
    emit_result(json, contradicted ? "diff-expectation" : (newly_allowed ? "diff-newly-allowed" : "diff-newly-forbidden"),
                contradicted ? "error" : "note", message, where);
  }
}

void emit_check(JsonEmitter& json, const DiffContext& context, const model::CheckPair& pair) {
  if (!pair.regression && !pair.unknown) return;
  auto status = [](const std::optional<model::CheckResult>& r) {
    return r ? reports::status_label(*r) : std::string("absent");
  };
  std::string message = fmt::format("{} `{}`: {} -> {}", reports::kind_name(pair.kind), pair.name,
                                    status(pair.base), status(pair.proposed));
  Location where;
  if (pair.proposed) {
    reports::ReportContext proposed{context.proposed, context.sources, {}};
    proposed.options.timings = false;
    std::string details = reports::details_text(proposed, *pair.proposed, "");
    if (!details.empty()) message += "\n" + details;
    where = reports::locate(context.sources, pair.proposed->range);
  }
  while (!message.empty() && message.back() == '\n') message.pop_back();
  emit_result(json, pair.regression ? "diff-regression" : "diff-unknown", pair.regression ? "error" : "warning",
              message, where);
}

}  // namespace

void write_diff_sarif(const model::DiffReport& report, const DiffContext& context, std::ostream& out) {
  JsonEmitter json(out);
  json.begin_object();
  json.key("$schema").string("https://json.schemastore.org/sarif-2.1.0.json");
  json.key("version").string("2.1.0");
  json.key("runs").begin_array().begin_object();
  json.key("tool").begin_object().key("driver").begin_object();
  json.key("name").string(reports::kToolName).key("version").string(reports::kToolVersion);
  json.key("rules").begin_array();
  for (const auto& rule : kDiffRules) {
    json.begin_object().key("id").string(rule.id);
    json.key("shortDescription").begin_object().key("text").string(rule.description).end_object();
    json.key("defaultConfiguration").begin_object().key("level").string(rule.level).end_object();
    json.end_object();
  }
  json.end_array().end_object().end_object();
  json.key("results").begin_array();
  emit_direction(json, report, context, report.semantic.newly_allowed, true);
  emit_direction(json, report, context, report.semantic.newly_forbidden, false);
  for (const auto& pair : report.checks) {
    emit_check(json, context, pair);
    for (const auto& warning : unset_attribute_warnings(pair)) {
      Location where = pair.proposed ? reports::locate(context.sources, pair.proposed->range) : Location{};
      emit_result(json, "diff-unset-attribute", "warning",
                  fmt::format("{} `{}`: {}", reports::kind_name(pair.kind), pair.name, warning), where);
    }
  }
  json.end_array();
  json.key("columnKind").string("unicodeCodePoints");
  json.end_object().end_array().end_object();
  json.finish();
}

}  // namespace csp::reports
