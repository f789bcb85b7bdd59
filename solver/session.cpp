#include "solver/session.h"

#include <algorithm>

#include <fmt/format.h>

namespace csp::solver {

double elapsed_ms(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Session::Session(const model::Model& model, const model::Scope& scope)
    : model_(model), encoder_(ctx_, model, scope), solver_(ctx_) {
  z3::params p(ctx_);
  p.set("random_seed", 0u);  // runs repeat: same model, same counterexample
  solver_.set(p);
  for (const auto& axiom : encoder_.background()) solver_.add(axiom);
  for (std::size_t r = 0; r < model.rules.size(); ++r) {
    // (assert (=> rule!r body))  -- the indicator names the rule in unsat cores
    z3::expr indicator = ctx_.bool_const(fmt::format("rule!{}", model.rules[r].name).c_str());
    z3::expr body = encoder_.formula(model.rules[r]);
    indicators_.push_back(indicator);
    rule_bodies_.push_back(body);
    solver_.add(z3::implies(indicator, body));
  }
  flush_axioms();
}

void Session::flush_axioms() {
  for (const auto& axiom : encoder_.take_new_axioms()) solver_.add(axiom);
}

std::vector<int> Session::all_rules() const {
  std::vector<int> ids(model_.rules.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int>(i);
  return ids;
}

Answer Session::check(const std::vector<int>& rules, double budget_ms) {
  std::vector<z3::expr> assumptions;
  for (int r : rules) assumptions.push_back(indicators_[r]);
  return check_assuming(assumptions, budget_ms);
}

Answer Session::check_assuming(const std::vector<z3::expr>& assumptions, double budget_ms) {
  unsigned timeout = static_cast<unsigned>(std::max(1.0, budget_ms));
  z3::params p(ctx_);
  p.set("timeout", timeout);
  solver_.set(p);
  z3::expr_vector literals(ctx_);
  for (const auto& a : assumptions) literals.push_back(a);
  switch (solver_.check(literals)) {
    case z3::sat: return Answer::Sat;
    case z3::unsat: return Answer::Unsat;
    case z3::unknown: last_reason_ = solver_.reason_unknown(); return Answer::Unknown;
  }
  return Answer::Unknown;
}

std::vector<z3::expr> Session::core() const {
  std::vector<z3::expr> out;
  for (const auto& literal : solver_.unsat_core()) out.push_back(literal);
  return out;
}

int Session::rule_of(const z3::expr& literal) const {
  for (std::size_t r = 0; r < indicators_.size(); ++r) {
    if (z3::eq(literal, indicators_[r])) return static_cast<int>(r);
  }
  return -1;
}

std::vector<int> Session::core_rules() const {
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
  auto contains = [](const std::vector<z3::expr>& v, const z3::expr& e) {
    return std::any_of(v.begin(), v.end(), [&](const z3::expr& x) { return z3::eq(x, e); });
  };
  // A literal found necessary stays necessary for every subset (dropping
  // constraints only adds models), so one pass over the list suffices.
  for (std::size_t i = 0; i < literals.size();) {
    std::vector<z3::expr> trial = keep;
    for (std::size_t j = 0; j < literals.size(); ++j) {
      if (j != i) trial.push_back(literals[j]);
    }
    switch (check_assuming(trial, budget_ms - elapsed_ms(start))) {
      case Answer::Unsat: {
        std::vector<z3::expr> core_now = core();
        std::vector<z3::expr> kept;
        for (std::size_t j = 0; j < literals.size(); ++j) {
          if (j < i ? true : (j != i && contains(core_now, literals[j]))) kept.push_back(literals[j]);
        }
        literals = std::move(kept);
        break;  // position i now holds the next untested literal
      }
      case Answer::Sat: ++i; break;
      case Answer::Unknown: return std::nullopt;
    }
  }
  return literals;
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

std::string Session::to_smt2(const std::vector<int>& rules) {
  z3::solver dump(ctx_);
  for (const auto& a : solver_.assertions()) {
    // Replace the indicator implications by the enabled rules themselves.
    bool is_rule = false;
    for (std::size_t r = 0; r < indicators_.size(); ++r) {
      if (a.is_app() && a.num_args() == 2 && z3::eq(a.arg(0), indicators_[r])) is_rule = true;
    }
    if (!is_rule) dump.add(a);
  }
  for (int r : rules) dump.add(rule_bodies_[r]);
  return dump.to_smt2();
}

}  // namespace csp::solver
