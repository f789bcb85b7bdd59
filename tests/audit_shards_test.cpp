// Which rules a sharded audit can split (audit/shards.h): a rule that binds a
// record only `partition` imports create is split by shard, one over
// replicated records that reads nothing split is the same in every shard,
// and the others are refused with the reason.
#include <catch2/catch.hpp>

#include "audit/shards.h"
#include "model/frontend.h"
#include "tests/support/fixture.h"

using namespace csp;

namespace {

const char* kSpec = R"(
entity Org {}
entity Partner { org: Org }
entity Sale { seller: Partner, buyer: Org }
relation affiliated(a: Org, b: Org)
import Org from "orgs.csv" key "id" {}
import Org from "customers.csv" key "id" partition "id" {}
import Partner from "partners.csv" key "id" { org = "org" }
import Sale from "sales.csv" key "id" partition "buyer" { seller = "seller", buyer = "buyer" }
import affiliated from "affiliations.csv" { a = "a", b = "b" }

rule per_sale "" { forall s: Sale | s.seller.org != s.buyer }
rule per_partner "" { forall p, q: Partner | p.org == q.org implies p == q }
rule partner_reads_sales "" { forall p: Partner | exists s: Sale | s.seller == p }
rule per_org "" { forall o: Org | not affiliated(o, o) }
rule partners_affiliated "" { forall p, q: Partner | not affiliated(p.org, q.org) }
rule mixed_formulas "" { forall s: Sale | s.buyer != s.seller.org  forall p: Partner | p.org == p.org }
)";

audit::RuleShardPlan plan_of(const model::Model& model, const std::vector<audit::RuleShardPlan>& plans,
                             const std::string& rule) {
  int r = model.find_rule(rule);
  REQUIRE(r >= 0);
  return plans[r];
}

}  // namespace

TEST_CASE("a sharded audit splits rules over partitioned records, keeps one copy of replicated ones, refuses the rest",
          "[audit]") {
  auto checked = test::check_text(kSpec);
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const model::Model& model = *checked.model;
  auto plans = audit::rule_sharding(model);
  CHECK(plan_of(model, plans, "per_sale").sharding == audit::RuleSharding::Partitioned);
  CHECK(plan_of(model, plans, "per_partner").sharding == audit::RuleSharding::Replicated);
  auto reads_sales = plan_of(model, plans, "partner_reads_sales");
  CHECK(reads_sales.sharding == audit::RuleSharding::Unshardable);
  CHECK(reads_sales.reason.find("`exists s: Sale`") != std::string::npos);
  auto per_org = plan_of(model, plans, "per_org");
  CHECK(per_org.sharding == audit::RuleSharding::Unshardable);
  CHECK(per_org.reason.find("binds `o: Org`, whose records some imports split") != std::string::npos);
  auto affiliated = plan_of(model, plans, "partners_affiliated");
  CHECK(affiliated.sharding == audit::RuleSharding::Unshardable);
  CHECK(affiliated.reason.find("the relation `affiliated`") != std::string::npos);
  CHECK(plan_of(model, plans, "mixed_formulas").sharding == audit::RuleSharding::Unshardable);
}

TEST_CASE("every shipped rule can be split by the Partner Center mapping's partition", "[audit]") {
  test::Checked checked;
  checked.model = model::load_model({test::source_path("specs")}, checked.sources, checked.sink);
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  auto plans = audit::rule_sharding(*checked.model);
  for (std::size_t r = 0; r < plans.size(); ++r) {
    INFO(checked.model->rules[r].name << ": " << plans[r].reason);
    CHECK(plans[r].sharding != audit::RuleSharding::Unshardable);
  }
  CHECK(plans[checked.model->find_rule("mpa_accepted_per_region")].sharding == audit::RuleSharding::Replicated);
  CHECK(plans[checked.model->find_rule("no_sale_to_self_or_affiliate")].sharding == audit::RuleSharding::Partitioned);
}

TEST_CASE("the data hash sees every byte and the length", "[audit]") {
  CHECK(audit::data_hash("abcdefghij") == audit::data_hash("abcdefghij"));
  CHECK(audit::data_hash("abcdefghij") != audit::data_hash("abcdefghik"));
  CHECK(audit::data_hash("abcdefgh") != audit::data_hash("abcdefgh "));
  CHECK(audit::data_hash("") != audit::data_hash("", 1));
}
