// The lint report (docs/lint.md) in each format: `cspverify lint` writes it
// alone, `verify` beside its results. Findings are warnings, or errors with
// --strict, each at the declaration it is about.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "reports/json_emitter.h"
#include "reports/report.h"
#include "model/result.h"

namespace csp::reports {

/// One kind of lint finding: its id (SARIF ruleId, `[id]` in text) and what it means.
struct LintCheck {
  std::string_view id;
  std::string_view name;         // SARIF rule name, CamelCase
  std::string_view description;  // one line
};
/// Every kind, in the order docs/lint.md lists them.
const std::vector<LintCheck>& lint_checks();

/// "warning", or "error" with --strict.
std::string_view lint_severity(const model::LintReport& lint);

/// "19/23 rules (83%)"; "0/0 rules" for a spec without rules.
std::string coverage_figure(const model::LintReport& lint);

/// "2 warnings, 1 not decided; scenario coverage: 19/23 rules (83%)".
std::string lint_summary_text(const model::LintReport& lint);

/// The text section: each finding as a compiler diagnostic with its source
/// line and caret, the rules it names as notes, the undecided checks and
/// the coverage per rule (the summary line says the rest).
std::string lint_text(const model::LintReport& lint, const ReportContext& context);

/// The "lint" key of the JSON report (docs/json.md): null without lint.
void emit_lint_json(JsonEmitter& json, const model::RunReport& report, const ReportContext& context);

}  // namespace csp::reports
