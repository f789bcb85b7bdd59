// The audit's HTML report: one self-contained page (no script, no external
// file) with the counts, the data files, the rules, the partners with the
// most violations, and the violations, the first of them each with a small
// drawing of the entities and relationships it rests on.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "reports/audit_view.h"
#include "reports/escape.h"

namespace csp::reports {

namespace {

constexpr std::size_t kListedViolations = 1000;
constexpr std::size_t kDrawnGraphs = 50;
constexpr std::size_t kListedPartners = 50;
constexpr std::size_t kListedErrors = 200;

const char* kStyle = R"(body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}.bad{color:#b00020;font-weight:bold}.ok{color:#1b5e20}.num{text-align:right}
.violation{border:1px solid #ddd;border-radius:4px;padding:.5em 1em;margin:.8em 0}
pre{background:#f8f8f8;padding:.4em;white-space:pre-wrap}code{font-size:95%}svg text{font-size:11px}
)";

std::string h(std::string_view text) { return xml_escape(text); }

// Entities of the subgraph in columns by distance from the bound ones, edges as arrows.
std::string draw_subgraph(const model::Model& model, const model::Instance& instance, const Subgraph& graph,
                          std::size_t bound) {
  if (graph.nodes.empty()) return "";
  std::map<int, int> layer;
  for (std::size_t i = 0; i < graph.nodes.size() && i < bound; ++i) layer[graph.nodes[i]] = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& e : graph.edges) {
      for (auto [a, b] : {std::pair{e.from, e.to}, std::pair{e.to, e.from}}) {
        if (layer.count(a) && (!layer.count(b) || layer[b] > layer[a] + 1)) {
          layer[b] = layer[a] + 1;
          changed = true;
        }
      }
    }
  }
  std::map<int, std::pair<int, int>> at;  // entity -> (x, y)
  std::map<int, int> used;                // layer -> nodes placed
  int width = 0, height = 0;
  for (int node : graph.nodes) {
    int l = layer.count(node) ? layer[node] : 0;
    int x = 10 + l * 230, y = 10 + used[l]++ * 46;
    at[node] = {x, y};
    width = std::max(width, x + 200);
    height = std::max(height, y + 40);
  }
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\">"
      "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" "
      "orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"#555\"/></marker></defs>",
      width + 10, height + 10);
  for (const auto& e : graph.edges) {
    auto [x1, y1] = at[e.from];
    auto [x2, y2] = at[e.to];
    int ax = x1 + 100, ay = y1 + 15, bx = x2 + (x2 > x1 ? 0 : x2 < x1 ? 200 : 100), by = y2 + (x2 == x1 ? 0 : 15);
    if (x2 == x1) bx = x2 + 100;
    svg += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>", ax, ay,
                       bx, by);
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#555\">{}</text>", (ax + bx) / 2 + 3, (ay + by) / 2 - 3, h(e.label));
  }
  for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
    int node = graph.nodes[i];
    auto [x, y] = at[node];
    std::string key = entity_key(instance, node);
    if (key.size() > 22) key = key.substr(0, 21) + "…";
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"200\" height=\"30\" rx=\"4\" fill=\"{}\" stroke=\"#888\"/>"
        "<text x=\"{}\" y=\"{}\">{} {}</text>",
        x, y, i < bound ? "#fde7e9" : "#f5f5f5", x + 6, y + 19, h(entity_kind(model, instance, node)), h(valid_utf8(key)));
  }
  return svg + "</svg>";
}

void write_summary(std::ostream& out, const AuditReport& report, const ReportContext& context) {
  AuditTotals t = audit_totals(report, context.model);
  out << fmt::format("<p class=\"{}\">{}</p>\n", t.exit_code == 0 ? "ok" : "bad", h(totals_text(t)));
  out << fmt::format("<p>Data: <code>{}</code>; specs: <code>{}</code>; exit code {}.</p>\n", h(report.data_dir),
                     h(fmt::format("{}", fmt::join(report.inputs, " "))), t.exit_code);
  if (report.data && !report.data->complete) {
    out << fmt::format("<p class=\"bad\">Data incomplete ({}): rules {}.</p>\n", h(report.data->stop_reason),
                       report.result ? "evaluated on what was read" : "not evaluated");
  }
}

void write_files(std::ostream& out, const AuditReport& report) {
  if (!report.data) return;
  out << "<h2>Data files</h2>\n<table><tr><th>file</th><th>read</th><th>skipped</th><th>filtered</th><th>checked</th></tr>\n";
  for (const auto& f : report.data->files) {
    out << fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num{}\">{}</td>"
                       "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       h(f.path), f.read, f.skipped ? " bad" : "", f.skipped, f.filtered, f.checked());
  }
  out << "</table>\n";
}

void write_errors(std::ostream& out, const AuditReport& report, const ReportContext& context) {
  if (report.data_errors.empty()) return;
  out << fmt::format("<h2>Data errors ({})</h2>\n<ul>\n", report.data_errors.size());
  for (std::size_t i = 0; i < report.data_errors.size() && i < kListedErrors; ++i) {
    out << fmt::format("<li><code>{}</code></li>\n", h(data_error_line(context.sources, report.data_errors[i])));
  }
  out << "</ul>\n";
  if (report.data_errors.size() > kListedErrors) {
    out << fmt::format("<p>{} more in the JSON report.</p>\n", report.data_errors.size() - kListedErrors);
  }
}

void write_rules(std::ostream& out, const AuditReport& report, const ReportContext& context) {
  if (!report.result) return;
  out << "<h2>Rules</h2>\n<table><tr><th>rule</th><th>source</th><th>description</th><th>violations</th>"
         "<th>candidate bindings</th><th>plan</th></tr>\n";
  for (const auto& o : report.result->rules) {
    if (!o.selected) continue;
    const auto& rule = context.model.rules[o.rule];
    std::string count = !o.unknown_reason.empty() ? "unknown: " + o.unknown_reason
                        : !o.complete           ? "not run"
                                                : std::to_string(o.violations);
    out << fmt::format("<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num{}\">{}</td>"
                       "<td class=\"num\">{}</td><td><code>{}</code></td></tr>\n",
                       h(rule.name), h(rule.source), h(rule.description), o.violations ? " bad" : "", count, o.candidates,
                       h(fmt::format("{}", fmt::join(o.plans, " / "))));
  }
  out << "</table>\n";
}

void write_partners(std::ostream& out, const AuditReport& report, const ReportContext& context) {
  auto partners = partner_summaries(context.model, report);
  if (partners.empty()) return;
  out << fmt::format("<h2>Partners with violations ({})</h2>\n", partners.size());
  out << "<table><tr><th>partner</th><th>violations</th><th>rules</th></tr>\n";
  for (std::size_t i = 0; i < partners.size() && i < kListedPartners; ++i) {
    std::vector<std::string> rules;
    for (int r : partners[i].rules) rules.push_back(rule_label(context.model, r));
    out << fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{}</td><td>{}</td></tr>\n",
                       h(entity_key(report.data->instance, partners[i].entity)), partners[i].violations,
                       h(fmt::format("{}", fmt::join(rules, ", "))));
  }
  out << "</table>\n";
  if (partners.size() > kListedPartners) out << fmt::format("<p>{} more in the JSON report.</p>\n", partners.size() - kListedPartners);
}

void write_violation(std::ostream& out, const AuditReport& report, const ReportContext& context,
                     const audit::Violation& v, bool draw) {
  const model::Instance& instance = report.data->instance;
  const auto& rule = context.model.rules[v.rule];
  out << "<div class=\"violation\">\n";
  out << fmt::format("<p><b>{}</b>: {}</p>\n", h(rule_label(context.model, v.rule)), h(rule.description));
  if (!v.bindings.empty()) {
    out << "<ul>\n";
    for (const auto& b : v.bindings) {
      out << fmt::format("<li><code>{}</code> = {} <small>({})</small></li>\n", h(b.variable),
                         h(entity_label(context.model, instance, b.entity)),
                         h(record_where(context.sources, report.data->entity_origin[b.entity])));
    }
    out << "</ul>\n";
  }
  if (!v.message.empty()) out << fmt::format("<p class=\"message\">{}</p>\n", h(v.message));
  out << fmt::format("<pre>{}</pre>\n", h(fmt::format("{}", fmt::join(v.explanation, "\n"))));
  out << "<details><summary>facts</summary><ul>\n";
  for (const auto& fact : v.facts) {
    out << fmt::format("<li><code>{}</code> {}</li>\n", h(record_where(context.sources, fact.origin)),
                       h(fact_text(context.model, instance, fact)));
  }
  if (v.facts_omitted) out << fmt::format("<li>... and {} more</li>\n", v.facts_omitted);
  out << "</ul></details>\n";
  if (draw) out << draw_subgraph(context.model, instance, violation_subgraph(context.model, instance, v), v.bindings.size()) << "\n";
  out << "</div>\n";
}

void write_violations(std::ostream& out, const AuditReport& report, const ReportContext& context) {
  if (!report.result || report.result->violations.empty()) return;
  const auto& all = report.result->violations;
  out << fmt::format("<h2>Violations ({} listed)</h2>\n", all.size());
  if (all.size() > kDrawnGraphs) {
    out << fmt::format("<p>Relationship graphs are drawn for the first {} violations; the JSON report lists every "
                       "violation with its facts.</p>\n", kDrawnGraphs);
  }
  for (std::size_t i = 0; i < all.size() && i < kListedViolations; ++i) {
    write_violation(out, report, context, all[i], i < kDrawnGraphs);
  }
  if (all.size() > kListedViolations) {
    out << fmt::format("<p>{} more violations in the JSON, CSV and SARIF reports.</p>\n", all.size() - kListedViolations);
  }
}

}  // namespace

void write_audit_html(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>cspverify audit</title>\n";
  out << "<style>" << kStyle << "</style>\n</head>\n<body>\n<h1>cspverify audit</h1>\n";
  write_summary(out, report, context);
  write_files(out, report);
  write_errors(out, report, context);
  write_rules(out, report, context);
  write_partners(out, report, context);
  write_violations(out, report, context);
  out << "</body>\n</html>\n";
}

}  // namespace csp::reports
