// The HTML report: one self-contained page (inline CSS, inline SVG, no
// network) with a summary table and a section per result: verdict, the
// formula and its citation, the instance as a graph and as tables, why it
// fails, the rules that forbid it (or that a proof needs), other minimal
// cores, and the repairs. Everything is escaped.
#include <set>
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
.summary td:nth-child(2){overflow-wrap:normal;word-break:normal;min-width:14em}
.summary .description,p.description{color:#57606a}.summary .description{display:block;font-size:.9em}
h2{overflow-wrap:normal;word-break:normal}.group-title{color:#57606a;font-size:1.1em;text-transform:uppercase}
.filters{margin:1em 0;display:flex;gap:1.5em;flex-wrap:wrap}[hidden]{display:none!important}.summary td:nth-child(n+5){white-space:nowrap}
th,td{border:1px solid #d0d7de;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
caption{text-align:left;font-weight:600;padding:.2em 0}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;white-space:pre-wrap}
.meta,.where{color:#57606a}
.status{display:inline-block;min-width:7em;font-weight:700;border-radius:.3em;padding:0 .4em;color:#fff;
  text-align:center}
.ok{background:#1a7f37}.fail{background:#cf222e}.warn{background:#9a6700}.gap{background:#8250df}
.graph svg{max-width:100%;height:auto}.note{color:#9a6700}
td.broken{background:#ffebe9;color:#82071e;font-weight:600}
.message{font-size:1.05em;border-left:4px solid #8250df;padding:.2em .8em;background:#fbefff})";

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

// A name that may break after each `_` (and nowhere else), so a long one
// wraps at its word boundaries instead of overflowing or splitting a word.
std::string breakable_name(const std::string& name) {
  std::string out;
  for (char c : xml_escape(name)) {
    out += c;
    if (c == '_') out += "<wbr>";
  }
  return out;
}

// The groups results are shown in, most urgent first.
enum class Group { Failing, Undecided, KnownGap, AsExpected };

Group group_of(const CheckResult& result) {
  if (result.status == Status::Unknown || result.status == Status::Vacuous) return Group::Undecided;
  if (is_known_gap(result)) return Group::KnownGap;
  return result.meets_expectation() ? Group::AsExpected : Group::Failing;
}

const char* group_title(Group group) {
  switch (group) {
    case Group::Failing: return "failing";
    case Group::Undecided: return "undecided";
    case Group::KnownGap: return "known gaps";
    case Group::AsExpected: return "as expected";
  }
  return "";
}

std::string file_of(const ReportContext& context, const CheckResult& result) {
  return result.range.valid() ? context.sources.path(result.range.file) : "";
}

// The rules a result names: those a proof needs, that forbid a scenario or conflict.
std::vector<std::string> rules_of(const ReportContext& context, const CheckResult& result) {
  std::vector<std::string> names;
  for (int id : result.core) {
    if (const model::FormulaDecl* rule = rule_of(context.model, id)) names.push_back(rule->name);
  }
  return names;
}

// What the filters match a result (its section and its summary row) on.
std::string filter_attributes(const ReportContext& context, const CheckResult& result) {
  return fmt::format(" data-status=\"{}\" data-file=\"{}\" data-rules=\"{}\"", xml_escape(status_label(result)),
                     xml_escape(file_of(context, result)), xml_escape(fmt::format("{}", fmt::join(rules_of(context, result), " "))));
}

void write_summary_table(std::ostream& out, const RunReport& report, const ReportContext& context) {
  out << "<table class=\"summary\">\n<tr><th>status</th><th>check</th><th>kind</th><th>expected</th>"
         "<th>declared at</th>";
  if (context.options.timings) out << "<th>time</th>";
  out << "</tr>\n";
  for (std::size_t i = 0; i < report.results.size(); ++i) {
    const CheckResult& result = report.results[i];
    std::string description = description_of(context.model, result);
    std::string beside = description.empty() ? "" : fmt::format(" <span class=\"description\">{}</span>", xml_escape(description));
    out << fmt::format("<tr{}><td>{}</td><td><a href=\"#{}\">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                       filter_attributes(context, result), status_badge(result), anchor(i),
                       breakable_name(display_name(result)), beside, kind_name(result.kind),
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

namespace {

// A counterexample's entities, one table per kind with the attributes the
// property reads (those that break it marked), the other attributes folded
// into a <details> under it.
void write_focused_tables(std::ostream& out, const model::Model& model, const model::Instance& instance,
                          const model::Reads& reads, const std::set<model::Fact>& broken) {
  std::size_t folded = 0;
  for (std::size_t i = 0; i < instance.entities.size(); ++i) {
    const model::Entity& entity = instance.entities[i];
    auto read = [&](std::size_t a) {
      return reads.attributes.count({entity.kind, static_cast<int>(a)}) > 0 ||
             broken.count({static_cast<int>(i), static_cast<int>(a)}) > 0;
    };
    bool first_of_kind = i == 0 || instance.entities[i - 1].kind != entity.kind;
    if (first_of_kind) {
      out << fmt::format("<table class=\"instance\">\n<caption>{}</caption>\n<tr><th>entity</th>",
                         xml_escape(kind_name_of(model, entity.kind)));
      for (std::size_t a = 0; a < entity.attributes.size(); ++a) {
        if (read(a)) out << fmt::format("<th>{}</th>", xml_escape(model.kinds[entity.kind].attributes[a].name));
      }
      out << "</tr>\n";
    }
    out << fmt::format("<tr><td>{}</td>", xml_escape(entity.name));
    for (std::size_t a = 0; a < entity.attributes.size(); ++a) {
      if (!read(a)) {
        ++folded;
        continue;
      }
      bool breaks = broken.count({static_cast<int>(i), static_cast<int>(a)}) > 0;
      out << fmt::format("<td{}>{}</td>", breaks ? " class=\"broken\" title=\"breaks it\"" : "",
                         xml_escape(model::format_attribute_value(model, instance, entity.kind, static_cast<int>(a),
                                                                  entity.attributes[a])));
    }
    out << "</tr>\n";
    bool last_of_kind = i + 1 == instance.entities.size() || instance.entities[i + 1].kind != entity.kind;
    if (last_of_kind) out << "</table>\n";
  }
  if (folded == 0) return;
  out << fmt::format("<details class=\"folded\"><summary>+ {} other attribute{} and every edge</summary>\n", folded,
                     folded == 1 ? "" : "s");
  write_instance_tables(out, model, instance);
  out << "</details>\n";
}

}  // namespace

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
      int a = static_cast<int>(&value - entity.attributes.data());
      out << fmt::format("<td>{}</td>", xml_escape(model::format_attribute_value(model, instance, entity.kind, a, value)));
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
  out << fmt::format("<section id=\"{}\" class=\"result\"{}>\n<h2>{} {}</h2>\n", anchor(index),
                     filter_attributes(context, result), status_badge(result), breakable_name(display_name(result)));
  out << fmt::format("<p class=\"verdict\">{}</p>\n", inline_html(verdict_sentence(context.model, result)));
  write_declaration(out, context, result);
  if (!result.sweep_steps.empty()) {
    out << fmt::format("<p class=\"sweep\">{}</p>\n", xml_escape(sweep_steps_text(result, context.options.timings)));
  }
  if (const model::FormulaDecl* property = property_of(context.model, result)) {
    write_formula(out, context.model, *property);
  }
  if (!result.message.empty()) out << fmt::format("<p class=\"message\">{}</p>\n", xml_escape(result.message));
  if (result.instance) {
    out << fmt::format("<h3>{}</h3>\n", instance_heading(result));
    write_graph(out, context, result);
    if (const model::FormulaDecl* property = property_of(context.model, result)) {
      write_focused_tables(out, context.model, *result.instance, model::reads_of(context.model, *property->body),
                           broken_facts_of(context.model, result));
    } else {
      write_instance_tables(out, context.model, *result.instance);
    }
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
  for (const auto& note : repair_notes(context.model, result)) repairs.push_back(note);
  if (repairs.empty() && !result.repair_missing.empty()) repairs.push_back("none: " + result.repair_missing);
  write_list(out, "repair", repairs);
  out << "</section>\n";
}

}  // namespace

namespace {

// Filters by status, file and rule: the controls stay hidden without
// JavaScript (the page then reads as it is, grouped), and the script shows
// them. `#status=...&file=...&rule=...` in the address sets them on load.
constexpr std::string_view kFilterScript = R"(
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var selects = form.querySelectorAll('select');
  function matches(el) {
    var status = form.status.value, file = form.file.value, rule = form.rule.value;
    if (status && el.dataset.status !== status) return false;
    if (file && el.dataset.file !== file) return false;
    if (rule && (' ' + el.dataset.rules + ' ').indexOf(' ' + rule + ' ') < 0) return false;
    return true;
  }
  function apply() {
    document.querySelectorAll('[data-status]').forEach(function (el) { el.hidden = !matches(el); });
    document.querySelectorAll('.group').forEach(function (group) {
      group.hidden = !group.querySelector('section.result:not([hidden])');
    });
  }
  var wanted = new URLSearchParams(location.hash.slice(1));
  selects.forEach(function (select) {
    if (wanted.has(select.name)) select.value = wanted.get(select.name);
    select.addEventListener('change', apply);
  });
  form.hidden = false;
  apply();
})();)";

std::string options_html(const std::vector<std::string>& values) {
  std::string out = "<option value=\"\">all</option>";
  for (const auto& value : values) out += fmt::format("<option>{}</option>", xml_escape(value));
  return out;
}

void write_filters(std::ostream& out, const RunReport& report, const ReportContext& context) {
  std::set<std::string> statuses, files, rules;
  for (const auto& result : report.results) {
    statuses.insert(status_label(result));
    if (std::string file = file_of(context, result); !file.empty()) files.insert(file);
    for (auto& rule : rules_of(context, result)) rules.insert(std::move(rule));
  }
  auto sorted = [](const std::set<std::string>& set) { return std::vector<std::string>(set.begin(), set.end()); };
  out << "<form id=\"filters\" class=\"filters\" hidden>\n"
      << fmt::format("<label>status <select name=\"status\">{}</select></label>\n", options_html(sorted(statuses)))
      << fmt::format("<label>file <select name=\"file\">{}</select></label>\n", options_html(sorted(files)))
      << fmt::format("<label>rule <select name=\"rule\">{}</select></label>\n", options_html(sorted(rules)))
      << "</form>\n";
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
  write_filters(out, report, context);
  for (Group group : {Group::Failing, Group::Undecided, Group::KnownGap, Group::AsExpected}) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < report.results.size(); ++i) {
      if (group_of(report.results[i]) == group) members.push_back(i);
    }
    if (members.empty()) continue;
    out << fmt::format("<div class=\"group\">\n<h2 class=\"group-title\">{} ({})</h2>\n", group_title(group),
                       members.size());
    for (std::size_t i : members) write_result(out, context, report.results[i], i);
    out << "</div>\n";
  }
  out << "<script>\n" << kFilterScript << "\n</script>\n";
  out << "</body>\n</html>\n";
}

}  // namespace csp::reports
