// A sharded diff (docs/sharding.md): its work items, the share each shard
// runs (solver::DiffShare), the exit code of a shard that leaves a direction
// to another, and the diff's JSON report read back for `cspverify merge`.
// On tests/specs/diff/review_*.cspv, a few entities each.
#include <catch2/catch.hpp>

#include <csignal>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/shard.h"
#include "model/stop.h"
#include "reports/diff_report.h"
#include "reports/json_reader.h"
#include "tests/diff_support.h"

using namespace csp;
using namespace csp::test;

namespace {

const std::string kBase = "tests/specs/diff/review_base.cspv";
const std::string kChange = "tests/specs/diff/review_change.cspv";

model::DiffReport run_share(const TwoSides& sides, const std::optional<solver::DiffShare>& share) {
  const model::DiffModels& m = *sides.models;
  solver::SolveOptions options;
  options.witnesses = 2;
  return solver::diff({m, spec_scope(m.base), spec_scope(m.proposed)}, options, share);
}

std::string json_of(const model::DiffReport& report, const TwoSides& sides) {
  const model::DiffModels& m = *sides.models;
  reports::DiffContext context{m.base_checks, m.proposed_checks, m.merged, sides.sources, "base", "proposed", false};
  context.witnesses = 2;
  std::ostringstream out;
  reports::write_diff_json(report, context, out);
  return out.str();
}

std::vector<std::string> statuses(const model::DiffReport& report) {
  std::vector<std::string> out;
  for (const auto& pair : report.checks) {
    out.push_back(fmt::format("{} {}: {} -> {}{}", static_cast<int>(pair.kind), pair.name,
                              pair.base ? model::status_name(pair.base->status) : "absent",
                              pair.proposed ? model::status_name(pair.proposed->status) : "absent",
                              pair.regression ? " regression" : ""));
  }
  return out;
}

}  // namespace

TEST_CASE("diff work items: the two directions, then each check once, in report order", "[diff][shard]") {
  // The proposed side drops scenario `gone` and adds property `fresh` and scenario `added`.
  const std::string base = R"(
entity Partner { signed: Bool }
rule all_signed "every partner signed" { forall p: Partner | p.signed }
property kept "no partner unsigned" { forall p: Partner | p.signed }
scenario gone "a signed partner" { P1: Partner { signed = true } expect allowed }
scenario both "an unsigned partner" { P1: Partner { signed = false } expect forbidden }
)";
  const std::string proposed = R"(
entity Partner { signed: Bool }
rule all_signed "every partner signed" { forall p: Partner | p.signed or not p.signed }
property kept "no partner unsigned" { forall p: Partner | p.signed }
property fresh "trivially" { forall p: Partner | p.signed or not p.signed }
scenario both "an unsigned partner" { P1: Partner { signed = false } expect forbidden }
scenario added "two partners" { P1: Partner { signed = true } P2: Partner { signed = true } expect allowed }
)";
  auto sides = sides_from_text(base, proposed);
  REQUIRE(sides->models);
  CHECK(cli::diff_work_items(*sides->models) ==
        std::vector<std::string>{"newly_allowed", "newly_forbidden", "consistency", "property:kept", "property:fresh",
                                 "scenario:gone", "scenario:both", "scenario:added"});
}

TEST_CASE("two diff shards run the whole diff between them, each check under both sides", "[diff][shard]") {
  auto sides = sides_from_change(kBase, kChange);
  model::DiffReport whole = run_share(*sides, std::nullopt);
  REQUIRE(whole.semantic.newly_allowed.answer == model::Difference::Answer::Found);

  solver::DiffShare first;
  first.newly_allowed = true;
  first.consistency = true;
  first.properties = {"resellers_signed_by_the_sale"};
  solver::DiffShare second;
  second.newly_forbidden = true;
  second.scenarios = {"late_reseller", "signed_reseller"};
  model::DiffReport a = run_share(*sides, first);
  model::DiffReport b = run_share(*sides, second);

  // Each shard's checks are its own pairs, with both sides' verdicts.
  CHECK(statuses(a) == std::vector<std::string>{statuses(whole)[0], statuses(whole)[1]});
  CHECK(statuses(b) == std::vector<std::string>{statuses(whole)[2], statuses(whole)[3]});
  CHECK(b.checks[0].depends_on_unset.size() == whole.checks[2].depends_on_unset.size());
  // A direction another shard searches is marked so, and is not an unknown of this shard.
  CHECK(a.semantic.newly_allowed.witnesses.size() == whole.semantic.newly_allowed.witnesses.size());
  CHECK(a.semantic.newly_forbidden.elsewhere);
  CHECK(b.semantic.newly_allowed.elsewhere);
  CHECK(b.semantic.newly_forbidden.answer == whole.semantic.newly_forbidden.answer);
  CHECK(a.exit_code() == 1);  // the property regressed
  CHECK(b.exit_code() == 1);  // the scenario regressed

  solver::DiffShare directions_only;
  directions_only.newly_forbidden = true;
  model::DiffReport c = run_share(*sides, directions_only);
  CHECK(c.checks.empty());
  CHECK(c.semantic.newly_allowed.elsewhere);
  CHECK(c.exit_code() == 0);  // nothing found newly forbidden, and newly allowed is not this shard's
}

TEST_CASE("a diff's JSON report reads back into the report it was written from", "[diff][shard][json]") {
  auto sides = sides_from_change(kBase, kChange);
  solver::DiffShare share;
  share.newly_allowed = true;
  share.scenarios = {"late_reseller"};
  for (bool sharded : {false, true}) {
    INFO((sharded ? "a shard's report" : "a whole report"));
    model::DiffReport report = run_share(*sides, sharded ? std::optional<solver::DiffShare>(share) : std::nullopt);
    report.expected = model::DiffExpectation::Tightening;
    if (sharded) {
      model::ShardInfo info;
      info.index = 1;
      info.count = 2;
      info.items = {"newly_allowed", "scenario:late_reseller"};
      info.specs_hash = "fnv1a64:0000000000000000";
      info.options = {{"witnesses", "2"}};
      report.shard = info;
    }
    std::string written = json_of(report, *sides);
    std::string error;
    auto read = reports::read_diff_json_report(nlohmann::ordered_json::parse(written), *sides->models, sides->sources,
                                               &error);
    INFO(error);
    REQUIRE(read);
    // What the caller fills in from the models and the options.
    read->changes = report.changes;
    read->semantic.scope = report.semantic.scope;
    read->expected = report.expected;
    CHECK(json_of(*read, *sides) == written);
    CHECK(read->exit_code() == report.exit_code());
    CHECK(read->semantic.newly_forbidden.elsewhere == sharded);
  }
}

TEST_CASE("a diff JSON report whose regression does not follow from its sides is refused", "[diff][shard][json]") {
  auto sides = sides_from_change(kBase, kChange);
  model::DiffReport report = run_share(*sides, std::nullopt);
  auto doc = nlohmann::ordered_json::parse(json_of(report, *sides));
  doc["checks"][1]["regression"] = false;  // the property, proved -> violated
  std::string error;
  CHECK_FALSE(reports::read_diff_json_report(doc, *sides->models, sides->sources, &error));
  CHECK(error == "property `resellers_signed_by_the_sale`: `regression` does not follow from its two sides");
}

TEST_CASE("a diff interrupted before any check lists every check of its share as not run", "[diff][shard]") {
  auto sides = sides_from_change(kBase, kChange);
  solver::DiffShare scenarios_only;
  scenarios_only.newly_forbidden = true;
  scenarios_only.scenarios = {"late_reseller", "signed_reseller"};
  model::request_stop(SIGINT);
  model::DiffReport whole = run_share(*sides, std::nullopt);
  model::DiffReport share = run_share(*sides, scenarios_only);
  model::clear_stop();
  auto not_run = [](const model::DiffReport& report) {
    std::vector<std::string> out;
    for (const auto& n : report.not_run) out.push_back(fmt::format("{} {}", static_cast<int>(n.kind), n.name));
    return out;
  };
  // The consistency check answers unknown (interrupted) on both sides; no other check was reached on
  // either side: none is a change, and each is listed as not run, in report order.
  CHECK(statuses(whole) == std::vector<std::string>{"0 rules: unknown -> unknown"});
  CHECK(whole.interrupted_by == SIGINT);
  CHECK(not_run(whole) == std::vector<std::string>{"1 resellers_signed_by_the_sale", "2 late_reseller",
                                                   "2 signed_reseller"});
  CHECK(not_run(share) == std::vector<std::string>{"2 late_reseller", "2 signed_reseller"});
}
