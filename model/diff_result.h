// Results of `cspverify diff`, in the spec's vocabulary. solver/ produces
// them and reports/ writes them; they live here, in the lowest stage both use.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/changes.h"
#include "model/instance.h"
#include "model/merge.h"
#include "model/result.h"
#include "model/scope.h"

namespace csp::model {

/// An instance one side allows and the other forbids, in the merged model's
/// vocabulary, re-checked by the evaluator against both rule sets.
struct Witness {
  Instance instance;
  bool minimal = false;  // fewest entities within scope, then fewest blamed rules
  /// Merged rule ids of the forbidding side that the witness violates: each
  /// forbids it on its own, and no witness of this size violates fewer.
  std::vector<int> blame;
  /// Per blamed rule, why it fails on the witness (the evaluator's words,
  /// side qualifiers removed).
  std::vector<std::vector<std::string>> explanations;
  /// Per blamed rule, the allowing side's rule of the same name, which holds
  /// on the witness (the version that now allows it, or allowed it before);
  /// -1 when that side has no rule of that name (the change adds or removes it).
  std::vector<int> counterparts;
  /// How this witness differs from the ones listed before it in its direction.
  enum class Distinct {
    First,   // the first: the smallest (preferring the heaviest clause, see solver/diff.h)
    Rule,    // it satisfies every rule blamed for an earlier witness
    Clause,  // blamed on an earlier rule, but breaks a clause of it no earlier one breaks
    Shape,   // the same rules, with another set of entity kinds
  };
  Distinct distinct = Distinct::First;
};

const char* distinct_name(Witness::Distinct distinct);  // "first", "rule", "clause", "shape"

/// One direction of the difference, e.g. newly allowed: some instance
/// satisfies every proposed rule and breaks a base rule.
struct Difference {
  enum class Answer { None, Found, Unknown };
  Answer answer = Answer::Unknown;
  /// When found: at least one, at most the number asked for (`--witnesses`),
  /// each distinct from those before it (Witness::distinct).
  std::vector<Witness> witnesses;
  /// Found, but fewer witnesses than asked for: no further distinct one
  /// exists within scope (false: the search for one ran out of time).
  bool no_more_witnesses = false;
  std::string unknown_reason;
  double time_ms = 0;
  /// A shard's report (--shard) for a direction another shard searches:
  /// `answer` stays Unknown, and it is no result of this run (exit code).
  bool elsewhere = false;
};

struct SemanticDiff {
  Difference newly_allowed;    // proposed rules AND NOT base rules
  Difference newly_forbidden;  // base rules AND NOT proposed rules
  Scope scope;          // over the merged model's kinds
  bool equivalent() const {
    return newly_allowed.answer == Difference::Answer::None && newly_forbidden.answer == Difference::Answer::None;
  }
};

/// An attribute a scenario leaves unset on some of its entities, on which the
/// proposed side's verdict rests: with it `none` on those entities, the
/// scenario gets the base side's verdict back.
struct UnsetAttribute {
  std::string name;                   // `Partner.enrolled_on`
  std::vector<std::string> entities;  // the scenario's entities that leave it unset
};

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
  std::optional<DiffSide> declared_only_in;
  /// A changed scenario the proposed side allows only because it leaves
  /// these attributes unset (solver/diff.h, unset_attribute_dependencies).
  std::vector<UnsetAttribute> depends_on_unset;
  /// Base and proposed statuses differ (or one side lacks it).
  bool changed() const;
  /// Sets `regression` and `unknown` from the two sides' results.
  void classify();
};

/// The work item ids (docs/sharding.md) of the difference's two directions;
/// a diff's checks are work_item_id(kind, name), each run under both sides.
inline constexpr char kNewlyAllowedItem[] = "newly_allowed";
inline constexpr char kNewlyForbiddenItem[] = "newly_forbidden";

/// What the author of a change says it does (`diff --expect`): equivalent
/// (nothing newly allowed or forbidden), tightening (nothing newly allowed),
/// widening (nothing newly forbidden).
enum class DiffExpectation { Equivalent, Tightening, Widening };
const char* expectation_name(DiffExpectation expectation);  // "equivalent", "tightening", "widening"

/// Everything `cspverify diff` reports.
struct DiffReport {
  std::vector<Change> changes;
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
  std::string z3_version;  // of the solver that answered
  /// A shard's report (--shard): which shard, what it owns; nullopt otherwise.
  /// `checks` then holds the owned checks only, and a direction another shard
  /// searches is marked Difference::elsewhere.
  std::optional<ShardInfo> shard;
  /// 1 when some check regressed or the expectation is contradicted, else 3
  /// when something is unknown, else 0; 128 + the signal when interrupted.
  int exit_code() const;
};

}  // namespace csp::model
