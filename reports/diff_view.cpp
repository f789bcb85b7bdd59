#include "reports/diff_view.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/merge.h"
#include "model/stop.h"
#include "reports/view.h"

namespace csp::reports {

using model::CheckPair;
using model::Difference;
using model::DiffReport;
using model::Witness;

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string semantic_sentence(const model::SemanticDiff& diff) {
  std::string_view verdict = semantic_verdict(diff);
  if (verdict == "equivalent") return "equivalent within scope: both rule sets allow exactly the same instances";
  if (verdict == "tightening") return "tightening: the proposed rules forbid more and allow nothing new";
  if (verdict == "widening") return "widening: the proposed rules allow more and forbid nothing new";
  if (verdict == "different") return "different: the proposed rules allow some new instances and forbid others";
  if (diff.newly_allowed.elsewhere || diff.newly_forbidden.elsewhere) {
    return "unknown to this shard: another shard searches a direction (`cspverify merge` joins them)";
  }
  return "unknown: the solver gave up on at least one direction";
}

std::vector<const CheckPair*> regressions(const DiffReport& report) {
  std::vector<const CheckPair*> out;
  for (const auto& pair : report.checks) {
    if (pair.regression) out.push_back(&pair);
  }
  return out;
}

std::string headline(const DiffReport& report) {
  std::vector<std::string> parts;
  std::size_t regressed = regressions(report).size();
  if (regressed > 0) parts.push_back(plural(regressed, "regression", "regressions"));
  if (!report.meets_expectation()) {
    parts.push_back(fmt::format("--expect {} contradicted", model::expectation_name(*report.expected)));
  }
  if (parts.empty()) parts.push_back("no regression");
  std::size_t unknown = 0;
  for (const auto& pair : report.checks) unknown += pair.unknown ? 1 : 0;
  if (unknown > 0) parts.push_back(fmt::format("{} unknown", plural(unknown, "check", "checks")));
  parts.push_back(std::string(semantic_verdict(report.semantic)));
  if (report.interrupted_by != 0) parts.push_back(fmt::format("interrupted by {}", model::signal_name(report.interrupted_by)));
  parts.push_back(fmt::format("exit code {}", report.exit_code()));
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string expectation_line(const DiffReport& report) {
  if (!report.expected) return "";
  const char* name = model::expectation_name(*report.expected);
  if (!report.meets_expectation()) {
    bool allows = report.semantic.newly_allowed.answer == Difference::Answer::Found;
    bool forbids = report.semantic.newly_forbidden.answer == Difference::Answer::Found;
    std::string what = allows && forbids ? "something is newly allowed and something newly forbidden"
                       : allows          ? "something is newly allowed"
                                         : "something is newly forbidden";
    return fmt::format("--expect {}: CONTRADICTED ({})", name, what);
  }
  switch (*report.expected) {
    case model::DiffExpectation::Equivalent: return fmt::format("--expect {}: met (nothing newly allowed or forbidden)", name);
    case model::DiffExpectation::Tightening: return fmt::format("--expect {}: met (nothing newly allowed)", name);
    case model::DiffExpectation::Widening: return fmt::format("--expect {}: met (nothing newly forbidden)", name);
  }
  return "";
}

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

std::string check_statuses(const CheckPair& pair) {
  auto status = [](const std::optional<model::CheckResult>& r) {
    return r ? status_label(*r) : std::string("absent");
  };
  return fmt::format("{} -> {}", status(pair.base), status(pair.proposed));
}

std::string check_mark(const CheckPair& pair) {
  if (pair.regression) {
    std::string expected = expected_text(*pair.proposed);
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

std::vector<std::string> unset_attribute_warnings(const CheckPair& pair) {
  std::vector<std::string> out;
  std::string base = pair.base ? std::string(model::status_name(pair.base->status)) : "absent";
  for (const auto& unset : pair.depends_on_unset) {
    out.push_back(fmt::format("verdict depends on unset attribute {} ({} {} it unset; with it none the scenario is "
                              "{}, as under base)",
                              unset.name, fmt::join(unset.entities, ", "), unset.entities.size() == 1 ? "leaves" : "leave",
                              base));
  }
  return out;
}

std::string distinct_text(Witness::Distinct distinct) {
  switch (distinct) {
    case Witness::Distinct::First: return "";
    case Witness::Distinct::Rule: return "distinct by rule: it satisfies every rule blamed for the witnesses above";
    case Witness::Distinct::Clause: return "distinct by clause: it breaks a clause of a blamed rule that no witness above breaks";
    case Witness::Distinct::Shape: return "distinct by shape: its kinds of entities differ from each witness above";
  }
  return "";
}

std::string counterpart_text(const model::Model& merged, const Witness& w, std::size_t blame_index,
                             std::string_view allowing) {
  int counterpart = blame_index < w.counterparts.size() ? w.counterparts[blame_index] : -1;
  if (counterpart < 0) {
    auto split = model::split_side(merged.rules[w.blame[blame_index]].name);
    return fmt::format("the {} side has no rule `{}`: the change {} it", allowing, split ? split->second : "",
                       allowing == "proposed" ? "removes" : "adds");
  }
  return fmt::format("allowed by {} rule {}, which holds on it", allowing, side_rule_label(merged, counterpart));
}

std::vector<std::string> witness_highlights(const Witness& w) {
  model::CheckResult lines;
  for (const auto& explanation : w.explanations) {
    lines.explanation.insert(lines.explanation.end(), explanation.begin(), explanation.end());
  }
  return failing_binding(lines);
}

std::string direction_summary(const model::Model& merged, const Difference& d, bool newly_allowed) {
  std::string title = newly_allowed ? "newly allowed" : "newly forbidden";
  switch (d.answer) {
    case Difference::Answer::None: return title + ": none within scope";
    case Difference::Answer::Unknown: return fmt::format("{}: unknown ({})", title, d.unknown_reason);
    case Difference::Answer::Found: break;
  }
  std::vector<std::string> blamed;
  for (const auto& w : d.witnesses) {
    for (int rule : w.blame) {
      std::string label = side_rule_label(merged, rule);
      if (std::find(blamed.begin(), blamed.end(), label) == blamed.end()) blamed.push_back(label);
    }
  }
  return fmt::format("{}: {}, blamed on {} rule{} {}", title, plural(d.witnesses.size(), "witness", "witnesses"),
                     newly_allowed ? "base" : "proposed", blamed.size() == 1 ? "" : "s", fmt::join(blamed, ", "));
}

}  // namespace csp::reports
