// Mutation test of the shipped policy: removing any one rule must change the
// verdict of at least one shipped scenario or property. A rule whose removal
// changes nothing is redundant or untested, and the test names it.
#include <algorithm>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "model/frontend.h"
#include "solver/prover.h"
#include "tests/support/fixture.h"

using namespace csp;

namespace {

std::optional<model::Model> load_policy(model::SourceManager& sources) {
  model::DiagnosticSink sink;
  auto m = model::load_model({test::source_path("specs")}, sources, sink);
  INFO(model::render_all(sink, sources));
  REQUIRE(m);
  return m;
}

bool mentions(const model::ScenarioDecl& s, const model::FormulaDecl& rule) {
  return std::any_of(s.expect_by.begin(), s.expect_by.end(),
                     [&](const std::string& n) { return n == rule.name || n == rule.source; });
}

// Removing a rule can only turn forbidden scenarios into allowed ones and
// proved properties into violated ones, so only those are candidates; the
// scenarios that name the rule in `expect forbidden by` are tried first.
std::vector<int> candidate_scenarios(const model::Model& m, const std::vector<model::Status>& verdicts,
                                     const model::FormulaDecl& rule) {
  std::vector<int> first, rest;
  for (std::size_t i = 0; i < m.scenarios.size(); ++i) {
    if (verdicts[i] != model::Status::Forbidden) continue;
    (mentions(m.scenarios[i], rule) ? first : rest).push_back(static_cast<int>(i));
  }
  first.insert(first.end(), rest.begin(), rest.end());
  return first;
}

}  // namespace

TEST_CASE("removing any shipped rule changes some shipped verdict", "[mutation][specs]") {
  model::SourceManager sources;
  auto policy = load_policy(sources);
  solver::SolveOptions fast;
  fast.explain = false;
  fast.minimize = false;
  std::string error;
  auto scope = model::resolve_scope(*policy, {}, &error);
  REQUIRE(scope);

  std::vector<model::Status> scenario_verdicts;
  for (const auto& r : solver::check_scenarios(*policy, fast)) scenario_verdicts.push_back(r.status);
  std::vector<std::string> proved;
  for (const auto& r : solver::prove(*policy, *scope, fast)) {
    if (r.kind == model::CheckResult::Kind::Property && r.status == model::Status::Proved) proved.push_back(r.name);
  }

  std::vector<std::string> unguarded;
  for (std::size_t victim = 0; victim < policy->rules.size(); ++victim) {
    model::SourceManager mutated_sources;
    auto mutated = load_policy(mutated_sources);
    const model::FormulaDecl removed_rule = {policy->rules[victim].name, {}, {}, policy->rules[victim].source, std::nullopt, nullptr};
    mutated->rules.erase(mutated->rules.begin() + static_cast<long>(victim));
    bool changed = false;
    for (int s : candidate_scenarios(*policy, scenario_verdicts, removed_rule)) {
      auto r = solver::check_scenarios(*mutated, fast, policy->scenarios[s].name);
      if (r.at(0).status != scenario_verdicts[s]) {
        changed = true;
        break;
      }
    }
    for (std::size_t p = 0; !changed && p < proved.size(); ++p) {
      auto results = solver::prove(*mutated, *scope, fast, proved[p]);
      changed = results.back().status != model::Status::Proved;
    }
    if (!changed) unguarded.push_back(fmt::format("{} ({})", removed_rule.name, removed_rule.source));
  }
  INFO("rules whose removal changes no shipped verdict: " << fmt::format("{}", fmt::join(unguarded, ", ")));
  CHECK(unguarded.empty());
}
