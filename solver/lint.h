// `cspverify lint` (docs/lint.md): rules implied by the others, rules whose
// premise never holds, rules no proof and no scenario needs, declarations
// nothing reads, and which rules the scenarios exercise. Z3 stays inside
// solver/; callers get a LintReport (model/result.h).
#pragma once

#include <vector>

#include "model/ast.h"
#include "model/scope.h"
#include "solver/prover.h"
#include "model/result.h"

namespace csp::solver {

using model::LintFinding;
using model::LintReport;
using model::LintUndecided;
using model::RuleCoverage;

/// Every lint check. `checked`: the run's own results (verify's prove and
/// check), whose property verdicts and scenario cores and instances lint
/// reuses; null: lint checks the scenarios itself. Solver questions are
/// asked for every size first (solver/unbounded.h), then within `scope`,
/// each within options.timeout_seconds. Stops early when a stop is requested
/// (model/stop.h); the caller reports the interruption.
LintReport lint(const model::Model& model, const model::Scope& scope, const SolveOptions& options,
                const std::vector<CheckResult>* checked = nullptr);

/// The rules some proof or scenario needs: the union of the given rule sets
/// (each proved property's minimal core, each forbidden scenario's core).
/// Kept apart so that cores prove computes itself can be passed in.
std::vector<bool> rules_needed(std::size_t rule_count, const std::vector<std::vector<int>>& cores);

}  // namespace csp::solver
