// Repairs a policy owner can use (issue 12): attributes declared `fixed` are
// facts of the world that no repair changes, and a repair is re-checked
// against the properties, saying when it lands in a known gap.
#include <catch2/catch.hpp>

#include <sstream>

#include "model/diagnostics.h"
#include "model/format.h"
#include "reports/report.h"
#include "solver/prover.h"
#include "tests/support/fixture.h"

using namespace csp;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string spec(const std::string& customer_country) {
  return R"(enum Country { US, FR }
entity Org {}
entity Partner { org: Org, country: Country fixed, fixed: Bool }
entity Customer { org: Org, country: )" + customer_country + R"( }
entity Sale { seller: Partner, customer: Customer }
rule same_country { forall s: Sale | s.seller.country == s.customer.country }
property no_self_sale "no partner sells to its own organisation" {
  forall s: Sale | s.seller.org != s.customer.org
}
expect violated
scenario cross_border {
  O1: Org
  P1: Partner { org = O1, country = US, fixed = true }
  C1: Customer { org = O1, country = FR }
  S1: Sale { seller = P1, customer = C1 }
  expect forbidden
}
)";
}

model::CheckResult check_scenario(const model::Model& m) {
  solver::SolveOptions options;
  auto results = solver::check_scenarios(m, options, "cross_border");
  REQUIRE(results.size() == 1);
  return results[0];
}

}  // namespace

TEST_CASE("a repair never changes a fixed attribute, and says when it lands in a known gap", "[repair]") {
  auto checked = test::check_text(spec("Country"));
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const model::Model& m = *checked.model;
  const auto& partner = m.kinds[m.find_kind("Partner")];
  CHECK(partner.attributes[partner.attribute_index("country")].fixed);
  CHECK_FALSE(partner.attributes[partner.attribute_index("fixed")].fixed);  // `fixed` is still a name

  model::CheckResult result = check_scenario(m);
  REQUIRE(result.status == model::Status::Forbidden);
  // Moving the partner would do as well, but where a partner is is a fact: the customer's country changes.
  REQUIRE(result.repair.size() == 1);
  CHECK(result.repair[0].description == "set C1.country to US (was FR)");
  // Seller and customer share O1: the repaired sale is the documented self-sale gap.
  CHECK(result.repair_violates == std::vector<int>{m.find_property("no_self_sale")});

  model::RunReport run;
  run.command = "check";
  run.results.push_back(result);
  reports::ReportOptions options;
  options.timings = false;
  options.dot_program = "";
  reports::ReportContext context{m, checked.sources, options};
  std::ostringstream text, json;
  reports::write_report(reports::Format::Text, run, context, text);
  reports::write_report(reports::Format::Json, run, context, json);
  CHECK(has(text.str(), "note: the repaired scenario lands in the known gap `no_self_sale`"));
  CHECK(has(json.str(), "\"property\": \"no_self_sale\""));
  CHECK(has(json.str(), "\"known_gap\": true"));
}

TEST_CASE("when only fixed facts could change, no repair, and the reason says so", "[repair]") {
  auto checked = test::check_text(spec("Country fixed"));
  REQUIRE(checked.model);
  model::CheckResult result = check_scenario(*checked.model);
  REQUIRE(result.status == model::Status::Forbidden);
  CHECK(result.repair.empty());
  CHECK(result.repair_missing == "no change to the scenario's stated facts that are not `fixed` makes it allowed");
}

TEST_CASE("the formatter keeps `fixed`", "[repair][fmt]") {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  int file = sources.add("test.cspv", spec("Country"));
  auto formatted = model::format_file(sources, file, sink);
  INFO(model::render_all(sink, sources));
  REQUIRE(formatted);
  CHECK(has(*formatted, "country: Country fixed"));
  CHECK(has(*formatted, "fixed: Bool"));
}
