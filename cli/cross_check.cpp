#include "cli/cross_check.h"

#include <chrono>
#include <cmath>
#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/process.h"
#include "model/stop.h"
#include "model/parallel.h"

namespace csp::cli {

namespace fs = std::filesystem;

namespace {

// cvc5 stops itself at the budget; a process still running this much later is killed.
constexpr std::chrono::milliseconds kKillGrace{10000};

struct Outcome {
  bool asked = false;
  Comparison comparison = Comparison::NotCompared;
  std::string cvc5_says;  // its answer, or why there is none
  bool error = false;
};

Outcome ask_cvc5(const solver::LoggedQuery& query, const fs::path& scratch) {
  Outcome outcome;
  if (model::stop_requested()) return outcome;
  outcome.asked = true;
  if (query.answer == solver::Answer::Unknown) return outcome;
  auto limit = std::chrono::milliseconds(static_cast<long long>(std::ceil(query.budget_ms))) + kKillGrace;
  ProgramOutput run = run_program(cvc5_command(query.file, query.budget_ms), scratch, limit, model::stop_requested);
  std::optional<solver::Answer> answer = parse_cvc5_answer(run.out);
  if (answer) {
    outcome.comparison = compare_answers(query.answer, *answer);
    outcome.cvc5_says = solver::answer_name(*answer);
    return outcome;
  }
  outcome.comparison = Comparison::Undecided;
  outcome.error = !run.timed_out && !model::stop_requested();
  std::string said = first_line(run.out.empty() ? run.err : run.out);
  outcome.cvc5_says = run.timed_out ? "no answer (killed at the time limit)"
                                    : fmt::format("no answer (exit {}: {})", run.status, said);
  return outcome;
}

void count(CrossCheckSummary& summary, const solver::LoggedQuery& query, const Outcome& outcome) {
  if (!outcome.asked) {
    ++summary.not_asked;
    return;
  }
  switch (outcome.comparison) {
    case Comparison::Agree: ++summary.agreed; break;
    case Comparison::Undecided: ++summary.undecided; break;
    case Comparison::NotCompared: ++summary.not_compared; break;
    case Comparison::Disagree:
      summary.disagreements.push_back(fmt::format("Z3 and cvc5 disagree on {}: Z3 says {}, cvc5 says {} (query: {})",
                                                  query.description, solver::answer_name(query.answer),
                                                  outcome.cvc5_says, query.file.string()));
      break;
  }
  if (outcome.error) summary.errors.push_back(fmt::format("{}: {}", query.file.string(), outcome.cvc5_says));
}

}  // namespace

Comparison compare_answers(solver::Answer z3, solver::Answer other) {
  if (z3 == solver::Answer::Unknown) return Comparison::NotCompared;
  if (other == solver::Answer::Unknown) return Comparison::Undecided;
  return z3 == other ? Comparison::Agree : Comparison::Disagree;
}

std::optional<solver::Answer> parse_cvc5_answer(const std::string& out) {
  std::string line = first_line(out);
  if (line == "sat") return solver::Answer::Sat;
  if (line == "unsat") return solver::Answer::Unsat;
  if (line == "unknown") return solver::Answer::Unknown;
  return std::nullopt;
}

std::vector<std::string> cvc5_command(const fs::path& file, double budget_ms) {
  long long ms = std::max(1LL, static_cast<long long>(std::ceil(budget_ms)));
  return {kCrossChecker, "--lang", "smt2", fmt::format("--tlimit-per={}", ms), file.string()};
}

CrossCheckSummary cross_check(const std::vector<solver::LoggedQuery>& queries, unsigned jobs, const fs::path& scratch) {
  auto start = std::chrono::steady_clock::now();
  std::vector<Outcome> outcomes(queries.size());
  model::parallel_for(queries.size(), jobs, [&](std::size_t i) { outcomes[i] = ask_cvc5(queries[i], scratch); });
  CrossCheckSummary summary;
  summary.queries = static_cast<int>(queries.size());
  for (std::size_t i = 0; i < queries.size(); ++i) count(summary, queries[i], outcomes[i]);
  summary.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

void print_summary(const CrossCheckSummary& s, bool stats, std::ostream& err) {
  std::string line = fmt::format("cross-check: cvc5 agrees with Z3 on {} of {} queries", s.agreed, s.queries);
  if (s.undecided > 0) line += fmt::format("; cvc5 could not decide {} of {} queries", s.undecided, s.queries);
  if (s.not_compared > 0) line += fmt::format("; {} that Z3 could not decide not compared", s.not_compared);
  if (s.not_asked > 0) line += fmt::format("; {} not asked: the run was interrupted", s.not_asked);
  fmt::print(err, "{}\n", line);
  for (const auto& e : s.errors) fmt::print(err, "cross-check: cvc5 failed on {}\n", e);
  if (stats) {
    fmt::print(err, "stats: cross-check {:.1f} ms wall, {} queries: {} agreed, {} undecided by cvc5, {} not compared, "
               "{} not asked, {} disagreements\n", s.wall_ms, s.queries, s.agreed, s.undecided, s.not_compared,
               s.not_asked, s.disagreements.size());
  }
}

}  // namespace csp::cli
