// The audit's JUnit XML report (Apache Ant schema, tests/schemas/junit.xsd):
// a testsuite `rules` with one testcase per rule (a <failure> listing its
// violations when the data violates it; <skipped> when it was not evaluated)
// and a testsuite `data` with one testcase per data file (a <failure> when
// records were skipped). The counts are the suites' properties.
#include <fmt/format.h>

#include "model/stop.h"
#include "reports/audit_view.h"
#include "reports/escape.h"

namespace csp::reports {

namespace {

constexpr std::string_view kFixedTimestamp = "1970-01-01T00:00:00";
constexpr std::size_t kListed = 100;  // violations written out per failing rule

std::string seconds(const ReportContext& context, double ms) {
  return context.options.timings ? fmt::format("{:.3f}", ms / 1000.0) : "0";
}

std::string timestamp(const ReportContext& context) {
  return context.options.timestamp.empty() ? std::string(kFixedTimestamp) : context.options.timestamp;
}

void write_properties(std::ostream& out, const AuditReport& report, const ReportContext& context) {
  AuditTotals t = audit_totals(report, context.model);
  out << "    <properties>\n";
  auto property = [&](std::string_view name, const std::string& value) {
    out << fmt::format("      <property name=\"{}\" value=\"{}\"/>\n", name, xml_escape(value));
  };
  property("command", "audit");
  property("cspverify.version", std::string(kToolVersion));
  property("data", report.data_dir);
  property("records_read", std::to_string(t.records_read));
  property("records_skipped", std::to_string(t.records_skipped));
  property("records_filtered", std::to_string(t.records_filtered));
  property("records_checked", std::to_string(t.records_checked));
  property("violations", std::to_string(t.violations));
  property("data_errors", std::to_string(t.data_errors));
  out << "    </properties>\n";
}

std::string violations_text(const AuditReport& report, const ReportContext& context, int rule) {
  std::string text;
  std::size_t listed = 0, more = 0;
  for (const auto& v : report.result->violations) {
    if (v.rule != rule) continue;
    if (listed++ >= kListed) {
      ++more;
      continue;
    }
    const model::Instance& instance = report.data->instance;
    std::string where = v.bindings.empty() ? "" : record_where(context.sources, report.data->entity_origin[v.bindings[0].entity]);
    text += fmt::format("{}{}\n", v.bindings.empty() ? "the rule as a whole" : bindings_text(context.model, instance, v),
                        where.empty() ? "" : fmt::format(" ({})", where));
    if (!v.message.empty()) text += "  in words: " + v.message + "\n";
    for (const auto& line : v.explanation) text += "  " + line + "\n";
  }
  const audit::RuleOutcome& outcome = report.result->rules[rule];
  more += outcome.violations - outcome.listed;
  if (more > 0) text += fmt::format("... and {} more\n", more);
  return text;
}

void write_rules_suite(std::ostream& out, const AuditReport& report, const ReportContext& context) {
  std::size_t tests = 0, failures = 0, skipped = 0, errors = 0;
  double ms = 0;
  if (report.result) {
    for (const auto& outcome : report.result->rules) {
      if (!outcome.selected) continue;
      ++tests;
      if (!outcome.unknown_reason.empty()) ++errors;
      else if (!outcome.complete) ++skipped;
      else if (outcome.violations > 0) ++failures;
      ms += outcome.ms;
    }
  } else {
    tests = context.model.rules.size();
    skipped = tests;
  }
  out << fmt::format(
      "  <testsuite name=\"rules\" package=\"{}\" id=\"0\" timestamp=\"{}\" hostname=\"localhost\" tests=\"{}\" "
      "failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">\n",
      kToolName, xml_escape(timestamp(context)), tests, failures, errors, skipped, seconds(context, ms));
  write_properties(out, report, context);
  for (std::size_t r = 0; r < context.model.rules.size(); ++r) {
    const audit::RuleOutcome* outcome = report.result ? &report.result->rules[r] : nullptr;
    if (outcome && !outcome->selected) continue;
    out << fmt::format("    <testcase name=\"{}\" classname=\"rules\" time=\"{}\"", xml_escape(rule_label(context.model, static_cast<int>(r))),
                       outcome ? seconds(context, outcome->ms) : "0");
    if (outcome && !outcome->unknown_reason.empty()) {
      out << fmt::format(">\n      <error type=\"rule-unknown\" message=\"{}\"/>\n    </testcase>\n",
                         xml_escape(fmt::format("{} ({})", outcome->unknown_reason, context.sources.where(outcome->unknown_at))));
    } else if (!outcome || !outcome->complete) {
      std::string why = report.interrupted_by ? fmt::format("not evaluated: interrupted by {}", model::signal_name(report.interrupted_by))
                                              : "not evaluated: the data could not be read whole";
      out << fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml_escape(why));
    } else if (outcome->violations == 0) {
      out << "/>\n";
    } else {
      out << fmt::format(">\n      <failure type=\"rule-violated\" message=\"{}\">", xml_escape(fmt::format(
                                                                                  "{} violation{} of {}", outcome->violations,
                                                                                  outcome->violations == 1 ? "" : "s",
                                                                                  context.model.rules[r].description)));
      out << xml_escape(violations_text(report, context, static_cast<int>(r))) << "</failure>\n    </testcase>\n";
    }
  }
  out << "    <system-out/>\n    <system-err/>\n  </testsuite>\n";
}

void write_data_suite(std::ostream& out, const AuditReport& report, const ReportContext& context) {
  std::size_t files = report.data ? report.data->files.size() : 0;
  std::size_t failures = 0;
  if (report.data) {
    for (const auto& f : report.data->files) failures += f.skipped > 0 ? 1 : 0;
  }
  out << fmt::format(
      "  <testsuite name=\"data\" package=\"{}\" id=\"1\" timestamp=\"{}\" hostname=\"localhost\" tests=\"{}\" "
      "failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{}\">\n",
      kToolName, xml_escape(timestamp(context)), files, failures, seconds(context, report.load_ms));
  write_properties(out, report, context);
  if (report.data) {
    for (const auto& f : report.data->files) {
      out << fmt::format("    <testcase name=\"{}\" classname=\"data\" time=\"0\"", xml_escape(f.path));
      if (f.skipped == 0) {
        out << "/>\n";
        continue;
      }
      std::string listing;
      for (const auto& d : report.data_errors) {
        if (context.sources.where(d.range).rfind(f.path, 0) == 0) listing += data_error_line(context.sources, d) + "\n";
      }
      out << fmt::format(">\n      <failure type=\"data-error\" message=\"{}\">", xml_escape(fmt::format(
                                                                                   "{} of {} records skipped", f.skipped, f.read)));
      out << xml_escape(listing) << "</failure>\n    </testcase>\n";
    }
  }
  out << "    <system-out/>\n    <system-err/>\n  </testsuite>\n";
}

}  // namespace

void write_audit_junit(const AuditReport& report, const ReportContext& context, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  write_rules_suite(out, report, context);
  write_data_suite(out, report, context);
  out << "</testsuites>\n";
}

}  // namespace csp::reports
