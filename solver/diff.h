// `cspverify diff`: the semantic difference of two rule sets within scope
// (newly allowed / newly forbidden instances with minimal witnesses and the
// rules that forbid them), and each property's and scenario's result under
// both sides. Z3-free interface; results are read by cli/ and reports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/changes.h"
#include "model/instance.h"
#include "model/merge.h"
#include "model/scope.h"
#include "solver/prover.h"
#include "solver/result.h"

namespace csp::solver {

/// An instance one side allows and the other forbids, in the merged model's
/// vocabulary, re-checked by the evaluator against both rule sets.
struct Witness {
  model::Instance instance;
  bool minimal = false;  // fewest entities within scope, then fewest blamed rules
  /// Merged rule ids of the forbidding side that the witness violates: each
  /// forbids it on its own, and no witness of this size violates fewer.
  std::vector<int> blame;
  /// Per blamed rule, why it fails on the witness (the evaluator's words,
  /// side qualifiers removed).
  std::vector<std::vector<std::string>> explanations;
};

/// One direction of the difference, e.g. newly allowed: some instance
/// satisfies every proposed rule and breaks a base rule.
struct Difference {
  enum class Answer { None, Found, Unknown };
  Answer answer = Answer::Unknown;
  std::optional<Witness> witness;  // when found
  std::string unknown_reason;
  double time_ms = 0;
};

struct SemanticDiff {
  Difference newly_allowed;    // proposed rules AND NOT base rules
  Difference newly_forbidden;  // base rules AND NOT proposed rules
  model::Scope scope;          // over the merged model's kinds
  bool equivalent() const {
    return newly_allowed.answer == Difference::Answer::None && newly_forbidden.answer == Difference::Answer::None;
  }
};

/// Both directions over `merged` (see model::merge_sides): the rules named
/// `base:...` are the base side, `proposed:...` the proposed side.
/// Throws InternalError when the evaluator disagrees with a witness.
SemanticDiff semantic_diff(const model::Model& merged, const model::Scope& scope, const SolveOptions& options);

/// The merged model's rule ids of one side, in order.
std::vector<int> side_rules(const model::Model& merged, model::DiffSide side);

/// The scope of the merged model: per kind, the larger of the two sides'
/// scopes (a kind only one side has keeps that side's scope).
model::Scope merged_scope(const model::Model& merged, const model::Model& base, const model::Scope& base_scope,
                          const model::Model& proposed, const model::Scope& proposed_scope);

/// A property, scenario or the rules' consistency, under both sides (paired by name).
struct CheckPair {
  CheckResult::Kind kind = CheckResult::Kind::Property;
  std::string name;
  std::optional<CheckResult> base;      // absent when the base side cannot check it
  std::optional<CheckResult> proposed;  // absent when the proposed side cannot check it
  /// The proposed side fails it (not as expected, and not merely unknown)
  /// where the base side did not: a proved property now violated or vacuous,
  /// consistent rules now inconsistent, a scenario off its expected verdict.
  bool regression = false;
  /// The proposed side cannot decide it where the base side did not fail it.
  bool unknown = false;
  /// Set when only one side declares it; it is still checked under both
  /// when it type-checks there (model::DiffModels).
  std::optional<model::DiffSide> declared_only_in;
  /// Base and proposed statuses differ (or one side lacks it).
  bool changed() const;
};

/// Pairs two runs' results (prove and check_scenarios of each side) by kind and name.
std::vector<CheckPair> pair_results(const std::vector<CheckResult>& base, const std::vector<CheckResult>& proposed);

/// What the author of a change says it does (`diff --expect`): equivalent
/// (nothing newly allowed or forbidden), tightening (nothing newly allowed),
/// widening (nothing newly forbidden).
enum class DiffExpectation { Equivalent, Tightening, Widening };
const char* expectation_name(DiffExpectation expectation);  // "equivalent", "tightening", "widening"

/// Everything `cspverify diff` reports.
struct DiffReport {
  std::vector<model::Change> changes;
  SemanticDiff semantic;
  std::vector<CheckPair> checks;  // consistency, properties, scenarios
  std::optional<DiffExpectation> expected;
  /// False when a witness contradicts `expected`; true when nothing is expected.
  bool meets_expectation() const;
  /// Whether `expected` rules out any witness in this direction.
  bool expectation_forbids(bool newly_allowed) const;
  /// The signal that stopped the run early, else 0; then `checks` holds the
  /// pairs both sides finished and `not_run` the others.
  int interrupted_by = 0;
  std::vector<NotRun> not_run;
  /// 1 when some check regressed or the expectation is contradicted, else 3
  /// when something is unknown, else 0; 128 + the signal when interrupted.
  int exit_code() const;
};

/// Two checked sides (model::build_diff_models), each with its own scope.
struct DiffInputs {
  const model::DiffModels& models;
  model::Scope base_scope;      // over the base model's kinds
  model::Scope proposed_scope;  // over the proposed model's kinds
};

/// The whole diff: text changes, the semantic difference over the merged
/// model, then the rules' consistency, every property (prove) and every
/// scenario (check_scenarios) under each side, paired by name.
DiffReport diff(const DiffInputs& inputs, const SolveOptions& options);

}  // namespace csp::solver
