// Asking cvc5 the queries Z3 answered (--cross-check cvc5; docs/queries.md):
// each query file is run by cvc5 as a separate process, after the run, so it
// takes no time from Z3's budgets. cvc5 saying sat where Z3 said unsat (or
// the reverse) is a disagreement; cvc5 giving up is not, but is counted.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "solver/query_log.h"

namespace csp::cli {

/// The one solver --cross-check accepts, and its program's name.
constexpr const char* kCrossChecker = "cvc5";

/// How a second solver's answer to a query compares with Z3's.
enum class Comparison {
  Agree,        // both decided it, alike
  Disagree,     // one says sat, the other unsat
  Undecided,    // Z3 decided it, the other solver did not (unknown, timeout, error)
  NotCompared,  // Z3 did not decide it: there is nothing to compare
};
Comparison compare_answers(solver::Answer z3, solver::Answer other);

/// cvc5's answer in its standard output (`sat`, `unsat` or `unknown` on the
/// first line); nullopt when it gave none (an error).
std::optional<solver::Answer> parse_cvc5_answer(const std::string& out);

/// The command line that asks cvc5 one query within `budget_ms` (its
/// --tlimit-per answers unknown at the limit; --tlimit would abort). Plain
/// cvc5, without heuristics such as --finite-model-find: the queries it
/// decides are what the cross-check trusts. On a quantified query that has a
/// model it mostly answers unknown; Z3's sat answers are re-checked by the
/// evaluator anyway, its unsat answers only by this.
std::vector<std::string> cvc5_command(const std::filesystem::path& file, double budget_ms);

struct CrossCheckSummary {
  int queries = 0;
  int agreed = 0;
  int undecided = 0;     // by cvc5, errors included
  int not_compared = 0;  // Z3 unknown
  std::vector<std::string> disagreements;  // one message each, in file order
  std::vector<std::string> errors;         // cvc5 failed to run or to read a query, in file order
  int not_asked = 0;     // the run was asked to stop (Ctrl-C, SIGTERM) first
  double wall_ms = 0;
};

/// Asks cvc5 every query that Z3 decided, on `jobs` threads (0: one per
/// hardware thread), each within the budget Z3 had for it; output is captured
/// in `scratch`. A stop request (model/stop.h) ends the cvc5 processes and
/// leaves the rest unasked.
CrossCheckSummary cross_check(const std::vector<solver::LoggedQuery>& queries, unsigned jobs,
                              const std::filesystem::path& scratch);

/// The one-line summary (`cvc5 could not decide N of M queries` among it),
/// each cvc5 failure, and with `stats` the figures.
void print_summary(const CrossCheckSummary& summary, bool stats, std::ostream& err);

}  // namespace csp::cli
