// The audit's JSON report read back (docs/audit.md, "JSON report" and
// "Shards"): `cspverify merge` joins the reports of a sharded audit into the
// data counts, rule outcomes, violations and data errors a single run would
// have had, then writes them with the audit's own writers. The merge needs
// neither the data files nor a solver: what the writers need beyond the
// report's fields (columns, the facts' parts, the relationship subgraphs,
// the records each shard skipped) is in each shard's `shard` object.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "audit/data.h"
#include "audit/evaluate.h"
#include "model/ast.h"
#include "model/source.h"
#include "reports/audit.h"

namespace csp::reports {

/// The joined reports, owning what `report` points to.
struct MergedAudit {
  audit::DataSet data;
  std::optional<audit::AuditResult> result;
  AuditReport report;
  /// Tuples no shard had, because they name records of two shards: rules that
  /// follow them from one record to the other saw less than a single run.
  std::uint64_t cross_shard_tuples = 0;
};

/// Joins the audit JSON reports of shards 0..N-1 (in that order, each
/// parsed as nlohmann::ordered_json) of a run on `model`, whose spec files
/// `sources` holds; the data files are added to `sources` as stand-ins that
/// have each record's line and column (the reports show no data text).
/// Violations come out in the single run's order, at most `max_violations`
/// per rule (0: all). nullptr after writing the reason to `error`.
std::unique_ptr<MergedAudit> merge_audit_reports(const std::vector<const nlohmann::ordered_json*>& shards,
                                                 const model::Model& model, model::SourceManager& sources,
                                                 std::uint64_t max_violations, std::string* error);

}  // namespace csp::reports
