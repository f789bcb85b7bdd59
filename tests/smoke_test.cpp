#include <catch2/catch.hpp>
#include "model/ast.h"
#include "model/diagnostics.h"

using namespace csp::model;

TEST_CASE("dates round-trip through day numbers", "[model]") {
  auto d = days_from_date(2020, 2, 1);
  REQUIRE(d);
  CHECK(*d == 18293);
  CHECK(format_date(*d) == "2020-02-01");
  CHECK(format_date(*days_from_date(2024, 2, 29)) == "2024-02-29");
  CHECK_FALSE(days_from_date(2021, 2, 29));
  CHECK_FALSE(days_from_date(2021, 13, 1));
}

TEST_CASE("diagnostics render with the source line and a caret", "[model]") {
  SourceManager sources;
  int f = sources.add("specs/a.cspv", "rule r {\n  p.regoin == x\n}\n");
  DiagnosticSink sink;
  sink.error({f, 13, 19}, "entity `Partner` has no attribute `regoin`").help = "did you mean `region`?";
  CHECK(render_all(sink, sources) ==
        "specs/a.cspv:2:5: error: entity `Partner` has no attribute `regoin`\n"
        "  p.regoin == x\n"
        "    ^~~~~~\n"
        "  = help: did you mean `region`?\n"
        "1 error generated\n");
}

TEST_CASE("closest_match suggests near names only", "[model]") {
  CHECK(closest_match("regoin", {"role", "region", "country"}) == "region");
  CHECK(closest_match("zzzzzz", {"role", "region"}) == "");
}
