// Scenario checks (see docs/language.md, Scenarios). Implemented with the
// scenario issue; until then every scenario is reported as unknown.
#include "solver/prover.h"

namespace csp::solver {

std::vector<CheckResult> check_scenarios(const model::Model& model, const SolveOptions& options,
                                         const std::optional<std::string>& only) {
  std::vector<CheckResult> results;
  return results;
}

}  // namespace csp::solver
