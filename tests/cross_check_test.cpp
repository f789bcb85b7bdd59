// --dump-smt2 and --cross-check: the query log's file names, and the
// comparison of a second solver's answers with Z3's (a disagreement is found
// without any test hook: the log is given a query whose answer is wrong).
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/cross_check.h"
#include "cli/queries.h"
#include "solver/query_log.h"
#include "tests/support/fixture.h"

using namespace csp;
using csp::test::read_file;
using csp::test::TempDir;
using solver::Answer;

namespace {

const char* kSatScript = "(set-logic ALL)\n(declare-fun x () Int)\n(assert (> x 1))\n(check-sat)\n";
const char* kUnsatScript = "(set-logic ALL)\n(declare-fun x () Int)\n(assert (> x 1))\n(assert (< x 0))\n(check-sat)\n";

// A query as the solver layer logs it, with `z3` as Z3's answer.
void log_query(solver::QueryLog& log, const std::string& name, Answer z3, const std::string& script) {
  solver::QueryItem item(&log, name);
  item.asking("property", "", 5000, [&]() { return script; });
  item.answered(z3);
}

std::vector<std::string> file_names(const std::vector<solver::LoggedQuery>& queries) {
  std::vector<std::string> names;
  for (const auto& q : queries) names.push_back(q.file.filename().string());
  return names;
}

}  // namespace

TEST_CASE("a second solver's answer is compared with Z3's", "[cross-check]") {
  using cli::Comparison;
  CHECK(cli::compare_answers(Answer::Unsat, Answer::Unsat) == Comparison::Agree);
  CHECK(cli::compare_answers(Answer::Sat, Answer::Sat) == Comparison::Agree);
  CHECK(cli::compare_answers(Answer::Unsat, Answer::Sat) == Comparison::Disagree);
  CHECK(cli::compare_answers(Answer::Sat, Answer::Unsat) == Comparison::Disagree);
  CHECK(cli::compare_answers(Answer::Unsat, Answer::Unknown) == Comparison::Undecided);
  CHECK(cli::compare_answers(Answer::Sat, Answer::Unknown) == Comparison::Undecided);
  CHECK(cli::compare_answers(Answer::Unknown, Answer::Sat) == Comparison::NotCompared);
  CHECK(cli::compare_answers(Answer::Unknown, Answer::Unknown) == Comparison::NotCompared);
}

TEST_CASE("cvc5's answer is the first line of its output; anything else is no answer", "[cross-check]") {
  CHECK(cli::parse_cvc5_answer("sat\n") == Answer::Sat);
  CHECK(cli::parse_cvc5_answer("unsat\n") == Answer::Unsat);
  CHECK(cli::parse_cvc5_answer("unknown\n") == Answer::Unknown);
  CHECK(cli::parse_cvc5_answer("(error \"Parse Error: f.smt2:3.4: ...\")\n") == std::nullopt);
  CHECK(cli::parse_cvc5_answer("") == std::nullopt);
  CHECK(cli::parse_cvc5_answer("unsatisfiable\n") == std::nullopt);
}

TEST_CASE("cvc5 gets the time Z3 had left, as a per-query limit", "[cross-check]") {
  auto command = cli::cvc5_command("/q/001-property-p.smt2", 1499.2);
  CHECK(command == std::vector<std::string>{"cvc5", "--lang", "smt2", "--tlimit-per=1500", "/q/001-property-p.smt2"});
  CHECK(cli::cvc5_command("f.smt2", 0.2)[3] == "--tlimit-per=1");
}

TEST_CASE("query files are numbered by check, not by the order they finish in", "[cross-check]") {
  TempDir dir;
  solver::QueryLog log(dir.path);
  int first = log.reserve(2);  // two scenarios, handed to threads
  solver::QueryItem later(&log, first + 1, "S2");
  solver::QueryItem earlier(&log, first, "S1");
  later.asking("scenario", "", 100, [] { return std::string(kSatScript); });  // finishes first
  later.answered(Answer::Sat);
  earlier.asking("scenario", "", 100, [] { return std::string(kUnsatScript); });
  earlier.answered(Answer::Unsat);
  earlier.asking("minimise", "entities", 50, [] { return std::string(kUnsatScript); });
  earlier.answered(Answer::Unsat);
  earlier.asking("minimise", "cardinality", 0, [] { return std::string("never built"); });  // no time left: not asked
  earlier.answered(Answer::Unknown);
  solver::QueryItem off;  // no log: nothing is built or written
  off.asking("property", "", 100, []() -> std::string { FAIL("the script of an unlogged query was built"); return ""; });
  off.answered(Answer::Sat);

  CHECK(file_names(log.queries()) == std::vector<std::string>{"000-scenario-S1.smt2", "000.001-minimise-S1-entities.smt2",
                                                              "001-scenario-S2.smt2"});
  std::string text = read_file(dir.path / "000.001-minimise-S1-entities.smt2");
  CHECK(text.rfind("; cspverify: unsat\n; minimise `S1` (entities), asked with 50 ms of the check's budget left\n", 0) == 0);
  CHECK(text.find(kUnsatScript) != std::string::npos);
}

TEST_CASE("a query asked but never answered stays on disk as unknown", "[cross-check]") {
  TempDir dir;
  solver::QueryLog log(dir.path);
  solver::QueryItem item(&log, "crowded");
  item.asking("scenario", "", 1000, [] { return std::string(kSatScript); });
  CHECK(read_file(dir.path / "000-scenario-crowded.smt2").rfind("; cspverify: unknown\n", 0) == 0);
  CHECK(log.queries().empty());  // listed only with an answer
}

TEST_CASE("diff's parts are numbered apart, in directories of their own", "[cross-check]") {
  TempDir dir;
  solver::QueryLog log(dir.path);
  log_query(log.part("base"), "rules", Answer::Sat, kSatScript);
  log_query(log.part("proposed"), "rules", Answer::Sat, kSatScript);
  auto queries = log.queries();
  REQUIRE(queries.size() == 2);
  CHECK(queries[0].file == dir.path / "base" / "000-property-rules.smt2");
  CHECK(queries[1].file == dir.path / "proposed" / "000-property-rules.smt2");
}

// Needs cvc5 (scripts/setup.sh --tests installs it).
TEST_CASE("cvc5 contradicting Z3 is a disagreement naming the query, both answers and the file", "[cross-check]") {
  TempDir dir;
  solver::QueryLog log(dir.path / "queries");
  log_query(log, "agreed", Answer::Unsat, kUnsatScript);
  log_query(log, "wrong", Answer::Unsat, kSatScript);  // as if Z3 (or the encoding) were wrong
  log_query(log, "z3_gave_up", Answer::Unknown, kSatScript);
  log_query(log, "broken", Answer::Sat, "(set-logic ALL)\n(assert ((_ at-most 1) true))\n(check-sat)\n");
  std::filesystem::create_directories(dir.path / "scratch");

  cli::CrossCheckSummary summary = cli::cross_check(log.queries(), 2, dir.path / "scratch");
  CHECK(summary.queries == 4);
  CHECK(summary.agreed == 1);
  CHECK(summary.not_compared == 1);
  CHECK(summary.undecided == 1);  // cvc5 cannot read the last one
  REQUIRE(summary.errors.size() == 1);
  CHECK(summary.errors[0].find("003-property-broken.smt2: no answer (exit 1: (error") != std::string::npos);
  REQUIRE(summary.disagreements.size() == 1);
  CHECK(summary.disagreements[0] ==
        fmt::format("Z3 and cvc5 disagree on property `wrong`: Z3 says unsat, cvc5 says sat (query: {})",
                    (dir.path / "queries" / "001-property-wrong.smt2").string()));
}

TEST_CASE("cross-check: cvc5 is the one solver accepted", "[cross-check]") {
  std::ostringstream err;
  CHECK_FALSE(cli::QueryOutputs::open("", "yices", err));
  CHECK(err.str() == "cspverify: error: invalid --cross-check `yices`: the one solver to cross-check with is `cvc5`\n");
  auto none = cli::QueryOutputs::open("", "", err);
  REQUIRE(none);
  CHECK(none->log() == nullptr);  // neither option: nothing is written
}
