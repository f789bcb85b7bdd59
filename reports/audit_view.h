// What every audit report says, computed once: entity labels, fact texts and
// locations, the summary per rule and per partner, the relationship subgraph
// of a violation, and the run's totals. The writers only lay these out.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reports/audit.h"
#include "reports/view.h"

namespace csp::reports {

/// "Transaction 42226ED6" (kind and data key).
std::string entity_label(const model::Model& model, const model::Instance& instance, int entity);
/// The data key alone.
std::string entity_key(const model::Instance& instance, int entity);
std::string entity_kind(const model::Model& model, const model::Instance& instance, int entity);

/// What a fact says: "Transaction 42226ED6", "Partner 4847383 mpa_signed",
/// "partnership(1000001, 4847383)".
std::string fact_text(const model::Model& model, const model::Instance& instance, const audit::Fact& fact);

/// "subscriptions.ndjson:17" for a record.
std::string record_where(const model::SourceManager& sources, model::SourceRange record);

struct AuditTotals {
  std::uint64_t records_read = 0, records_skipped = 0, records_filtered = 0, records_checked = 0;
  std::size_t rules = 0, rules_evaluated = 0, rules_violated = 0, rules_not_run = 0, rules_unknown = 0;
  std::uint64_t violations = 0;
  std::size_t data_errors = 0;
  int exit_code = 0;
  std::string interrupted_by;  // "SIGINT", or empty
  bool evaluated = false;      // false when the data stopped the run first
};
AuditTotals audit_totals(const AuditReport& report, const model::Model& model);
/// "1000000 records read, 0 skipped, 0 filtered, 1000000 checked; 18 rules, 3 violated; 12 violations; 0 data errors"
std::string totals_text(const AuditTotals& totals);

/// Violations per partner: each Partner entity a violation binds or reads.
struct PartnerSummary {
  int entity = -1;
  std::uint64_t violations = 0;
  std::vector<int> rules;  // rule ids, in rule order
};
/// Partners with violations, most first (then by key); empty when the model has no `Partner` kind.
std::vector<PartnerSummary> partner_summaries(const model::Model& model, const AuditReport& report);

/// The relationship subgraph of a violation: the entities it binds and the
/// references and tuples its evaluation read between entities.
struct SubgraphEdge {
  int from = -1, to = -1;  // entities
  std::string label;       // attribute or relation name
};
struct Subgraph {
  std::vector<int> nodes;     // entities, bound ones first
  std::vector<SubgraphEdge> edges;
};
Subgraph violation_subgraph(const model::Model& model, const model::Instance& instance, const audit::Violation& v);

/// "for t = Transaction 42226ED6, p = Partner 4847383".
std::string bindings_text(const model::Model& model, const model::Instance& instance, const audit::Violation& v);

/// "rules_not_run" of an interrupted run: rules selected but not evaluated.
std::vector<int> rules_not_run(const AuditReport& report);

/// One-line data error: "file:line:col: message".
std::string data_error_line(const model::SourceManager& sources, const model::Diagnostic& d);

}  // namespace csp::reports
