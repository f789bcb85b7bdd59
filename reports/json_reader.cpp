#include "reports/json_reader.h"

#include <algorithm>
#include <csignal>
#include <map>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/instance.h"
#include "model/merge.h"
#include "model/stop.h"
#include "model/usage.h"
#include "reports/view.h"

namespace csp::reports {

namespace {

using json = nlohmann::ordered_json;
using model::CheckResult;
using model::Status;

// A report that does not read as documented; caught at the top.
struct ReadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string text_or_empty(const json& value) { return value.is_null() ? std::string() : value.get<std::string>(); }

std::vector<std::string> strings(const json& array) {
  std::vector<std::string> out;
  for (const auto& item : array) out.push_back(item.get<std::string>());
  return out;
}

Status parse_status(const std::string& name) {
  for (Status s : {Status::Proved, Status::Violated, Status::Unknown, Status::Vacuous, Status::Consistent,
                   Status::Inconsistent, Status::Allowed, Status::Forbidden}) {
    if (name == model::status_name(s)) return s;
  }
  throw ReadError(fmt::format("unknown status `{}`", name));
}

CheckResult::Kind parse_kind(const std::string& name) {
  if (name == "consistency") return CheckResult::Kind::Consistency;
  if (name == "property") return CheckResult::Kind::Property;
  if (name == "scenario") return CheckResult::Kind::Scenario;
  throw ReadError(fmt::format("unknown result kind `{}`", name));
}

int parse_signal(const std::string& name) {
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) {
    if (model::signal_name(signal) == name) return signal;
  }
  int number = 0;
  if (std::sscanf(name.c_str(), "signal %d", &number) == 1) return number;
  throw ReadError(fmt::format("unknown signal `{}`", name));
}

// The model's declarations by where the JSON says they are: locations are
// written as file, line and column, and the writers need the whole range.
class Ranges {
 public:
  Ranges(const model::Model& model, const model::SourceManager& sources) : sources_(sources) {
    for (const auto& e : model.enums) {
      add(e.range);
      for (const auto& r : e.value_ranges) add(r);
    }
    for (const auto& k : model.kinds) {
      add(k.range);
      for (const auto& a : k.attributes) add(a.range);
    }
    for (const auto& r : model.relations) add(r.range);
    for (const auto& t : model.tables) add(t.range);
    for (const auto& d : model.defines) add(d.range);
    for (const auto& r : model.rules) add(r.range);
    for (const auto& p : model.properties) add(p.range);
    for (const auto& s : model.scenarios) add(s.range);
    for (const auto& i : model.imports) add(i.range);
    for (const auto& u : model::unused_declarations(model)) add(u.range);
  }

  model::SourceRange find(const json& where) const {
    if (where.at("file").is_null()) return {};
    auto key = std::make_tuple(where.at("file").get<std::string>(), where.at("line").get<std::uint32_t>(),
                               where.at("column").get<std::uint32_t>());
    auto it = ranges_.find(key);
    if (it == ranges_.end()) {
      throw ReadError(fmt::format("no declaration at {}:{}:{} in the specs", std::get<0>(key), std::get<1>(key),
                                  std::get<2>(key)));
    }
    return it->second;
  }

 private:
  void add(const model::SourceRange& range) {
    Location where = locate(sources_, range);
    if (where.valid()) ranges_.emplace(std::make_tuple(where.file, where.line, where.column), range);
  }

  const model::SourceManager& sources_;
  std::map<std::tuple<std::string, std::uint32_t, std::uint32_t>, model::SourceRange> ranges_;
};

class Reader {
 public:
  Reader(const model::Model& model, const model::SourceManager& sources) : model_(model), ranges_(model, sources) {}

  model::RunReport report(const json& doc) {
    model::RunReport report;
    report.command = doc.at("command").get<std::string>();
    report.inputs = strings(doc.at("inputs"));
    report.z3_version = text_or_empty(doc.at("tool").at("z3_version"));
    for (const auto& r : doc.at("results")) report.results.push_back(result(r));
    if (const auto& stop = doc.at("interrupted"); !stop.is_null()) {
      report.interrupted_by = parse_signal(stop.at("signal").get<std::string>());
      for (const auto& item : stop.at("not_run")) {
        model::NotRun missing;
        missing.kind = parse_kind(item.at("kind").get<std::string>());
        missing.name = item.at("name").get<std::string>();
        missing.range = ranges_.find(item);
        if (item.contains("sweep_bound") && !item.at("sweep_bound").is_null()) {
          missing.sweep_bound = item.at("sweep_bound").get<int>();
        }
        report.not_run.push_back(missing);
      }
    }
    if (const auto& lint = doc.at("lint"); !lint.is_null()) report.lint = lint_report(lint);
    if (doc.contains("shard")) report.shard = shard(doc.at("shard"));
    if (doc.contains("sweep")) report.sweep = doc.at("sweep").at("bounds").get<std::vector<int>>();
    return report;
  }

  int rule_id(const std::string& name) const {
    for (std::size_t id = 0; id < model_.rules.size(); ++id) {
      if (model_.rules[id].name == name) return static_cast<int>(id);
    }
    int id = -1;
    if (std::sscanf(name.c_str(), "rule #%d", &id) == 1) return id;  // rule_label of an id the model lacks
    throw ReadError(fmt::format("no rule named `{}` in the specs", name));
  }

  std::vector<int> rule_ids(const json& names) const {
    std::vector<int> ids;
    for (const auto& name : names) ids.push_back(rule_id(name.get<std::string>()));
    return ids;
  }

  CheckResult result(const json& r) {
    CheckResult result;
    result.kind = parse_kind(r.at("kind").get<std::string>());
    result.name = r.at("name").get<std::string>();
    if (result.kind == CheckResult::Kind::Property) {
      result.decl_id = model_.find_property(result.name);
      if (result.decl_id < 0) throw ReadError(fmt::format("no property named `{}` in the specs", result.name));
      result.range = model_.properties[result.decl_id].range;
    } else if (result.kind == CheckResult::Kind::Scenario) {
      result.decl_id = model_.find_scenario(result.name);
      if (result.decl_id < 0) throw ReadError(fmt::format("no scenario named `{}` in the specs", result.name));
      result.range = model_.scenarios[result.decl_id].range;
    }
    result.status = parse_status(r.at("status").get<std::string>());
    if (!r.at("expected").is_null()) result.expected = parse_status(r.at("expected").get<std::string>());
    result.expected_by = strings(r.at("expected_by"));
    // as_expected is meets_expectation(): false with the expected status means a rule `expected_by` names is
    // missing from the core.
    result.by_matches = r.at("as_expected").get<bool>() || !result.expected || *result.expected != result.status;
    for (const auto& [name, size] : r.at("scope").items()) {
      int kind = model_.find_kind(name);
      if (kind < 0) throw ReadError(fmt::format("scope of unknown kind `{}`", name));
      if (result.scope.size.size() <= static_cast<std::size_t>(kind)) result.scope.size.resize(kind + 1, 0);
      result.scope.size[kind] = size.get<int>();
    }
    result.unbounded = r.at("bound").is_string() && r.at("bound").get<std::string>() == "unbounded";
    result.unbounded_note = text_or_empty(r.at("for_every_size"));
    const json& instance = r.at(result.kind == CheckResult::Kind::Property ? "counterexample" : "instance");
    if (!instance.is_null()) result.instance = read_instance(instance);
    result.minimal = r.at("minimal").get<bool>();
    result.message = text_or_empty(r.at("message"));  // the property's `message`, filled in
    result.explanation = strings(r.at("explanation"));
    for (const auto& rule : r.at("core")) result.core.push_back(rule_id(rule.at("rule").get<std::string>()));
    const json& core_minimal = r.at("core_minimal");
    result.core_minimal = !core_minimal.is_null() && core_minimal.get<bool>();
    // The writer gives core_minimal a value for a proof's core, even an empty one.
    result.proof_core = result.kind == CheckResult::Kind::Property && result.status == Status::Proved &&
                        !core_minimal.is_null();
    if (const auto& search = r.at("core_search"); !search.is_null()) {
      model::CoreSearch s;
      s.first_core = rule_ids(search.at("first_core"));
      s.found = search.at("found").get<bool>();
      s.complete = search.at("complete").get<bool>();
      s.stopped = text_or_empty(search.at("stopped"));
      result.core_search = s;
    }
    if (const auto& cores = r.at("all_cores"); !cores.is_null()) {
      model::CoreList list;
      for (const auto& core : cores.at("cores")) list.cores.push_back(rule_ids(core));
      list.complete = cores.at("complete").get<bool>();
      list.incomplete_reason = text_or_empty(cores.at("incomplete_reason"));
      result.all_cores = list;
    }
    result.core_facts = strings(r.at("core_facts"));
    for (const auto& step : r.at("repair")) result.repair.push_back({step.get<std::string>()});
    for (const auto& broken : r.at("repair_violates")) {
      auto name = broken.at("property").get<std::string>();
      int id = model_.find_property(name);
      if (id < 0) throw ReadError(fmt::format("no property named `{}` in the specs", name));
      result.repair_violates.push_back(id);
    }
    result.repair_missing = text_or_empty(r.at("repair_missing"));
    result.unknown_reason = text_or_empty(r.at("unknown_reason"));
    if (r.contains("time_ms")) result.time_ms = r.at("time_ms").get<double>();
    if (r.contains("sweep_bound") && !r.at("sweep_bound").is_null()) result.sweep_bound = r.at("sweep_bound").get<int>();
    return result;
  }

  // A value of type `type` as the writer typed it (emit_value in json_writer.cpp).
  model::Value value(const json& v, const model::Type& type, const model::Instance& instance) const {
    if (v.is_null()) return model::Value::none();
    switch (type.kind) {
      case model::TypeKind::Bool: return model::Value::boolean(v.get<bool>());
      case model::TypeKind::Int: return model::Value::integer(v.get<std::int64_t>());
      case model::TypeKind::Date: {
        int year = 0, month = 0, day = 0;
        auto text = v.get<std::string>();
        auto days = std::sscanf(text.c_str(), "%d-%d-%d", &year, &month, &day) == 3
                        ? model::days_from_date(year, month, day) : std::nullopt;
        if (!days) throw ReadError(fmt::format("invalid date `{}`", text));
        return model::Value::date(*days);
      }
      case model::TypeKind::Enum: {
        const auto& values = model_.enums.at(type.id).values;
        auto name = v.get<std::string>();
        for (std::size_t i = 0; i < values.size(); ++i) {
          if (values[i] == name) return model::Value::enum_value(type.id, static_cast<std::int64_t>(i));
        }
        throw ReadError(fmt::format("no value `{}` in enum `{}`", name, model_.enums.at(type.id).name));
      }
      case model::TypeKind::Entity: {
        auto name = v.get<std::string>();
        int index = instance.find(name);
        if (index < 0) throw ReadError(fmt::format("no entity `{}` in the instance", name));
        return model::Value::entity(type.id, index);
      }
      case model::TypeKind::Error: break;
    }
    throw ReadError("a value of an unchecked type");
  }

  model::Instance read_instance(const json& j) const {
    model::Instance instance;
    // Names first: attributes and relations refer to entities listed later.
    for (const auto& e : j.at("entities")) {
      model::Entity entity;
      entity.name = e.at("id").get<std::string>();
      entity.kind = model_.find_kind(e.at("kind").get<std::string>());
      if (entity.kind < 0) throw ReadError(fmt::format("no entity kind `{}`", e.at("kind").get<std::string>()));
      instance.entities.push_back(entity);
    }
    std::size_t i = 0;
    for (const auto& e : j.at("entities")) {
      model::Entity& entity = instance.entities[i++];
      const auto& attributes = model_.kinds[entity.kind].attributes;
      for (const auto& attribute : attributes) {
        entity.attributes.push_back(value(e.at("attributes").at(attribute.name), attribute.type.type, instance));
      }
    }
    instance.relations.resize(model_.relations.size());
    for (const auto& t : j.at("relations")) {
      int relation = model_.find_relation(t.at("name").get<std::string>());
      if (relation < 0) throw ReadError(fmt::format("no relation `{}`", t.at("name").get<std::string>()));
      const auto& params = model_.relations[relation].params;
      const auto& args = t.at("args");
      if (args.size() != params.size()) throw ReadError(fmt::format("relation `{}`: wrong arity", t.at("name").get<std::string>()));
      model::Tuple tuple;
      for (std::size_t a = 0; a < params.size(); ++a) tuple.push_back(value(args[a], params[a].type.type, instance));
      instance.relations[relation].insert(tuple);
    }
    return instance;
  }

  model::LintReport lint_report(const json& j) const {
    model::LintReport lint;
    lint.strict = j.at("strict").get<bool>();
    for (const auto& f : j.at("findings")) {
      model::LintFinding finding;
      finding.id = f.at("id").get<std::string>();
      finding.subject = f.at("subject").get<std::string>();
      finding.message = f.at("message").get<std::string>();
      finding.range = ranges_.find(f);
      for (const auto& rule : f.at("rules")) finding.rules.push_back(rule_id(rule.at("rule").get<std::string>()));
      finding.bound = text_or_empty(f.at("bound"));
      lint.findings.push_back(finding);
    }
    for (const auto& u : j.at("undecided")) {
      model::LintUndecided undecided;
      undecided.check = u.at("check").get<std::string>();
      undecided.subject = u.at("subject").get<std::string>();
      undecided.range = ranges_.find(u);
      undecided.reason = u.at("reason").get<std::string>();
      lint.undecided.push_back(undecided);
    }
    const json& coverage = j.at("coverage");
    lint.scenarios_unknown = coverage.at("scenarios_unknown").get<int>();
    for (const auto& c : coverage.at("per_rule")) {
      model::RuleCoverage rule;
      rule.rule_id = rule_id(c.at("rule").get<std::string>());
      rule.forbidding = strings(c.at("forbids"));
      rule.applying = strings(c.at("applies_in"));
      lint.coverage.push_back(rule);
    }
    lint.solver_checks_skipped = text_or_empty(j.at("solver_checks_skipped"));
    return lint;
  }

  // Also what a diff's report says of its shard.
  static model::ShardInfo shard(const json& j) {
    model::ShardInfo info;
    info.index = j.at("index").get<unsigned>();
    info.count = j.at("count").get<unsigned>();
    info.items = strings(j.at("items"));
    info.specs_hash = j.at("specs_hash").get<std::string>();
    for (const auto& [name, value] : j.at("options").items()) info.options.emplace_back(name, value.get<std::string>());
    return info;
  }

 private:
  const model::Model& model_;
  Ranges ranges_;
};

// A diff's JSON report (docs/diff.md): each side's results read as results
// of the JSON report against that side's model, the witnesses against the
// merged model, where a blamed rule is named as its side writes it.
class DiffReader {
 public:
  DiffReader(const model::DiffModels& models, const model::SourceManager& sources)
      : models_(models), sources_(sources) {}

  model::DiffReport report(const json& doc) const {
    model::DiffReport report;
    report.z3_version = text_or_empty(doc.at("tool").at("z3_version"));
    std::vector<std::string> items;
    if (doc.contains("shard")) {
      report.shard = Reader::shard(doc.at("shard"));
      items = report.shard->items;
    }
    // A shard's direction that another shard searched is no answer of its own.
    auto elsewhere = [&](const char* item) {
      return report.shard && std::find(items.begin(), items.end(), item) == items.end();
    };
    const json& semantic = doc.at("semantic");
    report.semantic.newly_allowed = difference(semantic.at("newly_allowed"), model::DiffSide::Proposed);
    report.semantic.newly_allowed.elsewhere = elsewhere("newly_allowed");
    report.semantic.newly_forbidden = difference(semantic.at("newly_forbidden"), model::DiffSide::Base);
    report.semantic.newly_forbidden.elsewhere = elsewhere("newly_forbidden");
    for (const auto& c : doc.at("checks")) report.checks.push_back(pair(c));
    if (const auto& stop = doc.at("interrupted"); !stop.is_null()) {
      report.interrupted_by = parse_signal(stop.at("signal").get<std::string>());
      for (const auto& item : stop.at("not_run")) {
        report.not_run.push_back({parse_kind(item.at("kind").get<std::string>()), item.at("name").get<std::string>(), {}});
      }
    }
    return report;
  }

 private:
  // The merged model's id of a side's rule named as that side writes it.
  int merged_rule(model::DiffSide side, const std::string& name) const {
    std::string qualified = model::side_qualified(side, name);
    for (std::size_t id = 0; id < models_.merged.rules.size(); ++id) {
      if (models_.merged.rules[id].name == qualified) return static_cast<int>(id);
    }
    throw ReadError(fmt::format("no {} rule named `{}` in the specs", model::side_name(side), name));
  }

  model::Witness witness(const json& w, model::DiffSide allowing) const {
    model::DiffSide forbidding = allowing == model::DiffSide::Base ? model::DiffSide::Proposed : model::DiffSide::Base;
    model::Witness witness;
    witness.instance = Reader(models_.merged, sources_).read_instance(w.at("instance"));
    witness.minimal = w.at("minimal").get<bool>();
    auto distinct = w.at("distinct").get<std::string>();
    for (auto d : {model::Witness::Distinct::First, model::Witness::Distinct::Rule, model::Witness::Distinct::Clause,
                   model::Witness::Distinct::Shape}) {
      if (distinct == model::distinct_name(d)) witness.distinct = d;
    }
    if (distinct != model::distinct_name(witness.distinct)) throw ReadError(fmt::format("unknown distinct `{}`", distinct));
    for (const auto& b : w.at("blame")) {
      witness.blame.push_back(merged_rule(forbidding, b.at("rule").get<std::string>()));
      witness.explanations.push_back(strings(b.at("explanation")));
      const json& counterpart = b.at("counterpart");
      witness.counterparts.push_back(counterpart.is_null() ? -1
                                                           : merged_rule(allowing, counterpart.at("rule").get<std::string>()));
    }
    return witness;
  }

  model::Difference difference(const json& d, model::DiffSide allowing) const {
    model::Difference difference;
    auto status = d.at("status").get<std::string>();
    if (status == "found") {
      difference.answer = model::Difference::Answer::Found;
    } else if (status == "none") {
      difference.answer = model::Difference::Answer::None;
    } else if (status != "unknown") {
      throw ReadError(fmt::format("unknown difference status `{}`", status));
    }
    for (const auto& w : d.at("witnesses")) difference.witnesses.push_back(witness(w, allowing));
    difference.no_more_witnesses = d.at("no_more_witnesses").get<bool>();
    difference.unknown_reason = text_or_empty(d.at("unknown_reason"));
    if (d.contains("time_ms")) difference.time_ms = d.at("time_ms").get<double>();
    return difference;
  }

  // A side's result: a result of the JSON report without its kind and name,
  // which the pair holds.
  std::optional<CheckResult> side(const json& pair, const char* key, const model::Model& model) const {
    const json& r = pair.at(key);
    if (r.is_null()) return std::nullopt;
    json result = r;
    result["kind"] = pair.at("kind");
    result["name"] = pair.at("name");
    return Reader(model, sources_).result(result);
  }

  model::CheckPair pair(const json& c) const {
    model::CheckPair pair;
    pair.kind = parse_kind(c.at("kind").get<std::string>());
    pair.name = c.at("name").get<std::string>();
    pair.base = side(c, "base", models_.base_checks);
    pair.proposed = side(c, "proposed", models_.proposed_checks);
    pair.classify();
    if (const json& only = c.at("declared_only_in"); !only.is_null()) {
      pair.declared_only_in = only.get<std::string>() == "base" ? model::DiffSide::Base : model::DiffSide::Proposed;
    }
    for (const auto& u : c.at("unset_attributes")) {
      pair.depends_on_unset.push_back({u.at("attribute").get<std::string>(), strings(u.at("entities"))});
    }
    if (pair.regression != c.at("regression").get<bool>()) {
      throw ReadError(fmt::format("{} `{}`: `regression` does not follow from its two sides", c.at("kind").get<std::string>(),
                                  pair.name));
    }
    return pair;
  }

  const model::DiffModels& models_;
  const model::SourceManager& sources_;
};

// Runs `read` and turns a report that does not read as documented into nullopt and `error`.
template <typename Read>
auto reading(Read read, std::string* error) -> std::optional<decltype(read())> {
  try {
    return read();
  } catch (const ReadError& e) {
    *error = e.what();
  } catch (const json::exception& e) {
    *error = e.what();
  } catch (const std::out_of_range& e) {
    *error = e.what();
  }
  return std::nullopt;
}

}  // namespace

std::optional<model::DiffReport> read_diff_json_report(const nlohmann::ordered_json& document,
                                                      const model::DiffModels& models,
                                                      const model::SourceManager& sources, std::string* error) {
  return reading([&] { return DiffReader(models, sources).report(document); }, error);
}

std::optional<model::CheckResult> read_json_result(const nlohmann::ordered_json& result, const model::Model& model,
                                                   const model::SourceManager& sources, std::string* error) {
  return reading([&] { return Reader(model, sources).result(result); }, error);
}

std::optional<model::Instance> read_json_instance(const nlohmann::ordered_json& instance, const model::Model& model,
                                                  const model::SourceManager& sources, std::string* error) {
  return reading([&] { return Reader(model, sources).read_instance(instance); }, error);
}

std::optional<model::RunReport> read_json_report(const nlohmann::ordered_json& document, const model::Model& model,
                                                 const model::SourceManager& sources, std::string* error) {
  return reading([&] { return Reader(model, sources).report(document); }, error);
}

}  // namespace csp::reports
