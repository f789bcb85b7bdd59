// Running a scope sweep (`cspverify prove --scope 2..4`, model/sweep.h):
// its work items, each a step of one check at one bound or a property's
// attempt for every size, and the run of those a process owns.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/result.h"
#include "model/scope.h"
#include "solver/prover.h"

namespace csp::cli {

struct SweepItem {
  model::CheckResult::Kind kind = model::CheckResult::Kind::Property;
  int decl = -1;   // the property's id; -1 for the consistency check
  int bound = 0;   // the step's all-kinds bound; 0: the attempt for every size
  std::string id;  // its work item id: "consistency@3", "property:p@3", "property:p"
};

/// A sweep's work items in run order: the consistency check at each bound,
/// then per property (only `only` when not empty) its steps and, when
/// `for_every_size`, its attempt for every size.
std::vector<SweepItem> sweep_items(const model::Model& model, const std::vector<int>& bounds, bool for_every_size,
                                   const std::string& only);

/// The results of the `items` that `owns` (by id), in the order of `items`:
/// each step bounded at its scope (`overrides` with the step's bound for
/// every kind), each attempt for every size with the largest step's scope.
/// Stops between checks when the run is stopped; `not_run` then lists the
/// owned items it never reached.
std::vector<model::CheckResult> run_sweep(const model::Model& model, const model::ScopeOverrides& overrides,
                                          const solver::SolveOptions& options, const std::vector<SweepItem>& items,
                                          const std::function<bool(const std::string&)>& owns,
                                          std::vector<model::NotRun>* not_run);

}  // namespace csp::cli
