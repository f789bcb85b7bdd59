#include "model/diff_result.h"

namespace csp::model {

bool CheckPair::changed() const { return !base || !proposed || base->status != proposed->status; }

void CheckPair::classify() {
  // A failure is a verdict off its expectation; an unknown is no verdict.
  auto failed = [](const std::optional<CheckResult>& r) {
    return r && r->status != Status::Unknown && !r->meets_expectation();
  };
  bool base_failed = failed(base);
  regression = failed(proposed) && !base_failed;
  unknown = proposed && proposed->status == Status::Unknown && !base_failed;
}

const char* distinct_name(Witness::Distinct distinct) {
  switch (distinct) {
    case Witness::Distinct::First: return "first";
    case Witness::Distinct::Rule: return "rule";
    case Witness::Distinct::Clause: return "clause";
    case Witness::Distinct::Shape: return "shape";
  }
  return "first";
}

const char* expectation_name(DiffExpectation expectation) {
  switch (expectation) {
    case DiffExpectation::Equivalent: return "equivalent";
    case DiffExpectation::Tightening: return "tightening";
    case DiffExpectation::Widening: return "widening";
  }
  return "equivalent";
}

bool DiffReport::expectation_forbids(bool newly_allowed) const {
  if (!expected) return false;
  switch (*expected) {
    case DiffExpectation::Equivalent: return true;
    case DiffExpectation::Tightening: return newly_allowed;
    case DiffExpectation::Widening: return !newly_allowed;
  }
  return false;
}

bool DiffReport::meets_expectation() const {
  if (!expected) return true;
  bool allows = semantic.newly_allowed.answer == Difference::Answer::Found;
  bool forbids = semantic.newly_forbidden.answer == Difference::Answer::Found;
  switch (*expected) {
    case DiffExpectation::Equivalent: return !allows && !forbids;
    case DiffExpectation::Tightening: return !allows;
    case DiffExpectation::Widening: return !forbids;
  }
  return true;
}

int DiffReport::exit_code() const {
  if (interrupted_by != 0) return 128 + interrupted_by;
  if (!meets_expectation()) return 1;
  auto undecided = [](const Difference& d) { return d.answer == Difference::Answer::Unknown && !d.elsewhere; };
  bool unknown = undecided(semantic.newly_allowed) || undecided(semantic.newly_forbidden);
  for (const auto& pair : checks) {
    if (pair.regression) return 1;
    unknown = unknown || pair.unknown;
  }
  return unknown ? 3 : 0;
}

}  // namespace csp::model
