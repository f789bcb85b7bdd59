#include "solver/int_range.h"

#include <fmt/format.h>

#include "model/stop.h"
#include "solver/session.h"

namespace csp::solver {

std::string evaluation_out_of_range(const model::IntOutOfRange& error, const model::SourceManager* sources) {
  if (!sources || !error.where().valid()) return error.what();
  return fmt::format("{} (at {})", error.what(), sources->where(error.where()));
}

std::string no_instance_in_range(const std::string& solver_reason) {
  std::string bound = fmt::format("2^53 ({})", kInstanceIntBound);
  if (solver_reason.empty()) {
    return fmt::format("an Int value outside the range the evaluator supports: every instance needs an Int or Date "
                       "value of magnitude above {}", bound);
  }
  return fmt::format("an Int value outside the range the evaluator supports: the search for an instance with no "
                     "Int or Date value of magnitude above {} was not decided ({})", bound, solver_reason);
}

// Asked only when a model does not fit: the bound in every shrinking query
// tripled the solver's time on the shipped specs at scope 5. It is tried
// behind a guard literal, so that without a model the frame means what it
// meant, and kept once it holds.
bool Session::fit_in_range(z3::model& model, double budget_ms, const model::ScenarioDecl* scenario) {
  z3::expr bounded = encoder_.value_bounds(kInstanceIntBound, scenario);
  if (model.eval(bounded, true).is_true()) return true;
  z3::expr guard = ctx_.bool_const(fmt::format("in_range!{}", fresh_++).c_str());
  add(z3::implies(guard, bounded));
  std::vector<z3::expr> assumptions = last_assumptions_;
  assumptions.push_back(guard);
  Answer answer = check_assuming(assumptions, budget_ms);
  if (answer != Answer::Sat) {
    // A stopped run says only that, as every check in flight does.
    if (!model::stop_requested()) last_reason_ = no_instance_in_range(answer == Answer::Unsat ? "" : last_reason_);
    return false;
  }
  model = *model_;
  add(guard);
  return true;
}

}  // namespace csp::solver
