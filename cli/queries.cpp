#include "cli/queries.h"

#include <ostream>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/cross_check.h"

namespace csp::cli {

namespace fs = std::filesystem;

const char* const kDumpSmt2Help =
    "write every solver query that decides a verdict (consistency, properties, vacuity, scenarios, "
    "counterexample minimisation, diff's differences) under DIR, each a standalone SMT-LIB 2 script whose "
    "first line is Z3's answer (`; cspverify: unsat`)";
const char* const kCrossCheckHelp =
    "ask SOLVER (`cvc5`, installed) every query that Z3 decided, each within the time Z3 had left for it; "
    "an opposite answer is an internal error (exit 4), an undecided one is counted";

namespace {

bool usable_cross_checker(const std::string& name, std::ostream& err) {
  if (name != kCrossChecker) {
    fmt::print(err, "cspverify: error: invalid --cross-check `{}`: the one solver to cross-check with is `{}`\n",
               name, kCrossChecker);
    return false;
  }
  if (!on_path(kCrossChecker)) {
    fmt::print(err, "cspverify: error: --cross-check {0}: `{0}` is not installed (no `{0}` program in PATH; "
               "on Debian: apt-get install {0})\n", kCrossChecker);
    return false;
  }
  return true;
}

}  // namespace

std::optional<QueryOutputs> QueryOutputs::open(const std::string& dump_dir, const std::string& cross_check,
                                               std::ostream& err) {
  QueryOutputs outputs;
  if (!cross_check.empty() && !usable_cross_checker(cross_check, err)) return std::nullopt;
  outputs.cross_check_ = !cross_check.empty();
  fs::path dir = dump_dir;
  if (!dump_dir.empty()) {
    if (!prepare_output_directory("--dump-smt2", dump_dir, err)) return std::nullopt;
  } else if (outputs.cross_check_) {
    std::string error;
    outputs.temporary_ = TemporaryDirectory::create("cspverify-queries", &error);
    if (!outputs.temporary_) {
      fmt::print(err, "cspverify: error: --cross-check: {}\n", error);
      return std::nullopt;
    }
    dir = outputs.temporary_->path() / "queries";
  }
  if (!dir.empty()) outputs.log_ = std::make_unique<solver::QueryLog>(dir);
  return outputs;
}

int QueryOutputs::cross_check(unsigned jobs, bool stats, std::ostream& err) {
  if (!cross_check_) return kSuccess;
  std::string error;
  auto scratch = TemporaryDirectory::create("cspverify-cvc5", &error);
  if (!scratch) {
    fmt::print(err, "cspverify: error: --cross-check: {}\n", error);
    return kBadInput;
  }
  CrossCheckSummary summary = cli::cross_check(log_->queries(), jobs, scratch->path());
  print_summary(summary, stats, err);
  for (const auto& d : summary.disagreements) fmt::print(err, "cspverify: internal error: {}\n", d);
  if (!summary.disagreements.empty() && temporary_) {
    temporary_->keep();
    fmt::print(err, "cspverify: the queries are kept in `{}`\n", log_->directory().string());
  }
  return summary.disagreements.empty() ? kSuccess : kInternalError;
}

}  // namespace csp::cli
