// The shipped change proposals (specs/changes/*/README.md says what each
// diff must show): text changes, the semantic difference with its blame,
// and the properties under both sides. The scenarios under both sides are
// slow (every documented scenario twice): tests/cli/diff_proposal_*.sh.
#include <catch2/catch.hpp>

#include "tests/diff_support.h"

using namespace csp;
using namespace csp::test;

namespace {

struct ProposalOutcome {
  std::unique_ptr<TwoSides> sides;
  std::vector<std::string> rule_changes;  // text changes other than properties and scenarios
  model::SemanticDiff semantic;
  std::vector<model::CheckPair> properties;
  std::vector<std::string> regressions() const {
    std::vector<std::string> out;
    for (const auto& p : properties) {
      if (p.regression) out.push_back(p.name);
    }
    return out;
  }
};

ProposalOutcome proposal(const std::string& name) {
  ProposalOutcome outcome;
  outcome.sides = sides_from_change("specs", "specs/changes/" + name);
  const model::DiffModels& m = *outcome.sides->models;
  for (const auto& line : change_lines(model::compare_models(m.base, m.proposed))) {
    if (line.find(" property ") == std::string::npos && line.find(" scenario ") == std::string::npos) {
      outcome.rule_changes.push_back(line);
    }
  }
  model::Scope base_scope = spec_scope(m.base), proposed_scope = spec_scope(m.proposed);
  outcome.semantic = solver::semantic_diff(m.merged, solver::merged_scope(m.merged, m.base, base_scope, m.proposed,
                                                                          proposed_scope), {});
  outcome.properties = solver::pair_results(solver::prove(m.base_checks, base_scope, {}),
                                            solver::prove(m.proposed_checks, proposed_scope, {}));
  return outcome;
}

std::vector<std::string> blamed(const ProposalOutcome& outcome, const model::Difference& d) {
  REQUIRE_FALSE(d.witnesses.empty());
  return rule_names(outcome.sides->models->merged, d.witnesses.front().blame);
}

}  // namespace

TEST_CASE("proposal cross_region_groups: newly allows sales within a group of regions", "[diff][proposals]") {
  auto outcome = proposal("cross_region_groups");
  CHECK(outcome.rule_changes == std::vector<std::string>{"added enum RegionGroup", "added table group_of",
                                                         "added define same_market",
                                                         "modified rule sell_only_in_own_region (body, description)"});
  REQUIRE(outcome.semantic.newly_allowed.answer == Answer::Found);
  CHECK(blamed(outcome, outcome.semantic.newly_allowed) == std::vector<std::string>{"base:sell_only_in_own_region"});
  const model::Witness& w = outcome.semantic.newly_allowed.witnesses.front();
  require_witness_rechecks(outcome.sides->models->merged, w, model::DiffSide::Proposed);
  // CSP-R13 speaks of sales and of reseller relationships: the witness shows the sale it newly allows.
  CHECK(w.instance.find("Transaction1") >= 0);
  REQUIRE_FALSE(w.explanations.front().empty());
  CHECK(w.explanations.front().front() == "for t = Transaction1:");
  CHECK(outcome.semantic.newly_forbidden.answer == Answer::None);
  CHECK(outcome.regressions() == std::vector<std::string>{"reseller_transactions_have_signed_mpa_since_2020",
                                                          "billing_partners_have_signed_mpa_since_2020",
                                                          "regions_match"});
}

TEST_CASE("proposal waive_mpa_for_renewals: newly allows unsigned renewals", "[diff][proposals]") {
  auto outcome = proposal("waive_mpa_for_renewals");
  CHECK(outcome.rule_changes ==
        std::vector<std::string>{"modified rule mpa_signed_by_transacting_partners (body, description)"});
  REQUIRE(outcome.semantic.newly_allowed.answer == Answer::Found);
  CHECK(blamed(outcome, outcome.semantic.newly_allowed) ==
        std::vector<std::string>{"base:mpa_signed_by_transacting_partners"});
  const auto& merged = outcome.sides->models->merged;
  const auto& witness = outcome.semantic.newly_allowed.witnesses.front().instance;
  CHECK(attribute(merged, witness, "Transaction1", "new_business") == model::Value::boolean(false));
  require_witness_rechecks(merged, outcome.semantic.newly_allowed.witnesses.front(), model::DiffSide::Proposed);
  CHECK(outcome.semantic.newly_forbidden.answer == Answer::None);
  CHECK(outcome.regressions() == std::vector<std::string>{"reseller_transactions_have_signed_mpa_since_2020",
                                                          "billing_partners_have_signed_mpa_since_2020"});
}

TEST_CASE("proposal reseller_mpa_30_days: a pure tightening", "[diff][proposals]") {
  auto outcome = proposal("reseller_mpa_30_days");
  CHECK(outcome.rule_changes ==
        std::vector<std::string>{"modified rule mpa_signed_by_transacting_partners (body)",
                                 "modified rule reseller_mpa_before_new_subscription (body, description)"});
  CHECK(outcome.semantic.newly_allowed.answer == Answer::None);
  REQUIRE(outcome.semantic.newly_forbidden.answer == Answer::Found);
  const auto& w = outcome.semantic.newly_forbidden.witnesses.front();
  REQUIRE(w.blame.size() == 1);
  CHECK(model::split_side(outcome.sides->models->merged.rules[w.blame[0]].name)->first == model::DiffSide::Proposed);
  require_witness_rechecks(outcome.sides->models->merged, w, model::DiffSide::Base);
  CHECK(outcome.regressions().empty());
}

TEST_CASE("proposal equivalent_rewrite: equivalent within scope", "[diff][proposals]") {
  auto outcome = proposal("equivalent_rewrite");
  CHECK(outcome.rule_changes == std::vector<std::string>{"modified rule only_providers_and_direct_bill_bill (body)"});
  CHECK(outcome.semantic.equivalent());
  for (const auto& p : outcome.properties) CHECK_FALSE(p.changed());
}

TEST_CASE("proposal resellers_buy_direct: newly allows resellers billing their own sales", "[diff][proposals]") {
  auto outcome = proposal("resellers_buy_direct");
  CHECK(outcome.rule_changes ==
        std::vector<std::string>{"modified rule only_providers_and_direct_bill_bill (body, description)",
                                 "modified rule supported_chains (body)"});
  REQUIRE(outcome.semantic.newly_allowed.answer == Answer::Found);
  CHECK(blamed(outcome, outcome.semantic.newly_allowed) ==
        std::vector<std::string>{"base:only_providers_and_direct_bill_bill"});
  const auto& merged = outcome.sides->models->merged;
  const auto& witness = outcome.semantic.newly_allowed.witnesses.front().instance;
  CHECK(attribute(merged, witness, "Transaction1", "reseller").is_none());
  require_witness_rechecks(merged, outcome.semantic.newly_allowed.witnesses.front(), model::DiffSide::Proposed);
  CHECK(outcome.semantic.newly_forbidden.answer == Answer::None);
  CHECK(outcome.regressions() == std::vector<std::string>{"every_sale_follows_a_supported_chain"});
}

TEST_CASE("proposal reseller_mpa_grace_period: one extend and one replace newly allow a grace period",
          "[diff][proposals]") {
  auto outcome = proposal("reseller_mpa_grace_period");
  CHECK(outcome.rule_changes ==
        std::vector<std::string>{"added attribute Partner.enrolled_on",
                                 "modified rule reseller_mpa_before_new_subscription (body, description)"});
  REQUIRE(outcome.semantic.newly_allowed.answer == Answer::Found);
  CHECK(blamed(outcome, outcome.semantic.newly_allowed) ==
        std::vector<std::string>{"base:reseller_mpa_before_new_subscription"});
  const auto& merged = outcome.sides->models->merged;
  const model::Witness& w = outcome.semantic.newly_allowed.witnesses.front();
  require_witness_rechecks(merged, w, model::DiffSide::Proposed);
  // Allowed by the replaced rule itself, within the grace period.
  REQUIRE(w.counterparts.size() == 1);
  CHECK(merged.rules[w.counterparts[0]].name == "proposed:reseller_mpa_before_new_subscription");
  CHECK(w.instance.find("Transaction1") >= 0);
  CHECK(outcome.semantic.newly_forbidden.answer == Answer::None);
  CHECK(outcome.regressions() == std::vector<std::string>{"reseller_transactions_have_signed_mpa_since_2020"});
}
