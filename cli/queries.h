// --dump-smt2 DIR, shared by prove, check, verify and diff: where the solver
// writes every query that decides a verdict (solver/query_log.h).
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "solver/query_log.h"

namespace csp::cli {

/// --help of --dump-smt2, alike for every command.
extern const char* const kDumpSmt2Help;

/// The queries' destination for one run: --dump-smt2 DIR.
class QueryOutputs {
 public:
  /// Checks before any solving that DIR can be written. nullopt after
  /// writing the error to `err`.
  static std::optional<QueryOutputs> open(const std::string& dump_dir, std::ostream& err);

  /// Where the solver writes the queries; null without --dump-smt2.
  solver::QueryLog* log() const { return log_.get(); }

 private:
  std::unique_ptr<solver::QueryLog> log_;
};

}  // namespace csp::cli
