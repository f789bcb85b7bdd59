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
#include "reports/diff_view.h"
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

std::string entity_count(const model::Instance& instance) {
  return plural(instance.entities.size(), "entity", "entities");
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

std::string witness_heading(const Difference& d, std::size_t i) {
  const model::Witness& w = d.witnesses[i];
  std::string number = d.witnesses.size() == 1 ? "" : fmt::format(" {}", i + 1);
  return fmt::format("witness{} ({}{})", number, w.minimal ? "minimal: " : "not proved minimal: ",
                     entity_count(w.instance));
}

// Asked for more witnesses than were found: why there are no more.
std::string fewer_witnesses_note(const Difference& d, unsigned asked) {
  if (d.answer != Difference::Answer::Found || d.witnesses.size() >= asked) return "";
  return d.no_more_witnesses
             ? fmt::format("no further distinct witness within scope ({} of {} asked for)", d.witnesses.size(), asked)
             : fmt::format("the search for more witnesses ran out of time ({} of {} asked for)", d.witnesses.size(),
                           asked);
}

class TextWriter {
 public:
  TextWriter(const DiffReport& report, const DiffContext& context, std::ostream& out)
      : report_(report), context_(context), out_(out) {}

  void write() {
    fmt::print(out_, "diff: {} -> {}\n", context_.base_label, context_.proposed_label);
    head();
    changes();
    vocabulary();
    semantic();
    checks();
    summary();
  }

 private:
  // Regressions first: what a reviewer must act on, before any detail.
  void head() {
    fmt::print(out_, "\n{}\n", headline(report_));
    for (const CheckPair* pair : regressions(report_)) {
      std::string expected = check_mark(*pair).substr(std::string_view("REGRESSION").size());
      fmt::print(out_, "  REGRESSION  {:<8} {}  {}{}\n", reports::kind_name(pair->kind), pair->name,
                 check_statuses(*pair), expected);
      for (const auto& warning : unset_attribute_warnings(*pair)) fmt::print(out_, "      warning: {}\n", warning);
    }
    std::string expectation = expectation_line(report_);
    if (!expectation.empty()) fmt::print(out_, "  {}\n", expectation);
    for (bool allowed : {true, false}) {
      const Difference& d = allowed ? report_.semantic.newly_allowed : report_.semantic.newly_forbidden;
      fmt::print(out_, "  {}\n", direction_summary(context_.merged, d, allowed));
    }
  }

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
    fmt::print(out_, "  verdict: {}\n", semantic_sentence(s));
    if (report_.expected) fmt::print(out_, "  expected: {}\n", expectation_line(report_).substr(9));
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
    fmt::print(out_, "  {:<16} the {} rules allow {} the {} rules forbid{}\n", title, allowing,
               d.witnesses.size() == 1 ? "an instance" : "instances", forbidding, time);
    for (std::size_t i = 0; i < d.witnesses.size(); ++i) {
      const model::Witness& w = d.witnesses[i];
      fmt::print(out_, "    {}:\n", witness_heading(d, i));
      std::string distinct = distinct_text(w.distinct);
      if (!distinct.empty()) fmt::print(out_, "      {}\n", distinct);
      out_ << indent_lines(model::format_instance(context_.merged, w.instance), "      ");
      fmt::print(out_, "    forbidden by {} rule{} (each one alone forbids the witness):\n", forbidding,
                 w.blame.size() == 1 ? "" : "s");
      for (std::size_t b = 0; b < w.blame.size(); ++b) {
        fmt::print(out_, "      {}\n", side_rule_label(context_.merged, w.blame[b]));
        for (const auto& line : w.explanations[b]) fmt::print(out_, "          {}\n", line);
        fmt::print(out_, "        {}\n", counterpart_text(context_.merged, w, b, allowing));
      }
    }
    std::string fewer = fewer_witnesses_note(d, context_.witnesses);
    if (!fewer.empty()) fmt::print(out_, "    {}\n", fewer);
  }

  void checks() {
    fmt::print(out_, "\nchecks (base -> proposed):\n");
    std::size_t width = 0;
    for (const auto& pair : report_.checks) width = std::max(width, pair.name.size() + origin_note(pair).size());
    for (const auto& pair : report_.checks) {
      std::string name = pair.name + origin_note(pair);
      std::string mark = check_mark(pair);
      fmt::print(out_, "  {:<11} {:<{}}  {}{}\n", reports::kind_name(pair.kind), name, width, check_statuses(pair),
                 mark.empty() ? "" : "  " + mark);
      for (const auto& warning : unset_attribute_warnings(pair)) fmt::print(out_, "      warning: {}\n", warning);
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

// A pull-request comment: the headline and the regressions first, then what
// changed only (an unchanged check is counted, not listed); every long
// detail (counterexamples, witnesses, text diffs) collapsed in <details>.
class MarkdownWriter {
 public:
  MarkdownWriter(const DiffReport& report, const DiffContext& context, std::ostream& out)
      : report_(report), context_(context), out_(out) {}

  void write() {
    fmt::print(out_, "## cspverify diff: {}\n\n`{}` → `{}`\n", headline(report_), context_.base_label,
               context_.proposed_label);
    regressions_section();
    semantic();
    changes();
    other_checks();
    if (report_.interrupted_by != 0) {
      fmt::print(out_, "\n**Interrupted by {}**: {} not run on both sides.\n", model::signal_name(report_.interrupted_by),
                 plural(report_.not_run.size(), "check", "checks"));
    }
    fmt::print(out_, "\nExit code {}.\n", report_.exit_code());
  }

 private:
  void regressions_section() {
    auto regressed = regressions(report_);
    if (regressed.empty()) return;
    fmt::print(out_, "\n### Regressions\n\n| kind | name | base → proposed | |\n|---|---|---|---|\n");
    for (const CheckPair* pair : regressed) row(*pair);
    for (const CheckPair* pair : regressed) {
      for (const auto& warning : unset_attribute_warnings(*pair)) {
        fmt::print(out_, "\n> **Warning**, {} `{}`: {}\n", reports::kind_name(pair->kind), pair->name, warning);
      }
    }
    for (const CheckPair* pair : regressed) details(*pair);
  }

  void row(const CheckPair& pair) {
    std::string mark = check_mark(pair);
    fmt::print(out_, "| {} | `{}`{} | {} | {} |\n", reports::kind_name(pair.kind), pair.name, origin_note(pair),
               check_statuses(pair), pair.regression ? "**" + mark + "**" : mark);
  }

  void details(const CheckPair& pair) {
    if (!pair.proposed) return;
    reports::ReportContext proposed{context_.proposed, context_.sources, {}};
    proposed.options.timings = context_.timings;
    std::string text = reports::details_text(proposed, *pair.proposed, "");
    if (text.empty()) return;
    fmt::print(out_, "\n<details><summary>{} <code>{}</code> under the proposed rules</summary>\n\n```\n{}```\n\n</details>\n",
               reports::kind_name(pair.kind), pair.name, text);
  }

  void semantic() {
    fmt::print(out_, "\n### Semantic difference\n\n**{}** (within scope {}).\n", semantic_sentence(report_.semantic),
               reports::scope_text(context_.merged, report_.semantic.scope));
    std::string expectation = expectation_line(report_);
    if (!expectation.empty()) fmt::print(out_, "\n`{}`\n", expectation);
    direction(report_.semantic.newly_allowed, true);
    direction(report_.semantic.newly_forbidden, false);
  }

  void direction(const Difference& d, bool newly_allowed) {
    std::string summary = direction_summary(context_.merged, d, newly_allowed);
    fmt::print(out_, "\n- **{}**{}\n", summary.substr(0, summary.find(':')), summary.substr(summary.find(':')));
    std::string_view allowing = newly_allowed ? "proposed" : "base";
    std::string_view forbidding = newly_allowed ? "base" : "proposed";
    std::string title = newly_allowed ? "Newly allowed" : "Newly forbidden";
    for (std::size_t i = 0; i < d.witnesses.size(); ++i) {
      const model::Witness& w = d.witnesses[i];
      fmt::print(out_, "\n<details><summary>{}: {}</summary>\n\n", title, witness_heading(d, i));
      std::string distinct = distinct_text(w.distinct);
      if (!distinct.empty()) fmt::print(out_, "{}.\n\n", distinct);
      fmt::print(out_, "```\n{}```\n\nForbidden by the {} rules:\n\n", model::format_instance(context_.merged, w.instance),
                 forbidding);
      for (std::size_t b = 0; b < w.blame.size(); ++b) {
        fmt::print(out_, "- `{}`: {}\n", side_rule_label(context_.merged, w.blame[b]),
                   counterpart_text(context_.merged, w, b, allowing));
        if (!w.explanations[b].empty()) {
          fmt::print(out_, "\n  ```\n{}  ```\n", indent_lines(fmt::format("{}", fmt::join(w.explanations[b], "\n")), "  "));
        }
      }
      fmt::print(out_, "\n</details>\n");
    }
    std::string fewer = fewer_witnesses_note(d, context_.witnesses);
    if (!fewer.empty()) fmt::print(out_, "\n{}.\n", fewer);
  }

  void changes() {
    fmt::print(out_, "\n### Text changes\n\n");
    std::size_t listed = 0;
    for (const auto& c : report_.changes) listed += borrowed_test(report_, c) ? 0 : 1;
    if (listed == 0) {
      fmt::print(out_, "None.\n");
    } else {
      fmt::print(out_, "| change | declaration | name | what differs |\n|---|---|---|---|\n");
      for (const auto& c : report_.changes) {
        if (borrowed_test(report_, c)) continue;
        fmt::print(out_, "| {} | {} | `{}` | {} |\n", model::action_name(c.action), c.what, c.name,
                   fmt::join(c.aspects, ", "));
      }
    }
    for (const auto& c : report_.changes) {
      std::string diff = c.action == model::Change::Action::Modified ? text_diff(c, context_.sources) : "";
      if (diff.empty()) continue;
      fmt::print(out_, "\n<details><summary>{} <code>{}</code>: text diff</summary>\n\n```diff\n{}```\n\n</details>\n",
                 c.what, c.name, diff);
    }
    auto added = one_sided_symbols(report_, model::Change::Action::Added);
    auto removed = one_sided_symbols(report_, model::Change::Action::Removed);
    if (!added.empty() || !removed.empty()) {
      fmt::print(out_, "\nThe difference is computed over the union of both vocabularies: a symbol one side "
                       "lacks is unconstrained by that side's rules.\n");
    }
  }

  // Changed checks that did not regress; the unchanged ones are only counted.
  void other_checks() {
    std::vector<const CheckPair*> changed;
    for (const auto& pair : report_.checks) {
      if (!pair.regression && (pair.changed() || pair.unknown)) changed.push_back(&pair);
    }
    std::size_t unchanged = report_.checks.size() - changed.size() - regressions(report_).size();
    fmt::print(out_, "\n### Other checks\n\n");
    if (!changed.empty()) {
      fmt::print(out_, "| kind | name | base → proposed | |\n|---|---|---|---|\n");
      for (const CheckPair* pair : changed) row(*pair);
      for (const CheckPair* pair : changed) {
        for (const auto& warning : unset_attribute_warnings(*pair)) {
          fmt::print(out_, "\n> **Warning**, {} `{}`: {}\n", reports::kind_name(pair->kind), pair->name, warning);
        }
      }
      for (const CheckPair* pair : changed) details(*pair);
      fmt::print(out_, "\n");
    }
    fmt::print(out_, "{} the same under both sides.\n", plural(unchanged, "check is", "checks are"));
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
