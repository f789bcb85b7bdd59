// One Z3 context and the encoding of a model at a scope. Checks run on a
// fresh, one-shot solver each time (rules asserted directly): Z3 applies its
// full preprocessing only to non-incremental queries, which measured up to
// 100x faster on the CSP specs than one incremental solver with push/pop and
// assumptions. Assumption literals are still used, but only to extract cores.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <z3++.h>

#include "encoder/encoder.h"
#include "model/ast.h"
#include "model/scope.h"
#include "solver/query_log.h"

namespace csp::solver {

/// Adds one query's time to solver_stats(), with the solver's counters when
/// given (an incremental solver's counters add up over its checks: record
/// them once, with record_counters, when it is done).
void record_query(double ms, const z3::solver* solver = nullptr);
void record_counters(const z3::solver& solver);

/// Why a check was unknown: "interrupted by SIGINT" when the run was asked
/// to stop (the watchdog interrupted Z3, which says only "canceled"), else
/// Z3's own reason.
std::string why_unknown(const std::string& z3_reason);

/// Parameters for one query: Z3's timeout at `budget_ms`, and Z3's own
/// Ctrl-C handling off (it would take SIGINT for the length of a query and
/// cancel only that query: the CLI's handler stops the whole run instead).
z3::params query_params(z3::context& ctx, double budget_ms);

/// The reason to give when `e` means the process (or Z3) ran out of memory
/// during a check, which is then unknown rather than a failed run; nullopt
/// for any other error.
std::optional<std::string> out_of_memory_reason(const std::exception& e);


/// Checks that look for an instance (the rules' consistency, a
/// counterexample, a difference) ask first within this many entities of each
/// kind, then, only when none is found there, within the whole scope. Any
/// instance found there is one within the scope (quantifiers range over the
/// entities that exist), and at scope 16 the shipped policy's instances were
/// found in 0.2-0.4 s there against 40 s and more at the whole scope, where
/// Z3 splits every attribute term over every atom (bench/README.md). 3: the
/// shipped policy's own scope, and enough for its consistency instance and
/// both its counterexamples.
constexpr unsigned kSmallInstance = 3;

class Session {
 public:
  /// `ground_limit`: see Encoder::set_ground_limit.
  /// Encoding the rules past `deadline` throws encoder::DeadlineExceeded.
  Session(const model::Model& model, const model::Scope& scope, std::size_t ground_limit = 0,
          std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);
  /// Tag for a session with no scope: every kind an uninterpreted sort of any
  /// size (encoder/universe.h), for proofs that hold for every instance. Its
  /// models are finite but have no atoms to shrink over: no Shrinker, no
  /// fit_in_range, no scenarios.
  struct Unbounded {};
  Session(const model::Model& model, Unbounded,
          std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt);

  /// Checks on one incremental solver with every rule behind its indicator,
  /// kept across checks while the hard constraints stay the same: for many
  /// small ground queries (scenarios) where setting up a fresh solver per
  /// check costs more than the check. Cores then come with the answer.
  void use_incremental() { incremental_ = true; }
  /// Checks the current assertions with the given rules enabled.
  Answer check(const std::vector<int>& rules, double budget_ms);
  /// check(rules) with `bounds` (size_bounds) assumed, not asserted: as facts,
  /// Z3's preprocessing of a quantifier over 13 variables ran for minutes
  /// past the timeout, deaf to interrupts (tests/specs/diff/pigeonhole_rule.cspv).
  Answer check_within(const std::vector<int>& rules, const std::vector<z3::expr>& bounds, double budget_ms);
  /// The script of check_within(), the bounds asserted.
  std::string to_smt2_within(const std::vector<int>& rules, const std::vector<z3::expr>& bounds);
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
  /// How shrink() treats a deletion step it cannot decide.
  struct ShrinkOptions {
    double step_ms = 0;           // at most this long per deletion step (0: what is left of the budget)
    bool keep_undecided = false;  // an undecided step keeps its literal and shrinking goes on (else it stops)
    /// Start from the core of a check of every literal (the caller's unsat
    /// check was on another solver, so its core is not at hand).
    bool core_first = false;
    /// The set returned was itself answered unsat by a check, not only
    /// implied by a step's core: asked once more when it was not (on any
    /// other answer, the last set a check answered unsat is returned, not
    /// minimal; at first the literals given).
    bool verify = false;
  };
  /// What shrink() got to: `literals` (with `keep`) is unsat at every point,
  /// as far as a check or its core says; `minimal` once every literal left
  /// was tried and found needed (its step sat, or undecided with keep_undecided).
  struct Shrunk {
    std::vector<z3::expr> literals;
    bool minimal = false;
  };
  /// The deletion behind minimise(), which also returns the progress made
  /// when a step is undecided or time runs out. `literals` (with `keep`)
  /// must be unsat; they are tried for deletion in the order given.
  Shrunk shrink(std::vector<z3::expr> literals, const std::vector<z3::expr>& keep, double budget_ms,
                ShrinkOptions options);
  /// Shrinks a model of the current frames with `rules` enabled, on one
  /// incremental solver. Each measure, once minimised, stays fixed in the
  /// current frame, so later measures shrink with it fixed.
  class Shrinker {
   public:
    /// Each check is logged in `queries` (purpose "minimise") when given.
    Shrinker(Session& session, const std::vector<int>& rules, z3::model& best,
             std::chrono::steady_clock::time_point deadline, QueryItem* queries = nullptr);
    ~Shrinker() { record_counters(solver_); }
    Shrinker(const Shrinker&) = delete;
    Shrinker& operator=(const Shrinker&) = delete;
    /// The fewest entities in total. True when proved minimal (false: a
    /// check was unknown or the deadline passed first).
    bool fewest_entities();
    /// No relation tuple can be removed. False when not finished, or
    /// skipped because the instance has more than `max_tuples` tuples.
    bool fewest_tuples(std::size_t max_tuples = 48);
    /// The fewest true `literals`. True when proved minimal.
    bool fewest_true(const z3::expr_vector& literals);
    /// After the counts are minimal, steers the values towards readable ones
    /// (Encoder::value_preferences), one preference at a time, keeping each
    /// that stays satisfiable with the instance's shape fixed; stops at
    /// Never changes what the instance is, only its values. Bounded by
    /// solver work, not time (kSteeringChecks checks of at most
    /// kSteeringRlimit each), so the same query gives the same values on a
    /// quiet machine and on a loaded one: reports stay reproducible, and
    /// sharded runs merge into the single run's bytes.
    void natural_values();

   private:
    /// `step` names the check in the query log ("entities", "cardinality", ...).
    Answer check(const std::vector<z3::expr>& assumptions, const char* step);
    Answer solve(const std::vector<z3::expr>& assumptions);  // check() without the log
    std::vector<unsigned> entity_counts() const;
    std::vector<z3::expr> bounds(const std::vector<unsigned>& counts) const;
    bool finish_entities(const std::vector<unsigned>& counts, bool proved);

    Session& session_;
    z3::solver solver_;
    z3::model& best_;
    std::chrono::steady_clock::time_point deadline_;
    QueryItem* queries_;
    unsigned rlimit_ = 0;  // Z3's resource limit per check while steering; 0: none
    /// Each step on a fresh solver: above kSmallInstance entities of a kind
    /// the incremental solver took 5 times longer on the steps that find a
    /// smaller instance (bench/README.md); below it, the incremental one pays.
    bool one_shot_ = false;
  };

  /// Before `model`, from the last check or its shrinking, becomes an
  /// Instance: when a free Int or Date value lies beyond the evaluator's
  /// kInstanceIntBound (solver/int_range.h), asks the last check again with
  /// every such value within it (and the current frames: shrinking's entity
  /// counts stay) and replaces `model` by the answer; the bound then stays in
  /// the current frame, so later shrinking keeps to it. False when no model
  /// within the bound was found (reason_unknown() says why): never a proof,
  /// the unbounded query was sat. Written in int_range.cpp.
  bool fit_in_range(z3::model& model, double budget_ms, const model::ScenarioDecl* scenario = nullptr);

  /// "At most counts[K] entities of kind K", one literal per kind whose scope
  /// allows more: (not (K_exists K$m)), since atoms are used in order.
  std::vector<z3::expr> size_bounds(const std::vector<unsigned>& counts) const;
  /// size_bounds() with every kind at most kSmallInstance: empty when the
  /// scope allows no more anywhere.
  std::vector<z3::expr> small_instance_bounds() const;

  const z3::expr& rule_indicator(int rule) const { return indicators_[rule]; }
  /// The rule's translated body (the same term for rules that read the same).
  const z3::expr& rule_body(int rule) const { return rule_bodies_[rule]; }
  /// The rule id of an indicator literal, or -1.
  int rule_of(const z3::expr& literal) const;

  void push() { frames_.emplace_back(); }
  void pop() {
    if (!frames_.back().empty()) tracking_.reset();
    frames_.pop_back();
  }
  /// A hard constraint in the current frame.
  void add(const z3::expr& e) {
    frames_.back().push_back(e);
    tracking_.reset();
  }
  /// A constraint enabled by assuming `literal`.
  void add_tracked(const z3::expr& literal, const z3::expr& e) { add(z3::implies(literal, e)); }
  /// Takes in axioms the encoder created lazily (closures).
  void flush_axioms();

  encoder::Encoder& encoder() { return encoder_; }
  z3::context& context() { return ctx_; }
  z3::model model() const { return *model_; }
  std::string reason_unknown() const { return last_reason_; }
  /// reason_unknown() for a report: a timeout says how long the check had
  /// ("timeout after 5 s"; Z3's own word, timeout or canceled, tells a reader nothing more).
  std::string unknown_reason(double budget_seconds) const;
  /// Every hard constraint plus each rule behind its indicator (for an optimizer).
  z3::expr_vector assertions();

  /// The query of check(rules) or check_assuming(assumptions) over the
  /// current frames, as a standalone SMT-LIB 2 script (solver/smt2.h) with
  /// the assumptions asserted.
  std::string to_smt2(const std::vector<int>& rules);
  std::string to_smt2(const std::vector<z3::expr>& assumptions);

 private:
  void encode_rules(std::optional<std::chrono::steady_clock::time_point> deadline);
  std::vector<z3::expr> rule_assumptions(const std::vector<int>& rules) const;
  /// The hard constraints and every rule behind its indicator: checks under
  /// assumptions, with unsat cores over them.
  z3::solver tracking_solver();
  /// A one-shot solver holding the hard constraints, the enabled rules and the
  /// other assumption literals as facts.
  z3::solver fresh_solver(const std::vector<z3::expr>& assumptions);

  z3::context ctx_;  // first member: destroyed after every expr built from it
  const model::Model& model_spec_;
  encoder::Encoder encoder_;
  std::vector<z3::expr> indicators_;  // rule!name, one per rule
  std::vector<z3::expr> rule_bodies_;
  std::vector<std::vector<z3::expr>> frames_;  // frame 0: background axioms
  z3::solver& tracking();
  void set_timeout(z3::solver& s, double budget_ms);

  std::optional<z3::model> model_;
  std::vector<z3::expr> last_assumptions_;
  double last_budget_ms_ = 0;  // the last check's budget, also the core's
  bool incremental_ = false;
  std::optional<z3::solver> tracking_;  // the incremental solver, rebuilt when the hard constraints change
  std::optional<std::vector<z3::expr>> last_core_;  // the incremental solver's core of the last unsat check
  std::string last_reason_;
  int fresh_ = 0;
};


/// Milliseconds elapsed since `start`.
double elapsed_ms(std::chrono::steady_clock::time_point start);

/// Value steering's budget (Shrinker::natural_values): at most this many
/// checks, each within this much of Z3's deterministic resource count. About
/// 30 ms and 0.3 to 0.5 million per check on the shipped policy here, so
/// steering stops within a few hundred milliseconds; it used to stop at a
/// wall-clock limit, which a loaded machine reached at different points.
inline constexpr unsigned kSteeringChecks = 12;
inline constexpr unsigned kSteeringRlimit = 1000000;

}  // namespace csp::solver
