// Writers of the `cspverify diff` report: text (the terminal), markdown
// (a review comment), JSON (docs/diff.md), JUnit XML and SARIF (CI), HTML
// and DOT (the witness graphs). Deterministic: the same diff
// prints the same bytes (timings only when asked for).
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "model/ast.h"
#include "model/source.h"
#include "model/diff_result.h"

namespace csp::reports {

struct DiffContext {
  const model::Model& base;      // the models the checks ran on (DiffModels::base_checks)
  const model::Model& proposed;  // ... and DiffModels::proposed_checks
  const model::Model& merged;
  const model::SourceManager& sources;
  std::string base_label;      // as the user named it: a path, or `REV:path` with --base-rev
  std::string proposed_label;
  bool timings = true;
  unsigned witnesses = 1;           // asked for per direction (--witnesses): fewer found are explained
  std::string dot_program = "dot";  // draws the witness graphs of the HTML report
};

/// A modified declaration's text on both sides as a unified diff: a
/// `--- base:line` / `+++ proposed:line` header, then every line of the
/// declaration prefixed `-` (base only), `+` (proposed only) or ` ` (both,
/// ignoring indentation), never cut. "" when the change has no extents.
std::string text_diff(const model::Change& change, const model::SourceManager& sources);

/// The merged rule's name as its side wrote it, with its catalogue id:
/// `sell_only_in_own_region (CSP-R13)`.
std::string side_rule_label(const model::Model& merged, int rule_id);
/// One word for the semantic outcome: "equivalent", "tightening" (only newly
/// forbidden), "widening" (only newly allowed), "different" (both) or "unknown".
std::string_view semantic_verdict(const model::SemanticDiff& diff);

/// "summary: 2 text changes; widening; 1 regression; exit code 1", and the
/// checks an interrupted run never ran: how the text report ends, and what
/// the console prints when every report goes to files (--out).
std::string diff_summary_line(const model::DiffReport& report);

void write_diff_text(const model::DiffReport& report, const DiffContext& context, std::ostream& out);
void write_diff_markdown(const model::DiffReport& report, const DiffContext& context, std::ostream& out);
void write_diff_json(const model::DiffReport& report, const DiffContext& context, std::ostream& out);
void write_diff_junit(const model::DiffReport& report, const DiffContext& context, std::ostream& out);
void write_diff_sarif(const model::DiffReport& report, const DiffContext& context, std::ostream& out);
/// One self-contained page: the headline and regressions, each witness drawn
/// as a graph (Graphviz, as the HTML report of prove draws counterexamples).
void write_diff_html(const model::DiffReport& report, const DiffContext& context, std::ostream& out);
/// One Graphviz digraph per witness, then per regressed or changed check's instance.
void write_diff_dot(const model::DiffReport& report, const DiffContext& context, std::ostream& out);

}  // namespace csp::reports
