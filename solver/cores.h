// Minimal sets of rules behind a verdict, beyond the one core a check
// returns: the rules a proof needs ("why it holds"), and the minimal cores of
// a forbidden scenario, searched for one with given rules or listed (MARCO).
// Both build on Session's deletion (Session::shrink): no second minimiser.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <z3++.h>

#include "solver/session.h"

namespace csp::solver {

class QueryItem;

/// The rules a proof needs, by rule id in order: the negated property with
/// only these rules is unsat (a query said so), and with `minimal` dropping
/// any one of them leaves it sat or undecided.
struct ProofCore {
  std::vector<int> rules;
  bool minimal = false;
};

/// The share of a property's budget its proof core may take, and at most
/// how long one deletion step may take: most steps answer in milliseconds,
/// and a step that drops a needed rule over an unbounded universe may never
/// be decided (Z3 seldom finds an infinite model), so one such step must not
/// eat the budget of the others.
double proof_core_budget_ms(unsigned timeout_seconds);
constexpr double kProofCoreStepMs = 500;

/// Called right after `session` answered unsat with every rule enabled (the
/// query that proved a property, still in the current frame): the rules that
/// proof needs, minimised by deletion within `budget_ms`. The set returned is
/// never one no query found unsat: a smaller set than every rule is checked
/// again on its own, a one-shot query like the proof (logged in `queries`,
/// purpose "core"); should that check not answer unsat, every rule is
/// returned, not minimal.
ProofCore proof_core(Session& session, double budget_ms, QueryItem* queries);

/// Minimal unsat subsets (minimal cores) of `literals`, with `keep` always
/// assumed, one at a time: MARCO (Liffiton, Previti, Malik, Marques-Silva,
/// "Fast, flexible MUS enumeration", Constraints 2016). A map solver over one
/// Boolean per literal proposes a seed no earlier answer covers; an unsat
/// seed is shrunk to a minimal core and every superset of it blocked, a sat
/// seed grown to a maximal satisfiable set and every subset of it blocked.
/// When the map has no seed left, every minimal core was listed. For small
/// ground queries (scenarios, on an incremental session).
class CoreExplorer {
 public:
  CoreExplorer(Session& session, std::vector<z3::expr> literals, std::vector<z3::expr> keep);

  /// From now on, only cores with at least one literal of each group; the
  /// map proposes only seeds that have them, so once it is empty no such
  /// core exists.
  void require(const std::vector<std::vector<z3::expr>>& groups);
  /// A minimal core found elsewhere: blocked, so not listed again.
  void known(const std::vector<z3::expr>& core);

  /// The next minimal core (meeting require()), or nullopt: then complete()
  /// says whether none is left, or why the search stopped (reason()).
  std::optional<std::vector<z3::expr>> next(std::chrono::steady_clock::time_point deadline);
  bool complete() const { return complete_; }
  /// Why the search stopped before complete(): "the time ran out", Z3's reason.
  const std::string& reason() const { return reason_; }

 private:
  std::vector<int> seed();  // indices into literals_; none when complete_
  bool is_required(int literal) const;
  std::string undecided_reason() const;
  std::vector<int> indices(const std::vector<z3::expr>& subset) const;
  bool meets_requirement(const std::vector<int>& core) const;
  void block_down(const std::vector<int>& satisfiable);
  void block_up(const std::vector<int>& core);
  std::vector<z3::expr> assumptions(const std::vector<int>& subset) const;
  void stop(std::string reason);

  Session& session_;
  std::vector<z3::expr> literals_;
  std::vector<z3::expr> keep_;
  z3::solver map_;
  std::vector<z3::expr> map_vars_;  // map!i: literal i is in the seed
  std::vector<std::vector<int>> required_;
  bool complete_ = false;
  bool stopped_ = false;
  std::string reason_;
};

}  // namespace csp::solver
