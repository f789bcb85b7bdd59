// Ints beyond 64 bits (docs/language.md, "How large an Int can be"): proofs
// are over all integers; instances are searched within ±2^53 and re-checked
// by the evaluator in 64 bits; a check that cannot stay within that is
// unknown with the reason, and every other check of the run keeps its result.
#include <catch2/catch.hpp>

#include <string>

#include "model/frontend.h"
#include "solver/diff.h"
#include "solver/prover.h"
#include "tests/diff_support.h"
#include "tests/support/fixture.h"

using namespace csp;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

std::unique_ptr<test::Checked> checked(const std::string& text) {
  auto out = std::make_unique<test::Checked>(test::check_text(text));
  INFO(out->diagnostics());
  REQUIRE(out->model);
  return out;
}

model::Scope scope_of(const model::Model& m) {
  std::string error;
  auto scope = model::resolve_scope(m, {}, &error);
  REQUIRE(scope);
  return *scope;
}

solver::SolveOptions with_locations(const test::Checked& spec) {
  solver::SolveOptions options;
  options.sources = &spec.sources;
  return options;
}

const model::CheckResult& find(const std::vector<model::CheckResult>& results, const std::string& name) {
  for (const auto& r : results) {
    if (r.name == name) return r;
  }
  FAIL("no result named " << name);
  return results.front();
}

int exit_code_of(const std::vector<model::CheckResult>& results) {
  model::RunReport report;
  report.results = results;
  return model::exit_code(report);
}

const char* kNoInstanceInRange =
    "an Int value outside the range the evaluator supports: every instance needs an Int or Date value of "
    "magnitude above 2^53 (9007199254740992)";

}  // namespace

// Before: decoding the model's n = 9223372036854775808 threw, the run ended
// with exit 4 and no result at all.
TEST_CASE("a counterexample that needs an Int beyond 64 bits is unknown; the other properties keep their results",
          "[int-range]") {
  auto spec = checked(R"(entity Account { n: Int }
entity Branch { m: Int }
rule huge { forall a: Account | a.n > 9223372036854775807 }
rule small_branch { forall b: Branch | b.m >= 0 and b.m <= 10 }
property account_small { forall a: Account | a.n < 5 }
property account_positive { forall a: Account | a.n > 0 }
property branch_tiny { forall b: Branch | b.m < 3 } expect violated
scope 2
)");
  auto results = solver::prove(*spec->model, scope_of(*spec->model), with_locations(*spec));
  CHECK(find(results, "rules").status == model::Status::Consistent);
  const auto& unknown = find(results, "account_small");
  CHECK(unknown.status == model::Status::Unknown);
  CHECK(unknown.unknown_reason == kNoInstanceInRange);
  CHECK_FALSE(unknown.instance);
  CHECK(find(results, "account_positive").status == model::Status::Proved);
  const auto& violated = find(results, "branch_tiny");
  CHECK(violated.status == model::Status::Violated);
  CHECK(violated.instance);
  CHECK(exit_code_of(results) == 3);
}

// Z3 answers these queries with n = 9223372036854775808 (tests/cli/int_range.sh
// checks it on the dumped query, with the z3 tool): the instance within range
// is asked for again, in the one place that keeps models decodable.
const char* kEither = R"(entity Account { n: Int }
rule either { forall a: Account | a.n > 9223372036854775807 or a.n == 3 }
)";

std::string n_of_first(const model::Model& m, const model::Instance& instance) {
  REQUIRE_FALSE(instance.entities.empty());
  return model::format_value(m, instance, instance.entities[0].attributes[0]);
}

TEST_CASE("a counterexample within 64 bits is found where the solver first picks a value beyond", "[int-range]") {
  auto spec = checked(std::string(kEither) + "property negative { forall a: Account | a.n < 0 }\n");
  const auto& m = *spec->model;
  auto results = solver::prove(m, scope_of(m), {});
  const auto& r = find(results, "negative");
  REQUIRE(r.status == model::Status::Violated);
  REQUIRE(r.instance);
  CHECK(r.minimal);
  CHECK(n_of_first(m, *r.instance) == "3");
  CHECK(exit_code_of(results) == 1);
}

// With one account n must exceed 2^63; two accounts can both have n = 1.
TEST_CASE("a counterexample within 64 bits with more entities is found where the fewest need more", "[int-range]") {
  auto spec = checked(R"(entity Account { n: Int }
rule paired { forall a: Account | a.n > 9223372036854775807 or (exists b: Account | b != a and b.n == 1) }
property negative { forall a: Account | a.n < 0 }
)");
  const auto& m = *spec->model;
  auto results = solver::prove(m, scope_of(m), {});
  const auto& r = find(results, "negative");
  REQUIRE(r.status == model::Status::Violated);
  REQUIRE(r.instance);
  CHECK(r.instance->entities.size() == 2);
  CHECK(n_of_first(m, *r.instance) == "1");
}

TEST_CASE("a scenario's free Int is completed within 64 bits where the solver first picks a value beyond",
          "[int-range]") {
  auto spec = checked(std::string(kEither) + "scenario free { A1: Account expect allowed }\n");
  auto results = solver::check_scenarios(*spec->model, {});
  REQUIRE(results[0].status == model::Status::Allowed);
  REQUIRE(results[0].instance);
  CHECK(n_of_first(*spec->model, *results[0].instance) == "3");
}

TEST_CASE("a diff witness within 64 bits is found where the solver first picks a value beyond", "[int-range]") {
  auto sides = test::sides_from_text("entity Account { n: Int }\nrule r { forall a: Account | a.n < 0 }\n",
                                     "entity Account { n: Int }\n"
                                     "rule r { forall a: Account | a.n > 9223372036854775807 or a.n == 3 }\n");
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  const model::DiffModels& m = *sides->models;
  auto diff = solver::semantic_diff(m.merged, test::spec_scope(m.merged), {});
  REQUIRE(diff.newly_allowed.answer == test::Answer::Found);
  REQUIRE_FALSE(diff.newly_allowed.witnesses.empty());
  CHECK(n_of_first(m.merged, diff.newly_allowed.witnesses.front().instance) == "3");
}

TEST_CASE("a counterexample whose re-check overflows 64 bits is unknown, with the expression's location",
          "[int-range]") {
  auto spec = checked(R"(entity Account { n: Int }
rule headroom { forall a: Account | a.n > 0 and a.n + 9223372036854775807 > 0 }
property large { forall a: Account | a.n > 100 }
)");
  auto results = solver::prove(*spec->model, scope_of(*spec->model), with_locations(*spec));
  const auto& r = find(results, "large");
  CHECK(r.status == model::Status::Unknown);
  CHECK(r.unknown_reason == "an Int value outside the 64-bit range the evaluator supports (at test.cspv:2:49)");
  CHECK_FALSE(r.instance);
  CHECK(r.explanation.empty());
}

TEST_CASE("without sources the reason has no location", "[int-range]") {
  auto spec = checked(R"(entity Account { n: Int }
rule headroom { forall a: Account | a.n > 0 and a.n + 9223372036854775807 > 0 }
property large { forall a: Account | a.n > 100 }
)");
  auto results = solver::prove(*spec->model, scope_of(*spec->model), {});
  CHECK(find(results, "large").unknown_reason == "an Int value outside the 64-bit range the evaluator supports");
}

// Proofs stay over all integers: n + 1 > n is true for every n.
TEST_CASE("a property over Ints beyond 64 bits is proved", "[int-range]") {
  auto spec = checked(R"(entity Account { n: Int }
rule huge { forall a: Account | a.n > 9223372036854775807 }
property grows { forall a: Account | a.n + 1 > a.n and a.n + 9223372036854775807 > 9223372036854775807 }
)");
  auto results = solver::prove(*spec->model, scope_of(*spec->model), {});
  CHECK(find(results, "grows").status == model::Status::Proved);
}

TEST_CASE("a scenario whose evaluation overflows 64 bits is unknown; the others keep their verdicts",
          "[int-range]") {
  auto spec = checked(R"(entity Account { n: Int }
rule grows { forall a: Account | a.n + 1 > a.n }
scenario at_the_top { A1: Account { n = 9223372036854775807 } expect allowed }
scenario ordinary { A1: Account { n = 5 } expect allowed }
)");
  auto results = solver::check_scenarios(*spec->model, with_locations(*spec));
  const auto& top = find(results, "at_the_top");
  CHECK(top.status == model::Status::Unknown);
  CHECK(top.unknown_reason == "an Int value outside the 64-bit range the evaluator supports (at test.cspv:2:34)");
  CHECK_FALSE(top.instance);
  CHECK(find(results, "ordinary").status == model::Status::Allowed);
  CHECK(exit_code_of(results) == 3);
}

TEST_CASE("a scenario whose free Int must exceed 64 bits is unknown", "[int-range]") {
  auto spec = checked(R"(entity Account { n: Int }
rule huge { forall a: Account | a.n > 9223372036854775807 }
scenario free { A1: Account expect allowed }
)");
  auto results = solver::check_scenarios(*spec->model, {});
  CHECK(results[0].status == model::Status::Unknown);
  CHECK(results[0].unknown_reason == kNoInstanceInRange);
}

// Forbidden is a proof: the evaluator's confirmation of a concrete scenario
// is skipped where it would overflow, and the repair is checked as usual.
TEST_CASE("a forbidden scenario stays forbidden when the evaluator cannot compute its rules", "[int-range]") {
  auto spec = checked(R"(entity Account { n: Int }
rule capped { forall a: Account | a.n + 1 > a.n and a.n < 100 }
scenario at_the_top { A1: Account { n = 9223372036854775807 } expect forbidden by capped }
)");
  auto results = solver::check_scenarios(*spec->model, {});
  const auto& r = results[0];
  CHECK(r.status == model::Status::Forbidden);
  CHECK(r.meets_expectation());
  REQUIRE(r.repair.size() == 1);
  CHECK(r.repair[0].description == "set A1.n to 99 (was 9223372036854775807)");
}

TEST_CASE("a diff witness whose re-check overflows 64 bits leaves that direction unknown", "[int-range]") {
  const char* headroom = "rule headroom { forall a: Account | a.n <= 0 or a.n + 9223372036854775807 > 0 }\n";
  auto sides = test::sides_from_text(std::string("entity Account { n: Int }\n") + headroom +
                                         "rule cap { forall a: Account | a.n < 10 }\n",
                                     std::string("entity Account { n: Int }\n") + headroom +
                                         "rule cap { forall a: Account | a.n < 20 }\n");
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  const model::DiffModels& m = *sides->models;
  solver::SolveOptions options;
  options.sources = &sides->sources;
  auto diff = solver::semantic_diff(m.merged, test::spec_scope(m.merged), options);
  CHECK(diff.newly_allowed.answer == test::Answer::Unknown);
  CHECK_THAT(diff.newly_allowed.unknown_reason,
             StartsWith("an Int value outside the 64-bit range the evaluator supports (at "));
  CHECK_THAT(diff.newly_allowed.unknown_reason, Contains(".cspv:2:49)"));
  CHECK(diff.newly_allowed.witnesses.empty());
  CHECK(diff.newly_forbidden.answer == test::Answer::None);
}
