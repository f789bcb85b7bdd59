#include "tests/support/enumerate.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "model/evaluator.h"

namespace csp::test {

using model::Expr;
using model::ExprKind;
using model::Instance;
using model::Model;
using model::Scope;
using model::TypeKind;
using model::Value;

namespace {

// ------------------------------------------------------------ value domains

bool is_literal(const Expr& e) {
  return e.kind == ExprKind::IntLit || e.kind == ExprKind::DateLit || e.kind == ExprKind::NoneLit;
}

bool is_comparison(ExprKind kind) {
  switch (kind) {
    case ExprKind::Eq:
    case ExprKind::Ne:
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
    case ExprKind::In:
      return true;
    default:
      return false;
  }
}

class LiteralScan {
 public:
  explicit LiteralScan(const Model& model) : model_(model) {}

  void scan(const Expr& e, const Expr* parent) {
    if (e.kind == ExprKind::IntLit) ints_.insert(e.value);
    if (e.kind == ExprKind::DateLit) dates_.insert(e.value);
    bool numeric = e.type.kind == TypeKind::Int || e.type.kind == TypeKind::Date;
    if (numeric && !is_literal(e) && why_.empty() && !compared_with_literals(e, parent)) {
      why_ = fmt::format("`{}` is not compared with literals only", model::to_string(model_, e));
    }
    for (const auto& arg : e.args) scan(*arg, &e);
  }

  void table_cell(const Expr& e) {
    if (e.kind == ExprKind::IntLit) ints_.insert(e.value);
    if (e.kind == ExprKind::DateLit) dates_.insert(e.value);
  }

  ValueDomains result() const {
    ValueDomains d;
    d.ints = around(ints_, 0);
    d.dates = around(dates_, *model::days_from_date(2020, 1, 1));
    d.complete = why_.empty();
    d.why_incomplete = why_;
    return d;
  }

 private:
  static bool compared_with_literals(const Expr& e, const Expr* parent) {
    if (parent == nullptr) return false;
    if (parent->kind == ExprKind::TableCall) return true;
    if (!is_comparison(parent->kind)) return false;
    return std::all_of(parent->args.begin(), parent->args.end(),
                       [&](const model::ExprPtr& sibling) { return sibling.get() == &e || is_literal(*sibling); });
  }

  static std::vector<std::int64_t> around(const std::set<std::int64_t>& literals, std::int64_t fallback) {
    std::set<std::int64_t> values;
    for (std::int64_t c : literals) {
      values.insert(c);
      std::int64_t v = 0;
      if (!__builtin_sub_overflow(c, 1, &v)) values.insert(v);
      if (!__builtin_add_overflow(c, 1, &v)) values.insert(v);
    }
    if (values.empty()) values.insert(fallback);
    return {values.begin(), values.end()};
  }

  const Model& model_;
  std::set<std::int64_t> ints_, dates_;
  std::string why_;
};

// ------------------------------------------------------------- dependencies

// What a formula reads: the attributes of which kinds, which relations.
struct Reads {
  std::vector<bool> kinds;
  std::vector<bool> relations;
};

void collect_reads(const Model& model, const Expr& e, Reads& reads, std::vector<bool>& defines_seen) {
  if (e.kind == ExprKind::Attr && e.kind_id >= 0) reads.kinds[e.kind_id] = true;
  if (e.kind == ExprKind::RelationCall && e.id >= 0) reads.relations[e.id] = true;
  bool define = e.kind == ExprKind::DefineCall || (e.kind == ExprKind::Closure && e.closure_of_define);
  if (e.kind == ExprKind::Closure && !e.closure_of_define && e.id >= 0) reads.relations[e.id] = true;
  if (define && e.id >= 0 && !defines_seen[e.id]) {
    defines_seen[e.id] = true;
    if (model.defines[e.id].body) collect_reads(model, *model.defines[e.id].body, reads, defines_seen);
  }
  for (const auto& arg : e.args) collect_reads(model, *arg, reads, defines_seen);
}

// ------------------------------------------------------------- enumeration

std::uint64_t saturating_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

std::uint64_t power_of_two(std::size_t n) { return n >= 64 ? UINT64_MAX : (std::uint64_t{1} << n); }

// Every count vector 0 <= counts[k] <= scope.size[k], in odometer order.
bool next_counts(std::vector<int>& counts, const Scope& scope) {
  for (std::size_t k = 0; k < counts.size(); ++k) {
    if (counts[k] < scope.size[k]) {
      ++counts[k];
      return true;
    }
    counts[k] = 0;
  }
  return false;
}

class Enumerator {
 public:
  Enumerator(const Model& model, const Scope& scope, const ValueDomains& domains,
             const std::vector<const model::FormulaDecl*>& filters,
             const std::function<bool(const Instance&)>& visit, const EnumerationOptions& options)
      : model_(model), scope_(scope), domains_(domains), filters_(filters), visit_(visit), options_(options) {
    if (scope_.size.size() != model_.kinds.size()) throw std::invalid_argument("scope does not match the model");
    for (const auto& relation : model_.relations) {
      for (const auto& param : relation.params) {
        auto kind = param.type.type.kind;
        if (kind != TypeKind::Entity && kind != TypeKind::Enum) {
          throw std::invalid_argument(fmt::format("relation `{}` has a parameter that is not an entity or enum",
                                                  relation.name));
        }
      }
    }
    stages_ = model_.kinds.size() + model_.relations.size();
    ready_.resize(stages_ + 1);
    for (std::size_t f = 0; f < filters_.size(); ++f) {
      Reads reads{std::vector<bool>(model_.kinds.size()), std::vector<bool>(model_.relations.size())};
      std::vector<bool> seen(model_.defines.size());
      if (filters_[f]->body) collect_reads(model_, *filters_[f]->body, reads, seen);
      std::size_t last = 0;  // ready_[0]: as soon as the entities are chosen
      for (std::size_t k = 0; k < reads.kinds.size(); ++k) {
        if (reads.kinds[k]) last = std::max(last, k + 1);
      }
      for (std::size_t r = 0; r < reads.relations.size(); ++r) {
        if (reads.relations[r]) last = std::max(last, model_.kinds.size() + r + 1);
      }
      ready_[last].push_back(f);
    }
  }

  EnumerationStats run() {
    std::vector<int> counts(model_.kinds.size(), 0);
    do {
      skeleton(counts);
      if (passes(0) && !stage(0)) break;
    } while (next_counts(counts, scope_));
    return stats_;
  }

  /// Domain of attribute `a` of kind `k` given the current entities.
  std::vector<Value> attribute_domain(int k, int a) const {
    const model::Type& type = model_.kinds[k].attributes[a].type.type;
    std::vector<Value> values;
    if (type.optional) values.push_back(Value::none());
    switch (type.kind) {
      case TypeKind::Bool:
        values.push_back(Value::boolean(false));
        values.push_back(Value::boolean(true));
        break;
      case TypeKind::Int:
        for (auto v : domains_.ints) values.push_back(Value::integer(v));
        break;
      case TypeKind::Date:
        for (auto v : domains_.dates) values.push_back(Value::date(v));
        break;
      case TypeKind::Enum:
        for (std::size_t v = 0; v < model_.enums[type.id].values.size(); ++v) {
          values.push_back(Value::enum_value(type.id, static_cast<std::int64_t>(v)));
        }
        break;
      case TypeKind::Entity:
        for (int i = 0; i < counts_[type.id]; ++i) values.push_back(Value::entity(type.id, offsets_[type.id] + i));
        break;
      case TypeKind::Error:
        throw std::invalid_argument("the model is not checked");
    }
    return values;
  }

  std::vector<model::Tuple> relation_tuples(int r) const {
    std::vector<model::Tuple> tuples{{}};
    for (const auto& param : model_.relations[r].params) {
      std::vector<Value> domain;
      const model::Type& type = param.type.type;
      if (type.kind == TypeKind::Entity) {
        for (int i = 0; i < counts_[type.id]; ++i) domain.push_back(Value::entity(type.id, offsets_[type.id] + i));
      } else {
        for (std::size_t v = 0; v < model_.enums[type.id].values.size(); ++v) {
          domain.push_back(Value::enum_value(type.id, static_cast<std::int64_t>(v)));
        }
      }
      std::vector<model::Tuple> longer;
      for (const auto& prefix : tuples) {
        for (const auto& v : domain) {
          longer.push_back(prefix);
          longer.back().push_back(v);
        }
      }
      tuples = std::move(longer);
    }
    return tuples;
  }

  void set_counts(const std::vector<int>& counts) {
    counts_ = counts;
    offsets_.assign(counts.size(), 0);
    int offset = 0;
    for (std::size_t k = 0; k < counts.size(); ++k) {
      offsets_[k] = offset;
      offset += counts[k];
    }
  }

 private:
  void skeleton(const std::vector<int>& counts) {
    set_counts(counts);
    instance_ = Instance{};
    for (std::size_t k = 0; k < counts.size(); ++k) {
      for (int i = 0; i < counts[k]; ++i) {
        model::Entity e;
        e.name = fmt::format("{}{}", model_.kinds[k].name, i + 1);
        e.kind = static_cast<int>(k);
        e.attributes.assign(model_.kinds[k].attributes.size(), Value::none());
        instance_.entities.push_back(std::move(e));
      }
    }
    instance_.relations.assign(model_.relations.size(), {});
  }

  bool passes(std::size_t point) {
    if (ready_[point].empty()) return true;
    model::Evaluator evaluator(model_, instance_);
    for (std::size_t f : ready_[point]) {
      if (!evaluator.holds(*filters_[f])) {
        ++stats_.pruned;
        return false;
      }
    }
    return true;
  }

  // Assigns stage `s` every way and recurses; false once the walk must stop.
  bool stage(std::size_t s) {
    if (s == stages_) return leaf();
    if (s < model_.kinds.size()) return kind_stage(static_cast<int>(s));
    return relation_stage(static_cast<int>(s - model_.kinds.size()));
  }

  bool leaf() {
    if (options_.max_instances != 0 && stats_.visited >= options_.max_instances) {
      stats_.truncated = true;
      return false;
    }
    ++stats_.visited;
    if (!visit_(instance_)) {
      stats_.stopped = true;
      return false;
    }
    return true;
  }

  bool kind_stage(int k) {
    int n = counts_[k];
    std::size_t attributes = model_.kinds[k].attributes.size();
    if (n == 0 || attributes == 0) return passes(k + 1) ? stage(k + 1) : true;
    std::vector<std::vector<Value>> domain(attributes);
    for (std::size_t a = 0; a < attributes; ++a) {
      domain[a] = attribute_domain(k, static_cast<int>(a));
      if (domain[a].empty()) return true;  // a required reference to a kind with no entity
    }
    // One odometer digit per (entity, attribute).
    std::vector<std::size_t> digit(n * attributes, 0);
    while (true) {
      for (int i = 0; i < n; ++i) {
        auto& values = instance_.entities[offsets_[k] + i].attributes;
        for (std::size_t a = 0; a < attributes; ++a) values[a] = domain[a][digit[i * attributes + a]];
      }
      if (canonical(k) && passes(k + 1) && !stage(k + 1)) return false;
      std::size_t d = 0;
      for (; d < digit.size(); ++d) {
        std::size_t a = d % attributes;
        if (++digit[d] < domain[a].size()) break;
        digit[d] = 0;
      }
      if (d == digit.size()) return true;
    }
  }

  // Entities of a kind in non-decreasing order of their non-reference values.
  bool canonical(int k) const {
    if (!options_.break_symmetry) return true;
    const auto& attributes = model_.kinds[k].attributes;
    for (int i = 0; i + 1 < counts_[k]; ++i) {
      const auto& a = instance_.entities[offsets_[k] + i].attributes;
      const auto& b = instance_.entities[offsets_[k] + i + 1].attributes;
      for (std::size_t j = 0; j < attributes.size(); ++j) {
        if (attributes[j].type.type.kind == TypeKind::Entity) continue;
        if (a[j] < b[j]) break;
        if (b[j] < a[j]) return false;
      }
    }
    return true;
  }

  bool relation_stage(int r) {
    std::size_t point = model_.kinds.size() + r + 1;
    auto tuples = relation_tuples(r);
    if (tuples.size() >= 63) throw std::invalid_argument(fmt::format("relation `{}` has too many tuples to enumerate",
                                                                    model_.relations[r].name));
    std::uint64_t subsets = std::uint64_t{1} << tuples.size();
    for (std::uint64_t mask = 0; mask < subsets; ++mask) {
      auto& set = instance_.relations[r];
      set.clear();
      for (std::size_t t = 0; t < tuples.size(); ++t) {
        if (mask & (std::uint64_t{1} << t)) set.insert(tuples[t]);
      }
      if (passes(point) && !stage(point)) return false;
    }
    instance_.relations[r].clear();
    return true;
  }

  const Model& model_;
  const Scope& scope_;
  const ValueDomains& domains_;
  const std::vector<const model::FormulaDecl*>& filters_;
  const std::function<bool(const Instance&)>& visit_;
  EnumerationOptions options_;
  std::size_t stages_ = 0;
  std::vector<std::vector<std::size_t>> ready_;  // filters by the point they can be evaluated at
  std::vector<int> counts_, offsets_;
  Instance instance_;
  EnumerationStats stats_;
};

void collect_quantified(const Expr& e, std::set<int>& kinds) {
  for (const auto& b : e.bindings) kinds.insert(b.kind.type.id);
  for (const auto& a : e.args) collect_quantified(*a, kinds);
}

}  // namespace

ValueDomains literal_domains(const Model& model) {
  LiteralScan scan(model);
  for (const auto& d : model.defines) if (d.body) scan.scan(*d.body, nullptr);
  for (const auto& r : model.rules) if (r.body) scan.scan(*r.body, nullptr);
  for (const auto& p : model.properties) if (p.body) scan.scan(*p.body, nullptr);
  for (const auto& t : model.tables) {
    for (const auto& row : t.rows) {
      for (const auto& cell : row.cells) if (cell) scan.table_cell(*cell);
    }
  }
  return scan.result();
}

std::uint64_t instance_space(const Model& model, const Scope& scope, const ValueDomains& domains) {
  static const std::vector<const model::FormulaDecl*> no_filters;
  static const std::function<bool(const Instance&)> no_visit = [](const Instance&) { return true; };
  Enumerator sizes(model, scope, domains, no_filters, no_visit, {});
  std::uint64_t total = 0;
  std::vector<int> counts(model.kinds.size(), 0);
  do {
    sizes.set_counts(counts);
    std::uint64_t here = 1;
    for (std::size_t k = 0; k < model.kinds.size(); ++k) {
      for (std::size_t a = 0; a < model.kinds[k].attributes.size(); ++a) {
        std::uint64_t size = sizes.attribute_domain(static_cast<int>(k), static_cast<int>(a)).size();
        for (int i = 0; i < counts[k]; ++i) here = saturating_mul(here, size);
      }
    }
    for (std::size_t r = 0; r < model.relations.size(); ++r) {
      here = saturating_mul(here, power_of_two(sizes.relation_tuples(static_cast<int>(r)).size()));
    }
    total = saturating_add(total, here);
  } while (next_counts(counts, scope));
  return total;
}

EnumerationStats for_each_instance(const Model& model, const Scope& scope, const ValueDomains& domains,
                                   const std::vector<const model::FormulaDecl*>& filters,
                                   const std::function<bool(const Instance&)>& visit,
                                   const EnumerationOptions& options) {
  return Enumerator(model, scope, domains, filters, visit, options).run();
}

std::vector<int> quantified_kinds(const Expr& expr) {
  std::set<int> kinds;
  collect_quantified(expr, kinds);
  return {kinds.begin(), kinds.end()};
}

OracleVerdicts exhaustive_verdicts(const Model& model, const Scope& scope, const ValueDomains& domains,
                                   const EnumerationOptions& options) {
  OracleVerdicts out;
  out.domains_complete = domains.complete;
  out.properties.resize(model.properties.size());
  std::vector<const model::FormulaDecl*> rules;
  for (const auto& r : model.rules) rules.push_back(&r);
  std::vector<std::vector<int>> kinds(model.properties.size());
  std::vector<bool> inhabited(model.properties.size(), false);
  for (std::size_t p = 0; p < model.properties.size(); ++p) {
    if (model.properties[p].body) kinds[p] = quantified_kinds(*model.properties[p].body);
  }
  std::size_t violated = 0;
  auto visit = [&](const Instance& instance) {
    std::vector<int> counts = model::count_by_kind(model, instance);
    bool every_kind = true;
    for (std::size_t k = 0; k < counts.size(); ++k) every_kind = every_kind && (scope.size[k] == 0 || counts[k] > 0);
    out.consistent = out.consistent || every_kind;
    model::Evaluator evaluator(model, instance);
    for (std::size_t p = 0; p < model.properties.size(); ++p) {
      if (!inhabited[p]) {
        inhabited[p] = std::all_of(kinds[p].begin(), kinds[p].end(), [&](int k) { return counts[k] > 0; });
      }
      auto& verdict = out.properties[p];
      if (!verdict.violated && !evaluator.holds(model.properties[p])) {
        verdict.violated = true;
        verdict.counterexample = instance;
        ++violated;
      }
    }
    // Nothing left to learn once the rules are consistent and every property fails.
    return !(out.consistent && violated == model.properties.size());
  };
  out.stats = for_each_instance(model, scope, domains, rules, visit, options);
  for (std::size_t p = 0; p < model.properties.size(); ++p) out.properties[p].vacuous = !inhabited[p];
  return out;
}

}  // namespace csp::test
