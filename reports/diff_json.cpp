// The JSON diff report, exactly as documented in docs/diff.md: every key is
// always present (null or empty when it does not apply) except time_ms,
// which is printed only with timings on, and shard, only in a shard's report
// (--shard). Values are typed as in the JSON report of prove/check
// (docs/json.md).
#include <fmt/format.h>

#include "reports/diff_report.h"
#include "model/instance.h"
#include "model/merge.h"
#include "model/stop.h"
#include "reports/json_emitter.h"
#include "reports/json_writer.h"
#include "reports/view.h"

namespace csp::reports {

namespace {

using reports::JsonEmitter;
using model::CheckPair;
using model::CheckResult;
using model::Difference;
using model::DiffReport;

void optional_string(JsonEmitter& json, const std::string& text) {
  if (text.empty()) {
    json.null();
  } else {
    json.string(text);
  }
}

void location(JsonEmitter& json, const model::SourceManager& sources, model::SourceRange range) {
  if (!range.valid()) {
    json.null();
    return;
  }
  reports::Location where = reports::locate(sources, range);
  json.begin_object().key("file").string(where.file).key("line").integer(where.line);
  json.key("column").integer(where.column).end_object();
}

// `file`, `line`, `column` keys in the current object, as in the JSON report's core rules.
void flat_location(JsonEmitter& json, const model::SourceManager& sources, model::SourceRange range) {
  reports::Location where = range.valid() ? reports::locate(sources, range) : reports::Location{};
  if (!where.valid()) {
    json.key("file").null().key("line").null().key("column").null();
    return;
  }
  json.key("file").string(where.file).key("line").integer(where.line).key("column").integer(where.column);
}

// A rule as the JSON report writes a core rule, under its own side's name.
void rule_object(JsonEmitter& json, const DiffContext& context, const model::Model& model, int id) {
  const auto& rule = model.rules[id];
  auto split = model::split_side(rule.name);
  json.begin_object();
  json.key("rule").string(split ? split->second : rule.name);
  json.key("description");
  optional_string(json, rule.description);
  json.key("source");
  optional_string(json, rule.source);
  flat_location(json, context.sources, rule.range);
}

void value(JsonEmitter& json, const model::Model& model, const model::Instance& instance, const model::Value& v) {
  switch (v.tag) {
    case model::Value::Tag::None: json.null(); return;
    case model::Value::Tag::Bool: json.boolean(v.v != 0); return;
    case model::Value::Tag::Int: json.integer(v.v); return;
    case model::Value::Tag::Date: json.string(model::format_date(v.v)); return;
    case model::Value::Tag::Enum:
    case model::Value::Tag::Entity: json.string(model::format_value(model, instance, v)); return;
  }
  json.null();
}

// The same shape as a counterexample in the prove/check JSON report.
void instance(JsonEmitter& json, const model::Model& model, const model::Instance& inst) {
  json.begin_object().key("entities").begin_array();
  for (const auto& entity : inst.entities) {
    const auto& kind = model.kinds[entity.kind];
    json.begin_object().key("id").string(entity.name).key("kind").string(kind.name);
    json.key("attributes").begin_object();
    for (std::size_t a = 0; a < entity.attributes.size() && a < kind.attributes.size(); ++a) {
      json.key(kind.attributes[a].name);
      value(json, model, inst, entity.attributes[a]);
    }
    json.end_object().end_object();
  }
  json.end_array().key("relations").begin_array();
  for (std::size_t r = 0; r < inst.relations.size(); ++r) {
    for (const auto& tuple : inst.relations[r]) {
      json.begin_object().key("name").string(model.relations[r].name).key("args").begin_array();
      for (const auto& v : tuple) value(json, model, inst, v);
      json.end_array().end_object();
    }
  }
  json.end_array().end_object();
}

void change(JsonEmitter& json, const DiffContext& context, const model::Change& c) {
  json.begin_object();
  json.key("action").string(model::action_name(c.action));
  json.key("what").string(c.what);
  json.key("name").string(c.name);
  json.key("vocabulary").boolean(c.vocabulary);
  json.key("aspects").begin_array();
  for (const auto& aspect : c.aspects) json.string(aspect);
  json.end_array();
  bool modified = c.action == model::Change::Action::Modified;
  json.key("before");
  if (modified) json.string(c.before); else json.null();
  json.key("after");
  if (modified) json.string(c.after); else json.null();
  std::string diff = modified ? text_diff(c, context.sources) : "";
  json.key("text_diff");
  if (!diff.empty()) json.string(diff); else json.null();
  json.key("base");
  location(json, context.sources, c.base_range);
  json.key("proposed");
  location(json, context.sources, c.proposed_range);
  json.end_object();
}

// Each blamed rule with why it fails, and the allowing side's rule of the
// same name, which holds on the witness (null when that side has none).
void blame(JsonEmitter& json, const DiffContext& context, const model::Witness& w) {
  json.key("blame").begin_array();
  for (std::size_t i = 0; i < w.blame.size(); ++i) {
    rule_object(json, context, context.merged, w.blame[i]);
    json.key("explanation").begin_array();
    for (const auto& line : w.explanations[i]) json.string(line);
    json.end_array();
    json.key("counterpart");
    int counterpart = i < w.counterparts.size() ? w.counterparts[i] : -1;
    if (counterpart >= 0) {
      rule_object(json, context, context.merged, counterpart);
      json.end_object();
    } else {
      json.null();
    }
    json.end_object();
  }
  json.end_array();
}

const char* answer_name(Difference::Answer answer) {
  switch (answer) {
    case Difference::Answer::None: return "none";
    case Difference::Answer::Found: return "found";
    case Difference::Answer::Unknown: return "unknown";
  }
  return "unknown";
}

void difference(JsonEmitter& json, const DiffContext& context, const Difference& d) {
  json.begin_object();
  json.key("status").string(answer_name(d.answer));
  const model::Witness* first = d.witnesses.empty() ? nullptr : &d.witnesses.front();
  json.key("witness");
  if (first) {
    instance(json, context.merged, first->instance);
  } else {
    json.null();
  }
  json.key("minimal").boolean(first && first->minimal);
  if (first) {
    blame(json, context, *first);
  } else {
    json.key("blame").begin_array().end_array();
  }
  json.key("witnesses").begin_array();
  for (const auto& w : d.witnesses) {
    json.begin_object().key("instance");
    instance(json, context.merged, w.instance);
    json.key("minimal").boolean(w.minimal);
    json.key("distinct").string(model::distinct_name(w.distinct));
    blame(json, context, w);
    json.end_object();
  }
  json.end_array();
  json.key("no_more_witnesses").boolean(d.no_more_witnesses);
  json.key("unknown_reason");
  optional_string(json, d.answer == Difference::Answer::Unknown ? d.unknown_reason : "");
  if (context.timings) json.key("time_ms").real(d.time_ms);
  json.end_object();
}

// One side's result of a check: what a reviewer needs to see the change.
void side_result(JsonEmitter& json, const DiffContext& context, const model::Model& model,
                 const std::optional<CheckResult>& r) {
  if (!r) {
    json.null();
    return;
  }
  // The keys after `repair` complete the result as the JSON report writes it,
  // so that `cspverify merge` gives every format its details back.
  ReportContext own{model, context.sources, {}};
  json.begin_object();
  json.key("status").string(model::status_name(r->status));
  json.key("expected");
  if (r->expected) json.string(model::status_name(*r->expected)); else json.null();
  json.key("as_expected").boolean(r->meets_expectation());
  flat_location(json, context.sources, r->range);
  json.key(r->kind == CheckResult::Kind::Property ? "counterexample" : "instance");
  if (r->instance) instance(json, model, *r->instance); else json.null();
  json.key("minimal").boolean(r->minimal);
  json.key("explanation").begin_array();
  for (const auto& line : r->explanation) json.string(line);
  json.end_array();
  json.key("core").begin_array();
  for (int id : r->core) {
    rule_object(json, context, model, id);
    json.end_object();
  }
  json.end_array();
  json.key("repair").begin_array();
  for (const auto& step : r->repair) json.string(step.description);
  json.end_array();
  json.key("expected_by").begin_array();
  for (const auto& name : r->expected_by) json.string(name);
  json.end_array();
  json.key("scope").begin_object();
  for (const auto& [kind, size] : reports::scope_entries(model, r->scope)) json.key(kind).integer(size);
  json.end_object();
  json.key("bound");
  if (r->kind == CheckResult::Kind::Scenario) json.null(); else json.string(r->unbounded ? "unbounded" : "scope");
  json.key("for_every_size");
  optional_string(json, r->unbounded_note);
  json.key("message");
  optional_string(json, r->message);
  emit_core_details(json, own, *r);
  json.key("core_facts").begin_array();
  for (const auto& fact : r->core_facts) json.string(fact);
  json.end_array();
  emit_repair_violates(json, own, *r);
  json.key("repair_missing");
  optional_string(json, r->repair_missing);
  json.key("unknown_reason");
  optional_string(json, r->status == model::Status::Unknown ? r->unknown_reason : "");
  if (context.timings) json.key("time_ms").real(r->time_ms);
  json.end_object();
}

void check(JsonEmitter& json, const DiffContext& context, const CheckPair& pair) {
  json.begin_object();
  json.key("kind").string(reports::kind_name(pair.kind));
  json.key("name").string(pair.name);
  json.key("changed").boolean(pair.changed());
  json.key("regression").boolean(pair.regression);
  json.key("declared_only_in");
  if (pair.declared_only_in) json.string(model::side_name(*pair.declared_only_in)); else json.null();
  json.key("unset_attributes").begin_array();
  for (const auto& unset : pair.depends_on_unset) {
    json.begin_object().key("attribute").string(unset.name).key("entities").begin_array();
    for (const auto& entity : unset.entities) json.string(entity);
    json.end_array().end_object();
  }
  json.end_array();
  json.key("base");
  side_result(json, context, context.base, pair.base);
  json.key("proposed");
  side_result(json, context, context.proposed, pair.proposed);
  json.end_object();
}

}  // namespace

void write_diff_json(const DiffReport& report, const DiffContext& context, std::ostream& out) {
  JsonEmitter json(out);
  json.begin_object();
  json.key("format_version").integer(1);
  json.key("command").string("diff");
  json.key("tool").begin_object();
  json.key("name").string(reports::kToolName).key("version").string(reports::kToolVersion);
  json.key("z3_version").string(report.z3_version);
  json.end_object();
  json.key("inputs").begin_array().string(context.base_label).string(context.proposed_label).end_array();
  json.key("base").string(context.base_label);
  json.key("proposed").string(context.proposed_label);
  json.key("changes").begin_array();
  for (const auto& c : report.changes) change(json, context, c);
  json.end_array();
  json.key("semantic").begin_object();
  json.key("verdict").string(semantic_verdict(report.semantic));
  json.key("scope").begin_object();
  for (const auto& [kind, size] : reports::scope_entries(context.merged, report.semantic.scope)) {
    json.key(kind).integer(size);
  }
  json.end_object();
  json.key("newly_allowed");
  difference(json, context, report.semantic.newly_allowed);
  json.key("newly_forbidden");
  difference(json, context, report.semantic.newly_forbidden);
  json.key("expected");
  if (report.expected) json.string(model::expectation_name(*report.expected)); else json.null();
  json.key("as_expected").boolean(report.meets_expectation());
  json.end_object();
  json.key("checks").begin_array();
  int regressions = 0;
  for (const auto& pair : report.checks) {
    check(json, context, pair);
    regressions += pair.regression ? 1 : 0;
  }
  json.end_array();
  json.key("summary").begin_object();
  json.key("changes").integer(static_cast<std::int64_t>(report.changes.size()));
  json.key("newly_allowed").boolean(report.semantic.newly_allowed.answer == Difference::Answer::Found);
  json.key("newly_forbidden").boolean(report.semantic.newly_forbidden.answer == Difference::Answer::Found);
  json.key("equivalent").boolean(report.semantic.equivalent());
  json.key("regressions").integer(regressions);
  json.key("exit_code").integer(report.exit_code());
  json.end_object();
  json.key("interrupted");
  if (report.interrupted_by == 0) {
    json.null();
  } else {
    json.begin_object().key("signal").string(model::signal_name(report.interrupted_by));
    json.key("not_run").begin_array();
    for (const auto& item : report.not_run) {
      json.begin_object().key("kind").string(reports::kind_name(item.kind)).key("name").string(item.name).end_object();
    }
    json.end_array().end_object();
  }
  if (report.shard) emit_shard(json, *report.shard, report.z3_version);
  json.end_object();
  json.finish();
}

}  // namespace csp::reports
