// The JSON report read back (reports/json_reader.h), as `cspverify merge`
// reads shards: written again, it gives the same bytes, the details the
// other formats show included (a violated property's message, "in words").
#include <catch2/catch.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "reports/json_reader.h"
#include "reports/writers.h"
#include "solver/prover.h"
#include "tests/support/fixture.h"

using namespace csp;
using namespace csp::test;

TEST_CASE("a prove JSON report reads back into the report it was written from, messages included", "[json][shard]") {
  auto spec = check_text(R"(
entity Partner { signed: Bool }
rule anything "no constraint" { forall p: Partner | true }
property all_signed "every partner signed"
  message "{p} has not signed"
{ forall p: Partner | p.signed }
scope 2
)");
  INFO(spec.diagnostics());
  REQUIRE(spec.model);
  std::string error;
  auto scope = model::resolve_scope(*spec.model, {}, &error);
  REQUIRE(scope);
  model::RunReport report;
  report.command = "prove";
  report.inputs = {"test.cspv"};
  report.results = solver::prove(*spec.model, *scope, {});
  REQUIRE(report.results.size() == 2);
  REQUIRE(report.results[1].message == "Partner1 has not signed");
  reports::ReportContext context{*spec.model, spec.sources, {}};
  context.options.timings = false;
  auto write = [&](const model::RunReport& r, auto writer) {
    std::ostringstream out;
    writer(r, context, out);
    return out.str();
  };
  std::string json = write(report, reports::write_json);
  auto read = reports::read_json_report(nlohmann::ordered_json::parse(json), *spec.model, spec.sources, &error);
  INFO(error);
  REQUIRE(read);
  CHECK(read->results[1].message == "Partner1 has not signed");
  CHECK(write(*read, reports::write_json) == json);
  CHECK(write(*read, reports::write_text) == write(report, reports::write_text));
}
