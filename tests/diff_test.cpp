// `cspverify diff`: the merged vocabulary, text changes, the semantic
// difference (witnesses re-checked by the evaluator, blame), per-side checks
// and regressions, and the command's exit codes, --expect and --base-rev.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "model/changes.h"
#include "model/evaluator.h"
#include "model/frontend.h"
#include "model/merge.h"
#include "solver/diff.h"
#include "tests/support/fixture.h"

using namespace csp;
using Answer = solver::Difference::Answer;

namespace {

struct TwoSides {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::DiffModels> models;
  std::string diagnostics() const { return model::render_all(sink, sources); }
};

std::unique_ptr<TwoSides> sides_from_text(const std::string& base, const std::string& proposed) {
  auto sides = std::make_unique<TwoSides>();
  std::vector<model::SpecFile> b, p;
  b.push_back(model::parse(sides->sources, sides->sources.add("base.cspv", base), sides->sink));
  p.push_back(model::parse(sides->sources, sides->sources.add("proposed.cspv", proposed), sides->sink));
  REQUIRE_FALSE(sides->sink.has_errors());
  sides->models = model::build_diff_models(b, p, sides->sources, sides->sink);
  return sides;
}

std::unique_ptr<TwoSides> sides_from_files(const std::string& base, const std::string& proposed) {
  auto sides = std::make_unique<TwoSides>();
  auto b = model::load({test::source_path(base)}, sides->sources, sides->sink);
  auto p = model::load({test::source_path(proposed)}, sides->sources, sides->sink);
  REQUIRE_FALSE(sides->sink.has_errors());
  sides->models = model::build_diff_models(b, p, sides->sources, sides->sink);
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  return sides;
}

model::Scope spec_scope(const model::Model& m) {
  std::string error;
  auto scope = model::resolve_scope(m, {}, &error);
  REQUIRE(scope);
  return *scope;
}

solver::DiffReport run_diff(const TwoSides& sides) {
  const model::DiffModels& m = *sides.models;
  return solver::diff({m, spec_scope(m.base), spec_scope(m.proposed)}, {});
}

std::vector<std::string> rule_names(const model::Model& m, const std::vector<int>& ids) {
  std::vector<std::string> out;
  for (int id : ids) out.push_back(m.rules[id].name);
  return out;
}

const solver::CheckPair& check_named(const solver::DiffReport& report, const std::string& name) {
  for (const auto& pair : report.checks) {
    if (pair.name == name) return pair;
  }
  FAIL("no check named " << name);
  return report.checks.front();
}

std::vector<std::string> change_lines(const std::vector<model::Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) {
    std::string aspects;
    for (const auto& a : c.aspects) aspects += (aspects.empty() ? " (" : ", ") + a;
    out.push_back(fmt::format("{} {} {}{}", model::action_name(c.action), c.what, c.name,
                              aspects.empty() ? "" : aspects + ")"));
  }
  return out;
}

// The evaluator's own verdict on a witness: every rule of the allowing side
// holds, and exactly the blamed rules of the other side fail.
void require_witness_rechecks(const model::Model& merged, const solver::Witness& w, model::DiffSide allowing) {
  model::Evaluator evaluator(merged, w.instance);
  REQUIRE(evaluator.well_formed());
  for (int r : solver::side_rules(merged, allowing)) CHECK(evaluator.holds(merged.rules[r]));
  CHECK(evaluator.violated_rules() == w.blame);
}

model::Value attribute(const model::Model& m, const model::Instance& instance, const std::string& entity,
                       const std::string& attr) {
  int index = instance.find(entity);
  REQUIRE(index >= 0);
  const auto& e = instance.entities[index];
  int a = m.kinds[e.kind].attribute_index(attr);
  REQUIRE(a >= 0);
  return e.attributes[a];
}

struct CliRun {
  int code = -1;
  std::string out, err;
};

CliRun cspverify(std::vector<std::string> args) {
  std::ostringstream out, err;
  CliRun run;
  run.code = cli::run(args, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::string fixture(const std::string& name) { return test::source_path("tests/specs/diff/" + name); }

// A scratch directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "csp-diff-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()));
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

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

  solver::DiffReport report = run_diff(*sides);
  CHECK(change_lines(report.changes) == std::vector<std::string>{"added enum Tier", "added attribute Partner.tier",
                                                                 "added relation sponsor", "added rule gold_sellers"});
  CHECK(report.changes[0].vocabulary);
  CHECK_FALSE(report.changes[3].vocabulary);
  // The base rules say nothing about `tier`: any tier is fine to them.
  CHECK(report.semantic.newly_allowed.answer == Answer::None);
  REQUIRE(report.semantic.newly_forbidden.answer == Answer::Found);
  const solver::Witness& w = *report.semantic.newly_forbidden.witness;
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

  solver::DiffReport report = run_diff(*sides);
  CHECK(change_lines(report.changes) == std::vector<std::string>{"modified attribute Partner.mpa (type)"});
  REQUIRE(report.semantic.newly_allowed.answer == Answer::Found);
  const solver::Witness& w = *report.semantic.newly_allowed.witness;
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

  solver::DiffReport report = run_diff(*sides);
  CHECK(change_lines(report.changes) == std::vector<std::string>{"modified table caps (rows)"});
  REQUIRE(report.semantic.newly_allowed.answer == Answer::Found);
  const solver::Witness& w = *report.semantic.newly_allowed.witness;
  CHECK(attribute(merged, w.instance, "Partner1", "tier") == model::Value::enum_value(0, 1));
  CHECK(attribute(merged, w.instance, "Partner1", "rebate").v > 5);
  CHECK(attribute(merged, w.instance, "Partner1", "rebate").v <= 7);
  CHECK(report.semantic.newly_forbidden.answer == Answer::None);
  // The explanation reads in the side's own names.
  CHECK(w.explanations.at(0).at(1) == "  capped(p) is false with p = Partner1:");
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
  solver::DiffReport report = run_diff(*sides);
  const model::Model& merged = sides->models->merged;
  CHECK(change_lines(report.changes) == std::vector<std::string>{"modified rule mpa_before_sale (body, description)"});
  CHECK(report.semantic.newly_allowed.answer == Answer::None);
  REQUIRE(report.semantic.newly_forbidden.answer == Answer::Found);
  const solver::Witness& w = *report.semantic.newly_forbidden.witness;
  CHECK(w.minimal);
  CHECK(w.instance.entities.size() == 2);
  CHECK(rule_names(merged, w.blame) == std::vector<std::string>{"proposed:mpa_before_sale"});
  require_witness_rechecks(merged, w, model::DiffSide::Base);
  CHECK(w.explanations.at(0).back().find("s.seller.mpa_signed + 30 <= s.date is false") != std::string::npos);
  // The scenario signed a week before its sale: allowed before, forbidden now.
  const auto& signed_sale = check_named(report, "signed_sale");
  CHECK(signed_sale.base->status == solver::Status::Allowed);
  CHECK(signed_sale.proposed->status == solver::Status::Forbidden);
  CHECK(signed_sale.regression);
  CHECK_FALSE(check_named(report, "unsigned_sale").regression);
  CHECK_FALSE(check_named(report, "sellers_signed").changed());
  CHECK(report.exit_code() == 1);
}

TEST_CASE("diff: a rule rewritten into an equivalent form is equivalent within scope", "[diff]") {
  auto sides = sides_from_files("tests/specs/diff/base.cspv", "tests/specs/diff/equivalent.cspv");
  solver::DiffReport report = run_diff(*sides);
  CHECK(change_lines(report.changes) == std::vector<std::string>{"modified rule only_providers_bill (body)"});
  CHECK(report.semantic.equivalent());
  CHECK_FALSE(report.semantic.newly_allowed.witness);
  for (const auto& pair : report.checks) CHECK_FALSE(pair.changed());
  CHECK(report.exit_code() == 0);
}

TEST_CASE("diff: a widening that breaks a property is a regression with the new counterexample", "[diff]") {
  auto sides = sides_from_files("tests/specs/diff/base.cspv", "tests/specs/diff/waive_renewals.cspv");
  solver::DiffReport report = run_diff(*sides);
  const model::Model& merged = sides->models->merged;
  CHECK(report.semantic.newly_forbidden.answer == Answer::None);
  REQUIRE(report.semantic.newly_allowed.answer == Answer::Found);
  const solver::Witness& w = *report.semantic.newly_allowed.witness;
  CHECK(attribute(merged, w.instance, "Sale1", "renewal") == model::Value::boolean(true));
  CHECK(attribute(merged, w.instance, "Partner1", "mpa_signed").is_none());
  CHECK(rule_names(merged, w.blame) == std::vector<std::string>{"base:mpa_before_sale"});
  CHECK(w.explanations == std::vector<std::vector<std::string>>{
      {"for s = Sale1:", "  s.seller.mpa_signed <= s.date is false: none <= 1970-01-01"}});
  require_witness_rechecks(merged, w, model::DiffSide::Proposed);

  const auto& property = check_named(report, "sellers_signed");
  CHECK(property.base->status == solver::Status::Proved);
  CHECK(property.proposed->status == solver::Status::Violated);
  CHECK(property.regression);
  REQUIRE(property.proposed->instance);
  CHECK(property.proposed->instance->entities.size() == 2);
  CHECK_FALSE(check_named(report, "signed_sale").regression);
  CHECK(report.exit_code() == 1);
}

TEST_CASE("diff: a widening with no regression exits 0 unless --expect says otherwise", "[diff]") {
  auto sides = sides_from_files("tests/specs/diff/base.cspv", "tests/specs/diff/widening.cspv");
  solver::DiffReport report = run_diff(*sides);
  CHECK(report.semantic.newly_allowed.answer == Answer::Found);
  CHECK(report.semantic.newly_forbidden.answer == Answer::None);
  CHECK(report.exit_code() == 0);
  report.expected = solver::DiffExpectation::Widening;
  CHECK(report.exit_code() == 0);
  report.expected = solver::DiffExpectation::Tightening;
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
  solver::DiffReport report = run_diff(*sides);
  const auto& property = check_named(report, "all_signed");
  CHECK(property.declared_only_in == model::DiffSide::Base);
  CHECK(property.base->status == solver::Status::Proved);
  CHECK(property.proposed->status == solver::Status::Violated);
  CHECK(property.regression);
  const auto& scenario = check_named(report, "unsigned");
  CHECK(scenario.proposed->status == solver::Status::Allowed);
  CHECK(scenario.regression);
  CHECK(report.exit_code() == 1);
}

TEST_CASE("diff: a test that does not type-check on the other side runs on its own side only", "[diff]") {
  auto sides = sides_from_text("entity Partner { signed: Bool }\nproperty p { forall x: Partner | x.signed or not x.signed }\n",
                               "entity Partner { tier: Int }\n");
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  solver::DiffReport report = run_diff(*sides);
  const auto& property = check_named(report, "p");
  CHECK(property.base->status == solver::Status::Proved);
  CHECK_FALSE(property.proposed);
  CHECK_FALSE(property.regression);
}

// ------------------------------------------------------------------- CLI

TEST_CASE("diff command: exit codes, reports and --expect", "[diff]") {
  auto equivalent = cspverify({"diff", fixture("base.cspv"), fixture("equivalent.cspv"), "--no-timings"});
  CHECK(equivalent.code == 0);
  CHECK(equivalent.out.find("  verdict: equivalent within scope: both rule sets allow exactly the same instances\n") !=
        std::string::npos);
  CHECK(equivalent.out.find("summary: 1 text change; equivalent; 0 regressions; exit code 0\n") != std::string::npos);

  auto waive = cspverify({"diff", fixture("base.cspv"), fixture("waive_renewals.cspv"), "--no-timings"});
  CHECK(waive.code == 1);
  CHECK(waive.out.find("  property    sellers_signed  proved -> violated  REGRESSION\n") != std::string::npos);
  CHECK(waive.out.find("    forbidden by base rule (each one alone forbids the witness):\n"
                       "      mpa_before_sale (R04)\n") != std::string::npos);

  CHECK(cspverify({"diff", fixture("base.cspv"), fixture("widening.cspv")}).code == 0);
  auto contradicted = cspverify({"diff", fixture("base.cspv"), fixture("widening.cspv"), "--expect", "tightening"});
  CHECK(contradicted.code == 1);
  CHECK(contradicted.out.find("  expected: tightening: NOT AS EXPECTED\n") != std::string::npos);
  CHECK(cspverify({"diff", fixture("base.cspv"), fixture("equivalent.cspv"), "--expect", "equivalent"}).code == 0);

  auto unknown = cspverify({"diff", test::source_path("tests/specs/prove/pigeonhole_hard.cspv"),
                            fixture("pigeonhole_rule.cspv"), "--timeout", "1"});
  CHECK(unknown.code == 3);
  CHECK(unknown.out.find("  NEWLY FORBIDDEN  unknown: timeout after 1 s") != std::string::npos);

  auto json = cspverify({"diff", fixture("base.cspv"), fixture("widening.cspv"), "-f", "json", "--no-timings"});
  CHECK(json.code == 0);
  CHECK(json.out.find("\"verdict\": \"widening\"") != std::string::npos);
  CHECK(json.out.find("\"time_ms\"") == std::string::npos);
  auto markdown = cspverify({"diff", fixture("base.cspv"), fixture("widening.cspv"), "-f", "markdown"});
  CHECK(markdown.out.find("### Newly allowed") != std::string::npos);
}

TEST_CASE("diff command: bad input exits 2 with a clear message", "[diff]") {
  auto one_path = cspverify({"diff", fixture("base.cspv")});
  CHECK(one_path.code == 2);
  CHECK(one_path.err.find("expected two paths, BASE and PROPOSED, got 1 path") != std::string::npos);
  auto missing = cspverify({"diff", fixture("base.cspv"), fixture("missing.cspv")});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("missing.cspv`: no such file or directory") != std::string::npos);
  auto expect = cspverify({"diff", fixture("base.cspv"), fixture("base.cspv"), "--expect", "tightning"});
  CHECK(expect.code == 2);
  CHECK(expect.err.find("did you mean `tightening`?") != std::string::npos);
  auto format = cspverify({"diff", fixture("base.cspv"), fixture("base.cspv"), "-f", "sarif"});
  CHECK(format.code == 2);
  CHECK(format.err.find("format `sarif` is not available for diff") != std::string::npos);
  auto scope = cspverify({"diff", fixture("base.cspv"), fixture("base.cspv"), "--scope", "Partnr=2"});
  CHECK(scope.code == 2);

  TempDir dir;
  std::string bool_side = dir.write("a.cspv", "entity Partner { signed: Bool }\n");
  std::string date_side = dir.write("b.cspv", "entity Partner { signed: Date }\n");
  auto conflict = cspverify({"diff", bool_side, date_side});
  CHECK(conflict.code == 2);
  CHECK(conflict.err.find("error: attribute `Partner.signed` is `Bool` in base and `Date` in proposed") !=
        std::string::npos);
}

TEST_CASE("diff command: --base-rev takes BASE from a git revision of the same path", "[diff]") {
  TempDir repo;
  auto git = [&](const std::string& args) {
    std::string command = fmt::format("git -C '{}' -c user.name=test -c user.email=test@example.com {} >/dev/null 2>&1",
                                      repo.path.string(), args);
    REQUIRE(std::system(command.c_str()) == 0);
  };
  git("init -q");
  std::string policy = repo.write("policy.cspv", read(fixture("base.cspv")));
  git("add policy.cspv");
  git("commit -q -m base");
  repo.write("policy.cspv", read(fixture("waive_renewals.cspv")));

  auto diff = cspverify({"diff", "--base-rev", "HEAD", policy, "--no-timings"});
  CHECK(diff.code == 1);
  CHECK(diff.out.find(fmt::format("diff: HEAD:{} -> {}\n", policy, policy)) != std::string::npos);
  CHECK(diff.out.find("NEWLY ALLOWED    the proposed rules allow an instance the base rules forbid") !=
        std::string::npos);

  auto bad_rev = cspverify({"diff", "--base-rev", "no-such-rev", policy});
  CHECK(bad_rev.code == 2);
  CHECK(bad_rev.err.find("cannot read revision `no-such-rev`") != std::string::npos);

  std::string untracked = repo.write("new.cspv", "entity Partner {}\n");
  auto absent = cspverify({"diff", "--base-rev", "HEAD", untracked});
  CHECK(absent.code == 2);
  CHECK(absent.err.find(fmt::format("`{}` does not exist at revision `HEAD`", untracked)) != std::string::npos);

  TempDir outside;
  std::string loose = outside.write("loose.cspv", "entity Partner {}\n");
  auto not_git = cspverify({"diff", "--base-rev", "HEAD", loose});
  CHECK(not_git.code == 2);
  CHECK(not_git.err.find("is not in a git repository") != std::string::npos);
}

TEST_CASE("diff: an error that only the united vocabulary has is reported as such", "[diff]") {
  // Each side checks on its own; united, the base's bare `x` has two enums to belong to.
  auto sides = sides_from_text("enum A { x }\nentity E { a: A }\nrule r { forall e: E | e.a == x }\n",
                               "enum A { x }\nenum B { x }\nentity E { a: A }\nrule r { forall e: E | e.a == A.x }\n");
  CHECK_FALSE(sides->models);
  CHECK(sides->diagnostics().find("cspverify: error: the two sides cannot be checked over their united vocabulary\n") == 0);
  CHECK(sides->diagnostics().find("base.cspv:3:31: error:") != std::string::npos);
}

// ------------------------------------------------- the shipped proposals
// specs/changes/*/README.md says what each diff must show; the semantic
// difference and the properties are asserted here, the scenarios (slow: two
// sides of every documented scenario) in tests/cli/diff_proposals.sh.

namespace {

struct ProposalOutcome {
  std::unique_ptr<TwoSides> sides;
  std::vector<std::string> rule_changes;  // text changes other than properties and scenarios
  solver::SemanticDiff semantic;
  std::vector<solver::CheckPair> properties;
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
  outcome.sides = sides_from_files("specs", "specs/changes/" + name);
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

std::vector<std::string> blamed(const ProposalOutcome& outcome, const solver::Difference& d) {
  REQUIRE(d.witness);
  return rule_names(outcome.sides->models->merged, d.witness->blame);
}

}  // namespace

TEST_CASE("proposal cross_region_groups: newly allows sales within a group of regions", "[diff][proposals]") {
  auto outcome = proposal("cross_region_groups");
  CHECK(outcome.rule_changes == std::vector<std::string>{"added enum RegionGroup", "added table group_of",
                                                         "added define same_market",
                                                         "modified rule sell_only_in_own_region (body, description)"});
  REQUIRE(outcome.semantic.newly_allowed.answer == Answer::Found);
  CHECK(blamed(outcome, outcome.semantic.newly_allowed) == std::vector<std::string>{"base:sell_only_in_own_region"});
  require_witness_rechecks(outcome.sides->models->merged, *outcome.semantic.newly_allowed.witness,
                           model::DiffSide::Proposed);
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
  const auto& witness = outcome.semantic.newly_allowed.witness->instance;
  CHECK(attribute(merged, witness, "Transaction1", "new_business") == model::Value::boolean(false));
  require_witness_rechecks(merged, *outcome.semantic.newly_allowed.witness, model::DiffSide::Proposed);
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
  const auto& w = *outcome.semantic.newly_forbidden.witness;
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
  const auto& witness = outcome.semantic.newly_allowed.witness->instance;
  CHECK(attribute(merged, witness, "Transaction1", "reseller").is_none());
  require_witness_rechecks(merged, *outcome.semantic.newly_allowed.witness, model::DiffSide::Proposed);
  CHECK(outcome.semantic.newly_forbidden.answer == Answer::None);
  CHECK(outcome.regressions() == std::vector<std::string>{"every_sale_follows_a_supported_chain"});
}
