// The two encodings of a quantifier (kept with patterns, or expanded to
// ground terms) and of a closure (quantified axioms, or iterated squaring)
// must give the same verdicts; these specs aim at the places where the kept
// encodings could go wrong: closure both ways round, cycles in the graph,
// `none` in equalities, nested quantifiers and existentials under universals.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "encoder/encoder.h"
#include "model/frontend.h"
#include "solver/prover.h"
#include "tests/support/fixture.h"

using namespace csp;

namespace {

constexpr std::size_t kExpandEverything = std::size_t{1} << 40;

const char* kGraphSpec = R"(
entity Org { parent: Org? }
entity Deal { buyer: Org  seller: Org  date: Date? }
relation affiliated(a: Org, b: Org)
define linked(a: Org, b: Org) = affiliated(a, b) or affiliated(b, a)
define same_group(a: Org, b: Org) = a == b or ^linked(a, b)

rule no_self_deal "no deal inside a group" { forall d: Deal | not same_group(d.buyer, d.seller) }
rule parents_affiliated "a parent is an affiliate" {
  forall o: Org | o.parent == none or affiliated(o, o.parent)
}

// Holds: the rule forbids it.
property buyer_and_seller_differ "buyer and seller differ" { forall d: Deal | d.buyer != d.seller }
// Holds: a parent is in the group, so no deal between an org and its parent.
property no_deal_with_parent "no deal with a parent" {
  forall d: Deal | d.buyer.parent == none or d.buyer.parent != d.seller
}
// Holds two steps up, through the closure.
property no_deal_with_grandparent "no deal with a grandparent" {
  forall d: Deal | d.buyer.parent == none or d.buyer.parent.parent == none or d.buyer.parent.parent != d.seller
}
// Violated: the closure is not too large. Two orgs each affiliated with
// itself are not grouped with each other: a cycle must not justify a path.
property loops_do_not_join "two self-affiliated orgs are one group" {
  forall a, b: Org | (affiliated(a, a) and affiliated(b, b)) implies same_group(a, b)
}
// Holds: the closure is not too large. Without a well-founded witness, a
// loop on `a` could justify a path from `a` to anywhere.
property paths_end_in_an_edge "a path to b ends with a step into b" {
  forall a, b: Org | ^linked(a, b) implies (exists c: Org | linked(c, b))
}
// Holds: the closure is large enough, three steps apart are grouped.
property chains_join "three affiliations apart is one group" {
  forall a, d: Org | (exists b, c: Org | affiliated(a, b) and affiliated(b, c) and affiliated(c, d))
                     implies same_group(a, d)
}
// Violated: undated deals exist.
property every_deal_is_dated "every deal has a date" { forall d: Deal | d.date != none }
// Holds: a nested existential under a universal.
property every_deal_has_a_buyer "every deal's buyer exists" {
  forall d: Deal | exists o: Org | o == d.buyer
}
// Violated only from scope 4: four distinct orgs in a line.
property groups_are_small "no four distinct orgs in a line" {
  forall a, b, c, d: Org | not (linked(a, b) and linked(b, c) and linked(c, d)
                               and a != b and a != c and a != d and b != c and b != d and c != d)
}
)";

model::Scope scope_of(const model::Model& m, int all) {
  model::ScopeOverrides o;
  o.all = all;
  std::string error;
  auto s = model::resolve_scope(m, o, &error);
  REQUIRE(s);
  return *s;
}

std::map<std::string, model::Status> verdicts(const model::Model& m, int scope, std::size_t ground_limit) {
  solver::SolveOptions options;
  options.ground_limit = ground_limit;
  options.timeout_seconds = 30;
  options.unbounded = false;  // the bounded encodings are what is compared
  std::map<std::string, model::Status> out;
  for (const auto& r : solver::prove(m, scope_of(m, scope), options)) out[r.name] = r.status;
  return out;
}

// Quantifiers in a term, by kind.
void count_quantifiers(const z3::expr& e, int& foralls, int& exists) {
  if (e.is_quantifier()) {
    (e.is_forall() ? foralls : exists) += 1;
    count_quantifiers(e.body(), foralls, exists);
  } else if (e.is_app()) {
    for (unsigned i = 0; i < e.num_args(); ++i) count_quantifiers(e.arg(i), foralls, exists);
  }
}

}  // namespace

TEST_CASE("an existential under a kept quantifier is expanded over a few atoms", "[encoder]") {
  auto checked = test::check_text(R"(
entity Sale { day: Date }
entity Period { start: Date }
rule covered "every sale from 2020 falls in some period" {
  forall t: Sale | t.day >= 2020-01-01 implies exists p: Period | p.start <= t.day
}
)");
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const auto& m = *checked.model;
  auto quantifiers_at = [&](int scope) {
    z3::context ctx;
    encoder::Encoder enc(ctx, m, scope_of(m, scope));
    int foralls = 0, exists = 0;
    count_quantifiers(enc.formula(m.rules[0]), foralls, exists);
    return std::make_pair(foralls, exists);
  };
  // Three periods: the outer forall is kept (ground limit 0), the exists
  // becomes a disjunction over the three atoms.
  CHECK(quantifiers_at(3) == std::make_pair(1, 0));
  // A hundred periods: over the limit, the exists stays a quantifier.
  CHECK(quantifiers_at(100) == std::make_pair(1, 1));
  // For every size there are no atoms: kept.
  z3::context ctx;
  encoder::Encoder unbounded(ctx, m);
  int foralls = 0, exists = 0;
  count_quantifiers(unbounded.formula(m.rules[0]), foralls, exists);
  CHECK(foralls == 1);
  CHECK(exists == 1);
}

TEST_CASE("kept quantifiers and closures agree with ground expansion", "[encoder]") {
  auto checked = test::check_text(kGraphSpec);
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  for (int scope : {2, 3, 4}) {
    INFO("scope " << scope);
    auto kept = verdicts(*checked.model, scope, 0);
    auto ground = verdicts(*checked.model, scope, kExpandEverything);
    CHECK(kept == ground);
    CHECK(kept["rules"] == model::Status::Consistent);
    CHECK(kept["buyer_and_seller_differ"] == model::Status::Proved);
    CHECK(kept["no_deal_with_parent"] == model::Status::Proved);
    CHECK(kept["no_deal_with_grandparent"] == model::Status::Proved);
    CHECK(kept["loops_do_not_join"] == model::Status::Violated);
    CHECK(kept["chains_join"] == model::Status::Proved);
    CHECK(kept["paths_end_in_an_edge"] == model::Status::Proved);
    CHECK(kept["every_deal_is_dated"] == model::Status::Violated);
    CHECK(kept["every_deal_has_a_buyer"] == model::Status::Proved);
  }
  // Four orgs in a line need scope 4; below it the property holds within scope.
  CHECK(verdicts(*checked.model, 3, 0)["groups_are_small"] == model::Status::Proved);
  CHECK(verdicts(*checked.model, 4, 0)["groups_are_small"] == model::Status::Violated);
}

TEST_CASE("the shipped policy gives the same verdicts kept and expanded", "[encoder][specs]") {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  auto m = model::load_model({test::source_path("specs")}, sources, sink);
  REQUIRE(m);
  for (int scope : {2, 3}) {
    INFO("scope " << scope);
    CHECK(verdicts(*m, scope, 0) == verdicts(*m, scope, kExpandEverything));
  }
}

TEST_CASE("a ground limit bounds the copies of nested quantifiers together", "[encoder]") {
  // 12 nested quantifiers at scope 3 would be 3^12 = 531441 copies: over the
  // limit, so the outer ones stay quantified and the encoding stays small.
  std::string spec = "entity A { b: Bool }\nproperty deep \"deep\" {\n";
  for (int i = 0; i < 12; ++i) spec += fmt::format("  forall x{}: A |\n", i);
  spec += "  x0.b or not x11.b or x0 != x11\n}\n";
  auto checked = test::check_text(spec);
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  solver::SolveOptions options;
  options.ground_limit = 1000;
  options.timeout_seconds = 20;
  options.unbounded = false;
  auto results = solver::prove(*checked.model, scope_of(*checked.model, 3), options);
  REQUIRE(results.size() == 2);
  CHECK(results[1].status == model::Status::Proved);
}

TEST_CASE("encoding past the time budget is an unknown, never a verdict", "[encoder]") {
  // 6^8 ground copies of the rule: far more than can be built before a
  // deadline that has already passed.
  std::string spec = "entity A { b: Bool }\nrule deep \"deep\" {\n";
  for (int i = 0; i < 8; ++i) spec += fmt::format("  forall x{}: A |\n", i);
  spec += "  x0.b or not x7.b or x0 != x7\n}\nproperty p \"p\" { forall a: A | a.b }\n";
  auto checked = test::check_text(spec);
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  solver::SolveOptions options;
  options.ground_limit = std::size_t{1} << 30;
  options.timeout_seconds = 0;
  auto results = solver::prove(*checked.model, scope_of(*checked.model, 6), options);
  REQUIRE(results.size() == 1);
  CHECK(results[0].status == model::Status::Unknown);
  CHECK(results[0].unknown_reason == "encoding the query took longer than the time budget");
}
