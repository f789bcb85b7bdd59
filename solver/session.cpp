#include "solver/session.h"

#include <algorithm>

#include <fmt/format.h>

#include "solver/prover.h"

namespace csp::solver {

namespace {
SolverStats g_stats;  // process-wide: --stats reports one number per run

bool same(const z3::expr& a, const z3::expr& b) { return z3::eq(a, b); }
}  // namespace

SolverStats solver_stats() { return g_stats; }

void record_solver_time(double ms) {
  g_stats.solver_ms += ms;
  ++g_stats.queries;
}

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Session::Session(const model::Model& model, const model::Scope& scope, std::size_t ground_limit)
    : model_spec_(model), encoder_(ctx_, model, scope) {
  encoder_.set_ground_limit(ground_limit);
  frames_.emplace_back();
  for (const auto& axiom : encoder_.background()) add(axiom);
  for (const auto& rule : model.rules) {
    indicators_.push_back(ctx_.bool_const(fmt::format("rule!{}", rule.name).c_str()));
    rule_bodies_.push_back(encoder_.formula(rule));
  }
  flush_axioms();
}

void Session::flush_axioms() {
  for (const auto& axiom : encoder_.take_new_axioms()) frames_.front().push_back(axiom);
}

std::vector<int> Session::all_rules() const {
  std::vector<int> ids(model_spec_.rules.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int>(i);
  return ids;
}

int Session::rule_of(const z3::expr& literal) const {
  for (std::size_t r = 0; r < indicators_.size(); ++r) {
    if (same(literal, indicators_[r])) return static_cast<int>(r);
  }
  return -1;
}

z3::solver Session::fresh_solver(const std::vector<z3::expr>& assumptions) {
  z3::solver s(ctx_);
  for (const auto& frame : frames_) {
    for (const auto& e : frame) s.add(e);
  }
  for (const auto& a : assumptions) {
    int r = rule_of(a);
    s.add(r >= 0 ? rule_bodies_[r] : a);
  }
  return s;
}

Answer Session::check(const std::vector<int>& rules, double budget_ms) {
  std::vector<z3::expr> assumptions;
  for (int r : rules) assumptions.push_back(indicators_[r]);
  return check_assuming(assumptions, budget_ms);
}

// Z3's time on one query varies enormously with its random seed (measured:
// 0.09 s to 9.4 s on the same CSP query). So a check is a series of
// attempts, each with a new seed and twice the resource limit of the one
// before. Resource units count work, not time, so which attempt answers does
// not depend on the machine: runs stay reproducible. The wall-clock budget
// (--timeout) still bounds the whole series.
Answer Session::check_assuming(const std::vector<z3::expr>& assumptions, double budget_ms) {
  constexpr unsigned kFirstResourceLimit = 500000;  // a few tenths of a second
  constexpr unsigned kLimitedAttempts = 8;           // the last attempt is unlimited
  auto start = std::chrono::steady_clock::now();
  last_assumptions_ = assumptions;
  model_.reset();
  for (unsigned attempt = 0;; ++attempt) {
    bool last = attempt >= kLimitedAttempts;
    z3::solver s = fresh_solver(assumptions);
    z3::params p(ctx_);
    p.set("timeout", static_cast<unsigned>(std::max(1.0, budget_ms - elapsed_ms(start))));
    p.set("random_seed", attempt);
    p.set("rlimit", last ? 0u : kFirstResourceLimit << attempt);
    s.set(p);
    auto attempt_start = std::chrono::steady_clock::now();
    z3::check_result answer = s.check();
    record_solver_time(elapsed_ms(attempt_start));
    switch (answer) {
      case z3::sat: model_ = s.get_model(); return Answer::Sat;
      case z3::unsat: return Answer::Unsat;
      case z3::unknown: break;
    }
    last_reason_ = s.reason_unknown();
    // Z3 4.8 reports an exhausted resource limit as "canceled", like a timeout.
    bool out_of_resources = last_reason_.find("resource") != std::string::npos || last_reason_ == "canceled";
    if (last || !out_of_resources || elapsed_ms(start) >= budget_ms) return Answer::Unknown;
  }
}

std::vector<z3::expr> Session::core() {
  // Only now are the assumptions tracked, on a solver of their own.
  z3::solver s(ctx_);
  for (const auto& frame : frames_) {
    for (const auto& e : frame) s.add(e);
  }
  z3::expr_vector literals(ctx_);
  for (const auto& a : last_assumptions_) {
    int r = rule_of(a);
    if (r >= 0) s.add(z3::implies(a, rule_bodies_[r]));
    literals.push_back(a);
  }
  std::vector<z3::expr> out;
  auto start = std::chrono::steady_clock::now();
  z3::check_result answer = s.check(literals);
  record_solver_time(elapsed_ms(start));
  if (answer != z3::unsat) return last_assumptions_;  // no core found: every assumption
  for (const auto& literal : s.unsat_core()) out.push_back(literal);
  return out;
}

std::vector<int> Session::core_rules() {
  std::vector<int> out;
  for (const auto& literal : core()) {
    int r = rule_of(literal);
    if (r >= 0) out.push_back(r);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::vector<z3::expr>> Session::minimise(std::vector<z3::expr> literals,
                                                       const std::vector<z3::expr>& keep,
                                                       double budget_ms) {
  auto start = std::chrono::steady_clock::now();
  // A literal found necessary stays necessary for every subset (dropping
  // constraints only adds models), so one pass over the list suffices.
  for (std::size_t i = 0; i < literals.size();) {
    std::vector<z3::expr> trial = keep;
    for (std::size_t j = 0; j < literals.size(); ++j) {
      if (j != i) trial.push_back(literals[j]);
    }
    switch (check_assuming(trial, budget_ms - elapsed_ms(start))) {
      case Answer::Unsat: literals.erase(literals.begin() + static_cast<long>(i)); break;
      case Answer::Sat: ++i; break;
      case Answer::Unknown: return std::nullopt;
    }
  }
  return literals;
}

// Binary search on "at most k of them": a satisfiable k lowers the upper
// bound to the model's own count, an unsatisfiable one raises the lower
// bound. Cardinality constraints (atmost) are handled natively by Z3, unlike
// integer sums.
bool Session::shrink(const z3::expr_vector& literals, const std::vector<int>& rules, z3::model& best,
                     std::chrono::steady_clock::time_point deadline) {
  if (literals.empty()) return true;  // nothing to shrink (z3::atmost needs a literal)
  auto count = [&](const z3::model& m) {
    unsigned n = 0;
    for (const auto& l : literals) n += m.eval(l, true).is_true() ? 1 : 0;
    return n;
  };
  unsigned low = 0, high = count(best);  // the minimum lies in [low, high]
  bool proved = true;
  while (low < high) {
    unsigned mid = low + (high - low) / 2;
    push();
    add(z3::atmost(literals, mid));
    double budget = std::chrono::duration<double, std::milli>(deadline - std::chrono::steady_clock::now()).count();
    Answer answer = check(rules, budget);
    if (answer == Answer::Sat) best = model();
    pop();
    if (answer == Answer::Sat) high = std::min(mid, count(best));
    if (answer == Answer::Unsat) low = mid + 1;
    if (answer == Answer::Unknown) {
      proved = false;
      break;
    }
  }
  add(z3::atmost(literals, high));
  return proved;
}

std::optional<std::vector<int>> Session::minimise_core(std::vector<int> rules, double budget_ms) {
  std::vector<z3::expr> literals;
  for (int r : rules) literals.push_back(indicators_[r]);
  auto minimal = minimise(literals, {}, budget_ms);
  if (!minimal) return std::nullopt;
  std::vector<int> out;
  for (const auto& literal : *minimal) out.push_back(rule_of(literal));
  std::sort(out.begin(), out.end());
  return out;
}

z3::expr_vector Session::assertions() {
  z3::expr_vector out(ctx_);
  for (const auto& frame : frames_) {
    for (const auto& e : frame) out.push_back(e);
  }
  for (std::size_t r = 0; r < indicators_.size(); ++r) out.push_back(z3::implies(indicators_[r], rule_bodies_[r]));
  return out;
}

std::string Session::to_smt2(const std::vector<int>& rules) {
  std::vector<z3::expr> assumptions;
  for (int r : rules) assumptions.push_back(indicators_[r]);
  return fresh_solver(assumptions).to_smt2();
}

}  // namespace csp::solver
