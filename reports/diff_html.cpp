// The HTML and DOT diff reports: the headline and the regressions first,
// then each witness drawn as a graph (the same Graphviz drawing as prove's
// counterexamples, reports/dot_writer.cpp), the text changes and the other
// changed checks. The HTML page is self-contained and everything is escaped.
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/instance.h"
#include "model/stop.h"
#include "reports/diff_report.h"
#include "reports/diff_view.h"
#include "reports/escape.h"
#include "reports/html.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

using model::CheckPair;
using model::Difference;
using model::DiffReport;

std::string witness_title(bool newly_allowed, std::size_t index) {
  return fmt::format("{} witness {}", newly_allowed ? "newly allowed" : "newly forbidden", index + 1);
}

std::string witness_graph(const DiffContext& context, const model::Witness& w, bool newly_allowed, std::size_t index) {
  std::string title = witness_title(newly_allowed, index);
  std::string label = fmt::format("{}: {} {}", title, w.minimal ? "minimal," : "not proved minimal,",
                                  plural(w.instance.entities.size(), "entity", "entities"));
  return dot_instance_graph(context.merged, w.instance, witness_highlights(w), title, label);
}

// The proposed side's instance of a changed check (a counterexample, a
// scenario's completion), drawn as prove's reports draw it.
std::optional<std::string> check_graph(const DiffContext& context, const CheckPair& pair) {
  if (!pair.proposed || !pair.proposed->instance) return std::nullopt;
  ReportContext proposed{context.proposed, context.sources, {}};
  return dot_graph(*pair.proposed, proposed);
}

bool shown(const CheckPair& pair) { return pair.regression || pair.changed() || pair.unknown; }

class HtmlWriter {
 public:
  HtmlWriter(const DiffReport& report, const DiffContext& context, std::ostream& out)
      : report_(report), context_(context), out_(out) {}

  void write() {
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << fmt::format("<title>{} diff report</title>\n<style>\n{}\n</style>\n</head>\n<body>\n", kToolName,
                        html_style())
         << fmt::format("<h1>{} diff report</h1>\n", kToolName);
    std::string meta = fmt::format("{} {}", kToolName, kToolVersion);
    if (!report_.z3_version.empty()) meta += fmt::format(", z3 {}", report_.z3_version);
    out_ << fmt::format("<p class=\"meta\">{}; <code>{}</code> → <code>{}</code></p>\n", xml_escape(meta),
                        xml_escape(context_.base_label), xml_escape(context_.proposed_label));
    std::string status = report_.exit_code() == 0 ? "ok" : report_.exit_code() == 3 ? "warn" : "fail";
    out_ << fmt::format("<p class=\"headline\"><span class=\"status {}\">exit {}</span> {}</p>\n", status,
                        report_.exit_code(), xml_escape(headline(report_)));
    regressions_section();
    semantic();
    changes();
    other_checks();
    out_ << "</body>\n</html>\n";
  }

 private:
  void check_table(const std::vector<const CheckPair*>& pairs) {
    out_ << "<table class=\"summary\">\n<tr><th>kind</th><th>check</th><th>base → proposed</th><th></th></tr>\n";
    for (const CheckPair* pair : pairs) {
      out_ << fmt::format("<tr><td>{}</td><td><code>{}</code>{}</td><td>{}</td><td>{}</td></tr>\n",
                          kind_name(pair->kind), xml_escape(pair->name), xml_escape(origin_note(*pair)),
                          xml_escape(check_statuses(*pair)), xml_escape(check_mark(*pair)));
    }
    out_ << "</table>\n";
  }

  void check_details(const CheckPair& pair) {
    out_ << fmt::format("<section>\n<h3>{} <code>{}</code>: {}</h3>\n", kind_name(pair.kind), xml_escape(pair.name),
                        xml_escape(check_statuses(pair)));
    for (const auto& warning : unset_attribute_warnings(pair)) {
      out_ << fmt::format("<p class=\"note\">warning: {}</p>\n", xml_escape(warning));
    }
    if (auto dot = check_graph(context_, pair)) write_svg_graph(out_, context_.dot_program, *dot);
    if (pair.proposed) {
      ReportContext proposed{context_.proposed, context_.sources, {}};
      proposed.options.timings = context_.timings;
      std::string details = details_text(proposed, *pair.proposed, "");
      if (!details.empty()) out_ << fmt::format("<pre class=\"why\">{}</pre>\n", xml_escape(details));
    }
    out_ << "</section>\n";
  }

  void regressions_section() {
    auto regressed = regressions(report_);
    if (regressed.empty()) return;
    out_ << "<h2>Regressions</h2>\n";
    check_table(regressed);
    for (const CheckPair* pair : regressed) check_details(*pair);
  }

  void semantic() {
    out_ << fmt::format("<h2>Semantic difference</h2>\n<p class=\"verdict\"><strong>{}</strong> (within scope {})</p>\n",
                        xml_escape(semantic_sentence(report_.semantic)),
                        xml_escape(scope_text(context_.merged, report_.semantic.scope)));
    std::string expectation = expectation_line(report_);
    if (!expectation.empty()) out_ << fmt::format("<p><code>{}</code></p>\n", xml_escape(expectation));
    direction(report_.semantic.newly_allowed, true);
    direction(report_.semantic.newly_forbidden, false);
  }

  void direction(const Difference& d, bool newly_allowed) {
    out_ << fmt::format("<p class=\"totals\">{}</p>\n", inline_html(direction_summary(context_.merged, d, newly_allowed)));
    std::string_view allowing = newly_allowed ? "proposed" : "base";
    for (std::size_t i = 0; i < d.witnesses.size(); ++i) {
      const model::Witness& w = d.witnesses[i];
      out_ << fmt::format("<section>\n<h3>{} ({}{})</h3>\n", witness_title(newly_allowed, i),
                          w.minimal ? "minimal: " : "not proved minimal: ",
                          plural(w.instance.entities.size(), "entity", "entities"));
      std::string distinct = distinct_text(w.distinct);
      if (!distinct.empty()) out_ << fmt::format("<p class=\"where\">{}</p>\n", xml_escape(distinct));
      write_svg_graph(out_, context_.dot_program, witness_graph(context_, w, newly_allowed, i));
      write_instance_tables(out_, context_.merged, w.instance);
      out_ << fmt::format("<p>forbidden by the {} rules:</p>\n<ul class=\"core\">\n", newly_allowed ? "base" : "proposed");
      for (std::size_t b = 0; b < w.blame.size(); ++b) {
        out_ << fmt::format("<li><code>{}</code>: {}\n", xml_escape(side_rule_label(context_.merged, w.blame[b])),
                            xml_escape(counterpart_text(context_.merged, w, b, allowing)));
        if (!w.explanations[b].empty()) {
          out_ << fmt::format("<pre class=\"why\">{}</pre>\n",
                              xml_escape(fmt::format("{}", fmt::join(w.explanations[b], "\n"))));
        }
        out_ << "</li>\n";
      }
      out_ << "</ul>\n</section>\n";
    }
  }

  void changes() {
    out_ << "<h2>Text changes</h2>\n";
    std::string rows;
    for (const auto& c : report_.changes) {
      if (borrowed_test(report_, c)) continue;
      rows += fmt::format("<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>\n",
                          model::action_name(c.action), xml_escape(c.what), xml_escape(c.name),
                          xml_escape(fmt::format("{}", fmt::join(c.aspects, ", "))));
    }
    if (rows.empty()) {
      out_ << "<p>None.</p>\n";
      return;
    }
    out_ << "<table>\n<tr><th>change</th><th>declaration</th><th>name</th><th>what differs</th></tr>\n" << rows
         << "</table>\n";
    for (const auto& c : report_.changes) {
      std::string diff = c.action == model::Change::Action::Modified ? text_diff(c, context_.sources) : "";
      if (diff.empty()) continue;
      out_ << fmt::format("<h3>{} <code>{}</code></h3>\n<pre class=\"diff\">{}</pre>\n", xml_escape(c.what),
                          xml_escape(c.name), xml_escape(diff));
    }
  }

  void other_checks() {
    std::vector<const CheckPair*> changed;
    for (const auto& pair : report_.checks) {
      if (!pair.regression && shown(pair)) changed.push_back(&pair);
    }
    std::size_t unchanged = report_.checks.size() - changed.size() - regressions(report_).size();
    out_ << "<h2>Other checks</h2>\n";
    if (!changed.empty()) {
      check_table(changed);
      for (const CheckPair* pair : changed) check_details(*pair);
    }
    out_ << fmt::format("<p>{} the same under both sides.</p>\n", plural(unchanged, "check is", "checks are"));
  }

  const DiffReport& report_;
  const DiffContext& context_;
  std::ostream& out_;
};

}  // namespace

void write_diff_html(const DiffReport& report, const DiffContext& context, std::ostream& out) {
  HtmlWriter(report, context, out).write();
}

void write_diff_dot(const DiffReport& report, const DiffContext& context, std::ostream& out) {
  std::vector<std::string> graphs;
  for (bool allowed : {true, false}) {
    const Difference& d = allowed ? report.semantic.newly_allowed : report.semantic.newly_forbidden;
    for (std::size_t i = 0; i < d.witnesses.size(); ++i) graphs.push_back(witness_graph(context, d.witnesses[i], allowed, i));
  }
  for (const auto& pair : report.checks) {
    if (!shown(pair)) continue;
    if (auto dot = check_graph(context, pair)) graphs.push_back(*dot);
  }
  for (std::size_t i = 0; i < graphs.size(); ++i) out << (i == 0 ? "" : "\n") << graphs[i];
  if (graphs.empty()) out << "// no witness and no changed check with an instance in this diff\n";
  if (report.interrupted_by != 0) {
    out << fmt::format("// interrupted by {}: {} check(s) not run\n", model::signal_name(report.interrupted_by),
                       report.not_run.size());
  }
}

}  // namespace csp::reports
