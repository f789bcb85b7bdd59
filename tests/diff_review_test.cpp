// The review a diff gives (issue 11): the headline with the regressions
// first, several distinct witnesses with the rules on each side, the sale
// preferred in a witness of a rule about sales, the warning on a verdict that
// rests on an attribute a scenario leaves unset, and the HTML and DOT reports.
// All on tests/specs/diff/review_*.cspv, a few entities each: seconds in all.
#include <catch2/catch.hpp>

#include <sstream>

#include "cli/commands.h"
#include "reports/diff_report.h"
#include "tests/diff_support.h"

using namespace csp;
using namespace csp::test;

namespace {

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

const std::string kBase = "tests/specs/diff/review_base.cspv";
const std::string kChange = "tests/specs/diff/review_change.cspv";

std::vector<std::string> diff_args(std::vector<std::string> more) {
  std::vector<std::string> args{"diff", source_path(kBase), "--change", source_path(kChange), "--no-timings"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

model::DiffReport run_review(const TwoSides& sides, unsigned witnesses) {
  const model::DiffModels& m = *sides.models;
  solver::SolveOptions options;
  options.witnesses = witnesses;
  return solver::diff({m, spec_scope(m.base), spec_scope(m.proposed)}, options);
}

bool has_kind(const model::Model& m, const model::Instance& instance, const std::string& kind) {
  for (const auto& e : instance.entities) {
    if (m.kinds[e.kind].name == kind) return true;
  }
  return false;
}

std::string original(const model::Model& merged, int rule) { return model::split_side(merged.rules[rule].name)->second; }

}  // namespace

TEST_CASE("diff --witnesses: distinct by the rule that stops blocking, then by clause, the sale first", "[diff][review]") {
  auto sides = sides_from_change(kBase, kChange);
  model::DiffReport report = run_review(*sides, 3);
  const model::Model& merged = sides->models->merged;
  const model::Difference& allowed = report.semantic.newly_allowed;
  REQUIRE(allowed.answer == Answer::Found);
  REQUIRE(allowed.witnesses.size() == 3);
  for (const auto& w : allowed.witnesses) require_witness_rechecks(merged, w, model::DiffSide::Proposed);

  // The smallest witness of same_region is a Link (3 entities); its rule
  // speaks of sales too, and a Sale has more references: the sale is shown.
  const model::Witness& first = allowed.witnesses[0];
  CHECK(first.distinct == model::Witness::Distinct::First);
  REQUIRE(first.blame.size() == 1);
  CHECK(original(merged, first.blame[0]) == "same_region");
  CHECK(has_kind(merged, first.instance, "Sale"));
  CHECK_FALSE(has_kind(merged, first.instance, "Link"));
  // Allowed by the proposed version of the same rule.
  REQUIRE(first.counterparts[0] >= 0);
  CHECK(merged.rules[first.counterparts[0]].name == "proposed:same_region");

  // Then a witness that satisfies same_region: the grace period of R05.
  const model::Witness& second = allowed.witnesses[1];
  CHECK(second.distinct == model::Witness::Distinct::Rule);
  REQUIRE(second.blame.size() == 1);
  CHECK(original(merged, second.blame[0]) == "reseller_signed");

  // Then same_region again, broken in its other clause: the link.
  const model::Witness& third = allowed.witnesses[2];
  CHECK(third.distinct == model::Witness::Distinct::Clause);
  REQUIRE(third.blame.size() == 1);
  CHECK(original(merged, third.blame[0]) == "same_region");
  CHECK(has_kind(merged, third.instance, "Link"));
  CHECK_FALSE(has_kind(merged, third.instance, "Sale"));

  CHECK(report.semantic.newly_forbidden.answer == Answer::None);
}

TEST_CASE("diff --witnesses: fewer than asked when no distinct one exists within scope", "[diff][review]") {
  auto sides = sides_from_text("entity P { n: Int }\nrule r { forall p: P | p.n != 7 }\nscope 2\n",
                               "entity P { n: Int }\nrule r { forall p: P | p.n != 7 or p.n == 7 }\nscope 2\n");
  model::DiffReport report = run_review(*sides, 3);
  const model::Difference& allowed = report.semantic.newly_allowed;
  REQUIRE(allowed.answer == Answer::Found);
  // One rule, one clause, one kind: nothing else can be distinct.
  CHECK(allowed.witnesses.size() == 1);
  CHECK(allowed.no_more_witnesses);
}

TEST_CASE("diff: a scenario allowed only because it leaves a new attribute unset gets a warning", "[diff][review]") {
  auto sides = sides_from_change(kBase, kChange);
  model::DiffReport report = run_review(*sides, 1);
  const model::CheckPair& late = check_named(report, "late_reseller");
  CHECK(late.regression);
  REQUIRE(late.depends_on_unset.size() == 1);
  CHECK(late.depends_on_unset[0].name == "Partner.enrolled_on");
  CHECK(late.depends_on_unset[0].entities == std::vector<std::string>{"P1", "R1"});
  // A scenario whose verdict did not change gets no warning.
  CHECK(check_named(report, "signed_reseller").depends_on_unset.empty());
}

TEST_CASE("diff text and markdown: the headline and the regressions come first", "[diff][review]") {
  auto text = cspverify(diff_args({"--expect", "widening"}));
  INFO(text.out << text.err);
  CHECK(text.code == 1);
  std::string head = fmt::format("diff: {} -> {} + {}\n\n2 regressions; widening; exit code 1\n"
                                 "  REGRESSION  property resellers_signed_by_the_sale  proved -> violated\n"
                                 "  REGRESSION  scenario late_reseller  forbidden -> allowed (expected forbidden by R05)\n"
                                 "      warning: verdict depends on unset attribute Partner.enrolled_on (P1, R1 leave it "
                                 "unset; with it none the scenario is forbidden, as under base)\n"
                                 "  --expect widening: met (nothing newly forbidden)\n"
                                 "  newly allowed: 1 witness, blamed on base rule same_region (R13)\n"
                                 "  newly forbidden: none within scope\n\ntext changes:\n",
                                 source_path(kBase), source_path(kBase), source_path(kChange));
  CHECK(text.out.rfind(head, 0) == 0);
  CHECK(text.out.find("        allowed by proposed rule same_region (R13), which holds on it\n") != std::string::npos);
  CHECK(text.out.find("as expected") == std::string::npos);

  auto markdown = cspverify(diff_args({"--expect", "widening", "-f", "markdown"}));
  INFO(markdown.out);
  CHECK(markdown.code == 1);
  CHECK(markdown.out.rfind("## cspverify diff: 2 regressions; widening; exit code 1\n", 0) == 0);
  std::size_t regressions = markdown.out.find("### Regressions\n");
  std::size_t semantic = markdown.out.find("### Semantic difference\n");
  std::size_t changes = markdown.out.find("### Text changes\n");
  REQUIRE(regressions != std::string::npos);
  CHECK(regressions < semantic);
  CHECK(semantic < changes);
  CHECK(markdown.out.find("| scenario | `late_reseller` | forbidden -> allowed | **REGRESSION (expected forbidden by R05)** |") !=
        std::string::npos);
  CHECK(markdown.out.find("> **Warning**, scenario `late_reseller`: verdict depends on unset attribute "
                          "Partner.enrolled_on") != std::string::npos);
  CHECK(markdown.out.find("<details><summary>Newly allowed: witness (minimal: 4 entities)</summary>") !=
        std::string::npos);
  CHECK(markdown.out.find("<details><summary>rule <code>same_region</code>: text diff</summary>") != std::string::npos);
  // Changed rows only: the unchanged scenario and the consistency are counted, not listed.
  CHECK(markdown.out.find("`signed_reseller`") == std::string::npos);
  CHECK(markdown.out.find("2 checks are the same under both sides.\n") != std::string::npos);
  CHECK(markdown.out.find("as expected") == std::string::npos);
}

TEST_CASE("diff html and dot: the witness graphs, regressions first", "[diff][review]") {
  TempDir dir;
  auto run = cspverify(diff_args({"--witnesses", "2", "-f", "html", "-f", "dot", "-o", dir.path.string()}));
  INFO(run.out << run.err);
  CHECK(run.code == 1);
  std::string dot = read_file(dir.path / "cspverify-diff.dot");
  CHECK(dot.find("digraph \"newly allowed witness 1\" {") != std::string::npos);
  CHECK(dot.find("digraph \"newly allowed witness 2\" {") != std::string::npos);
  // Which partner sells in the regression's counterexample is the solver's choice.
  CHECK((dot.find("\"Sale1\" -> \"Partner1\" [label=\"seller\"];") != std::string::npos ||
         dot.find("\"Sale1\" -> \"Partner2\" [label=\"seller\"];") != std::string::npos));
  std::string html = read_file(dir.path / "cspverify-diff.html");
  std::size_t regressions = html.find("<h2>Regressions</h2>");
  std::size_t semantic = html.find("<h2>Semantic difference</h2>");
  REQUIRE(regressions != std::string::npos);
  CHECK(regressions < semantic);
  CHECK(html.find("<h3>newly allowed witness 2 (minimal: ") != std::string::npos);
  CHECK(html.find("distinct by rule: it satisfies every rule blamed for the witnesses above") != std::string::npos);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("warning: verdict depends on unset attribute Partner.enrolled_on") != std::string::npos);
}

TEST_CASE("diff --witnesses: out of range is bad input", "[diff][review]") {
  auto run = cspverify(diff_args({"--witnesses", "0"}));
  CHECK(run.code == 2);
  CHECK(run.err.find("invalid --witnesses `0`: expected a whole number from 1 to 20") != std::string::npos);
}
