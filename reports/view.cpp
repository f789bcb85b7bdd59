// Shared facts about a run for every writer; see view.h.
#include "reports/view.h"

#include <cctype>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "model/evaluator.h"
#include "model/instance.h"
#include "model/stop.h"
#include "model/sweep.h"
#include "reports/lint.h"

namespace csp::reports {

Location locate(const model::SourceManager& sources, model::SourceRange range) {
  if (!range.valid() || range.file >= static_cast<int>(sources.size())) return {};
  model::LineCol begin = sources.line_col(range.file, range.begin);
  model::LineCol end = sources.line_col(range.file, std::max(range.begin, range.end));
  return {sources.path(range.file), begin.line, begin.column, end.line, end.column};
}

std::string_view kind_name(CheckResult::Kind kind) {
  switch (kind) {
    case CheckResult::Kind::Consistency: return "consistency";
    case CheckResult::Kind::Property: return "property";
    case CheckResult::Kind::Scenario: return "scenario";
  }
  return "property";
}

bool is_known_gap(const CheckResult& result) {
  return result.kind == CheckResult::Kind::Property && result.status == Status::Violated &&
         result.expected == Status::Violated && result.meets_expectation();
}

std::string status_label(const CheckResult& result) {
  return is_known_gap(result) ? "known gap" : model::status_name(result.status);
}

std::string status_word(const CheckResult& result) {
  std::string word = status_label(result);
  for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return word;
}

std::string display_name(const CheckResult& result) {
  if (result.name.empty() && result.kind == CheckResult::Kind::Consistency) return "rules";
  return result.name;
}

const model::FormulaDecl* property_of(const model::Model& model, const CheckResult& result) {
  if (result.kind != CheckResult::Kind::Property) return nullptr;
  if (result.decl_id < 0 || result.decl_id >= static_cast<int>(model.properties.size())) return nullptr;
  return &model.properties[result.decl_id];
}

const model::ScenarioDecl* scenario_of(const model::Model& model, const CheckResult& result) {
  if (result.kind != CheckResult::Kind::Scenario) return nullptr;
  if (result.decl_id < 0 || result.decl_id >= static_cast<int>(model.scenarios.size())) return nullptr;
  return &model.scenarios[result.decl_id];
}

const model::FormulaDecl* rule_of(const model::Model& model, int rule_id) {
  if (rule_id < 0 || rule_id >= static_cast<int>(model.rules.size())) return nullptr;
  return &model.rules[rule_id];
}

std::string description_of(const model::Model& model, const CheckResult& result) {
  if (const auto* property = property_of(model, result)) return property->description;
  if (const auto* scenario = scenario_of(model, result)) return scenario->description;
  return "";
}

std::string source_of(const model::Model& model, const CheckResult& result) {
  if (const auto* property = property_of(model, result)) return property->source;
  if (const auto* scenario = scenario_of(model, result)) return scenario->source;
  return "";
}

std::string kind_name_of(const model::Model& model, int kind) {
  return kind >= 0 && kind < static_cast<int>(model.kinds.size()) ? model.kinds[kind].name : "?";
}

std::string attribute_name_of(const model::Model& model, int kind, std::size_t attribute) {
  bool known = kind >= 0 && kind < static_cast<int>(model.kinds.size()) &&
               attribute < model.kinds[kind].attributes.size();
  return known ? model.kinds[kind].attributes[attribute].name : fmt::format("#{}", attribute);
}

std::string rule_label(const model::Model& model, int rule_id) {
  const auto* rule = rule_of(model, rule_id);
  if (!rule) return fmt::format("rule #{}", rule_id);
  return rule->source.empty() ? rule->name : fmt::format("{} ({})", rule->name, rule->source);
}

std::string rule_labels(const model::Model& model, const std::vector<int>& rule_ids) {
  std::string text;
  for (int id : rule_ids) text += (text.empty() ? "" : ", ") + rule_label(model, id);
  return text;
}

std::string_view core_heading(const CheckResult& result) {
  if (result.proof_core) return "proved using";
  return result.kind == CheckResult::Kind::Consistency ? "conflicting rules" : "forbidden by";
}

std::string proof_core_text(const model::Model& model, const CheckResult& result) {
  if (!result.proof_core) return "";
  std::string text = result.core.empty() ? "proved by the vocabulary alone: no rule needed"
                                         : "proved using " + rule_labels(model, result.core);
  if (!result.core_minimal) text += " (not proved minimal: minimising it ran out of time)";
  return text;
}

std::vector<std::string> expected_rules_missing(const model::Model& model, const CheckResult& result,
                                                const std::vector<int>& core) {
  std::vector<std::string> missing;
  for (const auto& name : result.expected_by) {
    bool found = false;
    for (int id : core) {
      const auto* rule = rule_of(model, id);
      found = found || (rule && (rule->name == name || rule->source == name));
    }
    if (!found) missing.push_back(name);
  }
  return missing;
}

std::string core_search_text(const model::Model& model, const CheckResult& result) {
  if (!result.core_search) return "";
  const model::CoreSearch& search = *result.core_search;
  if (search.found) {
    auto missing = expected_rules_missing(model, result, search.first_core);
    return fmt::format("first minimal core found (without {}; the core above has {})", fmt::join(missing, ", "),
                       missing.size() == 1 ? "it" : "them");
  }
  // Each named rule may well be in some minimal core: what none has is all of them.
  std::string names = fmt::format("{}", fmt::join(result.expected_by, ", "));
  if (result.expected_by.size() > 1) names = "all of " + names;
  if (search.complete) return fmt::format("no minimal core has {}: every minimal core was examined", names);
  return fmt::format("no minimal core with {} found before the search stopped: {}", names, search.stopped);
}

std::string all_cores_heading(const CheckResult& result) {
  if (!result.all_cores) return "";
  const model::CoreList& list = *result.all_cores;
  std::size_t n = list.cores.size();
  if (list.complete) return fmt::format("every minimal core ({})", n);
  if (n == 0) return "no minimal core listed: " + list.incomplete_reason;
  return fmt::format("{} minimal core{} listed; the list may be incomplete: {}", n, n == 1 ? "" : "s",
                     list.incomplete_reason);
}

bool is_failure(const CheckResult& result) {
  return result.status != Status::Unknown && !result.meets_expectation();
}

std::string expected_text(const CheckResult& result) {
  if (!result.expected) return "";
  std::string text = model::status_name(*result.expected);
  for (std::size_t i = 0; i < result.expected_by.size(); ++i) {
    text += (i == 0 ? " by " : ", ") + result.expected_by[i];
  }
  return text;
}

std::string actual_text(const model::Model& model, const CheckResult& result) {
  std::string text = model::status_name(result.status);
  // Name the core only when the expectation names rules, so the two compare.
  if (!result.expected_by.empty() && !result.core.empty()) text += " by " + rule_labels(model, result.core);
  return text;
}

namespace {

std::string outcome_words(const model::Model& model, const CheckResult& result) {
  switch (result.status) {
    case Status::Unknown:
      return result.unknown_reason.empty() ? "could not be decided"
                                           : "could not be decided: " + result.unknown_reason;
    case Status::Vacuous:
      return "is vacuous: no instance of the rules has every kind it quantifies over";
    case Status::Proved: case Status::Violated: case Status::Consistent:
    case Status::Inconsistent: case Status::Allowed: case Status::Forbidden:
      break;
  }
  std::string words = "is " + actual_text(model, result);
  if (result.kind == CheckResult::Kind::Property) words += " " + bound_text(model, result);
  return words;
}

}  // namespace

namespace {

// The bounds of a sweep's steps, "2, 3, 4".
std::string sweep_steps_bounds(const CheckResult& result) {
  std::vector<int> bounds;
  for (const auto& step : result.sweep_steps) {
    if (step.bound > 0) bounds.push_back(step.bound);
  }
  return model::sweep_bounds_text(bounds);
}

// bound_text of a sweep's deciding result (model/sweep.h): where over the
// sweep the verdict comes from, the smallest scope with a finding first.
std::string sweep_bound_text(const model::Model& model, const CheckResult& result) {
  std::string bounds = sweep_steps_bounds(result);
  std::string scope = scope_text(model, result.scope);
  if (result.unbounded) return fmt::format("for every instance, of any size (sweep {})", bounds);
  if (result.sweep_bound == 0) {
    return fmt::format("beyond every scope of the sweep {}: found by the attempt for every size, within scope {}",
                       bounds, scope);
  }
  bool largest = true;
  for (const auto& step : result.sweep_steps) largest = largest && step.bound <= result.sweep_bound;
  if (result.status == Status::Violated) {
    return fmt::format("first at scope {} of the sweep {} (within scope {})", result.sweep_bound, bounds, scope);
  }
  if (!largest) return fmt::format("at scope {} of the sweep {} (within scope {})", result.sweep_bound, bounds, scope);
  std::string text = fmt::format("within scope {}, the largest of the sweep {}", scope, bounds);
  for (const auto& step : result.sweep_steps) {
    if (step.bound != 0) continue;
    text += "; for every size: " + (step.status == Status::Unknown ? "unknown: " + step.unknown_reason
                                                                    : std::string(model::status_name(step.status)));
  }
  return text;
}

}  // namespace

std::string bound_text(const model::Model& model, const CheckResult& result) {
  if (!result.sweep_steps.empty()) return sweep_bound_text(model, result);
  if (result.unbounded) return "for every instance, of any size";
  std::string scope = scope_text(model, result.scope);
  if (scope.empty() || result.kind == CheckResult::Kind::Scenario) return "";
  std::string text = "within scope " + scope;
  if (result.unbounded_note.empty()) return text;
  if (result.status == Status::Proved) return text + "; for every size: " + result.unbounded_note;
  return text + " (" + result.unbounded_note + ")";
  return text;
}

std::string verdict_sentence(const model::Model& model, const CheckResult& result) {
  std::string sentence;
  if (result.kind == CheckResult::Kind::Consistency) {
    sentence = fmt::format("rules {}", result.status == Status::Inconsistent ? "are inconsistent"
                                       : result.status == Status::Consistent ? "are consistent"
                                                                              : outcome_words(model, result));
    if (result.status == Status::Inconsistent && !result.core.empty()) {
      sentence += ": conflicting rules: " + rule_labels(model, result.core);
    }
  } else if (is_known_gap(result)) {
    // Said first: a reader skimming must not take it for a new violation.
    return fmt::format("property `{}` is a known gap: violated {}, as its `expect violated` documents", result.name,
                       bound_text(model, result));
  } else {
    sentence = fmt::format("{} `{}` {}", kind_name(result.kind), result.name, outcome_words(model, result));
  }
  if (result.expected && result.status != Status::Unknown) {
    sentence += result.meets_expectation() ? ", as expected" : ", expected " + expected_text(result);
  }
  return sentence;
}

bool needs_attention(const CheckResult& result) {
  return result.status == Status::Violated || result.status == Status::Vacuous ||
         result.status == Status::Inconsistent || result.status == Status::Unknown || is_failure(result);
}

std::string_view finding_id(const CheckResult& result) {
  if (is_known_gap(result)) return "known-gap";
  switch (result.status) {
    case Status::Violated: return "property-violated";
    case Status::Vacuous: return "property-vacuous";
    case Status::Inconsistent: return "rules-inconsistent";
    case Status::Unknown: return "check-unknown";
    case Status::Proved: case Status::Consistent: case Status::Allowed: case Status::Forbidden:
      break;
  }
  return result.kind == CheckResult::Kind::Scenario ? "scenario-failed" : "expectation-not-met";
}

std::string instance_heading(const CheckResult& result) {
  std::size_t count = result.instance ? result.instance->entities.size() : 0;
  std::string entities = fmt::format("{} entit{}", count, count == 1 ? "y" : "ies");
  bool counterexample = result.kind == CheckResult::Kind::Property;
  // A counterexample whose shrinking did not finish says so: its size is
  // then what the solver found, not the least there is.
  const char* size = !counterexample ? "" : result.minimal ? "minimal: " : "not proved minimal: ";
  return fmt::format("{} ({}{})", counterexample ? "counterexample" : "instance", size, entities);
}

std::string graph_heading(const CheckResult& result) {
  if (result.instance) return instance_heading(result);
  return "the scenario's facts (in red: those the forbidding rules need)";
}

bool shows_instance(const CheckResult& result) {
  if (!result.instance) return false;
  return result.status == Status::Violated ||
         (result.status == Status::Allowed && !result.meets_expectation());
}

namespace {

void append_indented(std::string& out, std::string_view indent, std::string_view text) {
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);) {
    out += fmt::format("{}{}\n", line.empty() ? "" : indent, line);
  }
}

std::string core_rule_line(const ReportContext& context, int rule_id) {
  std::string line = rule_label(context.model, rule_id);
  const auto* rule = rule_of(context.model, rule_id);
  if (!rule) return line;
  if (!rule->description.empty()) line += ": " + rule->description;
  std::string where = context.sources.where(rule->range);
  if (!where.empty()) line += fmt::format(" [{}]", where);
  return line;
}

}  // namespace

std::string sweep_steps_text(const CheckResult& result, bool timings) {
  std::vector<std::string> steps;
  std::string for_every_size;
  const model::SweepStep* previous = nullptr;
  for (const auto& step : result.sweep_steps) {
    std::string status = model::status_name(step.status);
    if (step.status == Status::Unknown && !step.unknown_reason.empty()) status += " (" + step.unknown_reason + ")";
    std::string time;
    if (timings) {
      // How time grows with the scope: each step's time against the step before.
      bool growth = previous && step.bound > 0 && previous->time_ms > 0;
      time = growth ? fmt::format(" [{}, x{:.1f}]", format_ms(step.time_ms), step.time_ms / previous->time_ms)
                    : fmt::format(" [{}]", format_ms(step.time_ms));
    }
    if (step.bound == 0) {
      for_every_size = fmt::format("; for every size: {}{}", status, time);
    } else {
      steps.push_back(fmt::format("scope {} {}{}", step.bound, status, time));
      previous = &step;
    }
  }
  if (steps.empty() && for_every_size.empty()) return "";
  return fmt::format("sweep: {}{}", fmt::join(steps, ", "), for_every_size);
}

std::string details_text(const ReportContext& context, const CheckResult& result,
                         std::string_view indent, bool with_message) {
  std::string out;
  std::string nested = std::string(indent) + "  ";
  if (!result.sweep_steps.empty()) out += fmt::format("{}{}\n", indent, sweep_steps_text(result, context.options.timings));
  if (with_message && !result.message.empty()) out += fmt::format("{}in words: {}\n", indent, result.message);
  if (shows_instance(result)) {
    out += fmt::format("{}{}:\n", indent, instance_heading(result));
    // A counterexample shows what the property reads, the facts that break it marked, the rest folded.
    const model::FormulaDecl* property = property_of(context.model, result);
    append_indented(out, nested,
                    property ? model::format_instance_focused(context.model, *result.instance,
                                                              model::reads_of(context.model, *property->body),
                                                              broken_facts_of(context.model, result))
                             : model::format_instance(context.model, *result.instance));
  }
  if (!result.explanation.empty()) {
    out += fmt::format("{}why it fails:\n", indent);
    for (const auto& line : result.explanation) out += fmt::format("{}{}\n", nested, line);
  }
  if (result.proof_core) {
    out += fmt::format("{}{}\n", indent, proof_core_text(context.model, result));
  } else if (!result.core.empty()) {
    out += fmt::format("{}{}:\n", indent, core_heading(result));
    for (int id : result.core) out += fmt::format("{}{}\n", nested, core_rule_line(context, id));
  }
  if (result.core_search) {
    const model::CoreSearch& search = *result.core_search;
    out += fmt::format("{}{}{}\n", indent, core_search_text(context.model, result), search.found ? ":" : "");
    if (search.found) {
      for (int id : search.first_core) out += fmt::format("{}{}\n", nested, core_rule_line(context, id));
    }
  }
  if (result.all_cores) {
    const auto& cores = result.all_cores->cores;
    out += fmt::format("{}{}{}\n", indent, all_cores_heading(result), cores.empty() ? "" : ":");
    for (std::size_t i = 0; i < cores.size(); ++i) {
      out += fmt::format("{}{}. {}\n", nested, i + 1, rule_labels(context.model, cores[i]));
    }
  }
  if (!result.core_facts.empty()) {
    out += fmt::format("{}given the scenario's facts:\n", indent);
    for (const auto& fact : result.core_facts) out += fmt::format("{}{}\n", nested, fact);
  }
  if (!result.repair.empty()) {
    out += fmt::format("{}repair:\n", indent);
    for (const auto& step : result.repair) out += fmt::format("{}- {}\n", nested, step.description);
    for (const auto& note : repair_notes(context.model, result)) out += fmt::format("{}{}\n", nested, note);
  } else if (!result.repair_missing.empty()) {
    out += fmt::format("{}repair: none: {}\n", indent, result.repair_missing);
  }
  return out;
}

std::set<model::Fact> broken_facts_of(const model::Model& model, const CheckResult& result) {
  const model::FormulaDecl* property = property_of(model, result);
  if (!property || !result.instance || result.status != Status::Violated) return {};
  try {
    return model::broken_facts(model, *result.instance, *property);
  } catch (const model::IntOutOfRange&) {
    return {};  // a counterexample is confirmed before it is reported: not reached
  }
}

std::vector<std::string> broken_fact_names(const model::Model& model, const CheckResult& result) {
  std::vector<std::string> names;
  for (const auto& [entity, attribute] : broken_facts_of(model, result)) {
    const model::Entity& e = result.instance->entities[entity];
    names.push_back(fmt::format("{}.{}", e.name, model.kinds[e.kind].attributes[attribute].name));
  }
  return names;
}

std::vector<std::string> repair_notes(const model::Model& model, const CheckResult& result) {
  std::vector<std::string> notes;
  for (int id : result.repair_violates) {
    if (id < 0 || id >= static_cast<int>(model.properties.size())) continue;
    const model::FormulaDecl& p = model.properties[id];
    std::string label = p.source.empty() ? fmt::format("`{}`", p.name) : fmt::format("`{}` ({})", p.name, p.source);
    bool gap = p.expect == model::FormulaDecl::Expect::Violated;
    notes.push_back(gap ? fmt::format("note: the repaired scenario lands in the known gap {}", label)
                        : fmt::format("warning: the repaired scenario violates property {}", label));
  }
  return notes;
}

std::vector<std::string> failing_binding(const CheckResult& result) {
  std::vector<std::string> names;
  for (const auto& line : result.explanation) {
    // The evaluator writes "for x = A, y = B:", indented when nested.
    std::string_view rest = line;
    while (rest.starts_with(' ')) rest.remove_prefix(1);
    if (!rest.starts_with("for ")) continue;
    rest.remove_prefix(4);
    if (rest.ends_with(':')) rest.remove_suffix(1);
    while (!rest.empty()) {
      std::size_t comma = rest.find(", ");
      std::string_view binding = rest.substr(0, comma);
      std::size_t eq = binding.find(" = ");
      if (eq != std::string_view::npos) names.emplace_back(binding.substr(eq + 3));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 2);
    }
  }
  return names;
}

namespace {

void count_property(Summary& summary, const CheckResult& result) {
  ++summary.properties;
  if (result.status == Status::Unknown) ++summary.properties_unknown;
  if (is_known_gap(result)) ++summary.known_gaps;
}

void count_scenario(Summary& summary, const CheckResult& result) {
  ++summary.scenarios;
  if (result.status == Status::Unknown) {
    ++summary.scenarios_unknown;
  } else if (!result.expected) {
    ++summary.without_expectation;
  } else if (!result.meets_expectation()) {
    ++summary.mismatched;
  } else if (result.status == Status::Allowed) {
    ++summary.allowed_as_expected;
  } else if (result.status == Status::Forbidden) {
    ++summary.forbidden_as_expected;
  }
}

std::string plural(int n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// "3 properties: 1 proved, 1 violated, 1 known gap, 0 unknown, 0 vacuous".
std::string properties_text(const Summary& summary) {
  return fmt::format("{}: {} proved, {} violated, {}, {} unknown, {} vacuous",
                     plural(summary.properties, "property", "properties"), summary.proved, summary.violated,
                     plural(summary.known_gaps, "known gap", "known gaps"), summary.properties_unknown,
                     summary.vacuous);
}

// "4 scenarios: 2 allowed as expected, 1 forbidden as expected, 1 mismatched".
std::string scenarios_text(const Summary& summary) {
  std::string text = fmt::format("{}: {} allowed as expected, {} forbidden as expected, {} mismatched",
                                 plural(summary.scenarios, "scenario", "scenarios"), summary.allowed_as_expected,
                                 summary.forbidden_as_expected, summary.mismatched);
  if (summary.scenarios_unknown > 0) text += fmt::format(", {} unknown", summary.scenarios_unknown);
  if (summary.without_expectation > 0) {
    text += fmt::format(", {} without expectation", summary.without_expectation);
  }
  return text;
}

}  // namespace

Summary summarize(const RunReport& report) {
  // A sweep counts each check once, by its verdict over the sweep.
  if (!report.sweep.empty() && !report.sweep_view) return summarize(model::sweep_view(report));
  Summary summary;
  summary.sweep = report.sweep;
  summary.command = report.command;
  for (const auto& result : report.results) {
    if (result.kind == CheckResult::Kind::Property) count_property(summary, result);
    if (result.kind == CheckResult::Kind::Scenario) count_scenario(summary, result);
    switch (result.status) {
      case Status::Proved: ++summary.proved; break;
      case Status::Violated: summary.violated += is_known_gap(result) ? 0 : 1; break;
      case Status::Unknown: ++summary.unknown; break;
      case Status::Vacuous: ++summary.vacuous; break;
      case Status::Consistent: ++summary.consistent; break;
      case Status::Inconsistent: ++summary.inconsistent; break;
      case Status::Allowed: ++summary.allowed; break;
      case Status::Forbidden: ++summary.forbidden; break;
    }
    if (is_failure(result)) ++summary.failed;
  }
  summary.exit_code = model::exit_code(report);
  if (report.interrupted_by != 0) summary.interrupted_by = model::signal_name(report.interrupted_by);
  summary.not_run = static_cast<int>(report.not_run.size());
  if (report.lint) summary.lint = lint_summary_text(*report.lint);
  summary.lint_only = report.command == "lint";
  return summary;
}

std::string summary_text(const Summary& summary) {
  if (summary.lint_only) {
    std::string text = summary.lint;
    if (!summary.interrupted_by.empty()) text += fmt::format("; interrupted by {}", summary.interrupted_by);
    return text;
  }
  // Each command counts what it checks: `check` has no properties to speak of.
  std::vector<std::string> parts;
  if (summary.command != "check" || summary.properties > 0) parts.push_back(properties_text(summary));
  if (summary.command != "prove" || summary.scenarios > 0) parts.push_back(scenarios_text(summary));
  std::string text = fmt::format("{}", fmt::join(parts, "; "));
  if (!summary.sweep.empty()) text = fmt::format("sweep {}: {}", model::sweep_bounds_text(summary.sweep), text);
  if (summary.inconsistent > 0) text += "; rules inconsistent";
  if (summary.failed > 0) text += fmt::format("; {} failed", summary.failed);
  if (!summary.interrupted_by.empty()) {
    text += fmt::format("; interrupted by {}: {} not run", summary.interrupted_by,
                        plural(summary.not_run, "check", "checks"));
  }
  if (!summary.lint.empty()) text += "; lint: " + summary.lint;
  return text;
}

std::string not_run_text(const ReportContext& context, const model::NotRun& item) {
  std::string text = fmt::format("{} {}", kind_name(item.kind), item.name);
  std::string where = context.sources.where(item.range);
  if (!where.empty()) text += fmt::format(" ({})", where);
  if (item.sweep_bound > 0) text += fmt::format(" at scope {}", item.sweep_bound);
  return text;
}

std::string format_ms(double ms) { return fmt::format("{:.1f} ms", ms); }

}  // namespace csp::reports
