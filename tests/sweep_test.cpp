// Scope sweeps (model/sweep.h, cli/commands.h): which step decides a check's
// verdict over the sweep, and the `--scope A..B` / `A,B,...` syntax.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "model/sweep.h"

using csp::model::CheckResult;
using csp::model::RunReport;
using csp::model::Status;

namespace {

CheckResult step(const std::string& name, int bound, Status status) {
  CheckResult r;
  r.kind = name == "rules" ? CheckResult::Kind::Consistency : CheckResult::Kind::Property;
  r.name = name;
  r.sweep_bound = bound;
  r.status = status;
  r.unbounded = bound == 0 && status == Status::Proved;
  return r;
}

RunReport sweep_of(std::vector<CheckResult> results) {
  RunReport report;
  report.command = "prove";
  report.sweep = {1, 2, 3};
  report.results = std::move(results);
  return report;
}

}  // namespace

TEST_CASE("sweep: the smallest scope with a counterexample decides, with every step listed", "[sweep]") {
  auto report = sweep_of({step("p", 1, Status::Proved), step("p", 2, Status::Violated), step("p", 3, Status::Violated),
                          step("p", 0, Status::Violated)});
  auto verdicts = csp::model::sweep_verdicts(report);
  REQUIRE(verdicts.size() == 1);
  CHECK(verdicts[0].status == Status::Violated);
  CHECK(verdicts[0].sweep_bound == 2);
  REQUIRE(verdicts[0].sweep_steps.size() == 4);
  CHECK(verdicts[0].sweep_steps.back().bound == 0);  // the attempt for every size last
  CHECK(csp::model::exit_code(report) == 1);
}

TEST_CASE("sweep: a counterexample beyond every scope, then a proof for every size", "[sweep]") {
  auto beyond = csp::model::sweep_verdicts(
      sweep_of({step("p", 1, Status::Proved), step("p", 2, Status::Proved), step("p", 0, Status::Violated)}));
  CHECK(beyond[0].status == Status::Violated);
  CHECK(beyond[0].sweep_bound == 0);
  auto proved = sweep_of({step("p", 1, Status::Unknown), step("p", 2, Status::Proved), step("p", 0, Status::Proved)});
  CHECK(csp::model::sweep_verdicts(proved)[0].unbounded);
  CHECK(csp::model::exit_code(proved) == 0);  // the proof for every size covers the undecided step
}

TEST_CASE("sweep: inconsistency or vacuity at a small scope only says it is too small", "[sweep]") {
  auto report = sweep_of({step("rules", 1, Status::Inconsistent), step("rules", 2, Status::Consistent),
                          step("p", 1, Status::Vacuous), step("p", 2, Status::Proved), step("p", 0, Status::Unknown)});
  auto verdicts = csp::model::sweep_verdicts(report);
  REQUIRE(verdicts.size() == 2);
  CHECK(verdicts[0].status == Status::Consistent);
  CHECK(verdicts[1].status == Status::Proved);
  CHECK(verdicts[1].sweep_bound == 2);
  CHECK(csp::model::exit_code(report) == 0);  // an unknown attempt for every size is a note, as without a sweep
  auto vacuous = sweep_of({step("p", 1, Status::Vacuous), step("p", 2, Status::Vacuous)});
  CHECK(csp::model::sweep_verdicts(vacuous)[0].sweep_bound == 2);
  CHECK(csp::model::exit_code(vacuous) == 1);
  auto undecided = sweep_of({step("p", 1, Status::Proved), step("p", 2, Status::Unknown), step("p", 3, Status::Proved)});
  CHECK(csp::model::sweep_verdicts(undecided)[0].sweep_bound == 2);
  CHECK(csp::model::exit_code(undecided) == 3);
}

TEST_CASE("sweep: --scope A..B and A,B,... parse to increasing bounds; Kind=N stays fixed", "[sweep]") {
  std::ostringstream err;
  auto range = csp::cli::parse_scopes({"2..4", "Partner=5"}, err, "prove");
  REQUIRE(range);
  CHECK(range->sweep == std::vector<int>{2, 3, 4});
  CHECK_FALSE(range->all);
  CHECK(range->per_kind.at("Partner") == 5);
  auto list = csp::cli::parse_scopes({"4,8,16"}, err, "prove");
  REQUIRE(list);
  CHECK(list->sweep == std::vector<int>{4, 8, 16});
  CHECK(csp::cli::parse_scopes({"3"}, err, "prove")->sweep.empty());  // a single bound is no sweep
  for (const char* bad : {"4..2", "8,4", "2,,3", "0..2", "1..1001"}) {
    std::ostringstream why;
    CHECK_FALSE(csp::cli::parse_scopes({bad}, why, "prove"));
    CHECK(why.str().find("a scope sweep is A..B with A <= B") != std::string::npos);
  }
  std::ostringstream not_prove;
  CHECK_FALSE(csp::cli::parse_scopes({"2..4"}, not_prove));
  CHECK(not_prove.str().find("which only `cspverify prove` runs") != std::string::npos);
}
