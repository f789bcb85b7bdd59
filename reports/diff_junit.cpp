// The JUnit XML diff report (Apache Ant schema, shared/formats/junit.xsd), for
// CI: a suite for the semantic difference (a direction fails only when it
// contradicts --expect) and a suite for the checks (a regression fails). An
// unknown is an <error>, as in the prove/check JUnit report.
#include <fmt/format.h>

#include "reports/diff_report.h"
#include "model/instance.h"
#include "reports/escape.h"
#include "reports/view.h"

namespace csp::reports {

namespace {

using model::CheckPair;
using model::Difference;
using model::DiffReport;

struct Case {
  std::string name;
  double ms = 0;
  enum class Outcome { Pass, Failure, Error } outcome = Outcome::Pass;
  std::string type;     // the failure's kind: `regression`, `expectation`, `unknown`
  std::string message;
  std::string details;
};

std::string seconds(const DiffContext& context, double ms) {
  return context.timings ? fmt::format("{:.3f}", ms / 1000.0) : "0";
}

Case direction_case(const DiffReport& report, const DiffContext& context, const Difference& d, bool newly_allowed) {
  Case c;
  c.name = newly_allowed ? "newly allowed" : "newly forbidden";
  c.ms = d.time_ms;
  switch (d.answer) {
    case Difference::Answer::None: return c;
    case Difference::Answer::Unknown:
      c.outcome = Case::Outcome::Error;
      c.type = "unknown";
      c.message = fmt::format("{}: unknown: {}", c.name, d.unknown_reason);
      return c;
    case Difference::Answer::Found: break;
  }
  if (!report.expectation_forbids(newly_allowed)) return c;
  c.outcome = Case::Outcome::Failure;
  c.type = "expectation";
  c.message = fmt::format("{} instances, expected {}", c.name, model::expectation_name(*report.expected));
  for (const auto& w : d.witnesses) {
    c.details += model::format_instance(context.merged, w.instance) + "forbidden by:\n";
    for (int rule : w.blame) c.details += fmt::format("  {}\n", side_rule_label(context.merged, rule));
  }
  return c;
}

Case check_case(const DiffContext& context, const CheckPair& pair) {
  Case c;
  c.name = fmt::format("{} {}", reports::kind_name(pair.kind), pair.name);
  c.ms = (pair.base ? pair.base->time_ms : 0) + (pair.proposed ? pair.proposed->time_ms : 0);
  auto status = [](const std::optional<model::CheckResult>& r) {
    return r ? reports::status_label(*r) : std::string("absent");
  };
  std::string change = fmt::format("{} -> {}", status(pair.base), status(pair.proposed));
  if (pair.regression) {
    c.outcome = Case::Outcome::Failure;
    c.type = "regression";
    c.message = fmt::format("regression: {}", change);
    reports::ReportContext proposed{context.proposed, context.sources, {}};
    proposed.options.timings = context.timings;
    c.details = reports::details_text(proposed, *pair.proposed, "");
  } else if (pair.unknown) {
    c.outcome = Case::Outcome::Error;
    c.type = "unknown";
    c.message = fmt::format("unknown: {}", change);
  }
  return c;
}

void write_suite(std::ostream& out, const DiffContext& context, const std::string& name, int id,
                 const std::vector<Case>& cases) {
  int failures = 0, errors = 0;
  double ms = 0;
  for (const auto& c : cases) {
    failures += c.outcome == Case::Outcome::Failure ? 1 : 0;
    errors += c.outcome == Case::Outcome::Error ? 1 : 0;
    ms += c.ms;
  }
  out << fmt::format(
      "  <testsuite name=\"{}\" package=\"cspverify.diff\" id=\"{}\" timestamp=\"1970-01-01T00:00:00\" "
      "hostname=\"localhost\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\" time=\"{}\">\n",
      reports::xml_escape(name), id, cases.size(), failures, errors, seconds(context, ms));
  out << "    <properties>\n      <property name=\"command\" value=\"diff\"/>\n";
  out << fmt::format("      <property name=\"base\" value=\"{}\"/>\n", reports::xml_escape(context.base_label));
  out << fmt::format("      <property name=\"proposed\" value=\"{}\"/>\n",
                     reports::xml_escape(context.proposed_label));
  out << "    </properties>\n";
  for (const auto& c : cases) {
    out << fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"", reports::xml_escape(c.name),
                       reports::xml_escape(name), seconds(context, c.ms));
    if (c.outcome == Case::Outcome::Pass) {
      out << "/>\n";
      continue;
    }
    const char* element = c.outcome == Case::Outcome::Failure ? "failure" : "error";
    out << fmt::format(">\n      <{} type=\"{}\" message=\"{}\">{}</{}>\n    </testcase>\n", element, c.type,
                       reports::xml_escape(c.message), reports::xml_escape(c.details), element);
  }
  out << "    <system-out/>\n    <system-err/>\n  </testsuite>\n";
}

}  // namespace

void write_diff_junit(const DiffReport& report, const DiffContext& context, std::ostream& out) {
  std::vector<Case> semantic{direction_case(report, context, report.semantic.newly_allowed, true),
                             direction_case(report, context, report.semantic.newly_forbidden, false)};
  std::vector<Case> checks;
  for (const auto& pair : report.checks) checks.push_back(check_case(context, pair));
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  write_suite(out, context, "semantic difference", 0, semantic);
  write_suite(out, context, "checks", 1, checks);
  out << "</testsuites>\n";
}

}  // namespace csp::reports
