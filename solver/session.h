// One Z3 context, the encoding of a model at a scope, and a solver holding
// the background axioms and every rule behind an indicator literal, so the
// same solver serves consistency, cores and all properties (push/pop per goal).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <z3++.h>

#include "encoder/encoder.h"
#include "model/ast.h"
#include "model/scope.h"

namespace csp::solver {

enum class Answer { Sat, Unsat, Unknown };

class Session {
 public:
  Session(const model::Model& model, const model::Scope& scope);

  /// Checks the current assertions with the given rules enabled.
  Answer check(const std::vector<int>& rules, double budget_ms);
  /// Checks with arbitrary assumption literals (rule indicators and others).
  Answer check_assuming(const std::vector<z3::expr>& assumptions, double budget_ms);
  /// The assumption literals of the last unsat answer.
  std::vector<z3::expr> core() const;
  /// Deletion-based minimisation over assumption literals: literals in `keep`
  /// are always assumed and never dropped.
  std::optional<std::vector<z3::expr>> minimise(std::vector<z3::expr> literals,
                                                const std::vector<z3::expr>& keep, double budget_ms);
  const z3::expr& rule_indicator(int rule) const { return indicators_[rule]; }
  /// The rule id of an indicator literal, or -1.
  int rule_of(const z3::expr& literal) const;
  /// All rule ids, in order.
  std::vector<int> all_rules() const;
  /// The rule ids in the last unsat core.
  std::vector<int> core_rules() const;
  /// Deletion-based minimisation: a subset of `rules` that is still unsat and
  /// from which no rule can be dropped. nullopt when a sub-check is unknown.
  std::optional<std::vector<int>> minimise_core(std::vector<int> rules, double budget_ms);

  void push() { solver_.push(); }
  void pop() { solver_.pop(); }
  void add(const z3::expr& e) { solver_.add(e); }
  /// Translates lazily created axioms (closures) into the solver.
  void flush_axioms();

  encoder::Encoder& encoder() { return encoder_; }
  /// Everything asserted so far (for building an optimizer over the same query).
  z3::expr_vector assertions() const { return solver_.assertions(); }
  z3::context& context() { return ctx_; }
  z3::model model() const { return solver_.get_model(); }
  std::string reason_unknown() const { return last_reason_; }

  /// The current query as SMT-LIB 2, with the enabled rules asserted directly.
  std::string to_smt2(const std::vector<int>& rules);

 private:
  z3::context ctx_;  // first member: destroyed after every expr built from it
  const model::Model& model_;
  encoder::Encoder encoder_;
  z3::solver solver_;
  std::vector<z3::expr> indicators_;  // indicator_i => rule_i
  std::vector<z3::expr> rule_bodies_;
  std::vector<z3::expr> extra_;       // assertions since the last push, for to_smt2
  std::string last_reason_;
};

/// Milliseconds elapsed since `start`.
double elapsed_ms(std::chrono::steady_clock::time_point start);

}  // namespace csp::solver
