// The audit's reports (`cspverify audit`): one AuditReport, written in text,
// JSON, CSV, SARIF, JUnit or HTML (docs/audit.md describes each). Like the
// other reports they are deterministic: the same data gives the same bytes,
// timings aside.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "audit/data.h"
#include "audit/evaluate.h"
#include "model/ast.h"
#include "model/diagnostics.h"
#include "reports/report.h"

namespace csp::reports {

/// A shard's part of a sharded audit (`--shard K/N`): what `cspverify merge`
/// checks and reads back (docs/audit.md, "Shards").
struct AuditShardInfo {
  unsigned index = 0;
  unsigned count = 1;
  std::string specs_hash;  // as prove's shards (cli::specs_hash)
  std::string data_hash;   // of every data file's bytes, in the order read
  /// The options that change results or their report, as given (option -> value), sorted.
  std::vector<std::pair<std::string, std::string>> options;
};

struct AuditReport {
  std::vector<std::string> inputs;  // spec paths as given
  std::string data_dir;
  const audit::DataSet* data = nullptr;
  const audit::AuditResult* result = nullptr;  // null when the data stopped the run before evaluation
  std::vector<model::Diagnostic> data_errors;  // sorted, as reported on stderr
  int exit_code = 0;
  int interrupted_by = 0;  // the signal that stopped the run, or 0
  double load_ms = 0;
  double evaluate_ms = 0;
  std::optional<AuditShardInfo> shard;  // a shard's report: the JSON gets a `shard` object
  /// Entities per kind and tuples per relation when they are not those of
  /// `data->instance` (a merged report's instance holds only the entities its
  /// violations name); empty: counted in the instance.
  std::vector<std::uint64_t> entity_counts, tuple_counts;
};

enum class AuditFormat { Text, Json, Csv, Sarif, Junit, Html };

std::optional<AuditFormat> parse_audit_format(std::string_view name);
std::string_view audit_format_name(AuditFormat format);
/// Extension of a report file, without the dot: `txt`, `json`, `csv`, `sarif`, `junit.xml`, `html`.
std::string_view audit_format_extension(AuditFormat format);
std::vector<std::string> audit_format_names();

/// The exit code of an audit (0 clean, 1 violations, 2 bad data, 3 a rule
/// undecided (an Int outside 64 bits) and nothing worse, 130/143 interrupted).
int audit_exit_code(const audit::DataSet* data, const audit::AuditResult* result,
                    const std::vector<model::Diagnostic>& data_errors);

void write_audit_report(AuditFormat format, const AuditReport& report, const ReportContext& context,
                        std::ostream& out);

/// "summary: 25 records read, ...": the text report's last line without
/// timings, which the console prints when every report goes to files (--out).
std::string audit_summary_line(const AuditReport& report, const ReportContext& context);

void write_audit_text(const AuditReport& report, const ReportContext& context, std::ostream& out);
void write_audit_json(const AuditReport& report, const ReportContext& context, std::ostream& out);
void write_audit_csv(const AuditReport& report, const ReportContext& context, std::ostream& out);
void write_audit_sarif(const AuditReport& report, const ReportContext& context, std::ostream& out);
void write_audit_junit(const AuditReport& report, const ReportContext& context, std::ostream& out);
void write_audit_html(const AuditReport& report, const ReportContext& context, std::ostream& out);

}  // namespace csp::reports
