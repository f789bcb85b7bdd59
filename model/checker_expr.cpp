// Expressions of defines, rules and properties: names, attributes, operators
// and quantifiers are resolved and typed in place. An Expr that fails gets
// TypeKind::Error, and its parents stay silent so one mistake is one message.
#include <algorithm>

#include <fmt/format.h>

#include "model/checker_internal.h"

namespace csp::model::checking {

namespace {

const char* spelling(ExprKind kind) {
  switch (kind) {
    case ExprKind::Not: return "not";
    case ExprKind::And: return "and";
    case ExprKind::Or: return "or";
    case ExprKind::Implies: return "implies";
    case ExprKind::Iff: return "iff";
    case ExprKind::Eq: return "==";
    case ExprKind::Ne: return "!=";
    case ExprKind::Lt: return "<";
    case ExprKind::Le: return "<=";
    case ExprKind::Gt: return ">";
    case ExprKind::Ge: return ">=";
    case ExprKind::Add: return "+";
    case ExprKind::Sub: return "-";
    case ExprKind::In: return "in";
    default: return "?";
  }
}

constexpr Type kBool{TypeKind::Bool};

bool is_bool(Type type) { return type == kBool; }

// `none` literals are left out: they are typed from context afterwards.
bool any_error(const Expr& expr) {
  return std::any_of(expr.args.begin(), expr.args.end(), [](const ExprPtr& arg) {
    return arg->kind != ExprKind::NoneLit && is_error(arg->type);
  });
}

// `d + n`, `i - j`, `d1 - d2`: the result of one step of a sum, or Error.
TypeKind sum_result(ExprKind op, TypeKind lhs, TypeKind rhs) {
  if (lhs == TypeKind::Int && rhs == TypeKind::Int) return TypeKind::Int;
  if (lhs == TypeKind::Date && rhs == TypeKind::Int) return TypeKind::Date;
  if (op == ExprKind::Sub && lhs == TypeKind::Date && rhs == TypeKind::Date) return TypeKind::Int;
  return TypeKind::Error;
}

// Stands in for a missing body, so that a checked declaration always has one.
ExprPtr true_literal(SourceRange range) {
  auto literal = std::make_unique<Expr>();
  literal->kind = ExprKind::BoolLit;
  literal->range = range;
  literal->value = 1;
  return literal;
}

}  // namespace

void Checker::check_defines() {
  for (std::size_t i = 0; i < model_.defines.size(); ++i) {
    DefineDecl& define = model_.defines[i];
    ExprChecker body_checker(*this, static_cast<int>(i));
    for (const Param& param : define.params) body_checker.bind(param.name, param.type.type);
    if (!define.body) define.body = true_literal(define.range);
    body_checker.check_body(*define.body, "define");
    define.slot_count = body_checker.slot_count();
  }
}

void Checker::check_formulas(std::vector<FormulaDecl>& formulas, std::string_view what) {
  for (FormulaDecl& formula : formulas) {
    ExprChecker body_checker(*this, -1);
    // An empty block is the empty conjunction.
    if (!formula.body) formula.body = true_literal(formula.range);
    body_checker.check_body(*formula.body, what);
    formula.slot_count = body_checker.slot_count();
    if (formula.message) check_message(formula);
  }
}

// A message's holes see the variables of the body's outermost `forall`, in
// the slots the body gave them: the violating binding fills them in.
void Checker::check_message(FormulaDecl& formula) {
  ExprChecker hole_checker(*this, -1);
  if (formula.body->kind == ExprKind::Forall) {
    for (const Binding& binding : formula.body->bindings) hole_checker.bind_at(binding.name, binding.kind.type, binding.slot);
  }
  hole_checker.reserve_slots(formula.slot_count);  // a hole's own quantifiers get fresh slots
  for (auto& part : formula.message->parts) {
    if (part.expr) hole_checker.check(*part.expr);
  }
  formula.slot_count = std::max(formula.slot_count, hole_checker.slot_count());
}

ExprChecker::ExprChecker(Checker& checker, int define) : checker_(checker), define_(define) {}

int ExprChecker::bind(const std::string& name, Type type) {
  variables_.push_back({name, next_slot_, type});
  return next_slot_++;
}

void ExprChecker::bind_at(const std::string& name, Type type, int slot) {
  variables_.push_back({name, slot, type});
  reserve_slots(slot + 1);
}

const ExprChecker::Variable* ExprChecker::find_variable(const std::string& name) const {
  for (auto it = variables_.rbegin(); it != variables_.rend(); ++it) {
    if (it->name == name) return &*it;
  }
  return nullptr;
}

void ExprChecker::check_body(Expr& body, std::string_view what) {
  check(body);
  if (!is_error(body.type) && !is_bool(body.type)) {
    checker_.error(body.range,
                   fmt::format("{} body must be `Bool`, got `{}`", what, checker_.type_str(body.type)),
                   code::kTypeMismatch);
  }
}

void ExprChecker::check(Expr& expr) {
  switch (expr.kind) {
    case ExprKind::BoolLit: expr.type = kBool; return;
    case ExprKind::IntLit: expr.type = Type{TypeKind::Int}; return;
    case ExprKind::DateLit: expr.type = Type{TypeKind::Date}; return;
    case ExprKind::NoneLit:
      // Comparisons and calls type a `none` from context before getting here.
      expr.type = Type{};
      checker_.error(expr.range, "`none` is not allowed here: test for it with `==` or `!=`", code::kNone);
      return;
    case ExprKind::Name: check_name(expr); return;
    case ExprKind::Call: check_call(expr); return;
    case ExprKind::Dot: check_dot(expr); return;
    case ExprKind::Closure: check_closure(expr); return;
    // Already resolved forms (only the checker makes them) keep their type.
    case ExprKind::Var:
    case ExprKind::EnumValue:
    case ExprKind::EntityName:
    case ExprKind::Attr:
    case ExprKind::RelationCall:
    case ExprKind::TableCall:
    case ExprKind::DefineCall: return;
    case ExprKind::Not:
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::Implies:
    case ExprKind::Iff: check_logic(expr); return;
    case ExprKind::Eq:
    case ExprKind::Ne: check_equality(expr); return;
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge: check_ordering(expr); return;
    case ExprKind::Add:
    case ExprKind::Sub: check_arithmetic(expr); return;
    case ExprKind::In: check_in(expr); return;
    case ExprKind::Forall:
    case ExprKind::Exists: check_quantifier(expr); return;
  }
}

void ExprChecker::check_name(Expr& expr) {
  if (const Variable* variable = find_variable(expr.name)) {
    expr.kind = ExprKind::Var;
    expr.id = variable->slot;
    expr.type = variable->type;
    return;
  }
  expr.type = Type{};
  const std::vector<EnumValueRef>* refs = checker_.find_enum_value(expr.name);
  if (refs && refs->size() == 1) {
    expr.kind = ExprKind::EnumValue;
    expr.id = refs->front().enum_id;
    expr.value = refs->front().ordinal;
    expr.type = Type{TypeKind::Enum, expr.id};
    return;
  }
  if (refs) {
    std::string choices;
    for (std::size_t i = 0; i < refs->size(); ++i) {
      if (i > 0) choices += i + 1 == refs->size() ? " or " : ", ";
      choices += fmt::format("`{}.{}`", checker_.model_.enums[(*refs)[i].enum_id].name, expr.name);
    }
    checker_.error(expr.range, fmt::format("ambiguous value `{}`: qualify it as {}", expr.name, choices),
                   code::kAmbiguousValue);
    return;
  }
  // Variables first (innermost first), so a close variable wins a tie.
  std::vector<std::string> candidates;
  for (auto it = variables_.rbegin(); it != variables_.rend(); ++it) candidates.push_back(it->name);
  std::vector<std::string> values;
  for (const auto& [value, where] : checker_.enum_values_) values.push_back(value);
  std::sort(values.begin(), values.end());
  candidates.insert(candidates.end(), values.begin(), values.end());
  checker_.suggest(
      checker_.error(expr.range, fmt::format("unknown name `{}`", expr.name), code::kUnknownName),
      expr.name, candidates);
}

void ExprChecker::check_dot(Expr& expr) {
  expr.type = Type{};
  if (expr.args.empty()) return;
  Expr& owner = *expr.args[0];

  // `Role.reseller`: a qualified enum value, unless a variable hides the enum.
  if (owner.kind == ExprKind::Name && !find_variable(owner.name) && checker_.find_enum(owner.name) >= 0) {
    checker_.resolve_qualified_value(expr);
    return;
  }

  check(owner);
  if (is_error(owner.type)) return;
  if (owner.type.kind != TypeKind::Entity) {
    checker_.error(expr.range,
                   fmt::format("`{}` has type `{}`, which has no attributes", spelled(owner),
                               checker_.type_str(owner.type)),
                   code::kUnknownAttribute);
    return;
  }
  const EntityKind& kind = checker_.model_.kinds[owner.type.id];
  int attribute = kind.attribute_index(expr.name);
  if (attribute < 0) {
    checker_.report_unknown_attribute(checker_.name_range(expr.range, expr.name, true), kind, expr.name);
    return;
  }
  expr.kind = ExprKind::Attr;
  expr.id = attribute;
  expr.kind_id = owner.type.id;
  expr.type = kind.attributes[attribute].type.type;
  // Navigation through `none` yields `none`.
  if (!is_error(expr.type)) expr.type.optional = expr.type.optional || owner.type.optional;
}

void ExprChecker::check_logic(Expr& expr) {
  for (auto& arg : expr.args) check(*arg);
  bool failed = false;
  for (auto& arg : expr.args) {
    if (is_error(arg->type)) {
      failed = true;
    } else if (!is_bool(arg->type)) {
      failed = true;
      std::string needs = expr.kind == ExprKind::Not ? "a `Bool` operand" : "`Bool` operands";
      Diagnostic& d = checker_.error(arg->range,
                                     fmt::format("operator `{}` needs {}, got `{}`", spelling(expr.kind),
                                                 needs, checker_.type_str(arg->type)),
                                     code::kTypeMismatch);
      if (arg->type.kind == TypeKind::Bool) {
        d.help = fmt::format("`{}` may be `none`: compare it with `true`", spelled(*arg));
      }
    }
  }
  expr.type = failed ? Type{} : kBool;
}

std::string ExprChecker::spelled(const Expr& expr) const {
  std::string_view written = checker_.text(expr.range);
  return written.empty() ? expr.name : std::string(written);
}

bool ExprChecker::type_none(Expr& none, const Expr& other, const Expr& at) {
  none.type = other.type;
  if (is_error(other.type)) return false;
  none.type.optional = true;
  if (other.type.optional) return true;
  checker_.error(at.range,
                 fmt::format("`{}` is never `none`: its type `{}` is not optional", spelled(other),
                             checker_.type_str(other.type)),
                 code::kNone);
  return false;
}

void ExprChecker::check_equality(Expr& expr) {
  expr.type = Type{};
  if (expr.args.size() != 2) return;
  Expr& lhs = *expr.args[0];
  Expr& rhs = *expr.args[1];
  bool lhs_none = lhs.kind == ExprKind::NoneLit;
  bool rhs_none = rhs.kind == ExprKind::NoneLit;
  if (lhs_none && rhs_none) {
    checker_.error(expr.range, "`none` needs a type: compare it with an optional value", code::kNone);
    return;
  }
  if (!lhs_none) check(lhs);
  if (!rhs_none) check(rhs);
  if (lhs_none || rhs_none) {
    if (type_none(lhs_none ? lhs : rhs, lhs_none ? rhs : lhs, expr)) expr.type = kBool;
    return;
  }
  if (any_error(expr)) return;
  if (!same_base(lhs.type, rhs.type)) {
    checker_.error(expr.range,
                   fmt::format("cannot compare `{}` with `{}`", checker_.type_str(lhs.type),
                               checker_.type_str(rhs.type)),
                   code::kTypeMismatch);
    return;
  }
  expr.type = kBool;
}

void ExprChecker::check_ordering(Expr& expr) {
  expr.type = Type{};
  for (auto& arg : expr.args) check(*arg);
  if (expr.args.size() != 2 || any_error(expr)) return;
  Type lhs = expr.args[0]->type;
  Type rhs = expr.args[1]->type;
  if (!same_base(lhs, rhs)) {
    checker_.error(expr.range,
                   fmt::format("cannot compare `{}` with `{}`", checker_.type_str(lhs), checker_.type_str(rhs)),
                   code::kTypeMismatch);
    return;
  }
  if (lhs.kind != TypeKind::Int && lhs.kind != TypeKind::Date) {
    checker_.error(expr.range,
                   fmt::format("operator `{}` needs `Int` or `Date` operands, got `{}`", spelling(expr.kind),
                               checker_.type_str(lhs)),
                   code::kTypeMismatch);
    return;
  }
  expr.type = kBool;
}

// A sum may hold several operands (`a + b - c` as one node), folded left.
void ExprChecker::check_arithmetic(Expr& expr) {
  expr.type = Type{};
  for (auto& arg : expr.args) check(*arg);
  if (expr.args.empty() || any_error(expr)) return;
  Type result = expr.args[0]->type;
  for (std::size_t i = 1; i < expr.args.size(); ++i) {
    Type rhs = expr.args[i]->type;
    TypeKind kind = sum_result(expr.kind, result.kind, rhs.kind);
    if (kind == TypeKind::Error) {
      checker_.error(expr.range,
                     fmt::format("operator `{}` cannot be applied to `{}` and `{}`", spelling(expr.kind),
                                 checker_.type_str(result), checker_.type_str(rhs)),
                     code::kTypeMismatch);
      return;
    }
    result = Type{kind, -1, result.optional || rhs.optional};
  }
  expr.type = result;
}

void ExprChecker::check_in(Expr& expr) {
  expr.type = Type{};
  if (expr.args.size() < 2) return;
  // The first operand that is not `none` sets the type the others must share.
  Expr* reference = nullptr;
  for (auto& arg : expr.args) {
    if (arg->kind == ExprKind::NoneLit) continue;
    check(*arg);
    if (!reference) reference = arg.get();
  }
  if (!reference) {
    checker_.error(expr.range, "`none` needs a type: compare it with an optional value", code::kNone);
    return;
  }
  if (any_error(expr)) return;
  Expr& element = *expr.args[0];
  bool ok = true;
  for (std::size_t i = 0; i < expr.args.size(); ++i) {
    Expr& arg = *expr.args[i];
    if (arg.kind == ExprKind::NoneLit) {
      // `x in {none, a}` asks whether x may be none: x must be optional.
      ok = type_none(arg, i == 0 ? *reference : element, expr) && ok;
    } else if (&arg != reference && !same_base(arg.type, reference->type)) {
      checker_.error(arg.range,
                     fmt::format("cannot compare `{}` with `{}`", checker_.type_str(reference->type),
                                 checker_.type_str(arg.type)),
                     code::kTypeMismatch);
      ok = false;
    }
  }
  if (ok) expr.type = kBool;
}

void ExprChecker::check_quantifier(Expr& expr) {
  expr.type = Type{};
  std::size_t outer = variables_.size();
  bool bindings_ok = true;
  for (Binding& binding : expr.bindings) {
    if (checker_.resolve_type_ref(binding.kind) && binding.kind.type.kind != TypeKind::Entity) {
      checker_.error(binding.kind.range,
                     fmt::format("`{}` is not an entity kind: quantifiers range over entities",
                                 binding.kind.name),
                     code::kTypeMismatch);
      binding.kind.type = Type{};
    }
    // Quantifiers range over existing entities, never `none`.
    binding.kind.type.optional = false;
    bindings_ok = bindings_ok && !is_error(binding.kind.type);
    binding.slot = bind(binding.name, binding.kind.type);
  }
  if (!expr.args.empty()) {
    Expr& body = *expr.args[0];
    check(body);
    if (!is_error(body.type) && !is_bool(body.type)) {
      checker_.error(body.range,
                     fmt::format("quantifier body must be `Bool`, got `{}`", checker_.type_str(body.type)),
                     code::kTypeMismatch);
    } else if (bindings_ok && is_bool(body.type)) {
      expr.type = kBool;
    }
  }
  variables_.resize(outer);
}

}  // namespace csp::model::checking
