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
  unsigned timeout = static_cast<unsigned>(std::max(1.0, budget_ms));
  z3::params p(ctx_);
  p.set("timeout", timeout);
  solver_.set(p);
  z3::expr_vector assumptions(ctx_);
  for (int r : rules) assumptions.push_back(indicators_[r]);
  switch (solver_.check(assumptions)) {
    case z3::sat: return Answer::Sat;
    case z3::unsat: return Answer::Unsat;
    case z3::unknown: last_reason_ = solver_.reason_unknown(); return Answer::Unknown;
  }
  return Answer::Unknown;
}

std::vector<int> Session::core_rules() const {
  std::vector<int> out;
  z3::expr_vector core = solver_.unsat_core();
  for (unsigned i = 0; i < core.size(); ++i) {
    for (std::size_t r = 0; r < indicators_.size(); ++r) {
      if (z3::eq(core[i], indicators_[r])) out.push_back(static_cast<int>(r));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::vector<int>> Session::minimise_core(std::vector<int> rules, double budget_ms) {
  auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < rules.size();) {
    std::vector<int> without = rules;
    without.erase(without.begin() + static_cast<long>(i));
    switch (check(without, budget_ms - elapsed_ms(start))) {
      case Answer::Unsat: {
        // Still unsat without rule i: keep only what the new core needs.
        std::vector<int> core = core_rules();
        rules.clear();
        for (int r : without) {
          if (std::find(core.begin(), core.end(), r) != core.end()) rules.push_back(r);
        }
        i = 0;
        // Rules before the position are known to be needed only if we had
        // tested them against this smaller set; restart to stay correct.
        break;
      }
      case Answer::Sat: ++i; break;
      case Answer::Unknown: return std::nullopt;
    }
  }
  return rules;
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
