// Scenario verdicts, cores and repairs on a small spec with known answers.
#include <catch2/catch.hpp>

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

std::unique_ptr<Loaded> load_small() {
  auto out = std::make_unique<Loaded>();
  out->model = model::load_model({test::source_path("tests/specs/scenarios/small.cspv")}, out->sources, out->sink);
  INFO(model::render_all(out->sink, out->sources));
  REQUIRE(out->model);
  return out;
}

model::CheckResult run(const model::Model& m, const std::string& name, bool explain = true) {
  solver::SolveOptions options;
  options.explain = explain;
  auto results = solver::check_scenarios(m, options, name);
  REQUIRE(results.size() == 1);
  return results[0];
}

std::vector<std::string> core_names(const model::Model& m, const model::CheckResult& r) {
  std::vector<std::string> out;
  for (int id : r.core) out.push_back(m.rules[id].name);
  return out;
}

std::vector<std::string> repairs(const model::CheckResult& r) {
  std::vector<std::string> out;
  for (const auto& step : r.repair) out.push_back(step.description);
  return out;
}

}  // namespace

TEST_CASE("an allowed scenario comes with its completed instance", "[scenario]") {
  auto spec = load_small();
  const auto& m = *spec->model;
  auto r = run(m, "good_chain");
  CHECK(r.status == model::Status::Allowed);
  CHECK(r.meets_expectation());
  REQUIRE(r.instance);
  // The free attribute (P1.mpa_signed) got some value; the written ones kept theirs.
  int r1 = r.instance->find("R1");
  REQUIRE(r1 >= 0);
  CHECK(model::format_value(m, *r.instance, r.instance->entities[r1].attributes[2]) == "2021-01-01");
  CHECK(r.instance->relations[m.find_relation("partnership")].size() == 1);
}

TEST_CASE("a forbidden scenario names its minimal core, the facts involved, and a checked repair", "[scenario]") {
  auto spec = load_small();
  const auto& m = *spec->model;
  auto r = run(m, "signed_too_late");
  CHECK(r.status == model::Status::Forbidden);
  CHECK(r.meets_expectation());
  CHECK(core_names(m, r) == std::vector<std::string>{"signed_before_sale"});
  CHECK(r.minimal);
  CHECK(std::find(r.core_facts.begin(), r.core_facts.end(), "R1.mpa_signed = 2021-03-03") != r.core_facts.end());
  CHECK(std::find(r.core_facts.begin(), r.core_facts.end(), "S1.date = 2021-03-01") != r.core_facts.end());
  // One change suffices (MaxSAT); a changed date moves as little as possible.
  REQUIRE(r.repair.size() == 1);
  CHECK_THAT(repairs(r)[0], Catch::Matchers::Equals("set R1.mpa_signed to 2021-03-01 (was 2021-03-03)") ||
                                Catch::Matchers::Equals("set S1.date to 2021-03-03 (was 2021-03-01)") ||
                                Catch::Matchers::Equals("set S1.reseller to none (was R1)"));
}

TEST_CASE("a missing relation fact is repaired by adding it", "[scenario]") {
  auto spec = load_small();
  const auto& m = *spec->model;
  auto r = run(m, "not_partnered");
  CHECK(r.status == model::Status::Forbidden);
  CHECK(core_names(m, r) == std::vector<std::string>{"partnered"});
  REQUIRE(r.repair.size() == 1);
  CHECK_THAT(repairs(r)[0], Catch::Matchers::Equals("add partnership(P1, R1)") ||
                                Catch::Matchers::Equals("set S1.reseller to none (was R1)"));
  CHECK(r.meets_expectation());
}

TEST_CASE("a verdict that differs from the expectation fails", "[scenario]") {
  auto spec = load_small();
  const auto& m = *spec->model;
  auto r = run(m, "wrong_expectation");
  CHECK(r.status == model::Status::Allowed);
  CHECK_FALSE(r.meets_expectation());
  auto named = run(m, "wrong_rule_named");
  CHECK(named.status == model::Status::Forbidden);
  CHECK(core_names(m, named) == std::vector<std::string>{"partnered"});
  CHECK_FALSE(named.meets_expectation());  // forbidden, but not by T-MPA
  model::RunReport report;
  report.results = {named};
  CHECK(model::exit_code(report) == 1);
}

TEST_CASE("a forbidden scenario without a repair says why", "[scenario]") {
  // Selling to itself with one organisation in the scenario: whatever its
  // stated values, the customer belongs to the seller's organisation; only
  // another entity would help, and a repair changes values, never entities.
  Loaded shipped;
  shipped.model = model::load_model({test::source_path("specs/scenarios/documented.cspv")}, shipped.sources, shipped.sink);
  INFO(model::render_all(shipped.sink, shipped.sources));
  REQUIRE(shipped.model);
  auto r = run(*shipped.model, "direct_bill_sells_to_itself");
  CHECK(r.status == model::Status::Forbidden);
  CHECK(r.repair.empty());
  // The shipped vocabulary fixes tenants' countries and sales' dates, so the reason names them.
  CHECK(r.repair_missing == "no change to the scenario's stated facts that are not `fixed` makes it allowed");
  // A scenario with a repair, or one checked for its verdict only, gives no reason.
  auto spec = load_small();
  CHECK(run(*spec->model, "signed_too_late").repair_missing.empty());
  CHECK(run(*spec->model, "signed_too_late", false).repair_missing.empty());
}

TEST_CASE("verdict-only mode skips cores and repairs", "[scenario]") {
  auto spec = load_small();
  auto r = run(*spec->model, "signed_too_late", false);
  CHECK(r.status == model::Status::Forbidden);
  CHECK(r.core.empty());
  CHECK(r.repair.empty());
}
