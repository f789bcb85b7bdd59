// The JSON report, exactly as documented in docs/json.md. Every key is always
// present (null or empty when it does not apply) except time_ms, which is
// printed only with timings on, and shard, only in a shard's report.
#include "model/instance.h"
#include "model/stop.h"
#include "model/sweep.h"
#include "reports/json_emitter.h"
#include "reports/json_writer.h"
#include "reports/lint.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

// Typed JSON for an attribute or relation argument: bool and int as JSON
// values, dates as "YYYY-MM-DD", enum values and entity ids as strings.
void emit_value(JsonEmitter& json, const model::Model& model, const model::Instance& instance,
                const model::Value& value) {
  switch (value.tag) {
    case model::Value::Tag::None: json.null(); return;
    case model::Value::Tag::Bool: json.boolean(value.v != 0); return;
    case model::Value::Tag::Int: json.integer(value.v); return;
    case model::Value::Tag::Date: json.string(model::format_date(value.v)); return;
    case model::Value::Tag::Enum:
    case model::Value::Tag::Entity: json.string(model::format_value(model, instance, value)); return;
  }
  json.null();
}

void emit_instance(JsonEmitter& json, const model::Model& model, const model::Instance& instance) {
  json.begin_object().key("entities").begin_array();
  for (const auto& entity : instance.entities) {
    json.begin_object().key("id").string(entity.name);
    json.key("kind").string(kind_name_of(model, entity.kind));
    json.key("attributes").begin_object();
    for (std::size_t i = 0; i < entity.attributes.size(); ++i) {
      json.key(attribute_name_of(model, entity.kind, i));
      emit_value(json, model, instance, entity.attributes[i]);
    }
    json.end_object().end_object();
  }
  json.end_array().key("relations").begin_array();
  for (std::size_t relation = 0; relation < instance.relations.size() && relation < model.relations.size();
       ++relation) {
    for (const auto& tuple : instance.relations[relation]) {
      json.begin_object().key("name").string(model.relations[relation].name);
      json.key("args").begin_array();
      for (const auto& value : tuple) emit_value(json, model, instance, value);
      json.end_array().end_object();
    }
  }
  json.end_array().end_object();
}

void emit_location(JsonEmitter& json, const Location& where) {
  if (!where.valid()) {
    json.key("file").null().key("line").null().key("column").null();
    return;
  }
  json.key("file").string(where.file).key("line").integer(where.line);
  json.key("column").integer(where.column);
}

void emit_optional_string(JsonEmitter& json, const std::string& text) {
  if (text.empty()) {
    json.null();
  } else {
    json.string(text);
  }
}

void emit_core(JsonEmitter& json, const ReportContext& context, const CheckResult& result) {
  json.key("core").begin_array();
  for (int id : result.core) {
    const auto* rule = rule_of(context.model, id);
    json.begin_object().key("rule").string(rule ? rule->name : rule_label(context.model, id));
    json.key("description");
    emit_optional_string(json, rule ? rule->description : "");
    json.key("source");
    emit_optional_string(json, rule ? rule->source : "");
    emit_location(json, rule ? locate(context.sources, rule->range) : Location{});
    json.end_object();
  }
  json.end_array();
}

void emit_rule_names(JsonEmitter& json, const ReportContext& context, const std::vector<int>& rules) {
  json.begin_array();
  for (int id : rules) {
    const auto* rule = rule_of(context.model, id);
    json.string(rule ? rule->name : rule_label(context.model, id));
  }
  json.end_array();
}

}  // namespace

void emit_core_details(JsonEmitter& json, const ReportContext& context, const CheckResult& result) {
  json.key("core_minimal");
  if (result.proof_core || !result.core.empty()) {
    json.boolean(result.core_minimal);
  } else {
    json.null();
  }
  json.key("core_search");
  if (result.core_search) {
    const model::CoreSearch& search = *result.core_search;
    json.begin_object().key("first_core");
    emit_rule_names(json, context, search.first_core);
    json.key("found").boolean(search.found).key("complete").boolean(search.complete);
    json.key("stopped");
    emit_optional_string(json, search.found || search.complete ? "" : search.stopped);
    json.end_object();
  } else {
    json.null();
  }
  json.key("all_cores");
  if (result.all_cores) {
    const model::CoreList& list = *result.all_cores;
    json.begin_object().key("cores").begin_array();
    for (const auto& core : list.cores) emit_rule_names(json, context, core);
    json.end_array().key("complete").boolean(list.complete);
    json.key("incomplete_reason");
    emit_optional_string(json, list.complete ? "" : list.incomplete_reason);
    json.end_object();
  } else {
    json.null();
  }
}

void emit_repair_violates(JsonEmitter& json, const ReportContext& context, const CheckResult& result) {
  json.key("repair_violates").begin_array();
  for (int id : result.repair_violates) {
    const model::FormulaDecl& p = context.model.properties[id];
    json.begin_object().key("property").string(p.name);
    json.key("known_gap").boolean(p.expect == model::FormulaDecl::Expect::Violated).end_object();
  }
  json.end_array();
}

void emit_shard(JsonEmitter& json, const model::ShardInfo& shard, const std::string& z3_version) {
  json.key("shard").begin_object();
  json.key("index").integer(shard.index).key("count").integer(shard.count);
  json.key("items").begin_array();
  for (const auto& item : shard.items) json.string(item);
  json.end_array();
  json.key("specs_hash").string(shard.specs_hash);
  json.key("options").begin_object();
  for (const auto& [name, value] : shard.options) json.key(name).string(value);
  json.end_object();
  json.key("cspverify_version").string(kToolVersion);
  json.key("z3_version");
  emit_optional_string(json, z3_version);
  json.end_object();
}

namespace {

// A sweep's step: its bound (null for the attempt for every size); only in a sweep's report.
void emit_sweep_bound(JsonEmitter& json, const RunReport& report, int sweep_bound) {
  if (report.sweep.empty()) return;
  json.key("sweep_bound");
  if (sweep_bound > 0) {
    json.integer(sweep_bound);
  } else {
    json.null();
  }
}

void emit_result(JsonEmitter& json, const ReportContext& context, const RunReport& report, const CheckResult& result) {
  json.begin_object();
  json.key("kind").string(kind_name(result.kind));
  json.key("name").string(display_name(result));
  emit_location(json, locate(context.sources, result.range));
  json.key("description");
  emit_optional_string(json, description_of(context.model, result));
  json.key("source");
  emit_optional_string(json, source_of(context.model, result));
  json.key("status").string(model::status_name(result.status));
  json.key("expected");
  if (result.expected) {
    json.string(model::status_name(*result.expected));
  } else {
    json.null();
  }
  json.key("expected_by").begin_array();
  for (const auto& name : result.expected_by) json.string(name);
  json.end_array();
  json.key("as_expected").boolean(result.meets_expectation());
  json.key("known_gap").boolean(is_known_gap(result));
  json.key("scope").begin_object();
  for (const auto& [kind, size] : scope_entries(context.model, result.scope)) json.key(kind).integer(size);
  json.end_object();
  json.key("bound");
  if (result.kind == CheckResult::Kind::Scenario) {
    json.null();
  } else {
    json.string(result.unbounded ? "unbounded" : "scope");
  }
  json.key("for_every_size");
  emit_optional_string(json, result.unbounded_note);
  json.key(result.kind == CheckResult::Kind::Property ? "counterexample" : "instance");
  if (result.instance) {
    emit_instance(json, context.model, *result.instance);
  } else {
    json.null();
  }
  json.key("minimal").boolean(result.minimal);
  json.key("message");
  emit_optional_string(json, result.message);
  json.key("broken_facts").begin_array();
  for (const auto& fact : broken_fact_names(context.model, result)) json.string(fact);
  json.end_array();
  json.key("explanation").begin_array();
  for (const auto& line : result.explanation) json.string(line);
  json.end_array();
  emit_core(json, context, result);
  emit_core_details(json, context, result);
  json.key("core_facts").begin_array();
  for (const auto& fact : result.core_facts) json.string(fact);
  json.end_array();
  json.key("repair").begin_array();
  for (const auto& step : result.repair) json.string(step.description);
  json.end_array();
  emit_repair_violates(json, context, result);
  json.key("repair_missing");
  emit_optional_string(json, result.repair_missing);
  json.key("unknown_reason");
  emit_optional_string(json, result.status == Status::Unknown ? result.unknown_reason : "");
  emit_sweep_bound(json, report, result.sweep_bound);
  if (context.options.timings) json.key("time_ms").real(result.time_ms);
  json.end_object();
}

void emit_summary(JsonEmitter& json, const Summary& summary) {
  json.key("summary").begin_object();
  json.key("proved").integer(summary.proved).key("violated").integer(summary.violated);
  json.key("known_gaps").integer(summary.known_gaps);
  json.key("unknown").integer(summary.unknown).key("vacuous").integer(summary.vacuous);
  json.key("consistent").integer(summary.consistent).key("inconsistent").integer(summary.inconsistent);
  json.key("scenarios").integer(summary.scenarios);
  json.key("allowed").integer(summary.allowed).key("forbidden").integer(summary.forbidden);
  json.key("failed").integer(summary.failed).key("exit_code").integer(summary.exit_code);
  json.end_object();
}

// null for a run that finished; else the signal and every check never reached.
void emit_interruption(JsonEmitter& json, const ReportContext& context, const RunReport& report) {
  json.key("interrupted");
  if (report.interrupted_by == 0) {
    json.null();
    return;
  }
  json.begin_object();
  json.key("signal").string(model::signal_name(report.interrupted_by));
  json.key("not_run").begin_array();
  for (const auto& item : report.not_run) {
    json.begin_object();
    json.key("kind").string(kind_name(item.kind));
    json.key("name").string(item.name);
    emit_location(json, locate(context.sources, item.range));
    emit_sweep_bound(json, report, item.sweep_bound);
    json.end_object();
  }
  json.end_array();
  json.end_object();
}

// Only in a sweep's report: the bounds, and each check's verdict over the
// sweep (model/sweep.h) with its steps, as the other formats show them.
void emit_sweep(JsonEmitter& json, const ReportContext& context, const RunReport& report) {
  if (report.sweep.empty()) return;
  json.key("sweep").begin_object().key("bounds").begin_array();
  for (int bound : report.sweep) json.integer(bound);
  json.end_array().key("checks").begin_array();
  for (const auto& verdict : model::sweep_verdicts(report)) {
    json.begin_object();
    json.key("kind").string(kind_name(verdict.kind));
    json.key("name").string(display_name(verdict));
    json.key("status").string(model::status_name(verdict.status));
    json.key("as_expected").boolean(verdict.meets_expectation());
    json.key("known_gap").boolean(is_known_gap(verdict));
    json.key("first_counterexample_bound");
    bool first = verdict.status == Status::Violated && verdict.sweep_bound > 0;
    if (first) {
      json.integer(verdict.sweep_bound);
    } else {
      json.null();
    }
    json.key("for_every_size");
    const model::SweepStep* attempt = nullptr;
    for (const auto& step : verdict.sweep_steps) attempt = step.bound == 0 ? &step : attempt;
    if (attempt) {
      json.string(model::status_name(attempt->status));
    } else {
      json.null();
    }
    json.key("steps").begin_array();
    for (const auto& step : verdict.sweep_steps) {
      if (step.bound == 0) continue;
      json.begin_object().key("bound").integer(step.bound);
      json.key("status").string(model::status_name(step.status));
      if (context.options.timings) json.key("time_ms").real(step.time_ms);
      json.end_object();
    }
    json.end_array().end_object();
  }
  json.end_array().end_object();
}

}  // namespace

void write_json(const RunReport& report, const ReportContext& context, std::ostream& out) {
  JsonEmitter json(out);
  json.begin_object();
  json.key("format_version").integer(1);
  json.key("command").string(report.command);
  json.key("tool").begin_object();
  json.key("name").string(kToolName).key("version").string(kToolVersion);
  json.key("z3_version");
  emit_optional_string(json, report.z3_version);
  json.end_object();
  json.key("inputs").begin_array();
  for (const auto& input : report.inputs) json.string(input);
  json.end_array();
  json.key("results").begin_array();
  for (const auto& result : report.results) emit_result(json, context, report, result);
  json.end_array();
  emit_summary(json, summarize(report));
  emit_interruption(json, context, report);
  emit_lint_json(json, report, context);
  emit_sweep(json, context, report);
  if (report.shard) emit_shard(json, *report.shard, report.z3_version);
  json.end_object();
  json.finish();
}

}  // namespace csp::reports
