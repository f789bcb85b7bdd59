#include "cli/queries.h"

#include "cli/commands.h"

namespace csp::cli {

const char* const kDumpSmt2Help =
    "write every solver query that decides a verdict (consistency, properties, vacuity, scenarios, "
    "counterexample minimisation, diff's differences) under DIR, each a standalone SMT-LIB 2 script whose "
    "first line is Z3's answer (`; cspverify: unsat`)";

std::optional<QueryOutputs> QueryOutputs::open(const std::string& dump_dir, std::ostream& err) {
  QueryOutputs outputs;
  if (dump_dir.empty()) return outputs;
  if (!prepare_output_directory("--dump-smt2", dump_dir, err)) return std::nullopt;
  outputs.log_ = std::make_unique<solver::QueryLog>(dump_dir);
  return outputs;
}

}  // namespace csp::cli
