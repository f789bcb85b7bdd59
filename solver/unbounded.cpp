#include "solver/unbounded.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/evaluator.h"
#include "solver/query_log.h"
#include "solver/session.h"

namespace csp::solver {

using Clock = std::chrono::steady_clock;

UnboundedProver::UnboundedProver(const model::Model& model, const SolveOptions& options)
    : model_(model), options_(options) {}

UnboundedProver::~UnboundedProver() = default;

double UnboundedProver::budget_ms(unsigned timeout_seconds) {
  return std::min(timeout_seconds * 1000.0 / 4, 10000.0);
}

UnboundedProver::Outcome UnboundedProver::check(const model::FormulaDecl& property, double budget,
                                                QueryItem* queries) {
  Outcome outcome;
  auto deadline = Clock::now() + std::chrono::milliseconds(static_cast<long long>(std::max(budget, 1.0)));
  try {
    if (!session_ && encoding_error_.empty()) session_ = std::make_unique<Session>(model_, Session::Unbounded{}, deadline);
  } catch (const encoder::DeadlineExceeded& e) {
    encoding_error_ = e.what();
  }
  if (!session_) {
    outcome.reason = encoding_error_;
    return outcome;
  }
  session_->encoder().set_deadline(deadline);
  session_->push();
  try {
    session_->add(!session_->encoder().formula(property));
  } catch (const encoder::DeadlineExceeded& e) {
    session_->pop();
    outcome.reason = e.what();
    return outcome;
  }
  session_->flush_axioms();
  if (queries) queries->asking("unbounded", "", budget, [&]() { return session_->to_smt2(session_->all_rules()); });
  Answer answer = session_->check(session_->all_rules(), budget);
  if (queries) queries->answered(answer);
  switch (answer) {
    case Answer::Unsat:
      outcome.answer = Outcome::Answer::Proved;
      if (options_.proof_cores) {
        outcome.core = proof_core(*session_, proof_core_budget_ms(options_.timeout_seconds), queries);
      }
      break;
    case Answer::Sat: outcome = violated(property); break;
    case Answer::Unknown: outcome.reason = session_->unknown_reason(budget / 1000); break;
  }
  session_->pop();
  return outcome;
}

// Z3 answers sat with a finite model. Decoded, it is an instance like any
// other, and only the evaluator's confirmation makes it a counterexample; one
// it does not confirm (a model that leans on an interpretation the language
// cannot express) only means the unbounded attempt decided nothing.
UnboundedProver::Outcome UnboundedProver::violated(const model::FormulaDecl& property) {
  Outcome outcome;
  try {
    model::Instance instance = session_->encoder().decode(session_->model());
    model::Evaluator evaluator(model_, instance);
    if (evaluator.well_formed() && evaluator.violated_rules().empty() && !evaluator.holds(property)) {
      outcome.answer = Outcome::Answer::Violated;
      outcome.instance = std::move(instance);
      return outcome;
    }
    outcome.reason = "the solver's instance of unbounded size was not confirmed by the evaluator";
  } catch (const std::exception& e) {
    outcome.reason = fmt::format("the solver's instance of unbounded size could not be read: {}", e.what());
  }
  return outcome;
}

}  // namespace csp::solver
