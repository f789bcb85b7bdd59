// The DOT report: one Graphviz digraph per result that has an instance
// (counterexample or scenario instance). Entities are boxes, grouped in a
// cluster and filled with a colour per CSP region; the failing binding's
// entities are drawn in bold red.
#include <array>
#include <sstream>

#include <fmt/format.h>

#include "model/stop.h"
#include "reports/escape.h"
#include "reports/graph.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

// Pastel fills, one per region ordinal (wrapping), readable under black text.
constexpr std::array<std::string_view, 8> kRegionFills = {
    "#cfe2f3", "#d9ead3", "#fff2cc", "#f4cccc", "#d9d2e9", "#fce5cd", "#d0e0e3", "#ead1dc"};

std::string node_statement(const GraphNode& node) {
  if (node.tuple_point) {
    std::string label = node.title;
    for (const auto& line : node.lines) label += "\n" + line;
    return fmt::format("{} [shape=point, width=0.12, xlabel={}];", dot_quote(node.id), dot_quote(label));
  }
  std::string label = node.title;
  for (const auto& line : node.lines) label += "\n" + line;
  std::string attributes = fmt::format("label={}", dot_quote(label));
  if (node.region >= 0) {
    attributes += fmt::format(", fillcolor=\"{}\"", kRegionFills[node.region % kRegionFills.size()]);
  }
  if (node.highlighted) attributes += ", color=\"#d62728\", penwidth=3";
  return fmt::format("{} [{}];", dot_quote(node.id), attributes);
}

void write_nodes(std::ostream& out, const InstanceGraph& graph) {
  // Clusters in region order, so the same instance always lays out the same.
  for (std::size_t region = 0; region < graph.region_names.size(); ++region) {
    bool any = false;
    for (const auto& node : graph.nodes) {
      if (node.region != static_cast<int>(region)) continue;
      if (!any) {
        out << fmt::format("  subgraph {} {{\n", dot_quote("cluster_region_" + graph.region_names[region]));
        out << fmt::format("    label={};\n    style=\"rounded,dashed\";\n    color=\"#888888\";\n",
                           dot_quote("region " + graph.region_names[region]));
        any = true;
      }
      out << "    " << node_statement(node) << '\n';
    }
    if (any) out << "  }\n";
  }
  for (const auto& node : graph.nodes) {
    if (node.region < 0) out << "  " << node_statement(node) << '\n';
  }
}

}  // namespace

std::string dot_instance_graph(const model::Model& model, const model::Instance& instance,
                               const std::vector<std::string>& highlighted, const std::string& name,
                               const std::string& label) {
  InstanceGraph graph = build_graph(model, instance, highlighted);
  std::ostringstream out;
  out << fmt::format("digraph {} {{\n", dot_quote(name));
  out << fmt::format("  label={};\n", dot_quote(label));
  // newrank: Graphviz 2.43 (Debian 12) corrupts its heap laying out labelled
  // edges that end up flat next to clusters, and then crashes on the next graph
  // of the file; ranking globally avoids that code path.
  out << "  labelloc=t;\n  rankdir=LR;\n  newrank=true;\n  fontname=\"Helvetica\";\n";
  out << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  write_nodes(out, graph);
  for (const auto& edge : graph.edges) {
    out << fmt::format("  {} -> {} [label={}];\n", dot_quote(edge.from), dot_quote(edge.to), dot_quote(edge.label));
  }
  out << "}\n";
  return out.str();
}

std::string dot_graph(const CheckResult& result, const ReportContext& context) {
  return dot_instance_graph(context.model, *result.instance, failing_binding(result), display_name(result),
                            fmt::format("{}: {}", display_name(result), instance_heading(result)));
}

void write_dot(const RunReport& report, const ReportContext& context, std::ostream& out) {
  bool any = false;
  for (const auto& result : report.results) {
    if (!result.instance) continue;
    if (any) out << '\n';
    out << dot_graph(result, context);
    any = true;
  }
  if (!any) out << "// no counterexample or scenario instance in this run\n";
  if (report.interrupted_by != 0) {
    out << fmt::format("// interrupted by {}: {} check(s) not run\n", model::signal_name(report.interrupted_by),
                       report.not_run.size());
  }
}

}  // namespace csp::reports
