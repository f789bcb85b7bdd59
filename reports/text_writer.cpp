// The text report: a header line, one status line per result with its
// details indented below, and a closing summary line. ANSI colour only when
// options.color. Text from the spec or the solver is made terminal-safe, so
// only our own colour codes ever reach the terminal.
#include <fmt/format.h>

#include "reports/escape.h"
#include "reports/lint.h"
#include "reports/view.h"
#include "reports/writers.h"

namespace csp::reports {

namespace {

constexpr std::string_view kGreen = "\x1b[32m";
constexpr std::string_view kRed = "\x1b[31m";
constexpr std::string_view kYellow = "\x1b[33m";
constexpr std::string_view kCyan = "\x1b[36m";  // known gaps: as expected, but not proved
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kReset = "\x1b[0m";

class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}
  std::string operator()(std::string_view colour, std::string_view text) const {
    return enabled_ ? fmt::format("{}{}{}", colour, text, kReset) : std::string(text);
  }

 private:
  bool enabled_;
};

std::string_view status_colour(const CheckResult& result) {
  if (result.status == Status::Unknown || result.status == Status::Vacuous) return kYellow;
  if (is_known_gap(result)) return kCyan;
  return result.meets_expectation() ? kGreen : kRed;
}

std::string header_line(const RunReport& report) {
  std::string line = fmt::format("{} {} {}", kToolName, kToolVersion, report.command);
  for (const auto& input : report.inputs) line += " " + input;
  if (!report.z3_version.empty()) line += fmt::format(" (z3 {})", report.z3_version);
  return line;
}

// "FAILED expected forbidden, got allowed" or "(expected)" for a result
// that states an expectation; "" otherwise.
std::string expectation_note(const ReportContext& context, const CheckResult& result,
                             const Painter& paint) {
  if (!result.expected || result.status == Status::Unknown) return "";
  if (is_known_gap(result)) return " (documented: expect violated)";
  if (result.meets_expectation()) return " (expected)";
  return " " + paint(kRed, "FAILED") +
         terminal_safe(fmt::format(" expected {}, got {}", expected_text(result), actual_text(context.model, result)));
}

std::string status_line(const ReportContext& context, const CheckResult& result, const Painter& paint) {
  std::string word = fmt::format("{:<9}", status_word(result));
  std::string line = " ";
  if (result.kind == CheckResult::Kind::Consistency) {
    line += "rules";
    if (result.status == Status::Inconsistent && !result.core.empty()) {
      line += ": conflicting rules: " + rule_labels(context.model, result.core);
    }
  } else {
    line += result.name;
    std::string where = context.sources.where(result.range);
    if (!where.empty()) line += fmt::format(" ({})", where);
  }
  std::string bound = bound_text(context.model, result);
  if (result.status != Status::Inconsistent && !bound.empty()) line += " " + bound;
  if (result.status == Status::Unknown && !result.unknown_reason.empty()) {
    line += fmt::format(" ({})", result.unknown_reason);
  }
  line = paint(status_colour(result), word) + terminal_safe(line) + expectation_note(context, result, paint);
  if (context.options.timings) line += fmt::format(" [{}]", format_ms(result.time_ms));
  return line;
}

}  // namespace

void write_text(const RunReport& report, const ReportContext& context, std::ostream& out) {
  Painter paint(context.options.color);
  out << paint(kBold, terminal_safe(header_line(report))) << '\n';
  for (const auto& result : report.results) {
    out << status_line(context, result, paint) << '\n';
    out << terminal_safe(details_text(context, result, "  "));
  }
  for (const auto& item : report.not_run) {
    out << paint(kYellow, fmt::format("{:<9}", "NOT RUN")) << ' ' << terminal_safe(not_run_text(context, item)) << '\n';
  }
  if (report.lint) out << lint_text(*report.lint, context);
  Summary summary = summarize(report);
  std::string_view colour = summary.exit_code == 0 ? kGreen : summary.exit_code == 1 ? kRed : kYellow;
  out << paint(colour, "summary: " + summary_text(summary)) << '\n';
}

}  // namespace csp::reports
