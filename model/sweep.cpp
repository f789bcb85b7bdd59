#include "model/sweep.h"

#include <algorithm>
#include <climits>
#include <map>
#include <utility>

#include <fmt/format.h>

namespace csp::model {

namespace {

bool finds_something(Status status) {
  return status == Status::Violated || status == Status::Vacuous || status == Status::Inconsistent;
}

// See the header. A counterexample within one scope is one within every
// larger scope, so the smallest scope that has one comes first. Consistency
// and non-vacuity hold from some scope up (a larger scope only adds
// instances), so inconsistency or vacuity at a small scope says only that it
// is too small: the largest step's answer decides. A proof for every size
// covers every scope, undecided steps included.
const CheckResult* deciding_result(const std::vector<const CheckResult*>& steps, const CheckResult* for_every_size) {
  for (const auto* step : steps) {
    if (step->status == Status::Violated) return step;
  }
  if (for_every_size && for_every_size->status == Status::Violated) return for_every_size;
  if (for_every_size && for_every_size->status == Status::Proved) return for_every_size;
  if (steps.empty()) return for_every_size;
  const CheckResult* largest = steps.back();
  if (largest->status == Status::Vacuous || largest->status == Status::Inconsistent) return largest;
  for (const auto* step : steps) {
    if (step->status == Status::Unknown) return step;
  }
  return largest;
}

SweepStep step_of(const CheckResult& result) {
  SweepStep step;
  step.bound = result.sweep_bound;
  step.status = result.status;
  step.unbounded = result.unbounded;
  step.unknown_reason = result.unknown_reason;
  step.time_ms = result.time_ms;
  return step;
}

}  // namespace

int sweep_rank(int sweep_bound) { return sweep_bound > 0 ? sweep_bound : INT_MAX; }

std::vector<CheckResult> sweep_verdicts(const RunReport& report) {
  // The checks in the order their first result comes, each with its results.
  std::vector<std::pair<CheckResult::Kind, std::string>> order;
  std::map<std::pair<CheckResult::Kind, std::string>, std::vector<const CheckResult*>> checks;
  for (const auto& result : report.results) {
    auto key = std::make_pair(result.kind, result.name);
    auto [it, fresh] = checks.try_emplace(key);
    if (fresh) order.push_back(key);
    it->second.push_back(&result);
  }
  std::vector<CheckResult> verdicts;
  for (const auto& key : order) {
    std::vector<const CheckResult*> results = checks[key];
    std::stable_sort(results.begin(), results.end(), [](const CheckResult* a, const CheckResult* b) {
      return sweep_rank(a->sweep_bound) < sweep_rank(b->sweep_bound);
    });
    std::vector<const CheckResult*> steps;
    const CheckResult* for_every_size = nullptr;
    for (const auto* result : results) {
      if (result->sweep_bound > 0) {
        steps.push_back(result);
      } else {
        for_every_size = result;
      }
    }
    CheckResult verdict = *deciding_result(steps, for_every_size);
    for (const auto* result : results) verdict.sweep_steps.push_back(step_of(*result));
    verdicts.push_back(std::move(verdict));
  }
  return verdicts;
}

RunReport sweep_view(const RunReport& report) {
  RunReport view = report;
  view.results = sweep_verdicts(report);
  view.sweep_view = true;
  return view;
}

int sweep_exit_code(const RunReport& report) { return exit_code(sweep_view(report)); }

std::string sweep_bounds_text(const std::vector<int>& bounds) { return fmt::format("{}", fmt::join(bounds, ", ")); }

}  // namespace csp::model
