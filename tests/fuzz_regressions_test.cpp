// Inputs the fuzzers in fuzz/ found crashing or misbehaving, kept as unit
// tests so the fixes stay fixed (they matter most under scripts/sanitize.sh,
// where undefined behaviour aborts).
#include <cstdint>
#include <limits>

#include <catch2/catch.hpp>

#include "model/evaluator.h"
#include "model/instance.h"
#include "tests/support/fixture.h"

using namespace csp;

// fuzz/evaluator_fuzzer.cpp: format_date shifted the day number by 719468
// before dividing, which overflowed int64 near its ends.
TEST_CASE("format_date accepts every day number", "[fuzz-regression]") {
  CHECK(model::format_date(18262) == "2020-01-01");
  CHECK(model::format_date(std::numeric_limits<std::int64_t>::max()) == "25252734927768524-07-27");
  CHECK(model::format_date(std::numeric_limits<std::int64_t>::min()) == "-25252734927764585-06-07");
}

// The same through a spec: `d + n` with a large n is a legal Date far from
// any calendar, and the evaluator prints it when it explains a failure.
TEST_CASE("a failure explanation can print a date far beyond any calendar", "[fuzz-regression]") {
  auto checked = test::check_text(R"(
    entity A { d: Date }
    property far { forall a: A | a.d + 9223372036854700000 < 2020-01-01 }
  )");
  REQUIRE(checked.model);
  const auto& m = *checked.model;
  model::Instance instance;
  instance.entities.push_back({"A1", 0, {model::Value::date(18262)}});
  instance.relations.resize(m.relations.size());
  model::Evaluator evaluator(m, instance);
  REQUIRE_FALSE(evaluator.holds(m.properties[0]));
  auto why = evaluator.explain_failure(m.properties[0]);
  REQUIRE_FALSE(why.empty());
  std::string all;
  for (const auto& line : why) all += line + "\n";
  CHECK_THAT(all, Catch::Matchers::Contains("25252734927768367-01-07"));
}
