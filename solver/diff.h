// `cspverify diff`: the semantic difference of two rule sets within scope
// (newly allowed / newly forbidden instances with minimal witnesses and the
// rules that forbid them), and each property's and scenario's result under
// both sides. Z3-free interface; results are read by cli/ and reports.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/changes.h"
#include "model/instance.h"
#include "model/merge.h"
#include "model/scope.h"
#include "solver/prover.h"
#include "model/diff_result.h"

namespace csp::solver {

// The diff's results are declared in model/diff_result.h (reports/ reads
// them without the solver); they are the solver's answers, named here too.
using model::CheckPair;
using model::DiffExpectation;
using model::DiffReport;
using model::Difference;
using model::SemanticDiff;
using model::Witness;
using model::expectation_name;


/// The part of the diff one shard runs (--shard, docs/sharding.md): the
/// directions it searches, and the checks (by name) it runs under both sides.
struct DiffShare {
  bool newly_allowed = false;
  bool newly_forbidden = false;
  bool consistency = false;
  std::set<std::string> properties;
  std::set<std::string> scenarios;
};

/// Both directions over `merged` (see model::merge_sides): the rules named
/// `base:...` are the base side, `proposed:...` the proposed side. Per
/// direction, up to options.witnesses witnesses: the first is the smallest,
/// except that when the rule it breaks has several clauses (top-level
/// conjuncts) and it breaks none of those whose outer `forall` ranges over the
/// kind with the most references (the sale, in the CSP vocabulary), the
/// smallest breaking such a clause is preferred; each further one satisfies
/// every rule blamed so far, else breaks a clause of a blamed rule none broke
/// so far, else has another set of entity kinds (model::Witness::Distinct).
/// With `share`, only its directions; the other is marked Difference::elsewhere.
/// Throws InternalError when the evaluator disagrees with a witness.
SemanticDiff semantic_diff(const model::Model& merged, const model::Scope& scope, const SolveOptions& options,
                           const std::optional<DiffShare>& share = std::nullopt);

/// The merged model's rule ids of one side, in order.
std::vector<int> side_rules(const model::Model& merged, model::DiffSide side);

/// The scope of the merged model: per kind, the larger of the two sides'
/// scopes (a kind only one side has keeps that side's scope).
model::Scope merged_scope(const model::Model& merged, const model::Model& base, const model::Scope& base_scope,
                          const model::Model& proposed, const model::Scope& proposed_scope);

/// Pairs two runs' results (prove and check_scenarios of each side) by kind and name.
std::vector<CheckPair> pair_results(const std::vector<CheckResult>& base, const std::vector<CheckResult>& proposed);

/// Two checked sides (model::build_diff_models), each with its own scope.
struct DiffInputs {
  const model::DiffModels& models;
  model::Scope base_scope;      // over the base model's kinds
  model::Scope proposed_scope;  // over the proposed model's kinds
};

/// The whole diff: text changes, the semantic difference over the merged
/// model, then the rules' consistency, every property (prove) and every
/// scenario (check_scenarios) under each side, paired by name. With
/// `share`, a shard's part: its directions and its checks' pairs.
DiffReport diff(const DiffInputs& inputs, const SolveOptions& options,
                const std::optional<DiffShare>& share = std::nullopt);

}  // namespace csp::solver
