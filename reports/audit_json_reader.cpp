#include "reports/audit_json_reader.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "audit/shards.h"
#include "model/stop.h"
#include "model/utf8.h"

namespace csp::reports {

namespace {

using json = nlohmann::ordered_json;

// A report that does not read as documented; caught at the top.
struct ReadError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::uint64_t count(const json& value) { return value.get<std::uint64_t>(); }

// Locations in the shards' reports ([file, line, column]) as ranges: spec
// files by their text, data files by stand-in texts with the lines and
// columns the reports name (added once every location is known).
class Locations {
 public:
  Locations(model::SourceManager& sources) : sources_(sources) {
    for (std::size_t id = 0; id < sources.size(); ++id) ids_[sources.path(static_cast<int>(id))] = static_cast<int>(id);
  }

  // Notes a location of a data file, so that its stand-in has it.
  void need(const json& at) {
    if (at.is_null() || ids_.count(at.at(0).get<std::string>())) return;
    auto& widest = columns_[at.at(0).get<std::string>()][at.at(1).get<std::uint32_t>()];
    widest = std::max(widest, at.at(2).get<std::uint32_t>());
  }

  // Stand-ins for the data files, in the order the single run read them (so file ids, and the data errors' order, match).
  void add_data_files(const std::vector<std::string>& paths) {
    for (const auto& path : paths) {
      if (ids_.count(path)) continue;
      std::string text;
      std::uint32_t line = 1;
      for (const auto& [needed, column] : columns_[path]) {
        text.append(needed - line, '\n');
        line = needed;
        text.append(column > 0 ? column - 1 : 0, ' ');
      }
      ids_[path] = sources_.add(path, text + "\n");
    }
  }

  model::SourceRange range(const json& at) const {
    if (at.is_null()) return {};
    auto it = ids_.find(at.at(0).get<std::string>());
    if (it == ids_.end()) throw ReadError(fmt::format("`{}` is neither a spec nor a data file", at.at(0).dump()));
    auto line = at.at(1).get<std::uint32_t>(), column = at.at(2).get<std::uint32_t>();
    std::string_view text = sources_.text(it->second);
    std::string_view line_text = sources_.line_text(it->second, line);
    auto offset = static_cast<std::uint32_t>(line_text.data() - text.data());
    for (std::uint32_t c = 1; c < column && offset < text.size(); ++c) offset += static_cast<std::uint32_t>(model::utf8_sequence_length(text, offset));
    return {it->second, offset, offset};
  }

  static json at(const std::string& file, const json& line, const json& column) {
    if (line.is_null()) return nullptr;
    return json::array({file, line, column});
  }

 private:
  model::SourceManager& sources_;
  std::map<std::string, int> ids_;
  std::map<std::string, std::map<std::uint32_t, std::uint32_t>> columns_;  // data file -> line -> widest column
};

// The entities the shards' violations name, each once (by kind and key).
class Entities {
 public:
  Entities(const model::Model& model, audit::DataSet& data) : model_(model), data_(data) {
    for (std::size_t f = 0; f < data.files.size(); ++f) file_rank_[data.files[f].path] = f;
  }

  // The entities of one shard's table, as indices of the merged instance.
  std::vector<int> add_table(const json& table, const Locations& locations) {
    std::vector<int> out;
    for (const auto& e : table) {
      int kind = model_.find_kind(e.at("kind").get<std::string>());
      if (kind < 0) throw ReadError(fmt::format("no entity kind `{}`", e.at("kind").get<std::string>()));
      std::string key = e.at("key").get<std::string>();
      auto [it, fresh] = index_.emplace(std::pair{kind, key}, static_cast<int>(data_.instance.entities.size()));
      if (fresh) {
        model::Entity entity;
        entity.kind = kind;
        entity.name = key;
        entity.attributes.assign(model_.kinds[kind].attributes.size(), model::Value::none());
        data_.instance.entities.push_back(std::move(entity));
        data_.entity_origin.push_back(locations.range(e.at("at")));
        std::size_t file = e.at("at").is_null() ? 0 : file_rank_.at(e.at("at").at(0).get<std::string>());
        order_.emplace_back(file, e.at("offset").get<std::uint64_t>());
      }
      out.push_back(it->second);
    }
    return out;
  }

  // Where the single run's entity order puts an entity: its record (the
  // loader numbers a kind's entities in the order it reads their records).
  const std::pair<std::size_t, std::uint64_t>& order(int entity) const { return order_[entity]; }

 private:
  const model::Model& model_;
  audit::DataSet& data_;
  std::map<std::pair<int, std::string>, int> index_;
  std::map<std::string, std::size_t> file_rank_;
  std::vector<std::pair<std::size_t, std::uint64_t>> order_;
};

model::Value value_of(const json& v, const std::vector<int>& entities) {
  model::Value value;
  value.tag = static_cast<model::Value::Tag>(v.at(0).get<int>());
  value.v = v.at(1).get<std::int64_t>();
  value.type_id = v.at(2).get<int>();
  if (value.tag == model::Value::Tag::Entity) value.v = entities.at(static_cast<std::size_t>(value.v));
  return value;
}

// Merges the shards' counts of records skipped, filtered and read: a record
// every shard skips is counted once, records of another shard not at all.
class Counts {
 public:
  Counts(const std::vector<const json*>& shards, const model::Model& model) : shards_(shards), model_(model) {}

  void files(audit::DataSet& data) const {
    const json& first = shards_[0]->at("data").at("files");
    for (std::size_t f = 0; f < first.size(); ++f) {
      audit::FileStats stats;
      stats.path = first[f].at("path").get<std::string>();
      stats.read = count(first[f].at("read"));
      stats.filtered = count(first[f].at("filtered")) - count(shard_part(0, "files", f).at("other_shard"));
      std::uint64_t skipped = skipped_once("files", f);
      stats.skipped = std::min(skipped, stats.read - std::min(stats.filtered, stats.read));
      data.files.push_back(std::move(stats));
    }
  }

  void imports(audit::DataSet& data) const {
    const json& first = shards_[0]->at("data").at("imports");
    if (first.size() != model_.imports.size()) throw ReadError("its `imports` are not those of the specs");
    for (std::size_t i = 0; i < first.size(); ++i) {
      audit::ImportStats stats;
      stats.import_id = static_cast<int>(i);
      stats.path = first[i].at("path").get<std::string>();
      stats.read = count(first[i].at("read"));
      stats.filtered = count(first[i].at("filtered"));
      stats.skipped = skipped_once("imports", i);
      stats.loaded = stats.read - std::min(stats.read, stats.filtered + stats.skipped);
      data.imports.push_back(std::move(stats));
    }
  }

  // Every entity is one loaded record of a key import; a tuple is in every
  // shard unless it names an entity only one shard reads.
  std::vector<std::uint64_t> entities(const audit::DataSet& data) const {
    std::vector<std::uint64_t> out(model_.kinds.size(), 0);
    for (const auto& stats : data.imports) {
      const auto& decl = model_.imports[stats.import_id];
      if (decl.target_kind == model::ImportDecl::Target::Kind && !decl.join) out[decl.target_id] += stats.loaded;
    }
    return out;
  }

  std::vector<std::uint64_t> tuples() const {
    std::vector<std::uint64_t> out;
    const json& first = shards_[0]->at("data").at("tuples");
    for (std::size_t r = 0; r < model_.relations.size(); ++r) {
      std::uint64_t n = count(first.at(model_.relations[r].name)) - count(per_relation(0, "shard_tuples", r));
      for (std::size_t k = 0; k < shards_.size(); ++k) {
        n += count(per_relation(k, "shard_tuples", r)) + count(per_relation(k, "cross_shard_tuples", r));
      }
      out.push_back(n);
    }
    return out;
  }

  // Tuples no shard had: they name entities of two shards.
  std::uint64_t cross_shard_tuples() const {
    std::uint64_t n = 0;
    for (std::size_t k = 0; k < shards_.size(); ++k) {
      for (std::size_t r = 0; r < model_.relations.size(); ++r) n += count(per_relation(k, "cross_shard_tuples", r));
    }
    return n;
  }

 private:
  const json& shard_part(std::size_t k, const char* list, std::size_t i) const {
    return shards_[k]->at("shard").at(list).at(i);
  }
  const json& per_relation(std::size_t k, const char* name, std::size_t r) const {
    const json& list = shards_[k]->at("shard").at(name);
    static const json zero = 0;
    return r < list.size() ? list.at(r) : zero;
  }
  std::uint64_t skipped_once(const char* list, std::size_t i) const {
    std::set<std::uint64_t> offsets;
    for (std::size_t k = 0; k < shards_.size(); ++k) {
      for (const auto& offset : shard_part(k, list, i).at("skipped_at")) offsets.insert(count(offset));
    }
    return offsets.size();
  }

  const std::vector<const json*>& shards_;
  const model::Model& model_;
};

// The data errors of every shard, each once (a replicated file's are in every shard's report).
std::vector<model::Diagnostic> data_errors(const std::vector<const json*>& shards, const Locations& locations) {
  std::vector<model::Diagnostic> out;
  std::set<std::string> seen;
  for (const json* shard : shards) {
    for (const auto& e : shard->at("data_errors")) {
      if (!seen.insert(e.dump()).second) continue;
      model::Diagnostic d;
      d.severity = model::Severity::Error;
      d.range = e.at("file").is_null() ? model::SourceRange{}
                                       : locations.range(Locations::at(e.at("file").get<std::string>(), e.at("line"),
                                                                       e.at("column")));
      d.code = e.at("code").get<std::string>();
      d.message = e.at("message").get<std::string>();
      d.help = e.at("help").is_null() ? std::string() : e.at("help").get<std::string>();
      out.push_back(std::move(d));
    }
  }
  // As model::DiagnosticSink::sorted orders them.
  std::stable_sort(out.begin(), out.end(), [](const model::Diagnostic& a, const model::Diagnostic& b) {
    return std::tie(a.range.file, a.range.begin, a.severity, a.message) <
           std::tie(b.range.file, b.range.begin, b.severity, b.message);
  });
  return out;
}

int signal_of(const json& interrupted) {
  if (interrupted.is_null()) return 0;
  std::string name = interrupted.at("signal").get<std::string>();
  for (int signal = 1; signal < 65; ++signal) {
    if (model::signal_name(signal) == name) return signal;
  }
  throw ReadError(fmt::format("unknown signal `{}`", name));
}

class Merger {
 public:
  Merger(const std::vector<const json*>& shards, const model::Model& model, model::SourceManager& sources,
         std::uint64_t max_violations)
      : shards_(shards), model_(model), sources_(sources), max_violations_(max_violations), locations_(sources) {}

  std::unique_ptr<MergedAudit> run() {
    auto merged = std::make_unique<MergedAudit>();
    audit::DataSet& data = merged->data;
    note_locations();
    std::vector<std::string> paths;
    for (const auto& f : first().at("data").at("files")) paths.push_back(f.at("path").get<std::string>());
    locations_.add_data_files(paths);

    Counts counts(shards_, model_);
    counts.files(data);
    counts.imports(data);
    data.complete = true;
    for (const json* shard : shards_) {
      if (!shard->at("data").at("complete").get<bool>()) {
        data.complete = false;
        if (data.stop_reason.empty()) data.stop_reason = shard->at("shard").at("stop_reason").get<std::string>();
      }
    }
    AuditReport& report = merged->report;
    for (const json* shard : shards_) {
      if (int signal = signal_of(shard->at("interrupted")); signal && !report.interrupted_by) report.interrupted_by = signal;
    }
    bool evaluated = std::all_of(shards_.begin(), shards_.end(), [&](const json* s) {
      return !s->at("rules").empty() || model_.rules.empty();
    });
    if (evaluated) {
      merged->result = join_results(data);
      merged->result->interrupted_by = report.interrupted_by;
    } else {
      data.interrupted_by = report.interrupted_by;
    }
    for (const auto& input : first().at("inputs")) report.inputs.push_back(input.get<std::string>());
    report.data_dir = first().at("data").at("directory").get<std::string>();
    report.data = &data;
    report.result = merged->result ? &*merged->result : nullptr;
    report.data_errors = data_errors(shards_, locations_);
    report.exit_code = audit_exit_code(&data, report.result, report.data_errors);
    report.entity_counts = counts.entities(data);
    report.tuple_counts = counts.tuples();
    merged->cross_shard_tuples = counts.cross_shard_tuples();
    for (const json* shard : shards_) {
      const json& summary = shard->at("summary");
      report.load_ms = std::max(report.load_ms, summary.value("read_ms", 0.0));
      report.evaluate_ms = std::max(report.evaluate_ms, summary.value("evaluate_ms", 0.0));
    }
    return merged;
  }

 private:
  const json& first() const { return *shards_[0]; }

  void note_locations() {
    for (const json* shard : shards_) {
      for (const auto& e : shard->at("shard").at("entities")) locations_.need(e.at("at"));
      for (const auto& v : shard->at("shard").at("violations")) {
        for (const auto& fact : v.at("facts")) locations_.need(fact.at("at"));
      }
      for (const auto& e : shard->at("data_errors")) {
        if (!e.at("file").is_null()) {
          locations_.need(Locations::at(e.at("file").get<std::string>(), e.at("line"), e.at("column")));
        }
      }
    }
  }

  // Each rule's outcome over the shards: a partitioned rule's counts add up, a replicated one's are every shard's.
  audit::AuditResult join_results(audit::DataSet& data) {
    audit::AuditResult result;
    auto plans = audit::rule_sharding(model_);
    const json& rules = first().at("rules");
    if (rules.size() != model_.rules.size()) throw ReadError("its `rules` are not those of the specs");
    for (std::size_t r = 0; r < rules.size(); ++r) {
      audit::RuleOutcome outcome;
      outcome.rule = static_cast<int>(r);
      outcome.selected = rules[r].at("selected").get<bool>();
      outcome.complete = true;
      bool replicated = plans[r].sharding == audit::RuleSharding::Replicated;
      for (std::size_t k = 0; k < shards_.size(); ++k) {
        const json& rule = shards_[k]->at("rules").at(r);
        const json& extra = shards_[k]->at("shard").at("rules").at(r);
        if (rule.at("name").get<std::string>() != model_.rules[r].name) throw ReadError("its `rules` are not those of the specs");
        if (rule.at("plans") != rules[r].at("plans")) {
          throw ReadError(fmt::format("the shards planned rule `{}` differently", model_.rules[r].name));
        }
        outcome.evaluated = outcome.evaluated || extra.at("evaluated").get<bool>();
        outcome.complete = outcome.complete && rule.at("complete").get<bool>();
        if (outcome.unknown_reason.empty() && !extra.at("unknown_reason").get<std::string>().empty()) {
          outcome.unknown_reason = extra.at("unknown_reason").get<std::string>();
          outcome.unknown_at = locations_.range(extra.at("unknown_at"));
        }
        if (replicated && k > 0) {
          if (rule.at("violations") != rules[r].at("violations") || rule.at("bindings_checked") != rules[r].at("bindings_checked")) {
            throw ReadError(fmt::format("rule `{}` reads only records every shard reads, yet the shards found "
                                        "different violations: did they read the same data?", model_.rules[r].name));
          }
          continue;
        }
        outcome.candidates += count(rule.at("bindings_checked"));
        outcome.violations += count(rule.at("violations"));
        outcome.ms += rule.value("time_ms", 0.0);
      }
      for (const auto& plan : rules[r].at("plans")) outcome.plans.push_back(plan.get<std::string>());
      if (!outcome.unknown_reason.empty()) outcome.violations = 0;
      result.rules.push_back(std::move(outcome));
    }
    join_violations(result, data, plans);
    return result;
  }

  struct Listed {
    audit::Violation violation;
    std::vector<std::pair<std::size_t, std::uint64_t>> order;  // each bound entity's record
  };

  void join_violations(audit::AuditResult& result, audit::DataSet& data, const std::vector<audit::RuleShardPlan>& plans) {
    Entities entities(model_, data);
    std::vector<Listed> all;
    for (std::size_t k = 0; k < shards_.size(); ++k) {
      const json& shard = *shards_[k];
      std::vector<int> table = entities.add_table(shard.at("shard").at("entities"), locations_);
      const json& listed = shard.at("violations");
      const json& extras = shard.at("shard").at("violations");
      if (listed.size() != extras.size()) throw ReadError("its `shard.violations` do not match its `violations`");
      for (std::size_t i = 0; i < listed.size(); ++i) {
        int rule = model_.find_rule(listed[i].at("rule").get<std::string>());
        if (rule < 0) throw ReadError(fmt::format("no rule `{}`", listed[i].at("rule").get<std::string>()));
        if (k > 0 && plans[rule].sharding == audit::RuleSharding::Replicated) continue;  // shard 0 has them all
        if (!result.rules[rule].unknown_reason.empty()) continue;
        all.push_back(violation(rule, listed[i], extras[i], table, entities, data));
      }
    }
    std::stable_sort(all.begin(), all.end(), [](const Listed& a, const Listed& b) {
      return std::tie(a.violation.rule, a.violation.formula, a.order) < std::tie(b.violation.rule, b.violation.formula, b.order);
    });
    for (auto& listed : all) {
      audit::RuleOutcome& outcome = result.rules[listed.violation.rule];
      if (max_violations_ != 0 && outcome.listed >= max_violations_) continue;
      ++outcome.listed;
      result.violations.push_back(std::move(listed.violation));
    }
  }

  Listed violation(int rule, const json& listed, const json& extra, const std::vector<int>& table,
                   const Entities& entities, audit::DataSet& data) {
    Listed out;
    audit::Violation& v = out.violation;
    v.rule = rule;
    v.formula = listed.at("formula").get<int>();
    const json& bound = listed.at("entities");
    const json& refs = extra.at("bindings");
    if (bound.size() != refs.size()) throw ReadError("a violation's `bindings` do not match its `entities`");
    for (std::size_t b = 0; b < bound.size(); ++b) {
      int entity = table.at(refs[b].get<std::size_t>());
      v.bindings.push_back({bound[b].at("variable").get<std::string>(), entity});
      out.order.push_back(entities.order(entity));
    }
    v.message = listed.at("message").is_null() ? std::string() : listed.at("message").get<std::string>();
    for (const auto& line : listed.at("explanation")) v.explanation.push_back(line.get<std::string>());
    v.facts_omitted = count(listed.at("facts_omitted"));
    for (const auto& f : extra.at("facts")) {
      audit::Fact fact;
      fact.origin = locations_.range(f.at("at"));
      int entity = f.at("entity").get<int>();
      fact.entity = entity >= 0 ? table.at(static_cast<std::size_t>(entity)) : -1;
      fact.attribute = f.at("attribute").get<int>();
      fact.relation = f.at("relation").get<int>();
      for (const auto& value : f.at("tuple")) fact.tuple.push_back(value_of(value, table));
      v.facts.push_back(std::move(fact));
    }
    for (const auto& t : extra.at("trace_attributes")) {
      int entity = table.at(t.at(0).get<std::size_t>());
      int attribute = t.at(1).get<int>();
      auto& attributes = data.instance.entities[entity].attributes;
      if (attribute < 0 || static_cast<std::size_t>(attribute) >= attributes.size()) throw ReadError("a traced attribute out of range");
      attributes[attribute] = value_of(t.at(2), table);
      v.trace.attributes.emplace_back(entity, attribute);
    }
    for (const auto& t : extra.at("trace_tuples")) {
      model::Tuple tuple;
      for (const auto& value : t.at(1)) tuple.push_back(value_of(value, table));
      v.trace.tuples.emplace_back(t.at(0).get<int>(), std::move(tuple));
    }
    return out;
  }

  const std::vector<const json*>& shards_;
  const model::Model& model_;
  model::SourceManager& sources_;
  std::uint64_t max_violations_;
  Locations locations_;
};

}  // namespace

std::unique_ptr<MergedAudit> merge_audit_reports(const std::vector<const json*>& shards, const model::Model& model,
                                                 model::SourceManager& sources, std::uint64_t max_violations,
                                                 std::string* error) {
  try {
    if (shards.empty()) throw ReadError("no shard");
    return Merger(shards, model, sources, max_violations).run();
  } catch (const ReadError& e) {
    *error = e.what();
  } catch (const json::exception& e) {
    *error = fmt::format("not an audit shard's JSON report as documented: {}", e.what());
  } catch (const std::out_of_range& e) {
    *error = fmt::format("an index out of range: {}", e.what());
  }
  return nullptr;
}

}  // namespace csp::reports
