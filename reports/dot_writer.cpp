// The DOT report: one Graphviz digraph per result with a graph (a
// counterexample, a scenario's instance, a forbidden scenario's own facts).
// Laid out as a sale chain, left to right: Microsoft, the partners it bills,
// resellers, customers, each column on a rank of its own; organisations (or,
// without them, CSP regions) as boxes; nodes filled with a colour per
// region. The failing binding's entities and the facts a forbidden
// scenario's rules need are drawn in red.
#include <algorithm>
#include <array>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/stop.h"
#include "reports/escape.h"
#include "reports/graph.h"
#include "model/sweep.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

// Pastel fills, one per region ordinal (wrapping), readable under black text.
constexpr std::array<std::string_view, 8> kRegionFills = {
    "#cfe2f3", "#d9ead3", "#fff2cc", "#f4cccc", "#d9d2e9", "#fce5cd", "#d0e0e3", "#ead1dc"};

constexpr std::string_view kRed = "#d62728";

// A label with blamed lines in red needs Graphviz's HTML-like labels;
// every other label stays a plain quoted string.
std::string node_label(const GraphNode& node) {
  bool any_blamed = std::any_of(node.lines.begin(), node.lines.end(), [](const GraphLine& l) { return l.blamed; });
  if (!any_blamed) {
    std::string label = node.title;
    for (const auto& line : node.lines) label += "\n" + line.text;
    return dot_quote(label);
  }
  std::string html = xml_escape(node.title);
  for (const auto& line : node.lines) {
    html += "<br/>";
    html += line.blamed ? fmt::format("<font color=\"{}\"><b>{}</b></font>", kRed, xml_escape(line.text))
                        : xml_escape(line.text);
  }
  return "<" + html + ">";
}

std::string node_statement(const GraphNode& node) {
  if (node.tuple_point) {
    std::string label = node.title;
    for (const auto& line : node.lines) label += "\n" + line.text;
    std::string colour = node.highlighted ? fmt::format(", color=\"{}\", fontcolor=\"{}\"", kRed, kRed) : "";
    return fmt::format("{} [shape=point, width=0.12, xlabel={}{}];", dot_quote(node.id), dot_quote(label), colour);
  }
  if (node.synthetic) {
    return fmt::format("{} [label={}, shape=box, style=\"filled\", fillcolor=\"#eeeeee\"];", dot_quote(node.id),
                       dot_quote(node.title));
  }
  std::string attributes = "label=" + node_label(node);
  if (node.region >= 0) {
    attributes += fmt::format(", fillcolor=\"{}\"", kRegionFills[node.region % kRegionFills.size()]);
  }
  if (node.highlighted) attributes += fmt::format(", color=\"{}\", penwidth=3", kRed);
  return fmt::format("{} [{}];", dot_quote(node.id), attributes);
}

const GraphNode* node_with_id(const InstanceGraph& graph, const std::string& id) {
  for (const auto& node : graph.nodes) {
    if (node.id == id) return &node;
  }
  return nullptr;
}

void write_nodes(std::ostream& out, const InstanceGraph& graph) {
  std::vector<std::string> clustered;
  for (const auto& cluster : graph.clusters) {
    out << fmt::format("  subgraph {} {{\n", dot_quote("cluster_" + cluster.id));
    out << fmt::format("    label={};\n", dot_quote(cluster.label));
    out << (cluster.organisation ? "    style=\"rounded\";\n    color=\"#555555\";\n"
                                 : "    style=\"rounded,dashed\";\n    color=\"#888888\";\n");
    for (const auto& id : cluster.members) {
      if (const GraphNode* node = node_with_id(graph, id)) out << "    " << node_statement(*node) << '\n';
      clustered.push_back(id);
    }
    out << "  }\n";
  }
  for (const auto& node : graph.nodes) {
    if (std::find(clustered.begin(), clustered.end(), node.id) == clustered.end()) {
      out << "  " << node_statement(node) << '\n';
    }
  }
}

// One rank per sale-chain column, and invisible edges between consecutive
// columns with room for one entity between them (a partnership, a sale).
void write_columns(std::ostream& out, const InstanceGraph& graph) {
  std::vector<std::vector<std::string>> columns(kCustomer + 1);
  for (const auto& node : graph.nodes) {
    if (node.column >= 0 && node.column <= kCustomer) columns[node.column].push_back(node.id);
  }
  const std::string* previous = nullptr;
  for (const auto& column : columns) {
    if (column.empty()) continue;
    std::string members;
    for (const auto& id : column) members += " " + dot_quote(id) + ";";
    out << fmt::format("  {{ rank=same;{} }}\n", members);
    if (previous) {
      out << fmt::format("  {} -> {} [style=invis, minlen=2];\n", dot_quote(*previous), dot_quote(column.front()));
    }
    previous = &column.front();
  }
}

// An edge's end: its node, or the first member of the organisation box it names.
std::string edge_end(const InstanceGraph& graph, const std::string& id, std::string& cluster) {
  const GraphCluster* box = organisation_cluster(graph, id);
  if (!box) return dot_quote(id);
  cluster = dot_quote("cluster_" + box->id);
  return dot_quote(cluster_anchor(*box));
}

std::string edge_statement(const InstanceGraph& graph, const GraphEdge& edge) {
  std::string from_cluster, to_cluster;
  std::string from = edge_end(graph, edge.from, from_cluster);
  std::string to = edge_end(graph, edge.to, to_cluster);
  // A label on an edge within one rank next to clusters corrupts Graphviz
  // 2.43's heap (Debian 12; it crashes on a later graph of the file): such
  // edges take an external label, which needs no room in the ranking.
  std::vector<std::string> attributes = {(edge.flat ? "xlabel=" : "label=") + dot_quote(edge.label)};
  if (edge.backward) {
    std::swap(from, to);
    std::swap(from_cluster, to_cluster);
    attributes.push_back("dir=back");
  }
  if (!from_cluster.empty()) attributes.push_back("ltail=" + from_cluster);
  if (!to_cluster.empty()) attributes.push_back("lhead=" + to_cluster);
  // Organisations span the chain's columns: an edge between two must not reorder them.
  if (!from_cluster.empty() || !to_cluster.empty()) attributes.push_back("constraint=false");
  if (edge.blamed) attributes.push_back(fmt::format("color=\"{}\", fontcolor=\"{}\", penwidth=2", kRed, kRed));
  if (edge.absent) attributes.push_back("style=dashed");
  if (edge.synthetic) attributes.push_back("color=\"#888888\", style=dashed");
  return fmt::format("{} -> {} [{}];", from, to, fmt::join(attributes, ", "));
}

// The digraph of `graph`, named `name` and titled `label`.
std::string dot_text(const InstanceGraph& graph, const std::string& name, const std::string& label) {
  std::ostringstream out;
  out << fmt::format("digraph {} {{\n", dot_quote(name));
  out << fmt::format("  label={};\n", dot_quote(label));
  // newrank: Graphviz 2.43 (Debian 12) corrupts its heap laying out labelled
  // edges that end up flat next to clusters, and then crashes on the next graph
  // of the file; ranking globally avoids that code path (and lets the
  // sale chain's ranks reach into the organisations' boxes).
  out << "  labelloc=t;\n  rankdir=LR;\n  newrank=true;\n  compound=true;\n  fontname=\"Helvetica\";\n";
  out << "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n";
  out << "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  write_nodes(out, graph);
  write_columns(out, graph);
  for (const auto& edge : graph.edges) out << "  " << edge_statement(graph, edge) << '\n';
  out << "}\n";
  return out.str();
}

}  // namespace

std::string dot_instance_graph(const model::Model& model, const model::Instance& instance,
                               const std::vector<std::string>& highlighted, const std::string& name,
                               const std::string& label) {
  return dot_text(build_graph(model, instance, highlighted), name, label);
}

std::string dot_graph(const CheckResult& result, const ReportContext& context) {
  std::optional<InstanceGraph> graph = result_graph(context.model, result);
  if (!graph) return "";
  return dot_text(*graph, display_name(result), fmt::format("{}: {}", display_name(result), graph_heading(result)));
}

std::vector<DotFile> dot_files(const RunReport& report, const ReportContext& context) {
  // A sweep draws each check's deciding result: its first counterexample.
  if (!report.sweep.empty() && !report.sweep_view) return dot_files(model::sweep_view(report), context);
  std::vector<DotFile> files;
  for (const auto& result : report.results) {
    std::string dot = dot_graph(result, context);
    if (dot.empty()) continue;
    files.push_back({fmt::format("{}-{}.dot", kind_name(result.kind), identifier_safe(display_name(result))),
                     std::move(dot)});
  }
  return files;
}

void write_dot(const RunReport& report, const ReportContext& context, std::ostream& out) {
  bool any = false;
  for (const auto& file : dot_files(report, context)) {
    if (any) out << '\n';
    out << file.contents;
    any = true;
  }
  if (!any) out << "// no counterexample, scenario instance or forbidden scenario in this run\n";
  if (report.interrupted_by != 0) {
    out << fmt::format("// interrupted by {}: {} check(s) not run\n", model::signal_name(report.interrupted_by),
                       report.not_run.size());
  }
}

}  // namespace csp::reports
