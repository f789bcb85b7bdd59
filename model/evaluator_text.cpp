// Formulas as text: to_string prints an expression back in source form, and
// explain_failure walks a false formula down to the binding and the atomic
// comparison that make it false.
#include <algorithm>

#include <fmt/format.h>

#include "model/evaluator.h"
#include "model/readable.h"

namespace csp::model {

namespace {

bool in_range(std::int64_t index, std::size_t size) {
  return index >= 0 && static_cast<std::uint64_t>(index) < size;
}

// Binding strength, loosest first, as in docs/language.md.
enum Precedence { kQuantifier, kIff, kImplies, kOr, kAnd, kNot, kCompare, kSum, kPostfix, kPrimary };

bool is_not_in(const Expr& expr) {
  return expr.kind == ExprKind::Not && expr.args.size() == 1 && expr.args[0]->kind == ExprKind::In;
}

Precedence precedence(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::Forall:
    case ExprKind::Exists: return kQuantifier;
    case ExprKind::Iff: return kIff;
    case ExprKind::Implies: return kImplies;
    case ExprKind::Or: return kOr;
    case ExprKind::And: return kAnd;
    case ExprKind::Not: return is_not_in(expr) ? kCompare : kNot;
    case ExprKind::Eq:
    case ExprKind::Ne:
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
    case ExprKind::In: return kCompare;
    case ExprKind::Add:
    case ExprKind::Sub: return kSum;
    case ExprKind::Attr:
    case ExprKind::Dot: return kPostfix;
    case ExprKind::BoolLit:
    case ExprKind::IntLit:
    case ExprKind::DateLit:
    case ExprKind::NoneLit:
    case ExprKind::Name:
    case ExprKind::Call:
    case ExprKind::Var:
    case ExprKind::EnumValue:
    case ExprKind::EntityName:
    case ExprKind::RelationCall:
    case ExprKind::TableCall:
    case ExprKind::DefineCall:
    case ExprKind::Closure: return kPrimary;
  }
  return kPrimary;
}

bool is_comparison(ExprKind kind) {
  return kind == ExprKind::Eq || kind == ExprKind::Ne || kind == ExprKind::Lt || kind == ExprKind::Le ||
         kind == ExprKind::Gt || kind == ExprKind::Ge;
}

// `a, b: Partner, c: Customer`: consecutive bindings of one kind share it.
std::string format_bindings(const Model& model, const std::vector<Binding>& bindings) {
  auto kind_of = [&](const Binding& b) {
    if (!b.kind.name.empty()) return b.kind.name;
    return in_range(b.kind.type.id, model.kinds.size()) ? model.kinds[b.kind.type.id].name : std::string("?");
  };
  std::string out;
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    out += bindings[i].name;
    bool last_of_group = i + 1 == bindings.size() || kind_of(bindings[i + 1]) != kind_of(bindings[i]);
    out += last_of_group ? ": " + kind_of(bindings[i]) : "";
    if (i + 1 < bindings.size()) out += ", ";
  }
  return out;
}

class Printer {
 public:
  explicit Printer(const Model& model) : model_(model) {}

  // Parenthesised when `expr` binds more loosely than its context requires.
  std::string print(const Expr& expr, int context) const {
    std::string text = bare(expr);
    return precedence(expr) < context ? "(" + text + ")" : text;
  }

 private:
  std::string bare(const Expr& expr) const {
    const auto& args = expr.args;
    switch (expr.kind) {
      case ExprKind::BoolLit: return expr.value != 0 ? "true" : "false";
      case ExprKind::IntLit: return fmt::format("{}", expr.value);
      case ExprKind::DateLit: return format_date(expr.value);
      case ExprKind::NoneLit: return "none";
      case ExprKind::Name:
      case ExprKind::Var:
      case ExprKind::EntityName: return expr.name;
      case ExprKind::EnumValue: return enum_value(expr);
      case ExprKind::Attr:
      case ExprKind::Dot: return args.empty() ? expr.name : print(*args[0], kPostfix) + "." + attribute(expr);
      case ExprKind::Call:
      case ExprKind::RelationCall:
      case ExprKind::TableCall:
      case ExprKind::DefineCall: return callee(expr) + "(" + list(args, 0, kQuantifier) + ")";
      case ExprKind::Closure:
        return (expr.reflexive ? "*" : "^") + callee(expr) + "(" + list(args, 0, kQuantifier) + ")";
      case ExprKind::Not:
        if (is_not_in(expr)) return in_set(*args[0], " not in ");
        return args.empty() ? "not" : "not " + print(*args[0], kNot);
      case ExprKind::And:
      case ExprKind::Or:
      case ExprKind::Iff:
      case ExprKind::Add:
      case ExprKind::Sub: return left_associative(expr);
      case ExprKind::Implies:  // right associative
        if (args.size() != 2) return left_associative(expr);
        return print(*args[0], kOr) + " implies " + print(*args[1], kImplies);
      case ExprKind::Eq:
      case ExprKind::Ne:
      case ExprKind::Lt:
      case ExprKind::Le:
      case ExprKind::Gt:
      case ExprKind::Ge:
        if (args.size() != 2) return left_associative(expr);
        return print(*args[0], kSum) + " " + operator_text(expr.kind) + " " + print(*args[1], kSum);
      case ExprKind::In: return in_set(expr, " in ");
      case ExprKind::Forall:
      case ExprKind::Exists:
        return fmt::format("{} {} | {}", expr.kind == ExprKind::Forall ? "forall" : "exists",
                           format_bindings(model_, expr.bindings), args.empty() ? "" : print(*args[0], kQuantifier));
    }
    return expr.name;
  }

  // The first operand may bind as loosely as the operator, later ones must bind tighter.
  std::string left_associative(const Expr& expr) const {
    int level = precedence(expr);
    std::string out;
    for (std::size_t i = 0; i < expr.args.size(); ++i) {
      if (i > 0) out += fmt::format(" {} ", operator_text(expr.kind));
      out += print(*expr.args[i], i == 0 ? level : level + 1);
    }
    return out;
  }

  std::string list(const std::vector<ExprPtr>& items, std::size_t from, int context) const {
    std::string out;
    for (std::size_t i = from; i < items.size(); ++i) out += (i > from ? ", " : "") + print(*items[i], context);
    return out;
  }

  std::string in_set(const Expr& in, const char* keyword) const {
    if (in.args.empty()) return "in {}";
    return print(*in.args[0], kSum) + keyword + "{" + list(in.args, 1, kSum) + "}";
  }

  // A value name shared by two enums must be qualified to read back.
  std::string enum_value(const Expr& expr) const {
    if (!in_range(expr.id, model_.enums.size()) || !in_range(expr.value, model_.enums[expr.id].values.size())) {
      return expr.name;
    }
    const EnumDecl& owner = model_.enums[expr.id];
    const std::string& value = owner.values[expr.value];
    for (std::size_t e = 0; e < model_.enums.size(); ++e) {
      if (static_cast<int>(e) == expr.id) continue;
      const auto& others = model_.enums[e].values;
      if (std::find(others.begin(), others.end(), value) != others.end()) return owner.name + "." + value;
    }
    return value;
  }

  std::string attribute(const Expr& expr) const {
    if (expr.kind == ExprKind::Attr && in_range(expr.kind_id, model_.kinds.size()) &&
        in_range(expr.id, model_.kinds[expr.kind_id].attributes.size())) {
      return model_.kinds[expr.kind_id].attributes[expr.id].name;
    }
    return expr.name;
  }

  std::string callee(const Expr& expr) const {
    bool define = expr.kind == ExprKind::DefineCall || (expr.kind == ExprKind::Closure && expr.closure_of_define);
    if (define && in_range(expr.id, model_.defines.size())) return model_.defines[expr.id].name;
    if (expr.kind == ExprKind::TableCall && in_range(expr.id, model_.tables.size())) return model_.tables[expr.id].name;
    bool relation = expr.kind == ExprKind::RelationCall || (expr.kind == ExprKind::Closure && !expr.closure_of_define);
    if (relation && in_range(expr.id, model_.relations.size())) return model_.relations[expr.id].name;
    return expr.name;
  }

  const Model& model_;
};

}  // namespace

std::string to_string(const Model& model, const Expr& expr) { return Printer(model).print(expr, kQuantifier); }

// ------------------------------------------------------------ explanations

namespace {

class Explainer {
 public:
  Explainer(const EvalFunction& eval, const Model& model, const Instance& instance)
      : eval_(eval), model_(model), instance_(instance) {}

  std::vector<std::string> take_lines() { return std::move(lines_); }
  /// Collect the facts each false atom reads into `marks` (broken_facts).
  void mark_into(std::set<Fact>* marks) { marks_ = marks; }

  /// Appends why `expr`, which evaluates to false under `slots`, is false.
  void explain(const Expr& expr, std::vector<Value>& slots, int indent) {
    switch (expr.kind) {
      case ExprKind::Forall: return explain_forall(expr, slots, indent);
      case ExprKind::Exists:
        return say(indent, fmt::format("no {} satisfies {}", format_bindings(model_, expr.bindings), body_text(expr)));
      case ExprKind::And:
        for (const auto& conjunct : expr.args) {
          if (!holds(*conjunct, slots)) return explain(*conjunct, slots, indent);
        }
        return;
      case ExprKind::Implies:
        if (expr.args.size() != 2) break;
        say(indent, text(*expr.args[0]) + " holds");
        return explain(*expr.args[1], slots, indent);
      case ExprKind::Or:
        say(indent, text(expr) + " is false:");
        for (const auto& alternative : expr.args) explain(*alternative, slots, indent + 2);
        return;
      case ExprKind::Not: return explain_not(expr, slots, indent);
      case ExprKind::DefineCall: return explain_define(expr, slots, indent);
      default: break;
    }
    std::string detail = with_values(expr, slots);
    mark(expr, slots);
    say(indent, detail.empty() ? text(expr) + " is false" : text(expr) + " is false: " + detail);
  }

 private:
  void explain_forall(const Expr& expr, std::vector<Value>& slots, int indent) {
    if (expr.args.empty()) return;
    if (!find_binding(expr, 0, false, slots)) return;
    say(indent, "for " + binding_values(expr, slots) + ":");
    explain(*expr.args[0], slots, indent + 2);
  }

  void explain_not(const Expr& expr, std::vector<Value>& slots, int indent) {
    if (expr.args.empty()) return;
    const Expr& inner = *expr.args[0];
    if (inner.kind == ExprKind::Exists && !inner.args.empty() && find_binding(inner, 0, true, slots)) {
      return say(indent, fmt::format("{} is false: for {}, {} holds", text(expr), binding_values(inner, slots),
                                     body_text(inner)));
    }
    std::string detail = with_values(inner, slots);
    mark(inner, slots);
    say(indent, fmt::format("{} is false: {} holds", text(expr), detail.empty() ? text(inner) : detail));
  }

  // The define's body, explained with its parameters bound to the arguments.
  void explain_define(const Expr& expr, std::vector<Value>& slots, int indent) {
    if (!in_range(expr.id, model_.defines.size()) || !model_.defines[expr.id].body) return;
    const DefineDecl& define = model_.defines[expr.id];
    std::vector<Value> inner(std::max<std::size_t>(define.slot_count, expr.args.size()));
    std::string bound;
    for (std::size_t i = 0; i < expr.args.size(); ++i) {
      inner[i] = eval_(*expr.args[i], slots);
      std::string param = i < define.params.size() ? define.params[i].name : fmt::format("arg{}", i);
      bound += fmt::format("{}{} = {}", i == 0 ? "" : ", ", param, value_text(inner[i]));
    }
    say(indent, fmt::format("{} is false with {}:", text(expr), bound));
    explain(*define.body, inner, indent + 2);
  }

  // The atomic formula with its operands evaluated (`none <= 2021-03-01`),
  // or "" for a formula that has no operands worth showing.
  std::string with_values(const Expr& expr, std::vector<Value>& slots) const {
    const auto& args = expr.args;
    if (is_comparison(expr.kind) && args.size() == 2) {
      // `none` reads by its meaning where it is ordered ("not signed <= 2020-01-31"), as itself beside `==`.
      bool ordering = expr.kind != ExprKind::Eq && expr.kind != ExprKind::Ne;
      return fmt::format("{} {} {}", operand(*args[0], slots, ordering), operator_text(expr.kind),
                         operand(*args[1], slots, ordering));
    }
    if (expr.kind == ExprKind::In && !args.empty()) {
      std::string members;
      for (std::size_t i = 1; i < args.size(); ++i) members += (i > 1 ? ", " : "") + operand(*args[i], slots);
      return fmt::format("{} in {{{}}}", operand(*args[0], slots), members);
    }
    if (expr.kind == ExprKind::Iff && args.size() == 2) {
      bool lhs = holds(*args[0], slots);
      return fmt::format("{} {} but {} {}", text(*args[0]), lhs ? "holds" : "does not hold", text(*args[1]),
                         lhs ? "does not" : "does");
    }
    if (expr.kind == ExprKind::RelationCall || expr.kind == ExprKind::TableCall || expr.kind == ExprKind::Closure ||
        expr.kind == ExprKind::DefineCall) {
      std::string values;
      for (std::size_t i = 0; i < args.size(); ++i) values += (i > 0 ? ", " : "") + operand(*args[i], slots);
      std::string call = text(expr);
      return call.substr(0, call.find('(')) + "(" + values + ")";
    }
    return "";
  }

  // Finds the first assignment (in entity order) under which the body
  // evaluates to `want`, leaving it in the slots.
  bool find_binding(const Expr& expr, std::size_t next, bool want, std::vector<Value>& slots) const {
    if (next == expr.bindings.size()) return holds(*expr.args[0], slots) == want;
    const Binding& binding = expr.bindings[next];
    if (binding.slot < 0) return false;
    if (static_cast<std::size_t>(binding.slot) >= slots.size()) slots.resize(binding.slot + 1);
    for (int index : instance_.of_kind(binding.kind.type.id)) {
      slots[binding.slot] = Value::entity(binding.kind.type.id, index);
      if (find_binding(expr, next + 1, want, slots)) return true;
    }
    return false;
  }

  std::string binding_values(const Expr& expr, const std::vector<Value>& slots) const {
    std::string out;
    for (std::size_t i = 0; i < expr.bindings.size(); ++i) {
      const Binding& b = expr.bindings[i];
      Value bound = in_range(b.slot, slots.size()) ? slots[b.slot] : Value::none();
      out += fmt::format("{}{} = {}", i == 0 ? "" : ", ", b.name, value_text(bound));
    }
    return out;
  }

  bool holds(const Expr& expr, std::vector<Value>& slots) const {
    Value v = eval_(expr, slots);
    return v.tag == Value::Tag::Bool && v.v != 0;
  }
  // `none` read from an attribute says what it means there ("not signed").
  std::string operand(const Expr& expr, std::vector<Value>& slots, bool meaning = false) const {
    Value value = eval_(expr, slots);
    if (meaning && value.is_none() && expr.kind == ExprKind::Attr) return none_meaning(model_, expr.kind_id, expr.id);
    return value_text(value);
  }

  // Every attribute the atom reads, on the entity it reads it from. A
  // quantifier's body is left out: its variables are not bound here.
  void mark(const Expr& atom, std::vector<Value>& slots) {
    if (marks_ == nullptr || atom.kind == ExprKind::Forall || atom.kind == ExprKind::Exists) return;
    if (atom.kind == ExprKind::Attr && !atom.args.empty()) {
      Value owner = eval_(*atom.args[0], slots);
      if (owner.tag == Value::Tag::Entity) marks_->insert({static_cast<int>(owner.v), atom.id});
    }
    for (const auto& arg : atom.args) mark(*arg, slots);
  }
  std::string value_text(const Value& value) const { return format_value(model_, instance_, value); }
  std::string text(const Expr& expr) const { return to_string(model_, expr); }
  std::string body_text(const Expr& quantifier) const {
    return quantifier.args.empty() ? "" : text(*quantifier.args[0]);
  }
  void say(int indent, std::string line) { lines_.push_back(std::string(indent, ' ') + std::move(line)); }

  const EvalFunction& eval_;
  const Model& model_;
  const Instance& instance_;
  std::vector<std::string> lines_;
  std::set<Fact>* marks_ = nullptr;
};

}  // namespace

std::vector<std::string> Evaluator::explain_failure(const FormulaDecl& formula) const {
  if (!formula.body || holds(formula)) return {};
  std::vector<Value> slots(std::max(formula.slot_count, 0));
  return explain_false(model_, instance_, *formula.body, slots,
                       [this](const Expr& expr, std::vector<Value>& s) { return eval(expr, s); });
}

std::string Evaluator::violation_message(const FormulaDecl& formula) const {
  if (!formula.message || !formula.body || holds(formula)) return "";
  std::vector<Value> slots(std::max(formula.slot_count, 0));
  EvalFunction eval = [this](const Expr& expr, std::vector<Value>& s) { return this->eval(expr, s); };
  const Expr& body = *formula.body;
  if (body.kind == ExprKind::Forall && !body.args.empty() && !first_binding(body, 0, false, slots, eval)) return "";
  return render_message(model_, instance_, formula, slots, eval);
}

// The first assignment of the quantifier's variables, in entity order, under
// which its body evaluates to `want` (explain_failure reports the same one).
bool Evaluator::first_binding(const Expr& quantifier, std::size_t next, bool want, std::vector<Value>& slots,
                              const EvalFunction& eval) const {
  if (next == quantifier.bindings.size()) {
    Value v = eval(*quantifier.args[0], slots);
    return (v.tag == Value::Tag::Bool && v.v != 0) == want;
  }
  const Binding& binding = quantifier.bindings[next];
  if (binding.slot < 0) return false;
  if (static_cast<std::size_t>(binding.slot) >= slots.size()) slots.resize(binding.slot + 1);
  for (int index : instance_.of_kind(binding.kind.type.id)) {
    slots[binding.slot] = Value::entity(binding.kind.type.id, index);
    if (first_binding(quantifier, next + 1, want, slots, eval)) return true;
  }
  return false;
}

std::string render_message(const Model& model, const Instance& instance, const FormulaDecl& formula,
                           std::vector<Value>& slots, const EvalFunction& eval) {
  if (!formula.message) return "";
  std::string out;
  for (const auto& part : formula.message->parts) {
    if (!part.expr) {
      out += part.text;
      continue;
    }
    Value value = eval(*part.expr, slots);
    bool attribute = part.expr->kind == ExprKind::Attr;
    out += value.is_none() && attribute ? none_meaning(model, part.expr->kind_id, part.expr->id)
                                        : format_value(model, instance, value);
  }
  return out;
}

std::set<Fact> broken_facts(const Model& model, const Instance& instance, const FormulaDecl& formula) {
  std::set<Fact> facts;
  Evaluator evaluator(model, instance);
  if (!formula.body || evaluator.holds(formula)) return facts;
  std::vector<Value> slots(std::max(formula.slot_count, 0));
  EvalFunction eval = [&](const Expr& expr, std::vector<Value>& s) { return evaluator.eval(expr, s); };
  Explainer explainer(eval, model, instance);
  explainer.mark_into(&facts);
  explainer.explain(*formula.body, slots, 0);
  return facts;
}

std::vector<std::string> explain_false(const Model& model, const Instance& instance, const Expr& formula,
                                       std::vector<Value>& slots, const EvalFunction& eval) {
  Explainer explainer(eval, model, instance);
  explainer.explain(formula, slots, 0);
  return explainer.take_lines();
}

}  // namespace csp::model
