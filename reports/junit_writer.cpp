// The JUnit XML report (Apache Ant schema, tests/schemas/junit.xsd):
// one testsuite per spec file, one testcase per check. A result that fails
// the run is a <failure>; an unknown one is an <error>; a check an interrupted
// run never reached is <skipped>. A known gap (`expect violated`) passes, and
// the suite counts them in its property `known_gaps`. The suite's
// <system-out> says why each proved property holds and shows each known gap.
#include <algorithm>

#include <fmt/format.h>

#include "model/stop.h"
#include "reports/escape.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

constexpr std::string_view kFixedTimestamp = "1970-01-01T00:00:00";

// xs:token: no line breaks or tabs, no leading, trailing or doubled spaces.
std::string token(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string seconds(const ReportContext& context, double ms) {
  return context.options.timings ? fmt::format("{:.3f}", ms / 1000.0) : "0";
}

struct Suite {
  std::string name;                         // the spec file; "rules" for checks without one
  std::vector<const CheckResult*> results;
  std::vector<const model::NotRun*> not_run;  // skipped: the run was interrupted first
};

Suite& suite_named(std::vector<Suite>& suites, std::string name) {
  if (name.empty()) name = "checks";
  auto suite = std::find_if(suites.begin(), suites.end(), [&](const Suite& s) { return s.name == name; });
  if (suite == suites.end()) suite = suites.insert(suites.end(), Suite{name, {}, {}});
  return *suite;
}

// Suites in order of first appearance, so output follows the run's order.
std::vector<Suite> group_by_file(const RunReport& report, const ReportContext& context) {
  std::vector<Suite> suites;
  for (const auto& result : report.results) {
    Location where = locate(context.sources, result.range);
    suite_named(suites, token(where.valid() ? where.file : display_name(result))).results.push_back(&result);
  }
  for (const auto& item : report.not_run) {
    Location where = locate(context.sources, item.range);
    suite_named(suites, token(where.valid() ? where.file : item.name)).not_run.push_back(&item);
  }
  return suites;
}

void write_skipped_testcase(std::ostream& out, const RunReport& report, const std::string& suite,
                            const model::NotRun& item) {
  out << fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n",
                     xml_escape(token(fmt::format("{} {}", kind_name(item.kind), item.name))), xml_escape(suite));
  out << fmt::format("      <skipped message=\"not run: interrupted by {}\"/>\n    </testcase>\n",
                     model::signal_name(report.interrupted_by));
}

void write_testcase(std::ostream& out, const ReportContext& context, const std::string& suite,
                    const CheckResult& result) {
  std::string name = token(fmt::format("{} {}", kind_name(result.kind), display_name(result)));
  out << fmt::format("    <testcase name=\"{}\" classname=\"{}\" time=\"{}\"", xml_escape(name),
                     xml_escape(suite), seconds(context, result.time_ms));
  bool unknown = result.status == Status::Unknown;
  if (!unknown && !is_failure(result)) {
    out << "/>\n";
    return;
  }
  std::string_view element = unknown ? "error" : "failure";
  out << fmt::format(">\n      <{} type=\"{}\" message=\"{}\">", element, finding_id(result),
                     xml_escape(verdict_sentence(context.model, result)));
  out << xml_escape(details_text(context, result, "")) << fmt::format("</{}>\n    </testcase>\n", element);
}

// What passing testcases cannot say for themselves (a testcase holds only
// a failure, an error or a skip): why each proved property holds, and the
// minimal cores of a scenario looked at beyond the first. A failing one has
// them in its <failure> text. A known gap's counterexample is here too.
std::string passing_notes(const ReportContext& context, const Suite& suite) {
  std::string notes;
  for (const CheckResult* result : suite.results) {
    if (is_failure(*result) || result->status == Status::Unknown) continue;
    if (!result->proof_core && !result->core_search && !result->all_cores && !is_known_gap(*result)) continue;
    notes += verdict_sentence(context.model, *result) + "\n" + details_text(context, *result, "  ");
  }
  return notes;
}

void write_suite(std::ostream& out, const RunReport& report, const ReportContext& context, const Suite& suite,
                 int id) {
  int failures = 0, errors = 0, known_gaps = 0;
  double ms = 0;
  for (const CheckResult* result : suite.results) {
    if (result->status == Status::Unknown) ++errors;
    if (is_known_gap(*result)) ++known_gaps;
    if (is_failure(*result)) ++failures;
    ms += result->time_ms;
  }
  std::string timestamp = context.options.timestamp.empty() ? std::string(kFixedTimestamp) : context.options.timestamp;
  out << fmt::format(
      "  <testsuite name=\"{}\" package=\"{}\" id=\"{}\" timestamp=\"{}\" hostname=\"localhost\" tests=\"{}\" "
      "failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">\n",
      xml_escape(suite.name), xml_escape(kToolName), id, xml_escape(timestamp),
      suite.results.size() + suite.not_run.size(), failures, errors, suite.not_run.size(), seconds(context, ms));
  out << "    <properties>\n";
  out << fmt::format("      <property name=\"command\" value=\"{}\"/>\n", xml_escape(report.command));
  out << fmt::format("      <property name=\"cspverify.version\" value=\"{}\"/>\n", kToolVersion);
  if (!report.z3_version.empty()) {
    out << fmt::format("      <property name=\"z3.version\" value=\"{}\"/>\n", xml_escape(report.z3_version));
  }
  out << fmt::format("      <property name=\"known_gaps\" value=\"{}\"/>\n", known_gaps);
  out << "    </properties>\n";
  for (const CheckResult* result : suite.results) write_testcase(out, context, suite.name, *result);
  for (const model::NotRun* item : suite.not_run) write_skipped_testcase(out, report, suite.name, *item);
  std::string notes = passing_notes(context, suite);
  if (notes.empty()) {
    out << "    <system-out/>\n";
  } else {
    out << "    <system-out>" << xml_escape(notes) << "</system-out>\n";
  }
  out << "    <system-err/>\n  </testsuite>\n";
}

}  // namespace

void write_junit(const RunReport& report, const ReportContext& context, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";
  std::vector<Suite> suites = group_by_file(report, context);
  for (std::size_t i = 0; i < suites.size(); ++i) write_suite(out, report, context, suites[i], static_cast<int>(i));
  out << "</testsuites>\n";
}

}  // namespace csp::reports
