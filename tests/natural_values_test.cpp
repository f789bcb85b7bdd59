// Natural values (issue 12): once a counterexample has the fewest entities,
// its values are steered towards readable ones (the day before a date the
// spec names, the first country of each region, small round numbers),
// without changing the verdict or the instance's shape.
#include <catch2/catch.hpp>

#include "model/evaluator.h"
#include "tests/support/fixture.h"
#include "tests/support/prove.h"

using namespace csp;

namespace {

// AO is the first Country, but the table lists BJ first for africa, the
// region a customer buys in: the typical country of its region.
constexpr const char* kSpec = R"(
enum Country { AO, US, FR, BJ }
enum Region { africa, americas, europe }
table region_of(country: Country, region: Region) { (BJ, africa), (US, americas), (AO, africa), (FR, europe) }
entity Partner { country: Country, mpa_signed: Date? }
entity Sale { seller: Partner, date: Date, seats: Int }
rule signed_from_2020 { forall s: Sale | s.date >= 2020-02-01 implies s.seller.mpa_signed <= s.date }
rule big_orders { forall s: Sale | s.seats > 5 }
property sellers_signed "every seller has signed the MPA" {
  forall s: Sale | s.seller.mpa_signed != none
}
)";

}  // namespace

TEST_CASE("a counterexample's values are steered to readable ones, its verdict and size unchanged",
          "[natural-values][solver]") {
  auto checked = test::check_text(kSpec);
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const model::Model& m = *checked.model;
  model::CheckResult result = test::prove_property(m, "sellers_signed");
  REQUIRE(result.status == model::Status::Violated);
  REQUIRE(result.instance);
  CHECK(result.minimal);
  const model::Instance& instance = *result.instance;
  REQUIRE(instance.entities.size() == 2);  // one partner, one sale: still the fewest

  const auto& partner = instance.entities[instance.of_kind(m.find_kind("Partner"))[0]];
  const auto& sale = instance.entities[instance.of_kind(m.find_kind("Sale"))[0]];
  auto text = [&](const model::Value& v) { return model::format_value(m, instance, v); };
  CHECK(partner.attributes[1].is_none());          // never signed: the gap itself
  CHECK(text(sale.attributes[1]) == "2020-01-31");  // the day before the rule applies, not 1970
  CHECK(text(partner.attributes[0]) == "BJ");       // the first country the regions table lists
  CHECK(text(sale.attributes[2]) == "10");          // a round number above the rule's 5

  model::Evaluator evaluator(m, instance);
  CHECK(evaluator.violated_rules().empty());
  CHECK_FALSE(evaluator.holds(m.properties[0]));
}
