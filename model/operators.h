// What the language's operators mean on values: literals, connectives,
// comparisons, `+` and `-`, `in`. One definition for model::Evaluator (which
// re-checks every counterexample) and the audit's planned engine, so proofs
// and audits share one semantics by construction; each evaluator keeps only
// the nodes that read an instance (variables, attributes, relations, tables,
// defines, closures, quantifiers), where the engine uses its indexes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "model/ast.h"
#include "model/evaluator.h"
#include "model/instance.h"

namespace csp::model::operators {

inline bool truthy(const Value& value) { return value.tag == Value::Tag::Bool && value.v != 0; }

/// True for the nodes operator_value() evaluates.
inline bool is_operator(ExprKind kind) {
  switch (kind) {
    case ExprKind::BoolLit:
    case ExprKind::IntLit:
    case ExprKind::DateLit:
    case ExprKind::NoneLit:
    case ExprKind::EnumValue:
    case ExprKind::Not:
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::Implies:
    case ExprKind::Iff:
    case ExprKind::Eq:
    case ExprKind::Ne:
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
    case ExprKind::Add:
    case ExprKind::Sub:
    case ExprKind::In: return true;
    default: return false;
  }
}

inline Value literal(const Expr& expr) {
  switch (expr.kind) {
    case ExprKind::BoolLit: return Value::boolean(expr.value != 0);
    case ExprKind::IntLit: return Value::integer(expr.value);
    case ExprKind::DateLit: return Value::date(expr.value);
    case ExprKind::EnumValue: return Value::enum_value(expr.id, expr.value);
    default: return Value::none();
  }
}

/// Int and Date arithmetic; the type checker guarantees the operand types, the
/// tags decide which of `d + n`, `d - n`, `d1 - d2`, `i +/- j` this is. `none`
/// on a `none` operand. A result outside 64 bits has no faithful value (the
/// language's Int is unbounded), so it throws IntOutOfRange and the caller
/// says unknown.
inline Value add_or_subtract(const Expr& expr, const Value& lhs, const Value& rhs) {
  if (lhs.is_none() || rhs.is_none()) return Value::none();
  std::int64_t result = 0;
  bool overflow = expr.kind == ExprKind::Add ? __builtin_add_overflow(lhs.v, rhs.v, &result)
                                             : __builtin_sub_overflow(lhs.v, rhs.v, &result);
  if (overflow) throw IntOutOfRange(expr.range);
  bool lhs_date = lhs.tag == Value::Tag::Date;
  bool rhs_date = rhs.tag == Value::Tag::Date;
  if (lhs_date && rhs_date) return Value::integer(result);
  if (lhs_date || rhs_date) return Value::date(result);
  return Value::integer(result);
}

/// `<`, `<=`, `>`, `>=`: false when either side is `none`.
inline bool compare_ordered(ExprKind op, const Value& lhs, const Value& rhs) {
  if (lhs.is_none() || rhs.is_none()) return false;
  switch (op) {
    case ExprKind::Lt: return lhs.v < rhs.v;
    case ExprKind::Le: return lhs.v <= rhs.v;
    case ExprKind::Gt: return lhs.v > rhs.v;
    case ExprKind::Ge: return lhs.v >= rhs.v;
    default: return false;
  }
}

/// The connectives, short-circuiting left to right.
template <typename Eval>
bool logical(const Expr& expr, std::vector<Value>& slots, Eval&& eval) {
  const auto& args = expr.args;
  auto test = [&](const Expr& e) { return truthy(eval(e, slots)); };
  switch (expr.kind) {
    case ExprKind::Not: return !args.empty() && !test(*args[0]);
    case ExprKind::And: return std::all_of(args.begin(), args.end(), [&](const ExprPtr& a) { return test(*a); });
    case ExprKind::Or: return std::any_of(args.begin(), args.end(), [&](const ExprPtr& a) { return test(*a); });
    case ExprKind::Implies: return args.size() == 2 && (!test(*args[0]) || test(*args[1]));
    case ExprKind::Iff: {
      if (args.empty()) return false;
      bool result = test(*args[0]);
      for (std::size_t i = 1; i < args.size(); ++i) result = result == test(*args[i]);
      return result;
    }
    default: return false;
  }
}

/// `==`, `!=`, `<`, `<=`, `>`, `>=` on the operands' values.
template <typename Eval>
Value comparison(const Expr& expr, std::vector<Value>& slots, Eval&& eval) {
  if (expr.args.size() != 2) return Value::boolean(false);
  Value lhs = eval(*expr.args[0], slots);
  Value rhs = eval(*expr.args[1], slots);
  if (expr.kind == ExprKind::Eq) return Value::boolean(lhs == rhs);
  if (expr.kind == ExprKind::Ne) return Value::boolean(lhs != rhs);
  return Value::boolean(compare_ordered(expr.kind, lhs, rhs));
}

/// `a + b - c ...`, left to right.
template <typename Eval>
Value arithmetic(const Expr& expr, std::vector<Value>& slots, Eval&& eval) {
  if (expr.args.empty()) return Value::none();
  Value result = eval(*expr.args[0], slots);
  for (std::size_t i = 1; i < expr.args.size(); ++i) result = add_or_subtract(expr, result, eval(*expr.args[i], slots));
  return result;
}

/// `x in (a, b, ...)`.
template <typename Eval>
Value membership(const Expr& expr, std::vector<Value>& slots, Eval&& eval) {
  if (expr.args.empty()) return Value::boolean(false);
  Value needle = eval(*expr.args[0], slots);
  for (std::size_t i = 1; i < expr.args.size(); ++i) {
    if (eval(*expr.args[i], slots) == needle) return Value::boolean(true);
  }
  return Value::boolean(false);
}

/// The value of an operator node (is_operator(expr.kind)), its operands
/// valued by eval(operand, slots). A hot evaluator may instead call the
/// function of each kind from its own switch, to dispatch once.
template <typename Eval>
Value operator_value(const Expr& expr, std::vector<Value>& slots, Eval&& eval) {
  switch (expr.kind) {
    case ExprKind::Not:
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::Implies:
    case ExprKind::Iff: return Value::boolean(logical(expr, slots, eval));
    case ExprKind::Eq:
    case ExprKind::Ne:
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge: return comparison(expr, slots, eval);
    case ExprKind::Add:
    case ExprKind::Sub: return arithmetic(expr, slots, eval);
    case ExprKind::In: return membership(expr, slots, eval);
    default: return literal(expr);
  }
}

}  // namespace csp::model::operators
