#include "audit/shards.h"

#include <cstring>
#include <functional>

#include <fmt/format.h>

#include "audit/evaluate.h"

namespace csp::audit {

namespace {

using model::Expr;
using model::ExprKind;

// Which kinds and relations a shard holds only its share of.
struct Partition {
  std::vector<bool> split_kind;  // some key import of the kind has `partition`
  std::vector<bool> whole_kind;  // some key import of the kind has none
  std::vector<bool> split_relation;

  explicit Partition(const model::Model& model)
      : split_kind(model.kinds.size(), false), whole_kind(model.kinds.size(), false),
        split_relation(model.relations.size(), false) {
    for (const auto& decl : model.imports) {
      bool split = decl.partition_range.valid();
      if (decl.target_kind == model::ImportDecl::Target::Kind && !decl.join && decl.target_id >= 0) {
        (split ? split_kind : whole_kind)[decl.target_id] = true;
      }
      if (decl.target_kind == model::ImportDecl::Target::Relation && decl.target_id >= 0 && split) {
        split_relation[decl.target_id] = true;
      }
    }
    // A tuple read by every shard that names a split entity is only in that entity's shard.
    for (std::size_t r = 0; r < model.relations.size(); ++r) {
      for (const auto& param : model.relations[r].params) {
        const model::Type& type = param.type.type;
        if (type.kind == model::TypeKind::Entity && type.id >= 0 && split_kind[type.id]) split_relation[r] = true;
      }
    }
  }
  bool only_split(int kind) const { return split_kind[kind] && !whole_kind[kind]; }
  bool only_whole(int kind) const { return !split_kind[kind]; }
};

// What in `expr` (through the defines it calls) a shard holds only part of;
// empty when nothing.
std::string split_read(const model::Model& model, const Partition& partition, const Expr& expr,
                       std::vector<bool>& defines_seen) {
  if (expr.kind == ExprKind::Forall || expr.kind == ExprKind::Exists) {
    for (const auto& b : expr.bindings) {
      int kind = b.kind.type.id;
      if (kind >= 0 && !partition.only_whole(kind)) {
        return fmt::format("`{} {}: {}`", expr.kind == ExprKind::Forall ? "forall" : "exists", b.name,
                           model.kinds[kind].name);
      }
    }
  }
  bool relation = expr.kind == ExprKind::RelationCall || (expr.kind == ExprKind::Closure && !expr.closure_of_define);
  if (relation && expr.id >= 0 && partition.split_relation[expr.id]) {
    return fmt::format("the relation `{}`", model.relations[expr.id].name);
  }
  bool define = expr.kind == ExprKind::DefineCall || (expr.kind == ExprKind::Closure && expr.closure_of_define);
  if (define && expr.id >= 0 && !defines_seen[expr.id]) {
    defines_seen[expr.id] = true;
    const auto& decl = model.defines[expr.id];
    if (decl.body) {
      std::string found = split_read(model, partition, *decl.body, defines_seen);
      if (!found.empty()) return fmt::format("{} (in `{}`)", found, decl.name);
    }
  }
  for (const auto& arg : expr.args) {
    if (!arg) continue;
    std::string found = split_read(model, partition, *arg, defines_seen);
    if (!found.empty()) return found;
  }
  return {};
}

RuleShardPlan formula_sharding(const model::Model& model, const Partition& partition, const Expr& formula,
                               std::size_t index, std::size_t formulas) {
  std::string which = formulas > 1 ? fmt::format("its formula {}", index) : std::string("its formula");
  if (formula.kind != ExprKind::Forall || formula.args.empty()) {
    return {RuleSharding::Unshardable,
            fmt::format("{} is not a `forall`: it is evaluated once over the whole data, which no shard has", which)};
  }
  for (const auto& b : formula.bindings) {
    int kind = b.kind.type.id;
    if (kind >= 0 && partition.only_split(kind)) return {RuleSharding::Partitioned, {}};
  }
  for (const auto& b : formula.bindings) {
    int kind = b.kind.type.id;
    if (kind >= 0 && !partition.only_whole(kind)) {
      return {RuleSharding::Unshardable,
              fmt::format("{} binds `{}: {}`, whose records some imports split among shards (`partition`) and others "
                          "do not", which, b.name, model.kinds[kind].name)};
    }
  }
  std::vector<bool> defines_seen(model.defines.size(), false);
  std::string read = split_read(model, partition, *formula.args[0], defines_seen);
  if (!read.empty()) {
    return {RuleSharding::Unshardable,
            fmt::format("{} binds records every shard reads, but reads {}, of which each shard has only its share",
                        which, read)};
  }
  return {RuleSharding::Replicated, {}};
}

}  // namespace

std::vector<RuleShardPlan> rule_sharding(const model::Model& model) {
  Partition partition(model);
  std::vector<RuleShardPlan> out;
  for (const auto& rule : model.rules) {
    std::vector<const Expr*> formulas = formulas_of(rule);
    RuleShardPlan plan;
    for (std::size_t f = 0; f < formulas.size(); ++f) {
      RuleShardPlan one = formula_sharding(model, partition, *formulas[f], f, formulas.size());
      if (one.sharding == RuleSharding::Unshardable) {
        plan = one;
        break;
      }
      if (f == 0) {
        plan = one;
      } else if (one.sharding != plan.sharding) {
        // The rule's counts are per rule: they cannot be added up for one formula and not the other.
        plan = {RuleSharding::Unshardable,
                "some of its formulas bind records split among shards and others do not (write them as two rules)"};
        break;
      }
    }
    out.push_back(std::move(plan));
  }
  return out;
}

std::uint64_t data_hash(std::string_view bytes, std::uint64_t seed) {
  constexpr std::uint64_t kPrime = 1099511628211ull;
  std::uint64_t hash = seed ^ bytes.size();
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    hash = (hash ^ word) * kPrime;
    hash ^= hash >> 29;
  }
  for (; i < bytes.size(); ++i) hash = (hash ^ static_cast<unsigned char>(bytes[i])) * kPrime;
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdull;
  hash ^= hash >> 33;
  return hash;
}

}  // namespace csp::audit
