// The HTML report: one self-contained page (inline CSS, inline SVG, no
// network) with a summary table and a section per result: verdict, the
// formula and its citation, the instance as a graph and as tables, why it
// fails, the rules that forbid it (or that a proof needs), other minimal
// cores, and the repairs. Everything is escaped.
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/evaluator.h"
#include "model/instance.h"
#include "reports/escape.h"
#include "reports/html.h"
#include "reports/svg.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

constexpr std::string_view kStyle = R"(body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;
  margin:2em auto;max-width:80em;padding:0 1em;color:#1f2328;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}
h2{font-size:1.25em;margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:.3em}
h3{font-size:1.05em;margin-bottom:.3em}
table{border-collapse:collapse;margin:.5em 0;max-width:100%}
.summary td:nth-child(2){overflow-wrap:anywhere}.summary td:nth-child(n+5){white-space:nowrap}
th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
caption{text-align:left;font-weight:600;padding:.2em 0}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;white-space:pre-wrap}
.meta,.where{color:#57606a}
.status{display:inline-block;min-width:7em;font-weight:700;border-radius:.3em;padding:0 .4em;color:#fff;
  text-align:center}
.ok{background:#1a7f37}.fail{background:#cf222e}.warn{background:#9a6700}.gap{background:#8250df}
.graph svg{max-width:100%;height:auto}.note{color:#9a6700})";

std::string status_class(const CheckResult& result) {
  if (result.status == Status::Unknown || result.status == Status::Vacuous) return "warn";
  if (is_known_gap(result)) return "gap";  // as expected, but never the green of a proof
  return result.meets_expectation() ? "ok" : "fail";
}

std::string status_badge(const CheckResult& result) {
  return fmt::format("<span class=\"status {}\">{}</span>", status_class(result), status_word(result));
}

}  // namespace

std::string_view html_style() { return kStyle; }

// Escapes text and shows `quoted names` as code, as the other reports write them.
std::string inline_html(std::string_view text) {
  std::string out;
  for (const auto& [piece, code] : split_code_spans(text)) {
    out += code ? fmt::format("<code>{}</code>", xml_escape(piece)) : xml_escape(piece);
  }
  return out;
}

namespace {

std::string where_html(const ReportContext& context, model::SourceRange range) {
  std::string where = context.sources.where(range);
  return where.empty() ? "" : fmt::format("<code>{}</code>", xml_escape(where));
}

std::string anchor(std::size_t index) { return fmt::format("result-{}", index); }

void write_summary_table(std::ostream& out, const RunReport& report, const ReportContext& context) {
  out << "<table class=\"summary\">\n<tr><th>status</th><th>check</th><th>kind</th><th>expected</th>"
         "<th>declared at</th>";
  if (context.options.timings) out << "<th>time</th>";
  out << "</tr>\n";
  for (std::size_t i = 0; i < report.results.size(); ++i) {
    const CheckResult& result = report.results[i];
    out << fmt::format("<tr><td>{}</td><td><a href=\"#{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td>",
                       status_badge(result), anchor(i), xml_escape(display_name(result)), kind_name(result.kind),
                       xml_escape(expected_text(result)), where_html(context, result.range));
    if (context.options.timings) out << fmt::format("<td>{}</td>", format_ms(result.time_ms));
    out << "</tr>\n";
  }
  out << "</table>\n";
}

}  // namespace

void write_svg_graph(std::ostream& out, const std::string& dot_program, const std::string& dot) {
  std::string error;
  std::optional<std::string> svg = render_svg(dot_program, dot, error);
  std::size_t start = svg ? svg->find("<svg") : std::string::npos;
  if (start != std::string::npos) {
    // Inline SVG needs no XML prolog or doctype: keep the <svg> element only.
    out << "<div class=\"graph\">\n" << valid_utf8(std::string_view(*svg).substr(start)) << "</div>\n";
    return;
  }
  if (svg) error = "graphviz printed no <svg> element";
  out << fmt::format("<p class=\"note\">graph not drawn ({}); its Graphviz source:</p>\n", xml_escape(error));
  out << fmt::format("<pre class=\"dot\">{}</pre>\n", xml_escape(dot));
}

// One table per entity kind (entities come grouped by kind), then the tuples.
void write_instance_tables(std::ostream& out, const model::Model& model, const model::Instance& instance) {
  for (std::size_t i = 0; i < instance.entities.size(); ++i) {
    const model::Entity& entity = instance.entities[i];
    bool first_of_kind = i == 0 || instance.entities[i - 1].kind != entity.kind;
    if (first_of_kind) {
      out << fmt::format("<table class=\"instance\">\n<caption>{}</caption>\n<tr><th>entity</th>",
                         xml_escape(kind_name_of(model, entity.kind)));
      if (entity.kind >= 0 && entity.kind < static_cast<int>(model.kinds.size())) {
        for (const auto& attribute : model.kinds[entity.kind].attributes) {
          out << fmt::format("<th>{}</th>", xml_escape(attribute.name));
        }
      }
      out << "</tr>\n";
    }
    out << fmt::format("<tr><td>{}</td>", xml_escape(entity.name));
    for (const auto& value : entity.attributes) {
      out << fmt::format("<td>{}</td>", xml_escape(model::format_value(model, instance, value)));
    }
    out << "</tr>\n";
    bool last_of_kind = i + 1 == instance.entities.size() || instance.entities[i + 1].kind != entity.kind;
    if (last_of_kind) out << "</table>\n";
  }
  std::string rows;
  for (std::size_t relation = 0; relation < instance.relations.size() && relation < model.relations.size();
       ++relation) {
    for (const auto& tuple : instance.relations[relation]) {
      std::string args;
      for (const auto& value : tuple) {
        args += (args.empty() ? "" : ", ") + model::format_value(model, instance, value);
      }
      rows += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", xml_escape(model.relations[relation].name),
                          xml_escape(args));
    }
  }
  if (!rows.empty()) {
    out << "<table class=\"relations\">\n<caption>relations</caption>\n<tr><th>relation</th><th>tuple</th></tr>\n"
        << rows << "</table>\n";
  }
}

namespace {

void write_graph(std::ostream& out, const ReportContext& context, const CheckResult& result) {
  std::string dot = dot_graph(result, context);
  if (!dot.empty()) write_svg_graph(out, context.options.dot_program, dot);
}

void write_formula(std::ostream& out, const model::Model& model, const model::FormulaDecl& formula) {
  if (!formula.body) return;
  out << fmt::format("<pre class=\"formula\">{}</pre>\n", xml_escape(model::to_string(model, *formula.body)));
}

void write_rule_items(std::ostream& out, const ReportContext& context, const std::vector<int>& rules) {
  for (int id : rules) {
    out << fmt::format("<li><code>{}</code>", xml_escape(rule_label(context.model, id)));
    const model::FormulaDecl* rule = rule_of(context.model, id);
    if (rule) {
      if (!rule->description.empty()) out << ": " << xml_escape(rule->description);
      std::string where = where_html(context, rule->range);
      if (!where.empty()) out << " <span class=\"where\">(" << where << ")</span>";
      out << '\n';
      write_formula(out, context.model, *rule);
    }
    out << "</li>\n";
  }
}

std::string rule_codes(const ReportContext& context, const std::vector<int>& rules) {
  std::string text;
  for (int id : rules) text += fmt::format("{}<code>{}</code>", text.empty() ? "" : ", ", xml_escape(rule_label(context.model, id)));
  return text;
}

void write_core(std::ostream& out, const ReportContext& context, const CheckResult& result) {
  if (result.proof_core && result.core.empty()) {
    out << "<h3>proved by the vocabulary alone</h3>\n<p class=\"core\">no rule is needed: the declarations, "
           "types and tables prove it</p>\n";
  } else if (!result.core.empty()) {
    out << fmt::format("<h3>{}</h3>\n<ul class=\"core\">\n", core_heading(result));
    write_rule_items(out, context, result.core);
    out << "</ul>\n";
  }
  if (result.proof_core && !result.core_minimal) {
    out << "<p class=\"note\">not proved minimal: minimising it ran out of time</p>\n";
  }
  if (result.core_search) {
    out << fmt::format("<h3>{}</h3>\n", xml_escape(core_search_text(context.model, result)));
    if (result.core_search->found) {
      out << "<ul class=\"core\">\n";
      write_rule_items(out, context, result.core_search->first_core);
      out << "</ul>\n";
    }
  }
  if (result.all_cores) {
    out << fmt::format("<h3>{}</h3>\n", xml_escape(all_cores_heading(result)));
    if (!result.all_cores->cores.empty()) {
      out << "<ol class=\"cores\">\n";
      for (const auto& core : result.all_cores->cores) out << fmt::format("<li>{}</li>\n", rule_codes(context, core));
      out << "</ol>\n";
    }
  }
}

void write_list(std::ostream& out, std::string_view heading, const std::vector<std::string>& items) {
  if (items.empty()) return;
  out << fmt::format("<h3>{}</h3>\n<ul>\n", heading);
  for (const auto& item : items) out << fmt::format("<li><code>{}</code></li>\n", xml_escape(item));
  out << "</ul>\n";
}

void write_declaration(std::ostream& out, const ReportContext& context, const CheckResult& result) {
  std::vector<std::string> facts;
  std::string where = where_html(context, result.range);
  if (!where.empty()) facts.push_back(fmt::format("{} declared at {}", kind_name(result.kind), where));
  std::string source = source_of(context.model, result);
  if (!source.empty()) facts.push_back(fmt::format("source {}", xml_escape(source)));
  std::string bound = bound_text(context.model, result);
  if (!bound.empty()) facts.push_back(xml_escape(bound));
  if (!facts.empty()) out << fmt::format("<p class=\"where\">{}</p>\n", fmt::join(facts, "; "));
  std::string description = description_of(context.model, result);
  if (!description.empty()) out << fmt::format("<p class=\"description\">{}</p>\n", xml_escape(description));
}

void write_result(std::ostream& out, const ReportContext& context, const CheckResult& result, std::size_t index) {
  out << fmt::format("<section id=\"{}\">\n<h2>{} {}</h2>\n", anchor(index), status_badge(result),
                     xml_escape(display_name(result)));
  out << fmt::format("<p class=\"verdict\">{}</p>\n", inline_html(verdict_sentence(context.model, result)));
  write_declaration(out, context, result);
  if (const model::FormulaDecl* property = property_of(context.model, result)) {
    write_formula(out, context.model, *property);
  }
  if (result.instance) {
    out << fmt::format("<h3>{}</h3>\n", instance_heading(result));
    write_graph(out, context, result);
    write_instance_tables(out, context.model, *result.instance);
  } else if (result.status == Status::Forbidden && scenario_of(context.model, result)) {
    out << fmt::format("<h3>{}</h3>\n", xml_escape(graph_heading(result)));
    write_graph(out, context, result);
  }
  if (!result.explanation.empty()) {
    // A block, not a list: the evaluator indents nested steps.
    out << fmt::format("<h3>why it fails</h3>\n<pre class=\"why\">{}\n</pre>\n",
                       xml_escape(fmt::format("{}", fmt::join(result.explanation, "\n"))));
  }
  write_core(out, context, result);
  write_list(out, "given the scenario's facts", result.core_facts);
  std::vector<std::string> repairs;
  for (const auto& step : result.repair) repairs.push_back(step.description);
  if (repairs.empty() && !result.repair_missing.empty()) repairs.push_back("none: " + result.repair_missing);
  write_list(out, "repair", repairs);
  out << "</section>\n";
}

}  // namespace

void write_html(const RunReport& report, const ReportContext& context, std::ostream& out) {
  std::string title = fmt::format("{} {} report", kToolName, report.command);
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << fmt::format("<title>{}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n", xml_escape(title), kStyle)
      << fmt::format("<h1>{}</h1>\n", xml_escape(title));
  std::string meta = fmt::format("{} {}", kToolName, kToolVersion);
  if (!report.z3_version.empty()) meta += fmt::format(", z3 {}", report.z3_version);
  if (!report.inputs.empty()) meta += fmt::format("; inputs: {}", fmt::join(report.inputs, " "));
  out << fmt::format("<p class=\"meta\">{}</p>\n", xml_escape(meta));
  Summary summary = summarize(report);
  out << fmt::format("<p class=\"totals\"><strong>summary:</strong> {}</p>\n", xml_escape(summary_text(summary)));
  write_summary_table(out, report, context);
  if (!report.not_run.empty()) {
    out << "<p class=\"totals\"><strong>not run</strong> (the run was interrupted first):</p>\n<ul>\n";
    for (const auto& item : report.not_run) out << fmt::format("<li>{}</li>\n", xml_escape(not_run_text(context, item)));
    out << "</ul>\n";
  }
  for (std::size_t i = 0; i < report.results.size(); ++i) write_result(out, context, report.results[i], i);
  out << "</body>\n</html>\n";
}

}  // namespace csp::reports
