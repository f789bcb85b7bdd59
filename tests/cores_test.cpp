// Minimal cores beyond the first: the rules a proof needs ("why it holds"),
// and a forbidden scenario's other minimal cores (expect forbidden by, --all-cores).
// Every core reported as sufficient is proved again by the whole pipeline on
// the spec with every other rule removed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "model/frontend.h"
#include "solver/prover.h"
#include "tests/support/fixture.h"

using namespace csp;
using solver::CheckResult;
using solver::Status;

namespace {

struct Loaded {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::Model> model;
};

std::unique_ptr<Loaded> load(const std::string& relative) {
  auto out = std::make_unique<Loaded>();
  out->model = model::load_model({test::source_path(relative)}, out->sources, out->sink);
  INFO(model::render_all(out->sink, out->sources));
  REQUIRE(out->model);
  return out;
}

model::Scope spec_scope(const model::Model& m) {
  std::string error;
  auto scope = model::resolve_scope(m, {}, &error);
  REQUIRE(scope);
  return *scope;
}

const CheckResult& find(const std::vector<CheckResult>& results, const std::string& name) {
  auto found = std::find_if(results.begin(), results.end(), [&](const CheckResult& r) { return r.name == name; });
  REQUIRE(found != results.end());
  return *found;
}

std::vector<std::string> names(const model::Model& m, const std::vector<int>& ids) {
  std::vector<std::string> out;
  for (int id : ids) out.push_back(m.rules[id].name);
  std::sort(out.begin(), out.end());
  return out;
}

// The spec again, with only the rules named `keep`: the re-solve is then an
// independent run of the whole pipeline, not of the core machinery.
std::unique_ptr<Loaded> with_only(const std::string& relative, const std::vector<std::string>& keep) {
  auto spec = load(relative);
  auto& rules = spec->model->rules;
  rules.erase(std::remove_if(rules.begin(), rules.end(),
                             [&](const model::FormulaDecl& rule) {
                               return std::find(keep.begin(), keep.end(), rule.name) == keep.end();
                             }),
              rules.end());
  REQUIRE(rules.size() == keep.size());
  return spec;
}

Status verdict_with_only(const std::string& relative, const std::string& property, const std::vector<std::string>& keep,
                         bool unbounded) {
  auto spec = with_only(relative, keep);
  solver::SolveOptions options;
  options.timeout_seconds = 20;
  options.unbounded = unbounded;
  options.proof_cores = false;
  auto results = solver::prove(*spec->model, spec_scope(*spec->model), options, property);
  return find(results, property).status;
}

const char* kProofs = "tests/specs/cores/proofs.cspv";
const char* kScenarios = "tests/specs/cores/scenarios.cspv";

}  // namespace

TEST_CASE("a proof's core names exactly the rules it needs", "[cores]") {
  auto spec = load(kProofs);
  const auto& m = *spec->model;
  for (bool unbounded : {true, false}) {
    INFO((unbounded ? "proved for every size" : "--bounded"));
    solver::SolveOptions options;
    options.unbounded = unbounded;
    auto results = solver::prove(m, spec_scope(m), options);
    const auto& r = find(results, "vips_signed");
    REQUIRE(r.status == Status::Proved);
    CHECK(r.unbounded == unbounded);
    CHECK(r.proof_core);
    CHECK(r.core_minimal);
    CHECK(names(m, r.core) == std::vector<std::string>{"active_signed", "vips_active"});
    // Sufficient, and each rule needed: without it the property no longer holds.
    CHECK(verdict_with_only(kProofs, "vips_signed", {"active_signed", "vips_active"}, unbounded) == Status::Proved);
    CHECK(verdict_with_only(kProofs, "vips_signed", {"active_signed", "seats_counted"}, unbounded) == Status::Violated);
    CHECK(verdict_with_only(kProofs, "vips_signed", {"vips_active", "seats_counted"}, unbounded) == Status::Violated);
  }
}

TEST_CASE("a property true by the vocabulary alone has an empty proof core", "[cores]") {
  auto spec = load(kProofs);
  const auto& m = *spec->model;
  auto results = solver::prove(m, spec_scope(m), {}, std::string("roles_are_known"));
  const auto& r = find(results, "roles_are_known");
  REQUIRE(r.status == Status::Proved);
  CHECK(r.proof_core);
  CHECK(r.core_minimal);
  CHECK(r.core.empty());
  CHECK(verdict_with_only(kProofs, "roles_are_known", {}, true) == Status::Proved);
}

TEST_CASE("no proof core is computed when none is asked for, nor for a violated property", "[cores]") {
  auto spec = load("tests/specs/prove/small.cspv");
  const auto& m = *spec->model;
  solver::SolveOptions options;
  options.proof_cores = false;
  auto results = solver::prove(m, spec_scope(m), options);
  const auto& proved = find(results, "reseller_signed");
  REQUIRE(proved.status == Status::Proved);
  CHECK_FALSE(proved.proof_core);
  CHECK(proved.core.empty());
  auto with_cores = solver::prove(m, spec_scope(m), {});
  const auto& violated = find(with_cores, "no_affiliate_sale");
  REQUIRE(violated.status == Status::Violated);
  CHECK_FALSE(violated.proof_core);
  CHECK(violated.core.empty());
}

TEST_CASE("each shipped property's proof core suffices on its own", "[cores][shipped]") {
  const std::string shipped = "specs/csp/properties.cspv";
  auto spec = load(shipped);
  const auto& m = *spec->model;
  solver::SolveOptions options;
  options.minimize = false;  // the two documented gaps' counterexamples are not what this is about
  auto results = solver::prove(m, spec_scope(m), options);
  int proved = 0;
  for (const auto& r : results) {
    if (r.kind != CheckResult::Kind::Property || r.status != Status::Proved) continue;
    INFO("property " << r.name);
    ++proved;
    REQUIRE(r.proof_core);
    CHECK(r.core_minimal);
    CHECK(r.core.size() < m.rules.size());
    CHECK(verdict_with_only(shipped, r.name, names(m, r.core), r.unbounded) == Status::Proved);
  }
  CHECK(proved >= 7);
}

TEST_CASE("expect forbidden by X passes when X is in some minimal core, not only the first", "[cores]") {
  auto spec = load(kScenarios);
  const auto& m = *spec->model;
  auto results = solver::check_scenarios(m, {});
  const auto& approval = find(results, "by_approval");
  const auto& review = find(results, "by_review");
  for (const auto* r : {&approval, &review}) {
    INFO("scenario " << r->name);
    CHECK(r->status == Status::Forbidden);
    CHECK(r->meets_expectation());
    CHECK(r->core_minimal);
  }
  CHECK(names(m, approval.core) == std::vector<std::string>{"approved"});
  CHECK(names(m, review.core) == std::vector<std::string>{"audited", "chained"});
  // The same facts give the same first core, which one of the two expectations lacks:
  // that one searched, and says which core it found first.
  const CheckResult& searched = approval.core_search ? approval : review;
  const CheckResult& other = approval.core_search ? review : approval;
  REQUIRE(searched.core_search);
  CHECK_FALSE(other.core_search);
  CHECK(searched.core_search->found);
  CHECK(searched.core_search->first_core == other.core);
  // The facts reported are the ones the reported core needs, not the first core's.
  CHECK(approval.core_facts == std::vector<std::string>{"S1.approved = false"});
  CHECK(review.core_facts == std::vector<std::string>{"S1.flagged = true", "S1.logged = false"});
}

TEST_CASE("expect forbidden by X fails when no minimal core has X, and says the search was complete", "[cores]") {
  auto spec = load(kScenarios);
  const auto& m = *spec->model;
  auto results = solver::check_scenarios(m, {});
  for (const char* name : {"by_both", "by_harmless"}) {
    INFO("scenario " << name);
    const auto& r = find(results, name);
    CHECK(r.status == Status::Forbidden);
    CHECK_FALSE(r.meets_expectation());
    REQUIRE(r.core_search);
    CHECK_FALSE(r.core_search->found);
    CHECK(r.core_search->complete);
    CHECK(r.core_search->first_core == r.core);
  }
}

TEST_CASE("listing every core (--all-cores) gives exactly the two minimal cores of a scenario", "[cores]") {
  auto spec = load(kScenarios);
  const auto& m = *spec->model;
  solver::SolveOptions options;
  options.all_cores = true;
  auto results = solver::check_scenarios(m, options, std::string("by_review"));
  const auto& r = find(results, "by_review");
  REQUIRE(r.all_cores);
  CHECK(r.all_cores->complete);
  CHECK(r.all_cores->incomplete_reason.empty());
  std::vector<std::vector<std::string>> listed;
  for (const auto& core : r.all_cores->cores) listed.push_back(names(m, core));
  REQUIRE(listed.size() == 2);
  CHECK(listed[0] == names(m, r.core));  // the reported core leads
  std::sort(listed.begin(), listed.end());
  CHECK(listed == std::vector<std::vector<std::string>>{{"approved"}, {"audited", "chained"}});

  SECTION("--max-cores 1 stops the list and says there are more") {
    options.max_cores = 1;
    auto bounded = solver::check_scenarios(m, options, std::string("by_approval"));
    const auto& b = find(bounded, "by_approval");
    REQUIRE(b.all_cores);
    CHECK_FALSE(b.all_cores->complete);
    CHECK(b.all_cores->cores.size() == 1);
    CHECK(b.all_cores->incomplete_reason == "there are more than --max-cores 1");
  }
}

TEST_CASE("listing every core of the shipped scenarios: each is minimal and listed once", "[cores][shipped]") {
  auto spec = load("specs/scenarios/documented.cspv");
  const auto& m = *spec->model;
  solver::SolveOptions options;
  options.all_cores = true;
  options.repair = false;
  auto results = solver::check_scenarios(m, options);
  int listed = 0;
  for (const auto& r : results) {
    if (r.status != Status::Forbidden) continue;
    INFO("scenario " << r.name);
    REQUIRE(r.all_cores);
    CHECK(r.all_cores->complete);
    const auto& cores = r.all_cores->cores;
    REQUIRE_FALSE(cores.empty());
    CHECK(cores.front() == r.core);
    // No core contains another: each is minimal, none listed twice.
    for (std::size_t i = 0; i < cores.size(); ++i) {
      for (std::size_t j = 0; j < cores.size(); ++j) {
        if (i != j) CHECK_FALSE(std::includes(cores[j].begin(), cores[j].end(), cores[i].begin(), cores[i].end()));
      }
    }
    listed += static_cast<int>(cores.size());
  }
  CHECK(listed > 0);
}
