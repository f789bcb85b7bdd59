// cspverify lint (docs/lint.md): the premise a rule's shape gives, the
// declarations nothing reads, and the solver-based checks on the small specs
// of tests/specs/lint/ (redundant, vacuous, unneeded, coverage), each with
// its core and its bound. The CLI side (exit codes, reports) is in
// tests/cli/lint.sh.
#include <catch2/catch.hpp>

#include <algorithm>

#include "model/evaluator.h"
#include "model/frontend.h"
#include "model/premise.h"
#include "model/usage.h"
#include "solver/lint.h"
#include "tests/support/fixture.h"

using namespace csp;

namespace {

struct Loaded {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::Model> model;
};

std::unique_ptr<Loaded> load(const std::string& relative) {
  auto out = std::make_unique<Loaded>();
  out->model = model::load_model({test::source_path(relative)}, out->sources, out->sink);
  if (!out->model) FAIL(model::render_all(out->sink, out->sources));
  return out;
}

model::LintReport lint(const model::Model& m, bool unbounded = true) {
  solver::SolveOptions options;
  options.timeout_seconds = 10;
  options.unbounded = unbounded;
  options.jobs = 2;
  std::string error;
  auto scope = model::resolve_scope(m, {}, &error);
  REQUIRE(scope);
  return solver::lint(m, *scope, options);
}

std::vector<std::string> ids_about(const model::LintReport& report, const std::string& subject) {
  std::vector<std::string> ids;
  for (const auto& f : report.findings) {
    if (f.subject == subject) ids.push_back(f.id);
  }
  return ids;
}

const model::LintFinding& finding(const model::LintReport& report, const std::string& id, const std::string& subject) {
  for (const auto& f : report.findings) {
    if (f.id == id && f.subject == subject) return f;
  }
  FAIL("no " << id << " finding about " << subject);
  return report.findings.front();
}

std::vector<std::string> rule_names(const model::Model& m, const std::vector<int>& ids) {
  std::vector<std::string> names;
  for (int id : ids) names.push_back(m.rules[id].name);
  return names;
}

// The premise of the one rule of `text`, printed back as source.
std::string premise_text(const std::string& rule_body) {
  auto checked = test::check_text("enum Role { provider, reseller }\n"
                                  "entity Partner { role: Role, signed: Bool, score: Int }\n"
                                  "relation partnership(p: Partner, r: Partner)\n"
                                  "rule r { " + rule_body + " }\n");
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  model::Premise premise = model::premise_of(checked.model->rules[0]);
  return (premise.conditional ? "conditional: " : "unconditional: ") + model::to_string(*checked.model, *premise.formula.body);
}

}  // namespace

TEST_CASE("lint: a rule's premise follows its shape", "[lint]") {
  CHECK(premise_text("forall p: Partner | p.signed == true implies p.score > 0") ==
        "conditional: exists p: Partner | p.signed == true");
  // `a or b` reads `not a implies b`: the last disjunct is what is demanded.
  CHECK(premise_text("forall p, q: Partner | p == q or partnership(p, q) or p.score > 1") ==
        "conditional: exists p, q: Partner | not p == q and not partnership(p, q)");
  // Each conjunct is its own obligation: the rule applies when one of them does.
  CHECK(premise_text("forall p: Partner | (p.role == provider implies p.signed == true) and "
                     "(p.role == reseller implies p.score > 0)") ==
        "conditional: exists p: Partner | p.role == provider or p.role == reseller");
  // A nested quantifier under a premise adds its own.
  CHECK(premise_text("forall p: Partner | p.role == provider implies forall q: Partner | partnership(p, q) "
                     "implies q.signed == true") ==
        "conditional: exists p: Partner | p.role == provider and (exists q: Partner | partnership(p, q))");
  CHECK(premise_text("forall p: Partner | p.score > 0") == "unconditional: exists p: Partner | true");
  CHECK(premise_text("forall p: Partner | p.signed == true iff p.score > 0") == "unconditional: exists p: Partner | true");
}

TEST_CASE("lint: where a rule's premise is false, the rule holds", "[lint]") {
  auto checked = test::check_text("entity Sale { refund: Bool, amount: Int }\n"
                                  "rule r { forall s: Sale | s.refund == false or s.amount < 100 }\n");
  REQUIRE(checked.model);
  const auto& m = *checked.model;
  model::Premise premise = model::premise_of(m.rules[0]);
  model::Instance instance;
  instance.relations.resize(m.relations.size());
  auto sale = [&](bool refund, std::int64_t amount) {
    instance.entities.push_back({"S" + std::to_string(instance.entities.size()), 0,
                                 {model::Value::boolean(refund), model::Value::integer(amount)}});
  };
  sale(false, 500);
  CHECK_FALSE(model::Evaluator(m, instance).holds(premise.formula));
  CHECK(model::Evaluator(m, instance).holds(m.rules[0]));
  sale(true, 5);
  CHECK(model::Evaluator(m, instance).holds(premise.formula));
}

TEST_CASE("lint: declarations no rule or property reads", "[lint]") {
  auto loaded = load("tests/specs/lint/unused.cspv");
  std::vector<std::pair<std::string, std::string>> found;
  for (const auto& u : model::unused_declarations(*loaded->model)) found.emplace_back(u.lint_id, u.name);
  std::vector<std::pair<std::string, std::string>> expected = {
      {"unused-define", "is_reseller"},        {"unused-define", "helper_of_unused"},
      {"unused-attribute", "Partner.nickname"}, {"unused-relation", "partnership"},
      {"unused-table", "discount"},            {"unused-enum", "Colour"},
  };
  CHECK(found == expected);
}

TEST_CASE("lint: an import is unused when nothing reads what it writes", "[lint]") {
  auto checked = test::check_text(
      "entity Partner { id_text: Int, score: Int }\n"
      "relation partnership(p: Partner, r: Partner)\n"
      "relation audit_log(p: Partner, q: Partner)\n"
      "rule r { forall p, q: Partner | partnership(p, q) implies p.score > 0 }\n"
      "import Partner from \"partners.csv\" key \"id\" { id_text = \"n\", score = \"s\" }\n"
      "import Partner from \"extra.csv\" join \"id\" { id_text = \"n\" }\n"
      "import partnership from \"p.csv\" { p = \"a\", r = \"b\" }\n"
      "import audit_log from \"log.csv\" { p = \"a\", q = \"b\" }\n");
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  std::vector<std::string> imports;
  for (const auto& u : model::unused_declarations(*checked.model)) {
    if (u.lint_id == "unused-import") imports.push_back(u.name);
  }
  // extra.csv only sets an attribute nothing reads; log.csv fills a relation nothing reads.
  CHECK(imports == std::vector<std::string>{"import of Partner", "import of audit_log"});
}

TEST_CASE("lint: a rule the others imply names a minimal implying set, for every size", "[lint][solver]") {
  auto loaded = load("tests/specs/lint/redundant.cspv");
  const auto& m = *loaded->model;
  auto report = lint(m);
  const auto& redundant = finding(report, "redundant-rule", "no_reseller_sells");
  CHECK(rule_names(m, redundant.rules) == std::vector<std::string>{"only_providers_sell"});
  CHECK(redundant.bound == "for every instance, of any size");
  // The two rules say the same: only the later one is reported.
  CHECK(ids_about(report, "only_providers_sell").empty());
  CHECK(ids_about(report, "positive_amounts").empty());
  CHECK(report.undecided.empty());
}

TEST_CASE("lint: within the scope only, the finding says so", "[lint][solver]") {
  auto loaded = load("tests/specs/lint/redundant.cspv");
  auto report = lint(*loaded->model, false);
  CHECK(finding(report, "redundant-rule", "no_reseller_sells").bound == "within scope Partner=3, Sale=3");
}

TEST_CASE("lint: a rule whose premise never holds is vacuous, with the rules that block it", "[lint][solver]") {
  auto loaded = load("tests/specs/lint/vacuous.cspv");
  const auto& m = *loaded->model;
  auto report = lint(m);
  const auto& vacuous = finding(report, "vacuous-rule", "refunds_are_small");
  CHECK(rule_names(m, vacuous.rules) == std::vector<std::string>{"no_refunds"});
  CHECK(vacuous.message.find("its premise never holds given `no_refunds` (V-1)") != std::string::npos);
  // Vacuous, so not reported again as redundant; and nothing needs or exercises it.
  CHECK(ids_about(report, "refunds_are_small") ==
        std::vector<std::string>{"vacuous-rule", "unneeded-rule", "uncovered-rule"});
  CHECK(ids_about(report, "no_refunds").empty());
}

TEST_CASE("lint: rules no proof and no scenario needs, and a property that needs no rule", "[lint][solver]") {
  auto loaded = load("tests/specs/lint/unneeded.cspv");
  const auto& m = *loaded->model;
  auto report = lint(m);
  CHECK(ids_about(report, "active_partners_score").empty());
  CHECK(ids_about(report, "scores_are_bounded") == std::vector<std::string>{"unneeded-rule"});
  CHECK(ids_about(report, "inactive_partners_score_nothing") ==
        std::vector<std::string>{"unneeded-rule", "uncovered-rule"});
  CHECK(ids_about(report, "tautology") == std::vector<std::string>{"property-needs-no-rule"});
  // Coverage: the allowed scenario's active partner makes N-1's premise hold; N-2 is unconditional.
  REQUIRE(report.coverage.size() == 3);
  CHECK(report.coverage[0].applying == std::vector<std::string>{"active_partner"});
  CHECK(report.coverage[1].applying == std::vector<std::string>{"active_partner"});
  CHECK_FALSE(report.coverage[2].covered());
  CHECK(report.covered_rules() == 2);
}

TEST_CASE("lint: the clean spec has no finding and full coverage", "[lint][solver]") {
  auto loaded = load("tests/specs/lint/clean.cspv");
  auto report = lint(*loaded->model);
  CHECK(report.findings.empty());
  CHECK(report.undecided.empty());
  CHECK(report.covered_rules() == 2);
  REQUIRE(report.coverage.size() == 2);
  CHECK(report.coverage[0].forbidding == std::vector<std::string>{"reseller_sells"});
  CHECK(report.coverage[1].forbidding == std::vector<std::string>{"unsigned_sells"});
}

TEST_CASE("lint: rules without any instance skip the solver checks and say why", "[lint][solver]") {
  auto checked = test::check_text("entity Partner { score: Int }\n"
                                  "rule some \"a partner exists\" { exists p: Partner | p.score > 0 }\n"
                                  "rule none_positive \"no positive scores\" { forall p: Partner | p.score <= 0 }\n");
  REQUIRE(checked.model);
  auto report = lint(*checked.model);
  CHECK(report.solver_checks_skipped.find("no instance satisfies the rules") != std::string::npos);
  CHECK(report.solver_checks_skipped.find("`some`, `none_positive`") != std::string::npos);
  for (const auto& f : report.findings) CHECK(f.id != "redundant-rule");
}

TEST_CASE("lint: the rules needed are the union of the cores", "[lint]") {
  CHECK(solver::rules_needed(4, {{0, 2}, {2}, {}}) == std::vector<bool>{true, false, true, false});
  CHECK(solver::rules_needed(2, {}) == std::vector<bool>{false, false});
}
