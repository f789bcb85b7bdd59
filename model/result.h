// Results of every check, in the spec's vocabulary. solver/ produces them
// and reports/ writes them; they live here, in the lowest stage both use,
// so that reports/ never depends on the solver.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/instance.h"
#include "model/scope.h"

namespace csp::model {

enum class Status {
  Proved,        // property: rules AND NOT property is unsat within scope
  Violated,      // property: a counterexample exists (re-checked by the evaluator)
  Unknown,       // solver gave up (timeout, incompleteness); never counts as proved
  Vacuous,       // property: no instance of the rules has its quantified kinds
  Consistent,    // consistency check of the rules
  Inconsistent,  // consistency check: core names the conflicting rules
  Allowed,       // scenario
  Forbidden,     // scenario
};

/// "proved", "violated", ... as in the JSON report.
inline const char* status_name(Status s) {
  switch (s) {
    case Status::Proved: return "proved";
    case Status::Violated: return "violated";
    case Status::Unknown: return "unknown";
    case Status::Vacuous: return "vacuous";
    case Status::Consistent: return "consistent";
    case Status::Inconsistent: return "inconsistent";
    case Status::Allowed: return "allowed";
    case Status::Forbidden: return "forbidden";
  }
  return "unknown";
}

/// One rule of an unsat core, by id, with what people need to read it.
struct CoreRule {
  int rule_id = -1;
};

/// One smallest change to a forbidden scenario that makes it allowed.
struct RepairStep {
  std::string description;  // "set P1.mpa_signed to 2021-02-28", "add partnership(P1, R1)"
};

/// A forbidden scenario whose first minimal core lacks a rule that its
/// `expect forbidden by` names: the search for a minimal core that has them.
struct CoreSearch {
  std::vector<int> first_core;  // the first minimal core found (rule ids), which lacks one
  bool found = false;           // CheckResult::core is a minimal core with every rule named
  bool complete = false;        // not found: every minimal core was examined, so none has them
  std::string stopped;          // not found nor complete: why the search stopped ("the time ran out")
};

/// --all-cores: a forbidden scenario's minimal cores.
struct CoreList {
  std::vector<std::vector<int>> cores;  // rule ids, sorted; in the order found, the reported core first
  bool complete = false;                // every minimal core is listed
  std::string incomplete_reason;        // else why the list stops ("more than --max-cores 10", ...)
};

/// One step of a scope sweep (`prove --scope 2..4`, model/sweep.h), as the
/// reports list it under the check's deciding result.
struct SweepStep {
  int bound = 0;  // the all-kinds bound of the step; 0 for the attempt for every size
  Status status = Status::Unknown;
  bool unbounded = false;      // the attempt for every size proved it
  std::string unknown_reason;  // Unknown: why
  double time_ms = 0;
};

struct CheckResult {
  enum class Kind { Consistency, Property, Scenario } kind = Kind::Property;
  int decl_id = -1;            // property or scenario id (-1 for the rules' consistency)
  std::string name;
  SourceRange range;    // where the property/scenario is declared
  Status status = Status::Unknown;
  Scope scope;
  /// Properties: proved for every instance, whatever its size (an unbounded
  /// proof, solver/unbounded.h), not only within `scope`.
  bool unbounded = false;
  /// Properties answered within `scope` only: what the attempt for every size
  /// gave instead ("unknown: timeout after 10 s", "not tried (--bounded)");
  /// empty when `unbounded`, and for other kinds of check.
  std::string unbounded_note;

  std::optional<Instance> instance;  // counterexample (violated) or completed scenario (allowed)
  bool minimal = false;        // instance has the fewest entities possible within scope
  std::vector<std::string> explanation;  // why the property fails on the instance (evaluator's words)
  /// The property's `message` filled in for the violating binding; empty without one.
  std::string message;

  std::vector<int> core;       // rule ids: minimal conflicting set (inconsistent / forbidden), or a proof's rules
  /// Proved properties: `core` holds the rules the proof needs, taken from
  /// the query that proved it and checked sufficient by a query of its own
  /// (empty: the vocabulary alone proves it, no rule needed). False when no
  /// core was asked for (SolveOptions::proof_cores).
  bool proof_core = false;
  /// `core` is minimal: without any one of its rules the query is no longer
  /// unsat (it is sat, or undecided in the time each step had). False also
  /// when minimising ran out of time: `core` is then sufficient, not minimal.
  bool core_minimal = false;
  std::optional<CoreSearch> core_search;  // forbidden scenarios, see CoreSearch
  std::optional<CoreList> all_cores;      // forbidden scenarios with --all-cores
  std::vector<std::string> core_facts;  // forbidden scenario: the facts the core rules need ("R1.country = US")
  std::vector<RepairStep> repair;
  /// Properties (ids) the repaired scenario violates, re-checked by the
  /// evaluator: a repair that lands in a known gap (or breaks a property) says so.
  std::vector<int> repair_violates;
  /// A forbidden scenario whose repair was searched but has no steps: why
  /// ("none found within the time budget", ...). Empty when none was asked.
  std::string repair_missing;

  // Expectations written in the spec (property `expect`, scenario `expect`).
  std::optional<Status> expected;
  std::vector<std::string> expected_by;
  /// True when the result is what the spec expects (or is a success when it
  /// states no expectation). `expected_by` is checked by the producer, which
  /// clears `by_matches` when a named rule is missing from the core.
  bool by_matches = true;
  bool meets_expectation() const {
    if (expected) return *expected == status && by_matches;
    if (kind == Kind::Scenario) return true;  // no expectation: informational only
    return status == Status::Proved || status == Status::Consistent || status == Status::Allowed;
  }

  std::string unknown_reason;  // Z3's reason_unknown() or the timeout
  double time_ms = 0;          // solver + encoding time of this check

  /// A scope sweep's step (`prove --scope 2..4`, model/sweep.h): the
  /// all-kinds bound it was checked at, within that scope only. 0 outside a
  /// sweep, and for a sweep's attempt for every size.
  int sweep_bound = 0;
  /// Only in the view the reports write of a sweep (sweep_view): this is the
  /// check's deciding result, and these are all its steps, in bound order,
  /// the attempt for every size last.
  std::vector<SweepStep> sweep_steps;
};

/// A check the run never reached because it was interrupted.
struct NotRun {
  CheckResult::Kind kind = CheckResult::Kind::Property;
  std::string name;
  SourceRange range;
  int sweep_bound = 0;  // as CheckResult::sweep_bound
};

/// One finding of `cspverify lint` (docs/lint.md): a warning, an error with --strict.
struct LintFinding {
  std::string id;            // "redundant-rule", "vacuous-rule", "unused-define", ... (docs/lint.md)
  std::string subject;       // the declaration's name: `same_group`, `Partner.onboarded`
  model::SourceRange range;  // the declaration it is about
  std::string message;       // one sentence, names in backticks
  /// Rule ids: the implying set (redundant), the blocking rules (vacuous).
  std::vector<int> rules;
  /// Solver-based findings: "for every size" or "within scope Partner=3, ..."; empty otherwise.
  std::string bound;
};

/// A lint check the solver could not decide: reported as such, never as a finding.
struct LintUndecided {
  std::string check;         // the finding it could have been: "redundant-rule", "unneeded-rule", ...
  std::string subject;
  model::SourceRange range;
  std::string reason;        // "timeout after 10 s", "property `p`'s proof: unknown (timeout)"
};

/// Which scenarios exercise a rule (docs/lint.md, Scenario coverage).
struct RuleCoverage {
  int rule_id = -1;
  std::vector<std::string> forbidding;  // forbidden scenarios with the rule in their core
  std::vector<std::string> applying;    // allowed scenarios whose instance makes the rule's premise hold
  bool covered() const { return !forbidding.empty() || !applying.empty(); }
};

struct LintReport {
  bool strict = false;  // findings are errors: the run fails on any
  std::vector<LintFinding> findings;
  std::vector<LintUndecided> undecided;
  std::vector<RuleCoverage> coverage;  // one per rule, in rule order
  /// Scenarios whose verdict was unknown: they cover nothing, and make
  /// "no scenario needs it" undecidable.
  int scenarios_unknown = 0;
  /// Why the solver's checks (redundant, vacuous, unneeded) did not run ("" when they did).
  std::string solver_checks_skipped;
  int covered_rules() const {
    int n = 0;
    for (const auto& c : coverage) n += c.covered() ? 1 : 0;
    return n;
  }
};

/// A sharded run's place (docs/sharding.md): written in its JSON report,
/// read back by `cspverify merge`.
struct ShardInfo {
  unsigned index = 0;
  unsigned count = 1;
  std::vector<std::string> items;  // the work items this shard owns (work_item_id), in run order
  std::string specs_hash;          // of every loaded file's contents, in load order
  /// The options that change results or their report, as given (option -> value), sorted.
  std::vector<std::pair<std::string, std::string>> options;
};

/// A work item's id, stable across edits that move declarations:
/// "consistency", "property:NAME", "scenario:NAME", "lint"; a scope sweep's
/// step adds its bound ("consistency@3", "property:NAME@3"). `kind` as in the
/// JSON report ("consistency", "property", "scenario").
inline std::string work_item_id(const std::string& kind, const std::string& name, int sweep_bound = 0) {
  std::string id = kind == "consistency" || kind == "lint" ? kind : kind + ":" + name;
  return sweep_bound > 0 ? id + "@" + std::to_string(sweep_bound) : id;
}

struct RunReport {
  std::string command;         // "prove", "check", "verify", "diff", "lint"
  std::vector<std::string> inputs;
  std::vector<CheckResult> results;
  std::string z3_version;
  /// The signal (SIGINT, SIGTERM) that stopped the run early, else 0. Then
  /// `results` holds what finished and `not_run` what never started.
  int interrupted_by = 0;
  std::vector<NotRun> not_run;
  /// `lint`, and `verify` (which lints too); nullopt for other commands.
  std::optional<LintReport> lint;
  /// A shard's report (--shard): which shard, what it owns; nullopt otherwise.
  std::optional<ShardInfo> shard;
  /// A scope sweep (`prove --scope 2..4`): the all-kinds bound of each step,
  /// increasing; empty otherwise. `results` then holds every step of every
  /// check (model/sweep.h derives each check's verdict).
  std::vector<int> sweep;
  /// The reports' view of a sweep (model/sweep.h, sweep_view): `results` holds
  /// each check's deciding result, with its steps, instead of every step.
  bool sweep_view = false;
};

/// A sweep's exit code: exit_code over each check's deciding result (model/sweep.h).
int sweep_exit_code(const RunReport& report);

/// Exit code of a run: 0 all proved/as expected, 1 a violation, an inconsistency
/// or a missed expectation, 3 some unknown and nothing else wrong; 128 + the
/// signal (130, 143) when interrupted, as a shell reports a process it killed.
/// Lint findings count only with --strict: then a finding is a failure (1) and
/// an undecided lint check an unknown (3).
inline int exit_code(const RunReport& report) {
  if (report.interrupted_by != 0) return 128 + report.interrupted_by;
  if (!report.sweep.empty() && !report.sweep_view) return sweep_exit_code(report);
  bool unknown = false;
  if (report.lint && report.lint->strict) {
    if (!report.lint->findings.empty()) return 1;
    unknown = !report.lint->undecided.empty() || !report.lint->solver_checks_skipped.empty();
  }
  for (const auto& r : report.results) {
    if (r.status == Status::Unknown) {
      unknown = true;
      continue;
    }
    if (!r.meets_expectation()) return 1;
  }
  return unknown ? 3 : 0;
}

}  // namespace csp::model
