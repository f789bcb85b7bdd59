// --dump-smt2 DIR and --cross-check cvc5, shared by prove, check, verify and
// diff (docs/queries.md): where the solver writes every query that decides a
// verdict (solver/query_log.h), and the cross-check after the run.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "cli/process.h"
#include "solver/query_log.h"

namespace csp::cli {

/// --help of --dump-smt2 and --cross-check, alike for every command.
extern const char* const kDumpSmt2Help;
extern const char* const kCrossCheckHelp;

/// The queries' destination for one run: --dump-smt2 DIR, or a temporary
/// directory when --cross-check is given alone (removed afterwards, unless a
/// disagreement keeps it for a look).
class QueryOutputs {
 public:
  /// Checks both options before any solving: DIR can be written, the solver
  /// is `cvc5` and installed. nullopt after writing the error to `err`.
  static std::optional<QueryOutputs> open(const std::string& dump_dir, const std::string& cross_check,
                                          std::ostream& err);

  /// Where the solver writes the queries; null when neither option is given.
  solver::QueryLog* log() const { return log_.get(); }

  /// With --cross-check: cvc5 on every query, a one-line summary on `err`
  /// (and with `stats` the figures). An exit code: kInternalError after
  /// writing each disagreement to `err`, kBadInput when cvc5's scratch
  /// directory cannot be made, else kSuccess (also without --cross-check).
  int cross_check(unsigned jobs, bool stats, std::ostream& err);

 private:
  std::unique_ptr<solver::QueryLog> log_;
  std::optional<TemporaryDirectory> temporary_;  // without --dump-smt2
  bool cross_check_ = false;
};

}  // namespace csp::cli
