// The audit's JSON report (docs/audit.md, "JSON report"): every count, every
// rule's outcome, every listed violation with its entities, explanation and
// facts, the per-partner summary and the data errors. Keys in a fixed order.
#include <map>

#include <fmt/format.h>

#include "model/stop.h"
#include "reports/audit_view.h"
#include "reports/json_emitter.h"

namespace csp::reports {

namespace {

void emit_location(JsonEmitter& json, const Location& where) {
  if (where.valid()) {
    json.key("file").string(where.file).key("line").integer(where.line).key("column").integer(where.column);
  } else {
    json.key("file").null().key("line").null().key("column").null();
  }
}

void emit_data(JsonEmitter& json, const AuditReport& report, const ReportContext& context) {
  json.key("data").begin_object();
  json.key("directory").string(report.data_dir);
  json.key("complete").boolean(report.data && report.data->complete);
  json.key("files").begin_array();
  if (report.data) {
    for (const auto& f : report.data->files) {
      json.begin_object().key("path").string(f.path).key("read").integer(static_cast<std::int64_t>(f.read));
      json.key("skipped").integer(static_cast<std::int64_t>(f.skipped));
      json.key("filtered").integer(static_cast<std::int64_t>(f.filtered));
      json.key("checked").integer(static_cast<std::int64_t>(f.checked()));
      json.end_object();
    }
  }
  json.end_array();
  json.key("imports").begin_array();
  if (report.data) {
    for (const auto& s : report.data->imports) {
      const model::ImportDecl& decl = context.model.imports[s.import_id];
      json.begin_object().key("target").string(decl.target).key("path").string(s.path);
      emit_location(json, locate(context.sources, decl.range));
      json.key("read").integer(static_cast<std::int64_t>(s.read));
      json.key("skipped").integer(static_cast<std::int64_t>(s.skipped));
      json.key("filtered").integer(static_cast<std::int64_t>(s.filtered));
      json.key("other_shard").integer(static_cast<std::int64_t>(s.other_shard));
      json.key("loaded").integer(static_cast<std::int64_t>(s.loaded));
      json.end_object();
    }
  }
  json.end_array();
  json.key("entities").begin_object();
  if (report.data) {
    auto counts = model::count_by_kind(context.model, report.data->instance);
    for (std::size_t k = 0; k < context.model.kinds.size(); ++k) {
      auto n = k < report.entity_counts.size() ? report.entity_counts[k] : static_cast<std::uint64_t>(counts[k]);
      json.key(context.model.kinds[k].name).integer(static_cast<std::int64_t>(n));
    }
  }
  json.end_object();
  json.key("tuples").begin_object();
  if (report.data) {
    for (std::size_t r = 0; r < context.model.relations.size(); ++r) {
      std::size_t n = r < report.data->instance.relations.size() ? report.data->instance.relations[r].size() : 0;
      if (r < report.tuple_counts.size()) n = report.tuple_counts[r];
      json.key(context.model.relations[r].name).integer(static_cast<std::int64_t>(n));
    }
  }
  json.end_object();
  json.end_object();
}

void emit_data_errors(JsonEmitter& json, const AuditReport& report, const ReportContext& context) {
  json.key("data_errors").begin_array();
  for (const auto& d : report.data_errors) {
    json.begin_object();
    emit_location(json, locate(context.sources, d.range));
    json.key("code").string(d.code).key("message").string(d.message);
    if (d.help.empty()) {
      json.key("help").null();
    } else {
      json.key("help").string(d.help);
    }
    json.end_object();
  }
  json.end_array();
}

void emit_rules(JsonEmitter& json, const AuditReport& report, const ReportContext& context) {
  json.key("rules").begin_array();
  if (report.result) {
    for (const auto& outcome : report.result->rules) {
      const model::FormulaDecl& rule = context.model.rules[outcome.rule];
      json.begin_object().key("name").string(rule.name);
      json.key("description");
      rule.description.empty() ? json.null() : json.string(rule.description);
      json.key("source");
      rule.source.empty() ? json.null() : json.string(rule.source);
      emit_location(json, locate(context.sources, rule.range));
      json.key("selected").boolean(outcome.selected).key("complete").boolean(outcome.complete);
      json.key("bindings_checked").integer(static_cast<std::int64_t>(outcome.candidates));
      json.key("violations").integer(static_cast<std::int64_t>(outcome.violations));
      json.key("listed").integer(static_cast<std::int64_t>(outcome.listed));
      json.key("unknown_reason");
      if (outcome.unknown_reason.empty()) {
        json.null();
      } else {
        json.string(fmt::format("{} ({})", outcome.unknown_reason, context.sources.where(outcome.unknown_at)));
      }
      json.key("plans").begin_array();
      for (const auto& plan : outcome.plans) json.string(plan);
      json.end_array();
      if (context.options.timings) json.key("time_ms").real(outcome.ms);
      json.end_object();
    }
  }
  json.end_array();
}

void emit_violation(JsonEmitter& json, const AuditReport& report, const ReportContext& context,
                    const audit::Violation& v) {
  const model::FormulaDecl& rule = context.model.rules[v.rule];
  const model::Instance& instance = report.data->instance;
  json.begin_object().key("rule").string(rule.name);
  json.key("source");
  rule.source.empty() ? json.null() : json.string(rule.source);
  json.key("formula").integer(v.formula);
  json.key("entities").begin_array();
  for (const auto& b : v.bindings) {
    json.begin_object().key("variable").string(b.variable);
    json.key("kind").string(entity_kind(context.model, instance, b.entity));
    json.key("key").string(entity_key(instance, b.entity));
    Location where = locate(context.sources, report.data->entity_origin[b.entity]);
    if (where.valid()) {
      json.key("file").string(where.file).key("line").integer(where.line);
    } else {
      json.key("file").null().key("line").null();
    }
    json.end_object();
  }
  json.end_array();
  json.key("message");
  if (v.message.empty()) json.null(); else json.string(v.message);
  json.key("explanation").begin_array();
  for (const auto& line : v.explanation) json.string(line);
  json.end_array();
  json.key("facts").begin_array();
  for (const auto& fact : v.facts) {
    Location where = locate(context.sources, fact.origin);
    json.begin_object().key("fact").string(fact_text(context.model, instance, fact));
    json.key("file").string(where.file).key("line").integer(where.line);
    json.end_object();
  }
  json.end_array();
  json.key("facts_omitted").integer(static_cast<std::int64_t>(v.facts_omitted));
  json.end_object();
}

void emit_partners(JsonEmitter& json, const AuditReport& report, const ReportContext& context) {
  json.key("partners").begin_array();
  for (const auto& p : partner_summaries(context.model, report)) {
    json.begin_object().key("key").string(entity_key(report.data->instance, p.entity));
    json.key("violations").integer(static_cast<std::int64_t>(p.violations));
    json.key("rules").begin_array();
    for (int rule : p.rules) json.string(context.model.rules[rule].name);
    json.end_array().end_object();
  }
  json.end_array();
}

void emit_summary(JsonEmitter& json, const AuditReport& report, const ReportContext& context) {
  AuditTotals t = audit_totals(report, context.model);
  json.key("summary").begin_object();
  json.key("records_read").integer(static_cast<std::int64_t>(t.records_read));
  json.key("records_skipped").integer(static_cast<std::int64_t>(t.records_skipped));
  json.key("records_filtered").integer(static_cast<std::int64_t>(t.records_filtered));
  json.key("records_checked").integer(static_cast<std::int64_t>(t.records_checked));
  json.key("rules").integer(static_cast<std::int64_t>(t.rules));
  json.key("rules_evaluated").integer(static_cast<std::int64_t>(t.rules_evaluated));
  json.key("rules_violated").integer(static_cast<std::int64_t>(t.rules_violated));
  json.key("rules_unknown").integer(static_cast<std::int64_t>(t.rules_unknown));
  json.key("violations").integer(static_cast<std::int64_t>(t.violations));
  json.key("data_errors").integer(static_cast<std::int64_t>(t.data_errors));
  json.key("exit_code").integer(t.exit_code);
  if (context.options.timings) json.key("read_ms").real(report.load_ms).key("evaluate_ms").real(report.evaluate_ms);
  json.end_object();
}

void emit_interrupted(JsonEmitter& json, const AuditReport& report, const ReportContext& context) {
  json.key("interrupted");
  if (report.interrupted_by == 0) {
    json.null();
    return;
  }
  json.begin_object().key("signal").string(model::signal_name(report.interrupted_by));
  json.key("rules_not_run").begin_array();
  for (int rule : rules_not_run(report)) json.string(context.model.rules[rule].name);
  json.end_array().end_object();
}

// ----------------------------------------------------------------- shards

// A location as the merge rebuilds it: [file, line, column].
void emit_at(JsonEmitter& json, const ReportContext& context, model::SourceRange range) {
  Location where = locate(context.sources, range);
  if (!where.valid()) {
    json.null();
    return;
  }
  json.begin_array().string(where.file).integer(where.line).integer(where.column).end_array();
}

// The entities a shard's violations name, each once, numbered in order of first mention.
class EntityTable {
 public:
  int ref(int entity) {
    auto [it, fresh] = index_.emplace(entity, static_cast<int>(entities_.size()));
    if (fresh) entities_.push_back(entity);
    return it->second;
  }
  const std::vector<int>& entities() const { return entities_; }

 private:
  std::map<int, int> index_;
  std::vector<int> entities_;
};

// [tag, value, type]: an entity's value is its number in the EntityTable.
void emit_value(JsonEmitter& json, const model::Value& v, EntityTable& table) {
  std::int64_t value = v.tag == model::Value::Tag::Entity ? table.ref(static_cast<int>(v.v)) : v.v;
  json.begin_array().integer(static_cast<int>(v.tag)).integer(value).integer(v.type_id).end_array();
}

void emit_offsets(JsonEmitter& json, const std::vector<std::uint32_t>& offsets) {
  json.begin_array();
  for (auto offset : offsets) json.integer(offset);
  json.end_array();
}

// What the merge needs of each listed violation that the `violations` entry leaves out.
void emit_shard_violation(JsonEmitter& json, const AuditReport& report, const ReportContext& context,
                          const audit::Violation& v, EntityTable& table) {
  const model::Instance& instance = report.data->instance;
  json.begin_object();
  json.key("bindings").begin_array();
  for (const auto& b : v.bindings) json.integer(table.ref(b.entity));
  json.end_array();
  json.key("facts").begin_array();
  for (const auto& fact : v.facts) {
    json.begin_object().key("at");
    emit_at(json, context, fact.origin);
    json.key("entity").integer(fact.entity >= 0 ? table.ref(fact.entity) : -1);
    json.key("attribute").integer(fact.attribute).key("relation").integer(fact.relation);
    json.key("tuple").begin_array();
    for (const auto& value : fact.tuple) emit_value(json, value, table);
    json.end_array().end_object();
  }
  json.end_array();
  // The references and tuples between entities its evaluation read (the relationship subgraph).
  json.key("trace_attributes").begin_array();
  for (const auto& [entity, attribute] : v.trace.attributes) {
    if (entity < 0 || static_cast<std::size_t>(entity) >= instance.entities.size()) continue;
    const auto& attributes = instance.entities[entity].attributes;
    if (attribute < 0 || static_cast<std::size_t>(attribute) >= attributes.size()) continue;
    if (attributes[attribute].tag != model::Value::Tag::Entity) continue;
    json.begin_array().integer(table.ref(entity)).integer(attribute);
    emit_value(json, attributes[attribute], table);
    json.end_array();
  }
  json.end_array();
  json.key("trace_tuples").begin_array();
  for (const auto& [relation, tuple] : v.trace.tuples) {
    json.begin_array().integer(relation).begin_array();
    for (const auto& value : tuple) emit_value(json, value, table);
    json.end_array().end_array();
  }
  json.end_array();
  json.end_object();
}

void emit_shard(JsonEmitter& json, const AuditReport& report, const ReportContext& context) {
  const AuditShardInfo& shard = *report.shard;
  json.key("shard").begin_object();
  json.key("index").integer(shard.index).key("count").integer(shard.count);
  json.key("specs_hash").string(shard.specs_hash).key("data_hash").string(shard.data_hash);
  json.key("options").begin_object();
  for (const auto& [name, value] : shard.options) json.key(name).string(value);
  json.end_object();
  json.key("cspverify_version").string(kToolVersion);
  json.key("z3_version").null();  // an audit runs no solver; there for the merge's common checks
  json.key("items").begin_array().end_array();  // an audit splits its data, not its checks
  json.key("stop_reason").string(report.data ? report.data->stop_reason : "");
  json.key("files").begin_array();
  if (report.data) {
    for (const auto& f : report.data->files) {
      json.begin_object().key("other_shard").integer(static_cast<std::int64_t>(f.other_shard));
      json.key("skipped_at");
      emit_offsets(json, f.skipped_at);
      json.end_object();
    }
  }
  json.end_array();
  json.key("imports").begin_array();
  if (report.data) {
    for (const auto& i : report.data->imports) {
      json.begin_object().key("skipped_at");
      emit_offsets(json, i.skipped_at);
      json.end_object();
    }
  }
  json.end_array();
  json.key("shard_tuples").begin_array();
  if (report.data) {
    for (auto n : report.data->shard_tuples) json.integer(static_cast<std::int64_t>(n));
  }
  json.end_array();
  json.key("cross_shard_tuples").begin_array();
  if (report.data) {
    for (auto n : report.data->cross_shard_tuples) json.integer(static_cast<std::int64_t>(n));
  }
  json.end_array();
  json.key("rules").begin_array();
  if (report.result) {
    for (const auto& outcome : report.result->rules) {
      json.begin_object().key("evaluated").boolean(outcome.evaluated).key("unknown_reason").string(outcome.unknown_reason);
      json.key("unknown_at");
      emit_at(json, context, outcome.unknown_at);
      json.end_object();
    }
  }
  json.end_array();
  EntityTable table;
  json.key("violations").begin_array();
  if (report.result && report.data) {
    for (const auto& v : report.result->violations) emit_shard_violation(json, report, context, v, table);
  }
  json.end_array();
  // Last: the violations above add to it.
  json.key("entities").begin_array();
  for (int entity : table.entities()) {
    const model::Instance& instance = report.data->instance;
    model::SourceRange origin = report.data->entity_origin[entity];
    json.begin_object().key("kind").string(entity_kind(context.model, instance, entity));
    json.key("key").string(entity_key(instance, entity)).key("at");
    emit_at(json, context, origin);
    json.key("offset").integer(origin.begin).end_object();
  }
  json.end_array();
  json.end_object();
}

}  // namespace

void write_audit_json(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  JsonEmitter json(out);
  json.begin_object();
  json.key("format_version").integer(1).key("command").string("audit");
  json.key("tool").begin_object().key("name").string(kToolName).key("version").string(kToolVersion).end_object();
  json.key("inputs").begin_array();
  for (const auto& input : report.inputs) json.string(input);
  json.end_array();
  emit_data(json, report, context);
  emit_data_errors(json, report, context);
  emit_rules(json, report, context);
  json.key("violations").begin_array();
  if (report.result) {
    for (const auto& v : report.result->violations) emit_violation(json, report, context, v);
  }
  json.end_array();
  emit_partners(json, report, context);
  emit_summary(json, report, context);
  emit_interrupted(json, report, context);
  if (report.shard) emit_shard(json, report, context);
  json.end_object();
  json.finish();
}

}  // namespace csp::reports
