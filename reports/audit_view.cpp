// The audit reports' shared view: labels, locations, summaries, subgraphs.
#include "reports/audit_view.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "model/stop.h"

namespace csp::reports {

namespace {

bool in_range(std::int64_t index, std::size_t size) {
  return index >= 0 && static_cast<std::uint64_t>(index) < size;
}

}  // namespace

std::string entity_key(const model::Instance& instance, int entity) {
  return in_range(entity, instance.entities.size()) ? instance.entities[entity].name : "?";
}

std::string entity_kind(const model::Model& model, const model::Instance& instance, int entity) {
  if (!in_range(entity, instance.entities.size())) return "?";
  return kind_name_of(model, instance.entities[entity].kind);
}

std::string entity_label(const model::Model& model, const model::Instance& instance, int entity) {
  return fmt::format("{} {}", entity_kind(model, instance, entity), entity_key(instance, entity));
}

std::string fact_text(const model::Model& model, const model::Instance& instance, const audit::Fact& fact) {
  if (fact.relation >= 0) {
    std::vector<std::string> args;
    for (const auto& v : fact.tuple) args.push_back(model::format_value(model, instance, v));
    std::string name = in_range(fact.relation, model.relations.size()) ? model.relations[fact.relation].name : "?";
    return fmt::format("{}({})", name, fmt::join(args, ", "));
  }
  std::string label = entity_label(model, instance, fact.entity);
  if (fact.attribute < 0) return label;
  int kind = in_range(fact.entity, instance.entities.size()) ? instance.entities[fact.entity].kind : -1;
  return fmt::format("{} {}", label, attribute_name_of(model, kind, static_cast<std::size_t>(fact.attribute)));
}

std::string record_where(const model::SourceManager& sources, model::SourceRange record) {
  Location where = locate(sources, record);
  return where.valid() ? fmt::format("{}:{}", where.file, where.line) : "";
}

AuditTotals audit_totals(const AuditReport& report, const model::Model& model) {
  AuditTotals totals;
  if (report.data) {
    totals.records_read = report.data->records_read();
    totals.records_skipped = report.data->records_skipped();
    totals.records_filtered = report.data->records_filtered();
    totals.records_checked = report.data->records_checked();
  }
  totals.rules = model.rules.size();
  totals.data_errors = report.data_errors.size();
  totals.exit_code = report.exit_code;
  if (report.interrupted_by) totals.interrupted_by = model::signal_name(report.interrupted_by);
  if (report.result) {
    totals.evaluated = true;
    for (const auto& rule : report.result->rules) {
      if (rule.evaluated) ++totals.rules_evaluated;
      if (!rule.unknown_reason.empty()) ++totals.rules_unknown;
      if (rule.violations > 0) ++totals.rules_violated;
      totals.violations += rule.violations;
    }
    totals.rules_not_run = rules_not_run(report).size();
  }
  return totals;
}

std::string totals_text(const AuditTotals& t) {
  std::string text = fmt::format("{} records read, {} skipped, {} filtered, {} checked", t.records_read,
                                 t.records_skipped, t.records_filtered, t.records_checked);
  if (t.evaluated) {
    text += fmt::format("; {} rules, {} evaluated, {} violated", t.rules, t.rules_evaluated, t.rules_violated);
    if (t.rules_unknown) text += fmt::format(", {} unknown", t.rules_unknown);
    text += fmt::format("; {} violation{}", t.violations, t.violations == 1 ? "" : "s");
  } else {
    text += "; rules not evaluated";
  }
  text += fmt::format("; {} data error{}", t.data_errors, t.data_errors == 1 ? "" : "s");
  if (!t.interrupted_by.empty()) text += fmt::format("; interrupted by {}", t.interrupted_by);
  return text;
}

std::vector<PartnerSummary> partner_summaries(const model::Model& model, const AuditReport& report) {
  int partner_kind = model.find_kind("Partner");
  if (partner_kind < 0 || !report.result || !report.data) return {};
  const model::Instance& instance = report.data->instance;
  std::map<int, PartnerSummary> by_entity;
  for (const auto& v : report.result->violations) {
    std::set<int> partners;
    auto note = [&](int entity) {
      if (in_range(entity, instance.entities.size()) && instance.entities[entity].kind == partner_kind) {
        partners.insert(entity);
      }
    };
    for (const auto& b : v.bindings) note(b.entity);
    for (const auto& fact : v.facts) {
      if (fact.relation < 0) note(fact.entity);
    }
    for (int p : partners) {
      PartnerSummary& s = by_entity[p];
      s.entity = p;
      ++s.violations;
      if (std::find(s.rules.begin(), s.rules.end(), v.rule) == s.rules.end()) s.rules.push_back(v.rule);
    }
  }
  std::vector<PartnerSummary> out;
  for (auto& [entity, s] : by_entity) {
    std::sort(s.rules.begin(), s.rules.end());
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(), [&](const PartnerSummary& a, const PartnerSummary& b) {
    if (a.violations != b.violations) return a.violations > b.violations;
    return entity_key(instance, a.entity) < entity_key(instance, b.entity);
  });
  return out;
}

Subgraph violation_subgraph(const model::Model& model, const model::Instance& instance, const audit::Violation& v) {
  Subgraph graph;
  auto add_node = [&](int entity) {
    if (!in_range(entity, instance.entities.size())) return false;
    if (std::find(graph.nodes.begin(), graph.nodes.end(), entity) == graph.nodes.end()) graph.nodes.push_back(entity);
    return true;
  };
  std::set<std::tuple<int, int, std::string>> seen;
  auto add_edge = [&](int from, int to, const std::string& label) {
    if (!add_node(from) || !add_node(to)) return;
    if (seen.insert({from, to, label}).second) graph.edges.push_back({from, to, label});
  };
  for (const auto& b : v.bindings) add_node(b.entity);
  for (const auto& [entity, attribute] : v.trace.attributes) {
    if (!in_range(entity, instance.entities.size())) continue;
    const model::Entity& e = instance.entities[entity];
    if (!in_range(attribute, e.attributes.size())) continue;
    const model::Value& value = e.attributes[attribute];
    if (value.tag == model::Value::Tag::Entity) {
      add_edge(entity, static_cast<int>(value.v), attribute_name_of(model, e.kind, static_cast<std::size_t>(attribute)));
    }
  }
  for (const auto& [relation, tuple] : v.trace.tuples) {
    if (tuple.size() != 2 || tuple[0].tag != model::Value::Tag::Entity || tuple[1].tag != model::Value::Tag::Entity) {
      continue;
    }
    std::string name = in_range(relation, model.relations.size()) ? model.relations[relation].name : "?";
    add_edge(static_cast<int>(tuple[0].v), static_cast<int>(tuple[1].v), name);
  }
  return graph;
}

std::string bindings_text(const model::Model& model, const model::Instance& instance, const audit::Violation& v) {
  std::vector<std::string> parts;
  for (const auto& b : v.bindings) parts.push_back(fmt::format("{} = {}", b.variable, entity_label(model, instance, b.entity)));
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::vector<int> rules_not_run(const AuditReport& report) {
  std::vector<int> out;
  if (!report.result || report.interrupted_by == 0) return out;
  for (const auto& rule : report.result->rules) {
    if (rule.selected && !rule.complete && rule.unknown_reason.empty()) out.push_back(rule.rule);
  }
  return out;
}

std::string data_error_line(const model::SourceManager& sources, const model::Diagnostic& d) {
  std::string where = sources.where(d.range);
  return where.empty() ? d.message : fmt::format("{}: {}", where, d.message);
}

int audit_exit_code(const audit::DataSet* data, const audit::AuditResult* result,
                    const std::vector<model::Diagnostic>& data_errors) {
  int signal = result && result->interrupted_by ? result->interrupted_by : data ? data->interrupted_by : 0;
  if (signal != 0) return 128 + signal;
  bool bad_data = !data || !data->complete ||
                  std::any_of(data_errors.begin(), data_errors.end(),
                              [](const model::Diagnostic& d) { return d.severity == model::Severity::Error; });
  if (bad_data) return 2;
  bool unknown = false;
  if (result) {
    for (const auto& rule : result->rules) {
      if (rule.violations > 0) return 1;
      unknown = unknown || !rule.unknown_reason.empty();
    }
  }
  return unknown ? 3 : 0;
}

}  // namespace csp::reports
