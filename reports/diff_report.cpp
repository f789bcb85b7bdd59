// The text and markdown diff reports: text changes, the vocabulary union,
// the semantic difference with witnesses and blame, then every check under
// both sides with regressions marked.
#include "reports/diff_report.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "model/instance.h"
#include "model/merge.h"
#include "model/stop.h"
#include "reports/view.h"

namespace csp::reports {

namespace {

using model::CheckPair;
using model::Difference;
using model::DiffReport;
using model::SemanticDiff;

// The lines of a declaration as written, from its keyword to its end.
std::vector<std::string_view> extent_lines(const model::SourceManager& sources, model::SourceRange extent) {
  std::string_view all = sources.text(extent.file);
  std::string_view text = all.substr(extent.begin, extent.end - extent.begin);
  std::vector<std::string_view> lines;
  while (true) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

// A line without its indentation: a declaration moved between files may be indented differently.
std::string_view unindented(std::string_view line) {
  std::size_t start = line.find_first_not_of(" \t");
  return start == std::string_view::npos ? std::string_view{} : line.substr(start);
}

}  // namespace

// A longest common subsequence of lines: declarations are tens of lines, so
// the quadratic table is small.
std::string text_diff(const model::Change& change, const model::SourceManager& sources) {
  if (!change.base_extent.valid() || !change.proposed_extent.valid()) return "";
  auto before = extent_lines(sources, change.base_extent);
  auto after = extent_lines(sources, change.proposed_extent);
  std::size_t n = before.size(), m = after.size();
  std::vector<std::vector<std::size_t>> common(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;) {
    for (std::size_t j = m; j-- > 0;) {
      common[i][j] = unindented(before[i]) == unindented(after[j]) ? common[i + 1][j + 1] + 1
                                                                   : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  std::string out = fmt::format("--- {}\n+++ {}\n", sources.where(change.base_extent), sources.where(change.proposed_extent));
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && unindented(before[i]) == unindented(after[j])) {
      out += fmt::format(" {}\n", after[j]);
      ++i, ++j;
    } else if (j == m || (i < n && common[i + 1][j] >= common[i][j + 1])) {
      out += fmt::format("-{}\n", before[i++]);
    } else {
      out += fmt::format("+{}\n", after[j++]);
    }
  }
  return out;
}

namespace {

std::string where(const DiffContext& context, const model::Change& change) {
  model::SourceRange range = change.proposed_range.valid() ? change.proposed_range : change.base_range;
  return context.sources.where(range);
}

std::string indent_lines(const std::string& text, std::string_view indent) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += fmt::format("{}{}\n", indent, text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string entity_count(const model::Instance& instance) {
  return plural(instance.entities.size(), "entity", "entities");
}

std::string verdict_sentence(const SemanticDiff& diff) {
  std::string_view verdict = semantic_verdict(diff);
  if (verdict == "equivalent") return "equivalent within scope: both rule sets allow exactly the same instances";
  if (verdict == "tightening") return "tightening: the proposed rules forbid more and allow nothing new";
  if (verdict == "widening") return "widening: the proposed rules allow more and forbid nothing new";
  if (verdict == "different") return "different: the proposed rules allow some new instances and forbid others";
  return "unknown: the solver gave up on at least one direction";
}

// Symbols one side lacks, by side: the other side's rules leave them free.
std::vector<std::string> one_sided_symbols(const DiffReport& report, model::Change::Action action) {
  std::vector<std::string> out;
  for (const auto& c : report.changes) {
    if (c.vocabulary && c.action == action) out.push_back(fmt::format("{} `{}`", c.what, c.name));
  }
  return out;
}

// Rules the merge implies: an attribute one side declares non-optional.
std::vector<std::string> implied_rules(const model::Model& merged) {
  std::vector<std::string> out;
  for (const auto& rule : merged.rules) {
    auto split = model::split_side(rule.name);
    if (split && split->second.find('.') != std::string::npos) {
      out.push_back(fmt::format("{}: {}", model::side_name(split->first), rule.description));
    }
  }
  return out;
}

// A property or scenario only one side declares that still ran under both:
// listed once among the checks instead of as a text change.
bool borrowed_test(const DiffReport& report, const model::Change& change) {
  if (change.action == model::Change::Action::Modified) return false;
  auto kind = change.what == "property" ? model::CheckResult::Kind::Property
            : change.what == "scenario" ? model::CheckResult::Kind::Scenario
                                        : model::CheckResult::Kind::Consistency;
  if (kind == model::CheckResult::Kind::Consistency) return false;
  for (const auto& pair : report.checks) {
    if (pair.kind == kind && pair.name == change.name) return pair.base && pair.proposed;
  }
  return false;
}

std::string borrowed_summary(const DiffReport& report) {
  std::size_t count[2] = {0, 0};  // declared only in base, only in proposed
  for (const auto& c : report.changes) {
    if (borrowed_test(report, c)) ++count[c.action == model::Change::Action::Removed ? 0 : 1];
  }
  std::vector<std::string> parts;
  if (count[0] > 0) parts.push_back(fmt::format("{} declared only in base", count[0]));
  if (count[1] > 0) parts.push_back(fmt::format("{} declared only in proposed", count[1]));
  if (parts.empty()) return "";
  return fmt::format("properties and scenarios: {}; each is checked under both sides (see checks)",
                     fmt::join(parts, ", "));
}

std::string status_text(const std::optional<model::CheckResult>& result) {
  return result ? reports::status_label(*result) : "absent";
}

// The mark after a check's statuses: why it matters to the reviewer.
std::string check_mark(const CheckPair& pair) {
  if (pair.regression) {
    const auto& p = *pair.proposed;
    std::string expected = reports::expected_text(p);
    return expected.empty() ? "REGRESSION" : fmt::format("REGRESSION (expected {})", expected);
  }
  if (pair.unknown) return "UNKNOWN";
  if (pair.proposed && pair.base && !pair.proposed->meets_expectation() && pair.proposed->status != model::Status::Unknown) {
    return "not as expected (already in base)";
  }
  if (pair.changed()) return "changed";
  return "";
}

std::string origin_note(const CheckPair& pair) {
  if (!pair.declared_only_in) return "";
  return fmt::format(" ({} only)", model::side_name(*pair.declared_only_in));
}

class TextWriter {
 public:
  TextWriter(const DiffReport& report, const DiffContext& context, std::ostream& out)
      : report_(report), context_(context), out_(out) {}

  void write() {
    fmt::print(out_, "diff: {} -> {}\n", context_.base_label, context_.proposed_label);
    changes();
    vocabulary();
    semantic();
    checks();
    summary();
  }

 private:
  void changes() {
    fmt::print(out_, "\ntext changes:\n");
    std::size_t listed = 0;
    for (const auto& c : report_.changes) {
      if (borrowed_test(report_, c)) continue;
      ++listed;
      std::string aspects = c.aspects.empty() ? "" : fmt::format(" ({})", fmt::join(c.aspects, ", "));
      fmt::print(out_, "  {:<9} {} `{}`{}  {}\n", model::action_name(c.action), c.what, c.name, aspects,
                 where(context_, c));
      if (c.action != model::Change::Action::Modified) continue;
      // The whole text of each side, never cut: a reviewer reads the change where it is.
      std::string diff = text_diff(c, context_.sources);
      if (!diff.empty()) {
        out_ << indent_lines(diff, "    ");
      } else {
        fmt::print(out_, "    - {}\n    + {}\n", c.before, c.after);
      }
    }
    if (listed == 0) fmt::print(out_, "  (none)\n");
    std::string borrowed = borrowed_summary(report_);
    if (!borrowed.empty()) fmt::print(out_, "  {}\n", borrowed);
  }

  void vocabulary() {
    auto removed = one_sided_symbols(report_, model::Change::Action::Removed);
    auto added = one_sided_symbols(report_, model::Change::Action::Added);
    auto implied = implied_rules(context_.merged);
    if (removed.empty() && added.empty() && implied.empty()) return;
    fmt::print(out_, "\nvocabulary: compared over the union of both sides; a symbol one side lacks is "
                     "unconstrained by that side's rules\n");
    if (!removed.empty()) fmt::print(out_, "  only in base: {}\n", fmt::join(removed, ", "));
    if (!added.empty()) fmt::print(out_, "  only in proposed: {}\n", fmt::join(added, ", "));
    for (const auto& line : implied) fmt::print(out_, "  implied rule, {}\n", line);
  }

  void semantic() {
    const SemanticDiff& s = report_.semantic;
    fmt::print(out_, "\nsemantic difference within scope {}:\n", reports::scope_text(context_.merged, s.scope));
    direction("NEWLY ALLOWED", s.newly_allowed, "proposed", "base");
    direction("NEWLY FORBIDDEN", s.newly_forbidden, "base", "proposed");
    fmt::print(out_, "  verdict: {}\n", verdict_sentence(s));
    if (report_.expected) {
      fmt::print(out_, "  expected: {}: {}\n", model::expectation_name(*report_.expected),
                 report_.meets_expectation() ? "as expected" : "NOT AS EXPECTED");
    }
  }

  void direction(std::string_view title, const Difference& d, std::string_view allowing, std::string_view forbidding) {
    std::string time = context_.timings ? fmt::format(" [{}]", reports::format_ms(d.time_ms)) : "";
    switch (d.answer) {
      case Difference::Answer::None:
        fmt::print(out_, "  {:<16} none within scope{}\n", title, time);
        return;
      case Difference::Answer::Unknown:
        fmt::print(out_, "  {:<16} unknown: {}{}\n", title, d.unknown_reason, time);
        return;
      case Difference::Answer::Found: break;
    }
    const model::Witness& w = *d.witness;
    fmt::print(out_, "  {:<16} the {} rules allow an instance the {} rules forbid{}\n", title, allowing,
               forbidding, time);
    fmt::print(out_, "    witness ({}{}):\n", w.minimal ? "minimal: " : "not proved minimal: ", entity_count(w.instance));
    out_ << indent_lines(model::format_instance(context_.merged, w.instance), "      ");
    fmt::print(out_, "    forbidden by {} rule{} (each one alone forbids the witness):\n", forbidding,
               w.blame.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < w.blame.size(); ++i) {
      fmt::print(out_, "      {}\n", side_rule_label(context_.merged, w.blame[i]));
      for (const auto& line : w.explanations[i]) fmt::print(out_, "          {}\n", line);
    }
  }

  void checks() {
    fmt::print(out_, "\nchecks (base -> proposed):\n");
    std::size_t width = 0;
    for (const auto& pair : report_.checks) width = std::max(width, pair.name.size() + origin_note(pair).size());
    for (const auto& pair : report_.checks) {
      std::string name = pair.name + origin_note(pair);
      std::string statuses = fmt::format("{} -> {}", status_text(pair.base), status_text(pair.proposed));
      std::string mark = check_mark(pair);
      fmt::print(out_, "  {:<11} {:<{}}  {}{}\n", reports::kind_name(pair.kind), name, width, statuses,
                 mark.empty() ? "" : "  " + mark);
      if ((pair.regression || pair.changed()) && pair.proposed) {
        reports::ReportContext proposed{context_.proposed, context_.sources, {}};
        proposed.options.timings = context_.timings;
        out_ << reports::details_text(proposed, *pair.proposed, "      ");
      }
    }
  }

  void summary() { out_ << '\n' << diff_summary_line(report_); }

  const DiffReport& report_;
  const DiffContext& context_;
  std::ostream& out_;
};

class MarkdownWriter {
 public:
  MarkdownWriter(const DiffReport& report, const DiffContext& context, std::ostream& out)
      : report_(report), context_(context), out_(out) {}

  void write() {
    fmt::print(out_, "# cspverify diff\n\n`{}` → `{}`\n\n**{}**\n", context_.base_label, context_.proposed_label,
               verdict_sentence(report_.semantic));
    if (report_.expected) {
      fmt::print(out_, "\nExpected {}: {}.\n", model::expectation_name(*report_.expected),
                 report_.meets_expectation() ? "as expected" : "**not as expected**");
    }
    changes();
    semantic();
    checks();
    if (report_.interrupted_by != 0) {
      fmt::print(out_, "\n**Interrupted by {}**: {} not run on both sides.\n", model::signal_name(report_.interrupted_by),
                 plural(report_.not_run.size(), "check", "checks"));
    }
    fmt::print(out_, "\nExit code {}.\n", report_.exit_code());
  }

 private:
  void changes() {
    fmt::print(out_, "\n## Text changes\n\n");
    if (report_.changes.empty()) {
      fmt::print(out_, "None.\n");
      return;
    }
    fmt::print(out_, "| change | declaration | name | what differs |\n|---|---|---|---|\n");
    for (const auto& c : report_.changes) {
      if (borrowed_test(report_, c)) continue;
      fmt::print(out_, "| {} | {} | `{}` | {} |\n", model::action_name(c.action), c.what, c.name,
                 fmt::join(c.aspects, ", "));
    }
    for (const auto& c : report_.changes) {
      std::string diff = c.action == model::Change::Action::Modified ? text_diff(c, context_.sources) : "";
      if (!diff.empty()) fmt::print(out_, "\n{} `{}`:\n\n```diff\n{}```\n", c.what, c.name, diff);
    }
    std::string borrowed = borrowed_summary(report_);
    if (!borrowed.empty()) fmt::print(out_, "\n{}{}.\n", static_cast<char>(std::toupper(borrowed[0])), borrowed.substr(1));
    auto added = one_sided_symbols(report_, model::Change::Action::Added);
    auto removed = one_sided_symbols(report_, model::Change::Action::Removed);
    if (!added.empty() || !removed.empty()) {
      fmt::print(out_, "\nThe difference is computed over the union of both vocabularies: a symbol one side "
                       "lacks is unconstrained by that side's rules.\n");
    }
  }

  void semantic() {
    fmt::print(out_, "\n## Semantic difference within scope\n\nScope: {}.\n",
               reports::scope_text(context_.merged, report_.semantic.scope));
    direction("Newly allowed", report_.semantic.newly_allowed, "base");
    direction("Newly forbidden", report_.semantic.newly_forbidden, "proposed");
  }

  void direction(std::string_view title, const Difference& d, std::string_view forbidding) {
    fmt::print(out_, "\n### {}\n\n", title);
    switch (d.answer) {
      case Difference::Answer::None: fmt::print(out_, "None within scope.\n"); return;
      case Difference::Answer::Unknown: fmt::print(out_, "Unknown: {}.\n", d.unknown_reason); return;
      case Difference::Answer::Found: break;
    }
    const model::Witness& w = *d.witness;
    fmt::print(out_, "Witness ({}{}):\n\n```\n{}```\n\nForbidden by the {} rules:\n\n", w.minimal ? "minimal: " : "not proved minimal: ",
               entity_count(w.instance), model::format_instance(context_.merged, w.instance), forbidding);
    for (int rule : w.blame) fmt::print(out_, "- `{}`\n", side_rule_label(context_.merged, rule));
  }

  void checks() {
    fmt::print(out_, "\n## Checks\n\n| kind | name | base | proposed | |\n|---|---|---|---|---|\n");
    for (const auto& pair : report_.checks) {
      std::string mark = check_mark(pair);
      fmt::print(out_, "| {} | `{}`{} | {} | {} | {} |\n", reports::kind_name(pair.kind), pair.name, origin_note(pair),
                 status_text(pair.base), status_text(pair.proposed), pair.regression ? "**" + mark + "**" : mark);
    }
  }

  const DiffReport& report_;
  const DiffContext& context_;
  std::ostream& out_;
};

}  // namespace

std::string side_rule_label(const model::Model& merged, int rule_id) {
  const auto& rule = merged.rules[rule_id];
  auto split = model::split_side(rule.name);
  std::string name = split ? split->second : rule.name;
  return rule.source.empty() ? name : fmt::format("{} ({})", name, rule.source);
}

std::string_view semantic_verdict(const SemanticDiff& diff) {
  using Answer = Difference::Answer;
  Answer allowed = diff.newly_allowed.answer, forbidden = diff.newly_forbidden.answer;
  if (allowed == Answer::Found && forbidden == Answer::Found) return "different";
  if (allowed == Answer::Unknown || forbidden == Answer::Unknown) return "unknown";
  if (allowed == Answer::Found) return "widening";
  if (forbidden == Answer::Found) return "tightening";
  return "equivalent";
}

void write_diff_text(const DiffReport& report, const DiffContext& context, std::ostream& out) {
  TextWriter(report, context, out).write();
}

void write_diff_markdown(const DiffReport& report, const DiffContext& context, std::ostream& out) {
  MarkdownWriter(report, context, out).write();
}

std::string diff_summary_line(const DiffReport& report) {
  int regressions = 0;
  for (const auto& pair : report.checks) regressions += pair.regression ? 1 : 0;
  std::size_t listed = 0;
  for (const auto& c : report.changes) listed += borrowed_test(report, c) ? 0 : 1;
  std::string text = fmt::format("summary: {}; {}; {}; exit code {}\n", plural(listed, "text change", "text changes"),
                                 semantic_verdict(report.semantic), plural(regressions, "regression", "regressions"),
                                 report.exit_code());
  if (report.interrupted_by == 0) return text;
  text += fmt::format("interrupted by {}: {} not run on both sides", model::signal_name(report.interrupted_by),
                      plural(report.not_run.size(), "check", "checks"));
  for (std::size_t i = 0; i < report.not_run.size(); ++i) {
    text += fmt::format("{} {}", i == 0 ? ":" : ",", report.not_run[i].name);
  }
  return text + "\n";
}

}  // namespace csp::reports
