// Proofs for every size: a property is first checked over the unbounded
// universe (every entity kind an uninterpreted sort, encoder/universe.h).
// Unsat there means it holds in every instance, whatever its size; sat gives
// a finite instance that the evaluator re-checks; unknown leaves the bounded
// check's answer, with the reason. The prover (prover.cpp) decides what to
// report from both.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/instance.h"
#include "solver/cores.h"
#include "solver/prover.h"

namespace csp::solver {

class QueryItem;
class Session;

class UnboundedProver {
 public:
  UnboundedProver(const model::Model& model, const SolveOptions& options);
  ~UnboundedProver();
  UnboundedProver(const UnboundedProver&) = delete;
  UnboundedProver& operator=(const UnboundedProver&) = delete;

  struct Outcome {
    enum class Answer { Proved, Violated, Unknown } answer = Answer::Unknown;
    /// Violated: the solver's instance, confirmed by the evaluator (it may be
    /// larger than the spec's scope, and is not minimal).
    std::optional<model::Instance> instance;
    std::string reason;  // Unknown: why ("timeout after 10 s", "the solver's instance ...")
    /// Proved, with SolveOptions::proof_cores: the rules the proof needs.
    std::optional<ProofCore> core;
  };

  /// Rules AND NOT `property` over the unbounded universe, within `budget_ms`;
  /// the query is logged in `queries` (purpose "unbounded") when given. A
  /// proof's core takes proof_core_budget_ms() more at most.
  Outcome check(const model::FormulaDecl& property, double budget_ms, QueryItem* queries = nullptr);

  /// The share of a check's budget the unbounded attempt may take: proofs
  /// that E-matching finds take milliseconds; the rest is left for the
  /// bounded check, which always runs when this one does not prove.
  static double budget_ms(unsigned timeout_seconds);

 private:
  Outcome violated(const model::FormulaDecl& property);

  const model::Model& model_;
  SolveOptions options_;
  std::unique_ptr<Session> session_;  // built on first use: one encoding for every property
  std::string encoding_error_;        // the rules could not be encoded in time: every check unknown
};

}  // namespace csp::solver
