#include "solver/cores.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/stop.h"
#include "solver/query_log.h"

namespace csp::solver {

using Clock = std::chrono::steady_clock;

// A quarter of the check, as the attempt for every size gets, and at most
// 5 s: on the shipped specs a proof core takes a few steps of milliseconds.
double proof_core_budget_ms(unsigned timeout_seconds) { return std::min(timeout_seconds * 1000.0 / 4, 5000.0); }

namespace {

double ms_until(Clock::time_point deadline) {
  return std::chrono::duration<double, std::milli>(deadline - Clock::now()).count();
}

std::vector<int> rule_ids(const Session& session, const std::vector<z3::expr>& literals) {
  std::vector<int> ids;
  for (const auto& literal : literals) {
    int r = session.rule_of(literal);
    if (r >= 0) ids.push_back(r);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

// The proof's core on the tracking solver (the rules its unsat answer
// used), then deletion over it, each step bounded, on the same solver; the
// set returned is one a check answered unsat itself. Logged as a query of
// its own when it is smaller than every rule.
ProofCore proof_core(Session& session, double budget_ms, QueryItem* queries) {
  auto start = Clock::now();
  std::vector<z3::expr> every;
  for (int r : session.all_rules()) every.push_back(session.rule_indicator(r));
  Session::ShrinkOptions options;
  options.step_ms = kProofCoreStepMs;
  options.keep_undecided = true;
  options.core_first = true;
  options.verify = true;
  Session::Shrunk shrunk = session.shrink(every, {}, budget_ms, options);
  ProofCore found{rule_ids(session, shrunk.literals), shrunk.minimal};
  if (queries && found.rules.size() < every.size()) {
    double left = budget_ms - std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    queries->asking("core", "", std::max(left, 1.0), [&]() { return session.to_smt2(found.rules); });
    queries->answered(Answer::Unsat);
  }
  return found;
}

CoreExplorer::CoreExplorer(Session& session, std::vector<z3::expr> literals, std::vector<z3::expr> keep)
    : session_(session), literals_(std::move(literals)), keep_(std::move(keep)), map_(session.context()) {
  for (std::size_t i = 0; i < literals_.size(); ++i) {
    map_vars_.push_back(session.context().bool_const(fmt::format("map!{}", i).c_str()));
  }
}

void CoreExplorer::require(const std::vector<std::vector<z3::expr>>& groups) {
  for (const auto& group : groups) {
    std::vector<int> members = indices(group);
    z3::expr_vector any(session_.context());
    for (int i : members) any.push_back(map_vars_[i]);
    map_.add(z3::mk_or(any));  // an empty group: no seed at all
    required_.push_back(std::move(members));
  }
}

void CoreExplorer::known(const std::vector<z3::expr>& core) { block_up(indices(core)); }

std::vector<int> CoreExplorer::indices(const std::vector<z3::expr>& subset) const {
  std::vector<int> out;
  for (std::size_t i = 0; i < literals_.size(); ++i) {
    bool in = std::any_of(subset.begin(), subset.end(), [&](const z3::expr& e) { return z3::eq(e, literals_[i]); });
    if (in) out.push_back(static_cast<int>(i));
  }
  return out;
}

std::vector<z3::expr> CoreExplorer::assumptions(const std::vector<int>& subset) const {
  std::vector<z3::expr> out = keep_;
  for (int i : subset) out.push_back(literals_[i]);
  return out;
}

bool CoreExplorer::meets_requirement(const std::vector<int>& core) const {
  return std::all_of(required_.begin(), required_.end(), [&](const std::vector<int>& group) {
    return std::any_of(group.begin(), group.end(),
                       [&](int i) { return std::find(core.begin(), core.end(), i) != core.end(); });
  });
}

// No later seed may lie inside `satisfiable`: each of its subsets is
// satisfiable too, so none holds a core.
void CoreExplorer::block_down(const std::vector<int>& satisfiable) {
  z3::expr_vector outside(session_.context());
  for (std::size_t i = 0; i < literals_.size(); ++i) {
    if (std::find(satisfiable.begin(), satisfiable.end(), static_cast<int>(i)) == satisfiable.end()) {
      outside.push_back(map_vars_[i]);
    }
  }
  map_.add(z3::mk_or(outside));
}

// No later seed may contain `core`: each superset of an unsat set is unsat,
// and no other minimal core is a superset of it.
void CoreExplorer::block_up(const std::vector<int>& core) {
  z3::expr_vector missing(session_.context());
  for (int i : core) missing.push_back(!map_vars_[i]);
  map_.add(z3::mk_or(missing));
}

bool CoreExplorer::is_required(int literal) const {
  return std::any_of(required_.begin(), required_.end(), [&](const std::vector<int>& group) {
    return std::find(group.begin(), group.end(), literal) != group.end();
  });
}

std::string CoreExplorer::undecided_reason() const {
  std::string reason = session_.reason_unknown();
  return reason == "timeout" || reason == "canceled" ? "the time ran out" : reason;
}

void CoreExplorer::stop(std::string reason) {
  stopped_ = true;
  reason_ = std::move(reason);
}

// A seed the map allows, made maximal: adding any literal would take in a
// known core (every other clause of the map only asks for literals), so a
// satisfiable maximal seed is a maximal satisfiable set and needs no growing.
std::vector<int> CoreExplorer::seed() {
  std::vector<int> chosen;
  if (map_.check() != z3::sat) {
    complete_ = true;
    return chosen;
  }
  z3::model m = map_.get_model();
  std::vector<bool> in(literals_.size());
  for (std::size_t i = 0; i < literals_.size(); ++i) in[i] = m.eval(map_vars_[i], true).is_true();
  for (std::size_t i = 0; i < literals_.size(); ++i) {
    if (in[i]) continue;
    z3::expr_vector trial(session_.context());
    for (std::size_t j = 0; j < literals_.size(); ++j) {
      if (in[j] || j == i) trial.push_back(map_vars_[j]);
    }
    if (map_.check(trial) == z3::sat) in[i] = true;
  }
  for (std::size_t i = 0; i < literals_.size(); ++i) {
    if (in[i]) chosen.push_back(static_cast<int>(i));
  }
  return chosen;
}

std::optional<std::vector<z3::expr>> CoreExplorer::next(Clock::time_point deadline) {
  while (!complete_ && !stopped_) {
    if (model::stop_requested()) {
      stop(model::interrupted_reason());
      break;
    }
    if (ms_until(deadline) <= 0) {
      stop("the time ran out");
      break;
    }
    std::vector<int> seed_indices = seed();
    if (complete_) break;
    Answer answer = session_.check_assuming(assumptions(seed_indices), ms_until(deadline));
    if (answer == Answer::Unknown) {
      stop(undecided_reason());
      break;
    }
    if (answer == Answer::Sat) {
      block_down(seed_indices);
      continue;
    }
    // Shrink the seed's core with the required literals tried last, so that
    // a core with them is what deletion tends to leave.
    std::vector<int> core = indices(session_.core());
    std::stable_partition(core.begin(), core.end(), [&](int i) { return !is_required(i); });
    std::vector<z3::expr> ordered;
    for (int i : core) ordered.push_back(literals_[i]);
    Session::Shrunk shrunk = session_.shrink(ordered, keep_, ms_until(deadline), {});
    std::vector<int> minimal = indices(shrunk.literals);
    block_up(minimal);  // unsat, minimal or not: no seed need hold it again
    if (!shrunk.minimal) {
      stop(undecided_reason());
      break;
    }
    if (meets_requirement(minimal)) return shrunk.literals;
  }
  return std::nullopt;
}

}  // namespace csp::solver
