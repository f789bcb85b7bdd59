// The planner: which atoms a binding must satisfy, and a greedy choice of
// steps (cheapest applicable generator first, else a scan of the smallest
// kind left). See plan.h for why a plan cannot change a verdict.
#include "audit/plan.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "model/evaluator.h"

namespace csp::audit {

using model::Expr;
using model::ExprKind;

namespace {

/// An atom that holds in every binding the plan must find.
struct Atom {
  const Expr* call = nullptr;  // a relation call, or null for an equality
  const Expr* lhs = nullptr;   // an equality's operands
  const Expr* rhs = nullptr;
};

/// What a binding must satisfy: every atom, and in each disjunction the
/// conditions of at least one branch.
struct Condition {
  std::vector<Atom> atoms;
  std::vector<std::vector<Condition>> disjunctions;
};

void collect(const Expr& expr, bool want, Condition& out);

// Each operand, collected for the same outcome, as one branch of a disjunction.
void branches(const std::vector<const Expr*>& operands, const std::vector<bool>& wants, Condition& out) {
  std::vector<Condition> alternatives(operands.size());
  for (std::size_t i = 0; i < operands.size(); ++i) collect(*operands[i], wants[i], alternatives[i]);
  out.disjunctions.push_back(std::move(alternatives));
}

// The atoms `expr` needs to evaluate to `want`: conjuncts of a true `and`,
// disjuncts of a false `or`, the premise of a false implication, and so on;
// a true `or` (a false `and`, a true implication) needs one of its branches.
void collect(const Expr& expr, bool want, Condition& out) {
  const auto& args = expr.args;
  std::vector<const Expr*> operands;
  for (const auto& a : args) operands.push_back(a.get());
  switch (expr.kind) {
    case ExprKind::Not:
      if (!args.empty()) collect(*args[0], !want, out);
      return;
    case ExprKind::And:
    case ExprKind::Or:
      if (want == (expr.kind == ExprKind::And)) {
        for (const Expr* a : operands) collect(*a, want, out);
      } else {
        branches(operands, std::vector<bool>(operands.size(), want), out);
      }
      return;
    case ExprKind::Implies:
      if (args.size() != 2) return;
      if (!want) {
        collect(*args[0], true, out);
        collect(*args[1], false, out);
      } else {
        branches(operands, {false, true}, out);
      }
      return;
    case ExprKind::Eq:
    case ExprKind::Ne:
      if (args.size() == 2 && want == (expr.kind == ExprKind::Eq)) {
        out.atoms.push_back({nullptr, args[0].get(), args[1].get()});
      }
      return;
    case ExprKind::In:  // `x in {e}` is `x == e`
      if (want && args.size() == 2) out.atoms.push_back({nullptr, args[0].get(), args[1].get()});
      return;
    case ExprKind::RelationCall:
      if (want) out.atoms.push_back({&expr, nullptr, nullptr});
      return;
    default: return;
  }
}

bool known(const std::vector<char>& slots, int slot) {
  return slot >= 0 && static_cast<std::size_t>(slot) < slots.size() && slots[slot];
}

// True when `expr` can be evaluated from the known slots alone (and holds no
// quantifier, which would make a lookup key expensive).
bool closed(const Expr& expr, const std::vector<char>& slots) {
  if (expr.kind == ExprKind::Var) return known(slots, expr.id);
  if (expr.kind == ExprKind::Forall || expr.kind == ExprKind::Exists) return false;
  return std::all_of(expr.args.begin(), expr.args.end(), [&](const auto& a) { return closed(*a, slots); });
}

// `v.a.b`: the variable's slot and the attribute ids, innermost first.
bool attribute_chain(const Expr& expr, int& slot, std::vector<int>& attributes) {
  if (expr.kind == ExprKind::Var) {
    slot = expr.id;
    return true;
  }
  if (expr.kind != ExprKind::Attr || expr.args.size() != 1) return false;
  if (!attribute_chain(*expr.args[0], slot, attributes)) return false;
  attributes.push_back(expr.id);
  return true;
}

class Planner {
 public:
  Planner(const model::Model& model, const std::vector<PlanVariable>& variables, const PlanSizes& sizes, bool once)
      : model_(model), variables_(variables), sizes_(sizes), once_(once) {}

  Plan run(const Expr& body, bool want, const std::vector<int>& bound_slots) {
    collect(body, want, condition_);
    for (int slot : bound_slots) mark(slot);
    Plan plan;
    plan.variables = variables_;
    bound_.assign(variables_.size(), false);
    while (std::find(bound_.begin(), bound_.end(), false) != bound_.end()) {
      PlanStep step = best_step();  // a scan is always possible, so every step binds a variable
      for (int v : bound_by(step)) {
        bound_[v] = true;
        mark(variables_[v].slot);
      }
      plan.steps.push_back(std::move(step));
    }
    return plan;
  }

 private:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  static std::vector<int> bound_by(const PlanStep& step) {
    if (step.kind != PlanStep::Kind::Tuples) return {step.variable};
    std::vector<int> out;
    for (int v : step.position_variables) {
      if (v >= 0 && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
    }
    return out;
  }

  void mark(int slot) {
    if (slot < 0) return;
    if (static_cast<std::size_t>(slot) >= known_.size()) known_.resize(slot + 1, 0);
    known_[slot] = 1;
  }

  // The unbound variable in `slot`, or -1.
  int unbound_variable(int slot) const {
    for (std::size_t v = 0; v < variables_.size(); ++v) {
      if (variables_[v].slot == slot && !bound_[v]) return static_cast<int>(v);
    }
    return -1;
  }

  std::size_t kind_size(int kind) const {
    return kind >= 0 && static_cast<std::size_t>(kind) < sizes_.kind_sizes.size() ? sizes_.kind_sizes[kind] : 0;
  }
  std::size_t relation_size(int relation) const {
    return relation >= 0 && static_cast<std::size_t>(relation) < sizes_.relation_sizes.size()
               ? sizes_.relation_sizes[relation]
               : 0;
  }

  PlanStep best_step() {
    PlanStep best;
    std::size_t best_cost = kNone;
    auto consider = [&](PlanStep step, std::size_t cost) {
      if (cost < best_cost) {
        best_cost = cost;
        best = std::move(step);
      }
    };
    for (const Atom& atom : condition_.atoms) {
      if (atom.call) {
        consider_tuples(*atom.call, -1, consider);
      } else {
        consider_equality(*atom.lhs, *atom.rhs, -1, condition_.atoms, consider);
        consider_equality(*atom.rhs, *atom.lhs, -1, condition_.atoms, consider);
      }
    }
    for (std::size_t v = 0; v < variables_.size(); ++v) {
      if (bound_[v]) continue;
      for (const auto& disjunction : condition_.disjunctions) {
        PlanStep union_step;
        std::size_t cost = union_of(disjunction, static_cast<int>(v), union_step);
        if (cost != kNone) consider(std::move(union_step), cost);
      }
      // A scan of the smallest kind left, when it beats every generator.
      PlanStep scan;
      scan.kind = PlanStep::Kind::Scan;
      scan.variable = static_cast<int>(v);
      consider(std::move(scan), kind_size(variables_[v].kind));
    }
    return best;
  }

  // The cheapest step binding variable `only` alone from `condition`, or kNone.
  std::size_t single_generator(const Condition& condition, int only, PlanStep& out) {
    std::size_t best_cost = kNone;
    auto consider = [&](PlanStep step, std::size_t cost) {
      if (cost < best_cost) {
        best_cost = cost;
        out = std::move(step);
      }
    };
    for (const Atom& atom : condition.atoms) {
      if (atom.call) {
        consider_tuples(*atom.call, only, consider);
      } else {
        consider_equality(*atom.lhs, *atom.rhs, only, condition.atoms, consider);
        consider_equality(*atom.rhs, *atom.lhs, only, condition.atoms, consider);
      }
    }
    for (const auto& disjunction : condition.disjunctions) {
      PlanStep step;
      std::size_t cost = union_of(disjunction, only, step);
      if (cost != kNone) consider(std::move(step), cost);
    }
    return best_cost;
  }

  // A union over the branches of a disjunction, each generating `variable`;
  // kNone when some branch cannot.
  std::size_t union_of(const std::vector<Condition>& disjunction, int variable, PlanStep& out) {
    PlanStep step;
    step.kind = PlanStep::Kind::Union;
    step.variable = variable;
    std::size_t total = 1;
    for (const Condition& branch : disjunction) {
      PlanStep generator;
      std::size_t cost = single_generator(branch, variable, generator);
      if (cost == kNone) return kNone;
      total += 2 * cost;  // each candidate is generated, then sorted out with the others
      step.branches.push_back(std::move(generator));
    }
    if (step.branches.empty()) return kNone;
    out = std::move(step);
    return total;
  }

  // `only` >= 0: the step must bind that variable and no other.
  template <typename Consider>
  void consider_equality(const Expr& side, const Expr& other, int only, const std::vector<Atom>& atoms,
                         Consider& consider) {
    if (!closed(other, known_)) return;
    int slot = -1;
    std::vector<int> attributes;
    if (!attribute_chain(side, slot, attributes)) return;
    int v = unbound_variable(slot);
    if (v < 0 || (only >= 0 && v != only)) return;
    PlanStep step;
    step.variable = v;
    step.expr = &other;
    if (attributes.empty()) {
      step.kind = PlanStep::Kind::Equal;
      consider(std::move(step), 1);
    } else {
      step.kind = PlanStep::Kind::Index;
      step.attributes = std::move(attributes);
      add_conjoined_keys(step, atoms);
      int kind = variables_[v].kind;
      std::size_t distinct = distinct_values(kind, step.attributes);
      for (const auto& chain : step.more_attributes) distinct = saturating_product(distinct, distinct_values(kind, chain));
      std::size_t cost = std::max<std::size_t>(1, kind_size(kind) / distinct);
      // Probed once with a constant: building the index is a pass over the kind.
      bool constant = !has_variables(other) &&
                      std::none_of(step.more_exprs.begin(), step.more_exprs.end(), [](const Expr* e) { return has_variables(*e); });
      if (once_ && constant) cost += kind_size(kind);
      consider(std::move(step), cost);
    }
  }

  // The other equalities among `atoms` between an attribute chain of the
  // step's variable and a known value become further keys of its index.
  void add_conjoined_keys(PlanStep& step, const std::vector<Atom>& atoms) const {
    int slot = variables_[step.variable].slot;
    auto add = [&](const Expr& side, const Expr& other) {
      int side_slot = -1;
      std::vector<int> chain;
      if (!attribute_chain(side, side_slot, chain) || side_slot != slot || chain.empty()) return;
      if (!closed(other, known_) || chain == step.attributes) return;
      if (std::find(step.more_attributes.begin(), step.more_attributes.end(), chain) != step.more_attributes.end()) return;
      step.more_attributes.push_back(std::move(chain));
      step.more_exprs.push_back(&other);
    };
    for (const Atom& atom : atoms) {
      if (atom.call) continue;
      add(*atom.lhs, *atom.rhs);
      add(*atom.rhs, *atom.lhs);
    }
  }

  static std::size_t saturating_product(std::size_t a, std::size_t b) {
    return b != 0 && a > std::numeric_limits<std::size_t>::max() / b ? std::numeric_limits<std::size_t>::max() : a * b;
  }

  // How many values the end of an attribute chain takes, roughly: the
  // expected bucket of an index is the kind's size over this.
  std::size_t distinct_values(int kind, const std::vector<int>& attributes) const {
    model::Type type{model::TypeKind::Entity, kind, false};
    for (int a : attributes) {
      if (type.kind != model::TypeKind::Entity || type.id < 0) return 10;
      type = model_.kinds[type.id].attributes[a].type.type;
    }
    return type_size(type);
  }

  std::size_t type_size(const model::Type& type) const {
    std::size_t n = 10;  // Int and Date: no better guess
    switch (type.kind) {
      case model::TypeKind::Bool: n = 2; break;
      case model::TypeKind::Enum: n = model_.enums[type.id].values.size(); break;
      case model::TypeKind::Entity: n = kind_size(type.id); break;
      default: break;
    }
    return std::max<std::size_t>(1, n + (type.optional ? 1 : 0));
  }

  template <typename Consider>
  void consider_tuples(const Expr& call, int only, Consider& consider) {
    PlanStep step;
    step.kind = PlanStep::Kind::Tuples;
    step.relation = call.id;
    bool binds = false;
    for (std::size_t i = 0; i < call.args.size(); ++i) {
      const Expr& arg = *call.args[i];
      int v = arg.kind == ExprKind::Var ? unbound_variable(arg.id) : -1;
      if (v >= 0) {
        if (only >= 0 && v != only) return;
        step.position_variables.push_back(v);
        step.position_exprs.push_back(nullptr);
        binds = true;
      } else if (closed(arg, known_)) {
        step.position_variables.push_back(-1);
        step.position_exprs.push_back(&arg);
        if (step.lookup_position < 0) step.lookup_position = static_cast<int>(i);
      } else {
        return;  // depends on a variable not bound yet in a way no lookup can use
      }
    }
    if (!binds) return;
    if (only >= 0) step.variable = only;
    std::size_t cost = relation_size(step.relation);
    if (step.lookup_position >= 0) {
      const model::Type& type = model_.relations[step.relation].params[step.lookup_position].type.type;
      cost = std::max<std::size_t>(1, cost / type_size(type));
    }
    consider(std::move(step), cost);
  }

  static bool has_variables(const Expr& expr) {
    if (expr.kind == ExprKind::Var) return true;
    return std::any_of(expr.args.begin(), expr.args.end(), [](const auto& a) { return has_variables(*a); });
  }

  const model::Model& model_;
  const std::vector<PlanVariable>& variables_;
  const PlanSizes& sizes_;
  bool once_;
  Condition condition_;
  std::vector<char> known_;  // by slot
  std::vector<bool> bound_;  // by variable
};

}  // namespace

Plan make_plan(const model::Model& model, const std::vector<PlanVariable>& variables, const Expr& body, bool want,
               const std::vector<int>& bound_slots, const PlanSizes& sizes, bool once) {
  return Planner(model, variables, sizes, once).run(body, want, bound_slots);
}

std::vector<PlanVariable> quantifier_variables(const Expr& quantifier) {
  std::vector<PlanVariable> out;
  for (const auto& b : quantifier.bindings) out.push_back({b.slot, b.kind.type.id, b.name});
  return out;
}

namespace {

std::string step_text(const model::Model& model, const Plan& plan, const PlanStep& step) {
  auto kind_name = [&](int kind) {
    return kind >= 0 && static_cast<std::size_t>(kind) < model.kinds.size() ? model.kinds[kind].name : "?";
  };
  const PlanVariable* var = step.variable >= 0 ? &plan.variables[step.variable] : nullptr;
  switch (step.kind) {
    case PlanStep::Kind::Scan: return fmt::format("{}: every {}", var->name, kind_name(var->kind));
    case PlanStep::Kind::Equal: return fmt::format("{} = {}", var->name, model::to_string(model, *step.expr));
    case PlanStep::Kind::Index: {
      auto chain_text = [&](const std::vector<int>& attributes) {
        std::string chain = var->name;
        int kind = var->kind;
        for (int a : attributes) {
          if (kind < 0) break;
          const auto& attr = model.kinds[kind].attributes[a];
          chain += "." + attr.name;
          kind = attr.type.type.kind == model::TypeKind::Entity ? attr.type.type.id : -1;
        }
        return chain;
      };
      std::vector<std::string> keys{fmt::format("{} = {}", chain_text(step.attributes), model::to_string(model, *step.expr))};
      for (std::size_t i = 0; i < step.more_attributes.size(); ++i) {
        keys.push_back(fmt::format("{} = {}", chain_text(step.more_attributes[i]), model::to_string(model, *step.more_exprs[i])));
      }
      return fmt::format("{}: {} by index on {}", var->name, kind_name(var->kind), fmt::join(keys, " and "));
    }
    case PlanStep::Kind::Tuples: {
      std::vector<std::string> args;
      for (std::size_t i = 0; i < step.position_variables.size(); ++i) {
        int v = step.position_variables[i];
        args.push_back(v >= 0 ? plan.variables[v].name : model::to_string(model, *step.position_exprs[i]));
      }
      return fmt::format("tuples of {}({}){}", model.relations[step.relation].name, fmt::join(args, ", "),
                         step.lookup_position >= 0 ? " by index" : "");
    }
    case PlanStep::Kind::Union: {
      std::vector<std::string> parts;
      for (const PlanStep& branch : step.branches) parts.push_back(step_text(model, plan, branch));
      return fmt::format("{}: any of ({})", var->name, fmt::join(parts, " | "));
    }
  }
  return "?";
}

}  // namespace

std::string describe(const model::Model& model, const Plan& plan) {
  std::vector<std::string> parts;
  for (const PlanStep& step : plan.steps) parts.push_back(step_text(model, plan, step));
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace csp::audit
