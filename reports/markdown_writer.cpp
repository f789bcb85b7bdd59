// The Markdown report, for a pull-request comment: a summary table, the
// rules each proved property needs, then for each failure (and each scenario
// whose other minimal cores were looked at) its verdict, the counterexample
// as a Mermaid flowchart and the plain-text details in a fenced block.
#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "reports/escape.h"
#include "reports/lint.h"
#include "reports/graph.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

std::size_t longest_backtick_run(std::string_view text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return longest;
}

// A code span that survives backticks in the text and pipes in a table cell.
std::string code_span(std::string_view text) {
  std::string fence(longest_backtick_run(text) + 1, '`');
  std::string body;
  for (char c : valid_utf8(text)) {
    if (c == '|') body += '\\';
    body += c == '\n' ? ' ' : c;
  }
  std::string pad = body.starts_with('`') || body.ends_with('`') ? " " : "";
  return fence + pad + body + pad + fence;
}

// Escaped text with the `quoted names` of report sentences as code spans.
std::string inline_markdown(std::string_view text) {
  std::string out;
  for (const auto& [piece, code] : split_code_spans(text)) out += code ? code_span(piece) : markdown_escape(piece);
  return out;
}

// A fenced block whose fence is longer than any backtick run inside it.
std::string fenced(std::string_view language, std::string_view body) {
  std::string fence(std::max<std::size_t>(3, longest_backtick_run(body) + 1), '`');
  std::string text = valid_utf8(body);
  if (!text.empty() && text.back() != '\n') text += '\n';
  return fmt::format("{}{}\n{}{}\n", fence, language, text, fence);
}

std::string_view status_icon(const CheckResult& result) {
  if (result.status == Status::Unknown || result.status == Status::Vacuous) return "⚠️";
  if (is_known_gap(result)) return "🟣";  // as expected, but never the green of a proof
  return result.meets_expectation() ? "✅" : "❌";
}

void write_table(std::ostream& out, const RunReport& report, const ReportContext& context) {
  out << "| status | check | kind | expected | declared at |" << (context.options.timings ? " time |" : "") << '\n';
  out << "|---|---|---|---|---|" << (context.options.timings ? "---|" : "") << '\n';
  for (const auto& result : report.results) {
    std::string where = context.sources.where(result.range);
    std::string expected = expected_text(result);
    out << fmt::format("| {} {} | {} | {} | {} | {} |", status_icon(result), status_label(result),
                       code_span(display_name(result)), kind_name(result.kind),
                       expected.empty() ? "" : markdown_escape(expected), where.empty() ? "" : code_span(where));
    if (context.options.timings) out << fmt::format(" {} |", format_ms(result.time_ms));
    out << '\n';
  }
}

// Mermaid ids: a prefix keeps keywords such as `end` out, a suffix keeps them unique.
class MermaidIds {
 public:
  const std::string& operator()(const std::string& name) {
    auto found = ids_.find(name);
    if (found != ids_.end()) return found->second;
    std::string id = "n_" + identifier_safe(name);
    std::string unique = id;
    for (int n = 2; taken_.count(unique) > 0; ++n) unique = fmt::format("{}_{}", id, n);
    taken_[unique] = true;
    return ids_.emplace(name, unique).first->second;
  }

 private:
  std::map<std::string, std::string> ids_;
  std::map<std::string, bool> taken_;
};

std::string node_shape(const GraphNode& node, const std::string& id) {
  std::string label = node.title;
  // Mermaid labels have no per-line colour: a blamed fact is marked in words.
  for (const auto& line : node.lines) label += "\n" + (line.blamed ? "✗ " + line.text : line.text);
  // A tuple point is a small circle, an entity a box.
  if (node.tuple_point) return fmt::format("{}((\"{}\"))", id, mermaid_label(label));
  return fmt::format("{}[\"{}\"]", id, mermaid_label(label));
}

std::string mermaid_graph(const InstanceGraph& graph) {
  MermaidIds ids;
  std::string out = "flowchart LR\n";
  std::vector<std::string> clustered;
  for (const auto& cluster : graph.clusters) {
    std::string members;
    for (const auto& node : graph.nodes) {
      if (std::find(cluster.members.begin(), cluster.members.end(), node.id) == cluster.members.end()) continue;
      members += "    " + node_shape(node, ids(node.id)) + "\n";
      clustered.push_back(node.id);
    }
    // An organisation's box stands for its entity, so edges to it end at the box.
    std::string id = cluster.organisation ? ids(cluster.id.substr(4)) : "cluster_" + identifier_safe(cluster.id);
    out += fmt::format("  subgraph {}[\"{}\"]\n{}  end\n", id, mermaid_label(cluster.label), members);
  }
  for (const auto& node : graph.nodes) {
    if (std::find(clustered.begin(), clustered.end(), node.id) == clustered.end()) {
      out += "  " + node_shape(node, ids(node.id)) + "\n";
    }
  }
  std::vector<std::size_t> blamed;
  for (std::size_t i = 0; i < graph.edges.size(); ++i) {
    const GraphEdge& edge = graph.edges[i];
    std::string_view arrow = edge.absent || edge.synthetic ? "-.->" : "-->";
    out += fmt::format("  {} {}|\"{}\"| {}\n", ids(edge.from), arrow, mermaid_label(edge.label), ids(edge.to));
    if (edge.blamed) blamed.push_back(i);
  }
  std::string failing;
  for (const auto& node : graph.nodes) {
    if (node.highlighted) failing += (failing.empty() ? "" : ",") + ids(node.id);
  }
  if (!failing.empty()) {
    out += "  classDef failing stroke:#d62728,stroke-width:3px\n";
    out += fmt::format("  class {} failing\n", failing);
  }
  if (!blamed.empty()) out += fmt::format("  linkStyle {} stroke:#d62728,stroke-width:2px\n", fmt::join(blamed, ","));
  return out;
}

// "`same_region` (CSP-R13), `mpa_before_sale` (CSP-R04)".
std::string rule_spans(const model::Model& model, const std::vector<int>& rules) {
  std::string text;
  for (int id : rules) {
    const auto* rule = rule_of(model, id);
    text += text.empty() ? "" : ", ";
    if (!rule) {
      text += markdown_escape(rule_label(model, id));
      continue;
    }
    text += code_span(rule->name);
    if (!rule->source.empty()) text += fmt::format(" ({})", markdown_escape(rule->source));
  }
  return text;
}

// Why each proved property holds: the rules its proof needs, one line each.
void write_proof_cores(std::ostream& out, const RunReport& report, const ReportContext& context) {
  std::string lines;
  for (const auto& result : report.results) {
    if (!result.proof_core || result.status != Status::Proved) continue;
    std::string why = result.core.empty() ? "proved by the vocabulary alone: no rule needed"
                                          : "proved using " + rule_spans(context.model, result.core);
    if (!result.core_minimal) why += " (not proved minimal: minimising it ran out of time)";
    lines += fmt::format("- {}: {}\n", code_span(display_name(result)), why);
  }
  if (!lines.empty()) out << "\n### Why the proved properties hold\n\n" << lines;
}

// The documented gaps, listed so that a reviewer sees each one is known.
void write_known_gaps(std::ostream& out, const RunReport& report, const ReportContext& context) {
  std::string lines;
  for (const auto& result : report.results) {
    if (!is_known_gap(result)) continue;
    std::string description = description_of(context.model, result);
    lines += fmt::format("- 🟣 {}{}: violated, as its `expect violated` documents\n", code_span(display_name(result)),
                         description.empty() ? "" : " (" + markdown_escape(description) + ")");
  }
  if (!lines.empty()) out << "\n### Known gaps\n\n" << lines;
}

// One result's section: verdict, declaration, instance and details.
void write_section(std::ostream& out, const ReportContext& context, const CheckResult& result) {
  out << fmt::format("\n### {} {}\n\n", status_icon(result), code_span(display_name(result)));
  out << inline_markdown(verdict_sentence(context.model, result)) << '\n';
  std::string where = context.sources.where(result.range);
  std::string description = description_of(context.model, result);
  if (!where.empty() || !description.empty()) {
    out << '\n' << (where.empty() ? "" : code_span(where)) << (where.empty() || description.empty() ? "" : ": ")
        << markdown_escape(description) << '\n';
  }
  if (!result.message.empty()) out << "\n> " << markdown_escape(result.message) << '\n';
  if (auto graph = result_graph(context.model, result)) {
    out << fmt::format("\n{}:\n\n", graph_heading(result)) << fenced("mermaid", mermaid_graph(*graph));
  }
  std::string details = details_text(context, result, "", false);
  if (!details.empty()) out << '\n' << fenced("text", details);
}

// verify's lint findings, one list item each, and the coverage figure (the
// rest is in the text, JSON and SARIF reports).
void write_lint(std::ostream& out, const model::LintReport& lint, const ReportContext& context) {
  out << fmt::format("\n### lint: {}\n\n", markdown_escape(lint_summary_text(lint)));
  for (const auto& finding : lint.findings) {
    std::string where = context.sources.where(finding.range);
    out << fmt::format("- {} {}{}: {}\n", lint_severity(lint), code_span(finding.id),
                       where.empty() ? "" : " at " + code_span(where), inline_markdown(finding.message));
  }
  for (const auto& item : lint.undecided) {
    out << fmt::format("- not decided: {} {}: {}\n", code_span(item.check), code_span(item.subject),
                       markdown_escape(item.reason));
  }
}

}  // namespace

void write_markdown(const RunReport& report, const ReportContext& context, std::ostream& out) {
  Summary summary = summarize(report);
  std::string verdict = !summary.interrupted_by.empty() ? fmt::format("interrupted by {}", summary.interrupted_by)
                        : summary.failed > 0 ? fmt::format("{} failed", summary.failed)
                        : summary.unknown > 0 ? "some checks undecided" : "all checks as expected";
  out << fmt::format("## {} {}: {}\n\n", kToolName, markdown_escape(report.command), verdict);
  out << fmt::format("summary: {}\n\n", markdown_escape(summary_text(summary)));
  write_table(out, report, context);
  if (!report.not_run.empty()) {
    out << "\nnot run (the run was interrupted first):\n\n";
    for (const auto& item : report.not_run) out << "- " << markdown_escape(not_run_text(context, item)) << '\n';
  }
  write_proof_cores(out, report, context);
  write_known_gaps(out, report, context);
  // Failures, and the scenarios whose other minimal cores were looked at.
  for (const auto& result : report.results) {
    bool failed = is_failure(result) || result.status == Status::Unknown;
    if (failed || result.core_search || result.all_cores) write_section(out, context, result);
  }
  if (report.lint) write_lint(out, *report.lint, context);
}

}  // namespace csp::reports
