// The plain evaluator: checked expressions evaluated directly on an Instance.
// It is the oracle for every solver answer, so it follows docs/language.md
// literally and shares nothing with encoder/.
#include "model/evaluator.h"

#include <algorithm>
#include <deque>
#include <set>

#include "model/operators.h"

namespace csp::model {

namespace {

using operators::truthy;

bool in_range(std::int64_t index, std::size_t size) {
  return index >= 0 && static_cast<std::uint64_t>(index) < size;
}

bool any_none(const std::vector<Value>& values) {
  return std::any_of(values.begin(), values.end(), [](const Value& v) { return v.is_none(); });
}

// One evaluation of one expression tree against one instance.
class Evaluation {
 public:
  Evaluation(const Model& model, const Instance& instance) : model_(model), instance_(instance) {}

  Value eval(const Expr& expr, std::vector<Value>& slots) const;
  bool test(const Expr& expr, std::vector<Value>& slots) const { return truthy(eval(expr, slots)); }

 private:
  Value variable(const Expr& expr, const std::vector<Value>& slots) const;
  Value entity_name(const Expr& expr) const;
  Value attribute(const Expr& expr, std::vector<Value>& slots) const;
  std::vector<Value> eval_args(const Expr& expr, std::vector<Value>& slots) const;
  bool relation_holds(int relation, const Tuple& tuple) const;
  Value table_call(const Expr& expr, std::vector<Value>& slots) const;
  bool define_holds(int define, const std::vector<Value>& args) const;
  bool closure(const Expr& expr, std::vector<Value>& slots) const;
  std::vector<Value> successors(const Expr& closure, const Value& from) const;
  std::vector<Value> domain_of(const Param& param) const;
  bool quantified(const Expr& expr, std::vector<Value>& slots) const;
  bool some_binding(const Expr& expr, std::size_t next, bool want, std::vector<Value>& slots) const;

  const Model& model_;
  const Instance& instance_;
};

Value Evaluation::eval(const Expr& expr, std::vector<Value>& slots) const {
  switch (expr.kind) {
    // Unresolved forms never reach a checked model; they have no value.
    case ExprKind::Name:
    case ExprKind::Call:
    case ExprKind::Dot:
      return Value::none();
    case ExprKind::Var: return variable(expr, slots);
    case ExprKind::EntityName: return entity_name(expr);
    case ExprKind::Attr: return attribute(expr, slots);
    case ExprKind::RelationCall: {
      std::vector<Value> args = eval_args(expr, slots);
      return Value::boolean(!any_none(args) && relation_holds(expr.id, args));
    }
    case ExprKind::TableCall: return table_call(expr, slots);
    case ExprKind::DefineCall: return Value::boolean(define_holds(expr.id, eval_args(expr, slots)));
    case ExprKind::Closure: return Value::boolean(closure(expr, slots));
    case ExprKind::Forall:
    case ExprKind::Exists:
      return Value::boolean(quantified(expr, slots));
    default:
      return operators::operator_value(expr, slots, [this](const Expr& e, std::vector<Value>& s) { return eval(e, s); });
  }
}

Value Evaluation::variable(const Expr& expr, const std::vector<Value>& slots) const {
  return in_range(expr.id, slots.size()) ? slots[expr.id] : Value::none();
}

// Scenario entities are matched by name: the instance may order them
// differently from the scenario's declaration.
Value Evaluation::entity_name(const Expr& expr) const {
  int index = instance_.find(expr.name);
  if (index < 0) return Value::none();
  return Value::entity(instance_.entities[index].kind, index);
}

Value Evaluation::attribute(const Expr& expr, std::vector<Value>& slots) const {
  if (expr.args.empty()) return Value::none();
  Value owner = eval(*expr.args[0], slots);
  if (owner.tag != Value::Tag::Entity || !in_range(owner.v, instance_.entities.size())) return Value::none();
  const Entity& entity = instance_.entities[owner.v];
  return in_range(expr.id, entity.attributes.size()) ? entity.attributes[expr.id] : Value::none();
}

std::vector<Value> Evaluation::eval_args(const Expr& expr, std::vector<Value>& slots) const {
  std::vector<Value> values;
  values.reserve(expr.args.size());
  for (const auto& arg : expr.args) values.push_back(eval(*arg, slots));
  return values;
}

bool Evaluation::relation_holds(int relation, const Tuple& tuple) const {
  if (!in_range(relation, instance_.relations.size())) return false;
  return instance_.relations[relation].count(tuple) > 0;
}

// Membership when called with every column, lookup of the last column when
// called with one fewer (a missing key looks up `none`).
Value Evaluation::table_call(const Expr& expr, std::vector<Value>& slots) const {
  std::vector<Value> args = eval_args(expr, slots);
  if (!in_range(expr.id, model_.tables.size()) || any_none(args)) {
    return expr.table_lookup ? Value::none() : Value::boolean(false);
  }
  std::vector<Value> no_slots;
  for (const auto& row : model_.tables[expr.id].rows) {
    if (row.cells.size() != args.size() + (expr.table_lookup ? 1 : 0)) continue;
    bool matches = true;
    for (std::size_t i = 0; i < args.size() && matches; ++i) {
      matches = eval(*row.cells[i], no_slots) == args[i];
    }
    if (!matches) continue;
    return expr.table_lookup ? eval(*row.cells.back(), no_slots) : Value::boolean(true);
  }
  return expr.table_lookup ? Value::none() : Value::boolean(false);
}

bool Evaluation::define_holds(int define, const std::vector<Value>& args) const {
  if (!in_range(define, model_.defines.size())) return false;
  const DefineDecl& decl = model_.defines[define];
  if (!decl.body) return false;
  std::vector<Value> slots(std::max<std::size_t>(decl.slot_count, args.size()));
  std::copy(args.begin(), args.end(), slots.begin());
  return test(*decl.body, slots);
}

// Every value a closure may pass through: the entities or enum values of the
// parameter's type.
std::vector<Value> Evaluation::domain_of(const Param& param) const {
  std::vector<Value> domain;
  const Type& type = param.type.type;
  if (type.kind == TypeKind::Entity) {
    for (int index : instance_.of_kind(type.id)) domain.push_back(Value::entity(type.id, index));
  } else if (type.kind == TypeKind::Enum && in_range(type.id, model_.enums.size())) {
    for (std::size_t v = 0; v < model_.enums[type.id].values.size(); ++v) {
      domain.push_back(Value::enum_value(type.id, static_cast<std::int64_t>(v)));
    }
  }
  return domain;
}

std::vector<Value> Evaluation::successors(const Expr& closure, const Value& from) const {
  std::vector<Value> next;
  if (!closure.closure_of_define) {
    if (!in_range(closure.id, instance_.relations.size())) return next;
    for (const auto& tuple : instance_.relations[closure.id]) {
      if (tuple.size() == 2 && tuple[0] == from) next.push_back(tuple[1]);
    }
    return next;
  }
  if (!in_range(closure.id, model_.defines.size())) return next;
  const DefineDecl& define = model_.defines[closure.id];
  if (define.params.size() != 2) return next;
  for (const Value& to : domain_of(define.params[1])) {
    if (define_holds(closure.id, {from, to})) next.push_back(to);
  }
  return next;
}

// Breadth-first search from the first argument; `^` needs at least one step,
// `*` also accepts the start itself.
bool Evaluation::closure(const Expr& expr, std::vector<Value>& slots) const {
  if (expr.args.size() != 2) return false;
  Value from = eval(*expr.args[0], slots);
  Value to = eval(*expr.args[1], slots);
  if (from.is_none() || to.is_none()) return false;
  if (expr.reflexive && from == to) return true;
  std::set<Value> seen;
  std::deque<Value> frontier{from};
  while (!frontier.empty()) {
    Value current = frontier.front();
    frontier.pop_front();
    for (const Value& next : successors(expr, current)) {
      if (next == to) return true;
      if (seen.insert(next).second) frontier.push_back(next);
    }
  }
  return false;
}

bool Evaluation::quantified(const Expr& expr, std::vector<Value>& slots) const {
  if (expr.args.empty()) return expr.kind == ExprKind::Forall;
  if (expr.kind == ExprKind::Forall) return !some_binding(expr, 0, false, slots);
  return some_binding(expr, 0, true, slots);
}

// Whether some assignment of the bindings from `next` on makes the body
// evaluate to `want`; the slots keep that assignment when one is found.
bool Evaluation::some_binding(const Expr& expr, std::size_t next, bool want, std::vector<Value>& slots) const {
  if (next == expr.bindings.size()) return test(*expr.args[0], slots) == want;
  const Binding& binding = expr.bindings[next];
  if (binding.slot < 0) return false;
  if (static_cast<std::size_t>(binding.slot) >= slots.size()) slots.resize(binding.slot + 1);
  int kind = binding.kind.type.id;
  for (int index : instance_.of_kind(kind)) {
    slots[binding.slot] = Value::entity(kind, index);
    if (some_binding(expr, next + 1, want, slots)) return true;
  }
  return false;
}

}  // namespace

Evaluator::Evaluator(const Model& model, const Instance& instance) : model_(model), instance_(instance) {}

bool Evaluator::holds(const FormulaDecl& formula) const {
  if (!formula.body) return true;
  std::vector<Value> slots(std::max(formula.slot_count, 0));
  return truthy(eval(*formula.body, slots));
}

Value Evaluator::eval(const Expr& expr, std::vector<Value>& slots) const {
  return Evaluation(model_, instance_).eval(expr, slots);
}

std::vector<int> Evaluator::violated_rules() const {
  std::vector<int> violated;
  for (std::size_t r = 0; r < model_.rules.size(); ++r) {
    if (!holds(model_.rules[r])) violated.push_back(static_cast<int>(r));
  }
  return violated;
}

}  // namespace csp::model
