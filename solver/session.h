// One Z3 context and the encoding of a model at a scope. Checks run on a
// fresh, one-shot solver each time (rules asserted directly): Z3 applies its
// full preprocessing only to non-incremental queries, which measured up to
// 100x faster on the CSP specs than one incremental solver with push/pop and
// assumptions. Assumption literals are still used, but only to extract cores.
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
  /// `ground_limit`: see Encoder::set_ground_limit.
  Session(const model::Model& model, const model::Scope& scope, std::size_t ground_limit = 64);

  /// Checks the current assertions with the given rules enabled.
  Answer check(const std::vector<int>& rules, double budget_ms);
  /// Checks with assumption literals: rule indicators enable their rules,
  /// other literals (added with add_tracked) enable their constraints.
  Answer check_assuming(const std::vector<z3::expr>& assumptions, double budget_ms);
  /// A subset of the last unsat check's assumptions that is still unsat.
  std::vector<z3::expr> core();
  /// All rule ids, in order.
  std::vector<int> all_rules() const;
  /// The rule ids in core().
  std::vector<int> core_rules();
  /// Deletion-based minimisation: a subset of `rules` that is still unsat and
  /// from which no rule can be dropped. nullopt when a sub-check is unknown.
  std::optional<std::vector<int>> minimise_core(std::vector<int> rules, double budget_ms);
  /// The same over assumption literals; literals in `keep` are always assumed.
  std::optional<std::vector<z3::expr>> minimise(std::vector<z3::expr> literals,
                                                const std::vector<z3::expr>& keep, double budget_ms);
  /// The fewest true `literals` (entities, tuples, ...) among instances with
  /// `rules` enabled, starting from `best`, by binary search on "at most k
  /// of them". Returns true when `best` is proved minimal (false: a check
  /// was unknown before `deadline`); its bound stays asserted in the current
  /// frame, so later measures shrink with this one fixed.
  bool shrink(const z3::expr_vector& literals, const std::vector<int>& rules, z3::model& best,
              std::chrono::steady_clock::time_point deadline);
  const z3::expr& rule_indicator(int rule) const { return indicators_[rule]; }
  /// The rule id of an indicator literal, or -1.
  int rule_of(const z3::expr& literal) const;

  void push() { frames_.emplace_back(); }
  void pop() { frames_.pop_back(); }
  /// A hard constraint in the current frame.
  void add(const z3::expr& e) { frames_.back().push_back(e); }
  /// A constraint enabled by assuming `literal`.
  void add_tracked(const z3::expr& literal, const z3::expr& e) { add(z3::implies(literal, e)); }
  /// Takes in axioms the encoder created lazily (closures).
  void flush_axioms();

  encoder::Encoder& encoder() { return encoder_; }
  z3::context& context() { return ctx_; }
  z3::model model() const { return *model_; }
  std::string reason_unknown() const { return last_reason_; }
  /// Every hard constraint plus each rule behind its indicator (for an optimizer).
  z3::expr_vector assertions();

  /// The query of `rules` plus the current frames, as SMT-LIB 2.
  std::string to_smt2(const std::vector<int>& rules);

 private:
  /// A one-shot solver holding the hard constraints, the enabled rules and the
  /// other assumption literals as facts.
  z3::solver fresh_solver(const std::vector<z3::expr>& assumptions);

  z3::context ctx_;  // first member: destroyed after every expr built from it
  const model::Model& model_spec_;
  encoder::Encoder encoder_;
  std::vector<z3::expr> indicators_;  // rule!name, one per rule
  std::vector<z3::expr> rule_bodies_;
  std::vector<std::vector<z3::expr>> frames_;  // frame 0: background axioms
  std::optional<z3::model> model_;
  std::vector<z3::expr> last_assumptions_;
  std::string last_reason_;
};

/// Adds one query's time to solver_stats().
void record_solver_time(double ms);

/// Milliseconds elapsed since `start`.
double elapsed_ms(std::chrono::steady_clock::time_point start);

}  // namespace csp::solver
