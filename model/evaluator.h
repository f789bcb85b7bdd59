// The plain, solver-independent evaluator: evaluates checked formulas on a
// concrete Instance. It is the oracle every solver answer is re-checked
// against, so it shares no code with encoder/.
//
// Semantics of `none` (see docs/language.md): navigating through `none`
// yields `none`; `==` / `!=` compare `none` like any value; `<`, `<=`, `>`,
// `>=` and relation/table membership are false when an operand is `none`;
// `+` / `-` with a `none` operand yield `none`; `in` is `==` to some element.
//
// Int and Date values are signed 64-bit here (Value), while the language's
// Int is unbounded: a result outside that range throws IntOutOfRange rather
// than giving any value, since a wrong value would make a wrong verdict.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/instance.h"

namespace csp::model {

/// An Int or Date computation whose exact result lies outside the signed
/// 64-bit range the evaluator computes in. Callers report the check they were
/// doing as unknown (docs/language.md, Types).
class IntOutOfRange : public std::runtime_error {
 public:
  explicit IntOutOfRange(SourceRange where)
      : std::runtime_error("an Int value outside the 64-bit range the evaluator supports"), where_(where) {}
  /// The expression whose value does not fit.
  SourceRange where() const { return where_; }

 private:
  SourceRange where_;
};

/// Evaluates an expression under slots: the plain Evaluator's eval, or an
/// equivalent one that answers faster on large data (audit/engine.h).
using EvalFunction = std::function<Value(const Expr&, std::vector<Value>&)>;

class Evaluator {
 public:
  Evaluator(const Model& model, const Instance& instance);

  /// Evaluates a closed Bool formula (a rule, property or define body).
  /// Every evaluating member throws IntOutOfRange where arithmetic leaves 64 bits.
  bool holds(const FormulaDecl& formula) const;
  /// Evaluates any expression with the given variable slots bound.
  Value eval(const Expr& expr, std::vector<Value>& slots) const;

  /// Why a closed formula is false, as readable lines: the falsifying
  /// bindings of each forall and the atomic comparison that fails, e.g.
  ///   "for t = Transaction1"
  ///   "t.reseller.mpa_signed <= t.date is false: 2021-03-05 <= 2021-03-01"
  /// Empty when the formula holds.
  std::vector<std::string> explain_failure(const FormulaDecl& formula) const;

  /// The formula's `message` filled in for its first violating binding (that
  /// of explain_failure); empty when it has no message or holds.
  std::string violation_message(const FormulaDecl& formula) const;

  /// Names of rules violated by the instance (in rule order).
  std::vector<int> violated_rules() const;
  /// True iff every referenced entity exists and every tuple has the declared types.
  bool well_formed(std::string* why = nullptr) const;

 private:
  bool first_binding(const Expr& quantifier, std::size_t next, bool want, std::vector<Value>& slots,
                     const EvalFunction& eval) const;

  const Model& model_;
  const Instance& instance_;
};


/// Why `formula`, false under `slots`, is false, in explain_failure's words,
/// with every value computed by `eval` (the audit explains each falsifying
/// binding of a rule with its own evaluator this way).
std::vector<std::string> explain_false(const Model& model, const Instance& instance, const Expr& formula,
                                       std::vector<Value>& slots, const EvalFunction& eval);

/// The formula's `message` with each hole's value under `slots` (the
/// variables of its outermost forall bound); empty when it has no message.
std::string render_message(const Model& model, const Instance& instance, const FormulaDecl& formula,
                           std::vector<Value>& slots, const EvalFunction& eval);

/// Source text of an expression, pretty-printed from the tree (for messages).
std::string to_string(const Model& model, const Expr& expr);

}  // namespace csp::model
