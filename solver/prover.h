// Running the checks: consistency of the rules, each property, each scenario.
// Z3 stays inside solver/ and encoder/; callers get CheckResults.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/scope.h"
#include "model/result.h"

namespace csp::solver {

// The results are declared in model/result.h (reports/ reads them without
// the solver); they are the solver's answers, named here too.
using model::CheckResult;
using model::CoreList;
using model::CoreRule;
using model::CoreSearch;
using model::NotRun;
using model::RepairStep;
using model::RunReport;
using model::Status;
using model::exit_code;
using model::status_name;


class QueryLog;  // solver/query_log.h

struct SolveOptions {
  unsigned timeout_seconds = 60;  // per property or scenario, minimisation included
  /// Each query that decides a verdict is written there as SMT-LIB 2 (and
  /// listed for a cross-check) when not null; the caller owns it.
  QueryLog* queries = nullptr;
  bool minimize = true;           // search for the counterexample with the fewest entities
  /// Scenarios: compute the minimal core and the repair of a forbidden one.
  /// Off gives the verdict alone (the mutation test asks thousands of them).
  bool explain = true;
  /// Scenarios, with explain: also the facts a forbidden scenario's core
  /// needs and its repair. Off keeps the core rules (an `expect forbidden by`
  /// needs them); diff asks for the rest only where a verdict changes.
  bool repair = true;
  /// Quantifiers are expanded to ground terms while that makes at most this
  /// many copies of the body in total (0: keep them; bench/ measured it fastest).
  std::size_t ground_limit = 0;
  /// prove: try each property for every size first (solver/unbounded.h);
  /// false checks within the scope only (--bounded).
  bool unbounded = true;
  /// Proved properties: the rules each proof needs (solver/cores.h), from
  /// the query that proved it, minimised within a share of the timeout.
  bool proof_cores = true;
  /// Forbidden scenarios, with explain: every minimal core, at most
  /// `max_cores` of them, within half the time the scenario has left (--all-cores).
  bool all_cores = false;
  unsigned max_cores = 10;
  /// diff: distinct witnesses to search for per direction (`--witnesses`).
  unsigned witnesses = 1;
  /// A progress display (the CLI's line on a terminal), told from any thread.
  struct Progress {
    std::function<void()> check_done;                    // a consistency, property or scenario check ended
    std::function<void(const std::string& step)> step;  // diff: "newly allowed: witness 2", ...
  };
  Progress progress;
  /// Independent checks (scenarios) run on this many threads, each with a Z3
  /// context of its own; 0: one per hardware thread. Results keep spec order.
  unsigned jobs = 0;
  /// Where the spec's files are, for locations in reasons ("at f.cspv:3:14");
  /// null: reasons without locations.
  const model::SourceManager* sources = nullptr;
};

/// A broken invariant inside the tool (e.g. the evaluator does not confirm a
/// counterexample). Never a verdict: the CLI reports it and exits with 4.
class InternalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An output the user asked for (a --dump-smt2 file, see QueryLog) could not be written,
/// e.g. the disk is full. Not a bug: the CLI reports it and exits with 2.
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The rules' consistency check, then every property (or only `only`).
std::vector<CheckResult> prove(const model::Model& model, const model::Scope& scope,
                               const SolveOptions& options,
                               const std::optional<std::string>& only = std::nullopt);

/// The consistency check, then the properties `properties` (ids, in this
/// order): a shard's share. The consistency check runs whether or not it is
/// reported (`report_consistency`), since each property's vacuity check
/// depends on its answer.
std::vector<CheckResult> prove_selected(const model::Model& model, const model::Scope& scope,
                                        const SolveOptions& options, const std::vector<int>& properties,
                                        bool report_consistency);

/// A scope sweep's attempt for every size of property `property` (id;
/// model/sweep.h): the attempt prove makes first, with the same share of
/// the timeout. Proved for every size; or violated, its counterexample shrunk
/// within a scope that holds it and `scope` (the sweep's largest), re-checked
/// by the evaluator; or unknown with the reason.
CheckResult prove_for_every_size(const model::Model& model, const model::Scope& scope, const SolveOptions& options,
                                 int property);

/// Every scenario (or only `only`): allowed or forbidden, with instance, core and repair.
std::vector<CheckResult> check_scenarios(const model::Model& model, const SolveOptions& options,
                                         const std::optional<std::string>& only = std::nullopt);

/// The scenarios `selected` (ids), results in that order.
std::vector<CheckResult> check_selected_scenarios(const model::Model& model, const SolveOptions& options,
                                                  const std::vector<int>& selected);

/// The verdict of scenario `id` with each (kind id, attribute id) of
/// `attributes`, which must be optional, `none` on every entity of that kind
/// the scenario leaves it unset on: whether an `allowed` rests on free
/// values the scenario never wrote (diff's unset-attribute warning). Unknown
/// when undecided. Not re-checked by the evaluator: a warning, not a verdict.
Status scenario_verdict_with_unset_none(const model::Model& model, int id,
                                        const std::vector<std::pair<int, int>>& attributes,
                                        const SolveOptions& options);

/// Time spent inside Z3's check() since the process started, and how many
/// queries that was (for --stats and bench/: cspverify's own time is the rest).
struct SolverStats {
  double solver_ms = 0;
  int queries = 0;
  std::uint64_t conflicts = 0;                   // Z3's own counters, summed over the queries
  std::uint64_t quantifier_instantiations = 0;
};
SolverStats solver_stats();

/// "4.8.12" — recorded in reports.
std::string z3_version();

}  // namespace csp::solver
