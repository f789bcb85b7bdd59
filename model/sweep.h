// Scope sweeps (`cspverify prove --scope 2..4`): every property, and the
// rules' consistency, checked within each scope of the sweep in turn, each
// step bounded at its scope; unless --bounded, each property is also tried
// once for every size. Every step is a result of its own (and a work item
// of its own for --shard); a check's verdict over the sweep is that of its
// deciding result: the first step (smallest scope) that finds a
// counterexample, else a counterexample the attempt for every size found
// beyond every scope, else the proof for every size, else the largest step
// when it is vacuous or inconsistent, else the first step left unknown,
// else the largest step.
#pragma once

#include <string>
#include <vector>

#include "model/result.h"

namespace csp::model {

/// Where a step comes among its check's steps: by bound, the attempt for
/// every size (bound 0) last.
int sweep_rank(int sweep_bound);

/// Each check's deciding result, in run order, with every step of the check
/// in `sweep_steps`.
std::vector<CheckResult> sweep_verdicts(const RunReport& report);

/// The report the writers lay out for a sweep: `results` are the deciding
/// results (sweep_verdicts), `sweep_view` is set; the rest is `report`'s.
RunReport sweep_view(const RunReport& report);

/// "2, 3, 4": a sweep's bounds as the reports list them.
std::string sweep_bounds_text(const std::vector<int>& bounds);

}  // namespace csp::model
