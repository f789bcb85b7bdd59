// Encoder + solver on small specs with known answers.
#include <catch2/catch.hpp>

#include "model/evaluator.h"
#include "model/frontend.h"
#include "solver/prover.h"
#include "tests/support/fixture.h"

using namespace csp;

namespace {

struct Loaded {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::Model> model;
};

std::unique_ptr<Loaded> load_spec(const std::string& relative) {
  auto out = std::make_unique<Loaded>();
  out->model = model::load_model({test::source_path(relative)}, out->sources, out->sink);
  INFO(model::render_all(out->sink, out->sources));
  REQUIRE(out->model);
  return out;
}

model::Scope scope_of(const model::Model& m, std::optional<int> all = std::nullopt) {
  model::ScopeOverrides o;
  o.all = all;
  std::string error;
  auto s = model::resolve_scope(m, o, &error);
  REQUIRE(s);
  return *s;
}

const model::CheckResult& find(const std::vector<model::CheckResult>& results, const std::string& name) {
  for (const auto& r : results) {
    if (r.name == name) return r;
  }
  FAIL("no result named " << name);
  return results.front();
}

std::vector<std::string> rule_names(const model::Model& m, const std::vector<int>& ids) {
  std::vector<std::string> out;
  for (int id : ids) out.push_back(m.rules[id].name);
  return out;
}

}  // namespace

TEST_CASE("a property implied by the rules is proved within scope", "[solver]") {
  auto spec = load_spec("tests/specs/prove/small.cspv");
  auto results = solver::prove(*spec->model, scope_of(*spec->model), {});
  CHECK(find(results, "rules").status == model::Status::Consistent);
  const auto& r = find(results, "reseller_signed");
  CHECK(r.status == model::Status::Proved);
  CHECK_FALSE(r.instance);
}

TEST_CASE("a violated property gets a minimal counterexample the evaluator confirms", "[solver]") {
  auto spec = load_spec("tests/specs/prove/small.cspv");
  const auto& m = *spec->model;
  auto results = solver::prove(m, scope_of(m), {});
  const auto& r = find(results, "no_affiliate_sale");
  REQUIRE(r.status == model::Status::Violated);
  REQUIRE(r.instance);
  CHECK(r.minimal);
  // One sale, its seller, and two organisations: the seller's and the buyer's
  // (a seller never sells to its own organisation, so they differ).
  auto counts = model::count_by_kind(m, *r.instance);
  CHECK(counts[m.find_kind("Sale")] == 1);
  CHECK(counts[m.find_kind("Partner")] == 1);
  CHECK(counts[m.find_kind("Org")] == 2);
  CHECK(r.instance->entities.size() == 4);
  CHECK(r.instance->relations[m.find_relation("affiliated")].size() == 1);
  model::Evaluator evaluator(m, *r.instance);
  CHECK(evaluator.violated_rules().empty());
  CHECK_FALSE(evaluator.holds(m.properties[m.find_property("no_affiliate_sale")]));
  CHECK_FALSE(r.explanation.empty());
}

TEST_CASE("without minimisation the counterexample is still confirmed but not claimed minimal", "[solver]") {
  auto spec = load_spec("tests/specs/prove/small.cspv");
  solver::SolveOptions options;
  options.minimize = false;
  auto results = solver::prove(*spec->model, scope_of(*spec->model), options, std::string("no_affiliate_sale"));
  REQUIRE(results.size() == 2);
  CHECK(results[1].status == model::Status::Violated);
  CHECK_FALSE(results[1].minimal);
}

TEST_CASE("inconsistent rules are reported with a minimal core and make properties vacuous", "[solver]") {
  auto spec = load_spec("tests/specs/prove/inconsistent.cspv");
  const auto& m = *spec->model;
  auto results = solver::prove(m, scope_of(m), {});
  const auto& rules = find(results, "rules");
  REQUIRE(rules.status == model::Status::Inconsistent);
  CHECK(rule_names(m, rules.core) == std::vector<std::string>{"must_enrol", "never_enrolled"});
  CHECK(rules.minimal);
  // Only about customers: an instance with a customer exists, so it is proved.
  CHECK(find(results, "customers_exist").status == model::Status::Proved);
  // About partners: no partner can exist, so the proof would be empty.
  const auto& vacuous = find(results, "partners_onboarded");
  CHECK(vacuous.status == model::Status::Vacuous);
  CHECK(rule_names(m, vacuous.core) == std::vector<std::string>{"must_enrol", "never_enrolled"});
  model::RunReport report;
  report.results = results;
  CHECK(model::exit_code(report) == 1);
}

TEST_CASE("a property can hold at scope 3 and fail at scope 4", "[solver]") {
  auto spec = load_spec("tests/specs/prove/pigeonhole.cspv");
  const auto& m = *spec->model;
  solver::SolveOptions bounded;
  bounded.unbounded = false;
  auto at3 = solver::prove(m, scope_of(m, 3), bounded);
  CHECK(find(at3, "at_most_three").status == model::Status::Proved);
  // Tried for every size first, the property is false at scope 3 already.
  auto any_size = solver::prove(m, scope_of(m, 3), {});
  CHECK(find(any_size, "at_most_three").status == model::Status::Violated);
  auto at4 = solver::prove(m, scope_of(m, 4), bounded);
  const auto& r = find(at4, "at_most_three");
  REQUIRE(r.status == model::Status::Violated);
  CHECK(r.instance->entities.size() == 4);
  CHECK(r.minimal);
}

TEST_CASE("a solver timeout is reported as unknown, never as proved", "[solver]") {
  // Pigeonhole with 13 pigeons takes the solver far longer than a second.
  auto spec = load_spec("tests/specs/prove/pigeonhole_hard.cspv");
  const auto& m = *spec->model;
  solver::SolveOptions options;
  options.timeout_seconds = 1;
  auto results = solver::prove(m, scope_of(m), options);
  const auto& r = find(results, "never_13");
  CHECK(r.status == model::Status::Unknown);
  CHECK_THAT(r.unknown_reason, Catch::Matchers::StartsWith("timeout after 1 s"));
  model::RunReport report;
  report.results = {r};
  CHECK(model::exit_code(report) == 3);
}
