// `cspverify diff` in the library: the merged vocabulary, text changes, the
// semantic difference (witnesses re-checked by the evaluator, blame), and
// per-side checks and regressions. The command: diff_cli_test.cpp.
#include <catch2/catch.hpp>

#include "tests/diff_support.h"

using namespace csp;
using namespace csp::test;

// ------------------------------------------------------------------ merge

TEST_CASE("diff: the merged model has the union of both vocabularies and both rule sets", "[diff]") {
  auto sides = sides_from_text(R"(
entity Partner { signed: Bool }
entity Sale { seller: Partner }
rule signed_sellers { forall s: Sale | s.seller.signed }
)", R"(
enum Tier { gold, silver }
entity Partner { signed: Bool, tier: Tier }
entity Sale { seller: Partner }
relation sponsor(p: Partner, q: Partner)
rule signed_sellers { forall s: Sale | s.seller.signed }
rule gold_sellers "only gold partners sell" { forall s: Sale | s.seller.tier == gold and not sponsor(s.seller, s.seller) }
)");
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  const model::Model& merged = sides->models->merged;
  REQUIRE(merged.find_kind("Partner") >= 0);
  const auto& partner = merged.kinds[merged.find_kind("Partner")];
  REQUIRE(partner.attributes.size() == 2);
  CHECK(partner.attributes[1].name == "tier");
  CHECK(merged.find_enum("Tier") >= 0);
  CHECK(merged.find_relation("sponsor") >= 0);
  CHECK(rule_names(merged, {0, 1, 2}) ==
        std::vector<std::string>{"base:signed_sellers", "proposed:signed_sellers", "proposed:gold_sellers"});

  model::DiffReport report = run_diff(*sides);
  CHECK(change_lines(report.changes) == std::vector<std::string>{"added enum Tier", "added attribute Partner.tier",
                                                                 "added relation sponsor", "added rule gold_sellers"});
  CHECK(report.changes[0].vocabulary);
  CHECK_FALSE(report.changes[3].vocabulary);
  // The base rules say nothing about `tier`: any tier is fine to them.
  CHECK(report.semantic.newly_allowed.answer == Answer::None);
  REQUIRE(report.semantic.newly_forbidden.answer == Answer::Found);
  const model::Witness& w = report.semantic.newly_forbidden.witnesses.front();
  CHECK(w.minimal);
  CHECK(w.instance.entities.size() == 2);
  CHECK(rule_names(merged, w.blame) == std::vector<std::string>{"proposed:gold_sellers"});
  CHECK(attribute(merged, w.instance, "Partner1", "tier") == model::Value::enum_value(merged.find_enum("Tier"), 1));
  require_witness_rechecks(merged, w, model::DiffSide::Base);
}

TEST_CASE("diff: an attribute with different types on the two sides cannot be merged", "[diff]") {
  auto sides = sides_from_text("entity Partner { signed: Bool }\n", "entity Partner { signed: Date }\n");
  CHECK_FALSE(sides->models);
  CHECK(sides->diagnostics() ==
        "proposed.cspv:1:18: error: attribute `Partner.signed` is `Bool` in base and `Date` in proposed\n"
        "entity Partner { signed: Date }\n"
        "                 ^~~~~~\n"
        "  = help: a diff compares both rule sets over one vocabulary; rename the symbol on one side\n"
        "base.cspv:1:18: note: the base side declares it here\n"
        "entity Partner { signed: Bool }\n"
        "                 ^~~~~~\n"
        "1 error generated\n");
}

TEST_CASE("diff: an attribute made optional keeps the narrower side's promise as an implied rule", "[diff]") {
  auto sides = sides_from_text("entity Partner { mpa: Date }\n", "entity Partner { mpa: Date? }\n");
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  const model::Model& merged = sides->models->merged;
  CHECK(model::type_name(merged, merged.kinds[0].attributes[0].type.type) == "Date?");
  CHECK(rule_names(merged, {0}) == std::vector<std::string>{"base:Partner.mpa"});
  CHECK(merged.rules[0].description == "`Partner.mpa` is never `none`: this side declares it `Date`");

  model::DiffReport report = run_diff(*sides);
  CHECK(change_lines(report.changes) == std::vector<std::string>{"modified attribute Partner.mpa (type)"});
  REQUIRE(report.semantic.newly_allowed.answer == Answer::Found);
  const model::Witness& w = report.semantic.newly_allowed.witnesses.front();
  CHECK(attribute(merged, w.instance, "Partner1", "mpa").is_none());
  CHECK(w.explanations == std::vector<std::vector<std::string>>{{"for it = Partner1:", "  it.mpa != none is false: none != none"}});
  CHECK(report.semantic.newly_forbidden.answer == Answer::None);
}

TEST_CASE("diff: defines are kept per side, identical tables shared and differing tables per side", "[diff]") {
  std::string base = R"(
enum Tier { gold, silver }
entity Partner { tier: Tier, rebate: Int }
table caps(tier: Tier, cap: Int) { (gold, 10), (silver, 5) }
table names(tier: Tier, n: Int) { (gold, 1), (silver, 2) }
define capped(p: Partner) = p.rebate <= caps(p.tier)
rule rebate_capped { forall p: Partner | capped(p) and names(p.tier) > 0 }
)";
  std::string proposed = base;
  proposed.replace(proposed.find("(silver, 5)"), 11, "(silver, 7)");
  auto sides = sides_from_text(base, proposed);
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  const model::Model& merged = sides->models->merged;
  CHECK(merged.find_table("names") >= 0);
  CHECK(merged.find_table("caps") < 0);
  CHECK(merged.find_table("base:caps") >= 0);
  CHECK(merged.find_table("proposed:caps") >= 0);
  std::vector<std::string> defines;
  for (const auto& d : merged.defines) defines.push_back(d.name);
  CHECK(defines == std::vector<std::string>{"base:capped", "proposed:capped"});

  model::DiffReport report = run_diff(*sides);
  CHECK(change_lines(report.changes) == std::vector<std::string>{"modified table caps (rows)"});
  REQUIRE(report.semantic.newly_allowed.answer == Answer::Found);
  const model::Witness& w = report.semantic.newly_allowed.witnesses.front();
  CHECK(attribute(merged, w.instance, "Partner1", "tier") == model::Value::enum_value(0, 1));
  CHECK(attribute(merged, w.instance, "Partner1", "rebate").v > 5);
  CHECK(attribute(merged, w.instance, "Partner1", "rebate").v <= 7);
  CHECK(report.semantic.newly_forbidden.answer == Answer::None);
  // The explanation reads in the side's own names.
  CHECK(w.explanations.at(0).at(1) == "  capped(p) is false with p = Partner1:");
}

TEST_CASE("diff: an error that only the united vocabulary has is reported as such", "[diff]") {
  // Each side checks on its own; united, the base's bare `x` has two enums to belong to.
  auto sides = sides_from_text("enum A { x }\nentity E { a: A }\nrule r { forall e: E | e.a == x }\n",
                               "enum A { x }\nenum B { x }\nentity E { a: A }\nrule r { forall e: E | e.a == A.x }\n");
  CHECK_FALSE(sides->models);
  CHECK(sides->diagnostics().find("cspverify: error: the two sides cannot be checked over their united vocabulary\n") == 0);
  CHECK(sides->diagnostics().find("base.cspv:3:31: error:") != std::string::npos);
}

// ------------------------------------------------------------ text changes

TEST_CASE("diff: text changes list declarations added, removed and modified by name", "[diff]") {
  auto base = test::check_text(R"(
enum Role { provider, reseller }
entity Partner { role: Role, signed: Bool, gone: Int }
relation partners(a: Partner, b: Partner)
rule kept "same" { forall p: Partner | p.signed }
rule reworded "old words" source "R1" { forall p: Partner | p.role == provider }
rule dropped { forall p, q: Partner | partners(p, q) implies p != q }
property holds { forall p: Partner | p.signed } expect proved
scope 2
)", "base.cspv");
  auto proposed = test::check_text(R"(
enum Role { provider, direct_bill }
entity Partner { role: Role, signed: Bool?, since: Date }
relation partners(a: Partner, b: Partner)
rule kept "same" { forall p: Partner | p.signed == true }
rule reworded "new words" source "R1" { forall p: Partner | p.role == provider }
rule added { forall p, q: Partner | partners(p, q) implies p != q }
property holds { forall p: Partner | p.signed == true } expect violated
scope 3
)", "proposed.cspv");
  INFO(base.diagnostics() << proposed.diagnostics());
  REQUIRE(base.model);
  REQUIRE(proposed.model);
  auto changes = model::compare_models(*base.model, *proposed.model);
  CHECK(change_lines(changes) == std::vector<std::string>{
      "removed enum value Role.reseller",
      "added enum value Role.direct_bill",
      "modified attribute Partner.signed (type)",
      "removed attribute Partner.gone",
      "added attribute Partner.since",
      "modified scope default (size)",
      "modified scope Partner (size)",
      "modified rule kept (body)",
      "modified rule reworded (description)",
      "removed rule dropped",
      "added rule added",
      "modified property holds (body, expectation)",
  });
  CHECK(changes[2].before == "Bool");
  CHECK(changes[2].after == "Bool?");
  CHECK(changes[7].before == "forall p: Partner | p.signed");
  CHECK(changes[7].after == "forall p: Partner | p.signed == true");
  CHECK(changes[8].before == "old words");
  CHECK(base.sources.where(changes[9].base_range) == "base.cspv:7:6");
  CHECK_FALSE(changes[9].proposed_range.valid());
}

// -------------------------------------------------- semantic and checks

TEST_CASE("diff: a pure tightening forbids more and allows nothing new", "[diff]") {
  auto sides = sides_from_files("tests/specs/diff/base.cspv", "tests/specs/diff/tightening.cspv");
  model::DiffReport report = run_diff(*sides);
  const model::Model& merged = sides->models->merged;
  CHECK(change_lines(report.changes) == std::vector<std::string>{"modified rule mpa_before_sale (body, description)"});
  CHECK(report.semantic.newly_allowed.answer == Answer::None);
  REQUIRE(report.semantic.newly_forbidden.answer == Answer::Found);
  const model::Witness& w = report.semantic.newly_forbidden.witnesses.front();
  CHECK(w.minimal);
  CHECK(w.instance.entities.size() == 2);
  CHECK(rule_names(merged, w.blame) == std::vector<std::string>{"proposed:mpa_before_sale"});
  require_witness_rechecks(merged, w, model::DiffSide::Base);
  CHECK(w.explanations.at(0).back().find("s.seller.mpa_signed + 30 <= s.date is false") != std::string::npos);
  // The scenario signed a week before its sale: allowed before, forbidden now.
  const auto& signed_sale = check_named(report, "signed_sale");
  CHECK(signed_sale.base->status == model::Status::Allowed);
  CHECK(signed_sale.proposed->status == model::Status::Forbidden);
  CHECK(signed_sale.regression);
  CHECK_FALSE(check_named(report, "unsigned_sale").regression);
  CHECK_FALSE(check_named(report, "sellers_signed").changed());
  CHECK(report.exit_code() == 1);
}

TEST_CASE("diff: a rule rewritten into an equivalent form is equivalent within scope", "[diff]") {
  auto sides = sides_from_files("tests/specs/diff/base.cspv", "tests/specs/diff/equivalent.cspv");
  model::DiffReport report = run_diff(*sides);
  CHECK(change_lines(report.changes) == std::vector<std::string>{"modified rule only_providers_bill (body)"});
  CHECK(report.semantic.equivalent());
  CHECK(report.semantic.newly_allowed.witnesses.empty());
  for (const auto& pair : report.checks) CHECK_FALSE(pair.changed());
  CHECK(report.exit_code() == 0);
}

TEST_CASE("diff: a widening that breaks a property is a regression with the new counterexample", "[diff]") {
  auto sides = sides_from_files("tests/specs/diff/base.cspv", "tests/specs/diff/waive_renewals.cspv");
  model::DiffReport report = run_diff(*sides);
  const model::Model& merged = sides->models->merged;
  CHECK(report.semantic.newly_forbidden.answer == Answer::None);
  REQUIRE(report.semantic.newly_allowed.answer == Answer::Found);
  const model::Witness& w = report.semantic.newly_allowed.witnesses.front();
  CHECK(attribute(merged, w.instance, "Sale1", "renewal") == model::Value::boolean(true));
  // The seller is named by its role; an unset date reads by its meaning.
  model::Value seller = attribute(merged, w.instance, "Sale1", "seller");
  REQUIRE(seller.tag == model::Value::Tag::Entity);
  const std::string& seller_name = w.instance.entities[seller.v].name;
  CHECK(attribute(merged, w.instance, seller_name, "mpa_signed").is_none());
  CHECK(rule_names(merged, w.blame) == std::vector<std::string>{"base:mpa_before_sale"});
  std::string date = model::format_value(merged, w.instance, attribute(merged, w.instance, "Sale1", "date"));
  CHECK(w.explanations == std::vector<std::vector<std::string>>{
      {"for s = Sale1:", "  s.seller.mpa_signed <= s.date is false: not signed <= " + date}});
  require_witness_rechecks(merged, w, model::DiffSide::Proposed);

  const auto& property = check_named(report, "sellers_signed");
  CHECK(property.base->status == model::Status::Proved);
  CHECK(property.proposed->status == model::Status::Violated);
  CHECK(property.regression);
  REQUIRE(property.proposed->instance);
  CHECK(property.proposed->instance->entities.size() == 2);
  CHECK_FALSE(check_named(report, "signed_sale").regression);
  CHECK(report.exit_code() == 1);
}

TEST_CASE("diff: a widening with no regression exits 0 unless --expect says otherwise", "[diff]") {
  auto sides = sides_from_files("tests/specs/diff/base.cspv", "tests/specs/diff/widening.cspv");
  model::DiffReport report = run_diff(*sides);
  CHECK(report.semantic.newly_allowed.answer == Answer::Found);
  CHECK(report.semantic.newly_forbidden.answer == Answer::None);
  CHECK(report.exit_code() == 0);
  report.expected = model::DiffExpectation::Widening;
  CHECK(report.exit_code() == 0);
  report.expected = model::DiffExpectation::Tightening;
  CHECK_FALSE(report.meets_expectation());
  CHECK(report.exit_code() == 1);
}

TEST_CASE("diff: tests only one side declares are checked under both sides", "[diff]") {
  std::string rules = "entity Partner { signed: Bool }\nrule signed { forall p: Partner | p.signed }\n";
  auto sides = sides_from_text(rules + R"(
property all_signed { forall p: Partner | p.signed }
scenario unsigned { P1: Partner { signed = false } expect forbidden }
)", "entity Partner { signed: Bool }\n");
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  model::DiffReport report = run_diff(*sides);
  const auto& property = check_named(report, "all_signed");
  CHECK(property.declared_only_in == model::DiffSide::Base);
  CHECK(property.base->status == model::Status::Proved);
  CHECK(property.proposed->status == model::Status::Violated);
  CHECK(property.regression);
  const auto& scenario = check_named(report, "unsigned");
  CHECK(scenario.proposed->status == model::Status::Allowed);
  CHECK(scenario.regression);
  CHECK(report.exit_code() == 1);
}

TEST_CASE("diff: a test that does not type-check on the other side runs on its own side only", "[diff]") {
  auto sides = sides_from_text("entity Partner { signed: Bool }\nproperty p { forall x: Partner | x.signed or not x.signed }\n",
                               "entity Partner { tier: Int }\n");
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  model::DiffReport report = run_diff(*sides);
  const auto& property = check_named(report, "p");
  CHECK(property.base->status == model::Status::Proved);
  CHECK_FALSE(property.proposed);
  CHECK_FALSE(property.regression);
}

TEST_CASE("diff: witnesses of rules too large to expand (quantified encoding) are counted and re-checked", "[diff]") {
  // 5^3 bindings exceed the encoder's ground limit: the rules stay quantified.
  auto sides = sides_from_text("entity Partner { n: Int }\nrule sum { forall a, b, c: Partner | a.n + b.n + c.n != 7 }\nscope 5\n",
                               "entity Partner { n: Int }\nrule sum { forall a, b, c: Partner | a.n + b.n + c.n != 8 }\nscope 5\n");
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  model::DiffReport report = run_diff(*sides);
  const model::Model& merged = sides->models->merged;
  for (const auto* d : {&report.semantic.newly_allowed, &report.semantic.newly_forbidden}) {
    REQUIRE(d->answer == Answer::Found);
    CHECK(d->witnesses.front().minimal);
    CHECK(d->witnesses.front().instance.entities.size() == 2);  // 3n = 7 or 8 has no integer solution
  }
  require_witness_rechecks(merged, report.semantic.newly_allowed.witnesses.front(), model::DiffSide::Proposed);
  require_witness_rechecks(merged, report.semantic.newly_forbidden.witnesses.front(), model::DiffSide::Base);
}
