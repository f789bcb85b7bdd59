// What every report format says about a run, computed once: locations,
// declarations behind a result, verdict sentences, scope and core listings,
// and the run's summary. Writers only lay these out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/ast.h"
#include "model/source.h"
#include "reports/report.h"
#include "model/readable.h"
#include "model/result.h"

namespace csp::reports {

using model::CheckResult;
using model::RunReport;
using model::Status;

inline constexpr std::string_view kToolName = "cspverify";
inline constexpr std::string_view kToolVersion = CSPVERIFY_VERSION;

/// A source range as people cite it; `file` is empty when there is no location.
struct Location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;    // where the range ends (exclusive column)
  std::uint32_t end_column = 0;
  bool valid() const { return !file.empty(); }
};
Location locate(const model::SourceManager& sources, model::SourceRange range);

/// "property", "scenario", "consistency" (as in the JSON report).
std::string_view kind_name(CheckResult::Kind kind);
/// A property the spec documents as violated (`expect violated`) and found
/// violated: a known gap in the rules. As expected, so not a failure, but
/// not a proof either: reports give it a status, colour and count of its own.
bool is_known_gap(const CheckResult& result);
/// The status as people read it: "known gap" for a known gap, else the
/// status's name ("proved", "violated", ...).
std::string status_label(const CheckResult& result);
/// "PROVED", "KNOWN GAP", ... (the text report's status words).
std::string status_word(const CheckResult& result);
/// The result's name, or "rules" for the rules' consistency check.
std::string display_name(const CheckResult& result);

/// The declaration behind a result; nullptr when it is of another kind or unknown.
const model::FormulaDecl* property_of(const model::Model& model, const CheckResult& result);
const model::ScenarioDecl* scenario_of(const model::Model& model, const CheckResult& result);
const model::FormulaDecl* rule_of(const model::Model& model, int rule_id);
/// The property's or scenario's one-line description and catalogue id ("" when none).
std::string description_of(const model::Model& model, const CheckResult& result);
std::string source_of(const model::Model& model, const CheckResult& result);

/// Names of an instance's kind and attribute, robust to ids the model lacks
/// (a malformed instance still gets reported): "?" and "#i".
std::string kind_name_of(const model::Model& model, int kind);
std::string attribute_name_of(const model::Model& model, int kind, std::size_t attribute);

using model::scope_entries;  // model/scope.h
using model::scope_text;

/// How far an answer reaches: "for every instance, of any size" (an unbounded
/// proof), or "within scope Partner=3, ..." with, for a property, what the
/// attempt for every size said ("; for every size: unknown: timeout after 10 s",
/// or for a violation beyond the spec's scope " (none within scope ...: ...)").
/// Empty for scenarios and when no scope was recorded.
/// A sweep's deciding result says where over the sweep its verdict comes
/// from: "first at scope 3 of the sweep 2, 3, 4 (within scope ...)".
std::string bound_text(const model::Model& model, const CheckResult& result);

/// A sweep's deciding result (model/sweep.h): each step in one line, "sweep:
/// scope 2 proved [12.0 ms], scope 3 violated [40.1 ms, x3.3]; for every
/// size: unknown (...)", the times (and each against the step before) only
/// with `timings`; "" for other results.
std::string sweep_steps_text(const CheckResult& result, bool timings);

/// "mpa_before_sale (CSP-R04)", or just the name when the rule cites no source.
std::string rule_label(const model::Model& model, int rule_id);
/// rule_label of each id, joined by ", ".
std::string rule_labels(const model::Model& model, const std::vector<int>& rule_ids);
/// "conflicting rules" (consistency), "proved using" (a proof's core) or
/// "forbidden by" (scenario).
std::string_view core_heading(const CheckResult& result);
/// A proved property's core in one line: "proved using a (CSP-R13), b",
/// "proved by the vocabulary alone: no rule needed", with "(not proved
/// minimal: ...)" when minimising did not finish; "" without a proof core.
std::string proof_core_text(const model::Model& model, const CheckResult& result);
/// The names `expect forbidden by` gives that match no rule of `core`.
std::vector<std::string> expected_rules_missing(const model::Model& model, const CheckResult& result,
                                                const std::vector<int>& core);
/// The outcome of the search for a minimal core with the rules a scenario
/// expects (CheckResult::core_search), as a heading: "first minimal core
/// found (without CSP-R13; the core above has it)", "no minimal core has
/// CSP-R13: every minimal core was examined" ("has all of X, Y" for several
/// names); "" when there was no search.
std::string core_search_text(const model::Model& model, const CheckResult& result);
/// "every minimal core (2)", or "10 minimal cores listed; the list may be
/// incomplete: there are more than --max-cores 10"; "" without --all-cores.
std::string all_cores_heading(const CheckResult& result);

/// True when the result fails the run (not as expected, and not merely unknown).
bool is_failure(const CheckResult& result);
/// The expectation in the spec's words ("forbidden by CSP-R13"); "" when none.
std::string expected_text(const CheckResult& result);
/// The outcome in the same words ("forbidden by region_match (CSP-R13)").
std::string actual_text(const model::Model& model, const CheckResult& result);
/// One sentence: "property `p` is violated", "scenario `s` is allowed, expected
/// forbidden", "scenario `t` is forbidden, as expected", "rules are
/// inconsistent: conflicting rules: a (CSP-R04), b".
std::string verdict_sentence(const model::Model& model, const CheckResult& result);

/// True when a result deserves a finding in SARIF/JUnit terms: a violation
/// (even a documented one), vacuity, an inconsistency, an unknown, or any
/// result that is not as expected.
bool needs_attention(const CheckResult& result);
/// The stable id of that finding: "property-violated", "property-vacuous",
/// "expectation-not-met", "scenario-failed", "rules-inconsistent", "check-unknown".
std::string_view finding_id(const CheckResult& result);

/// "counterexample (minimal: 3 entities)" or "instance (2 entities)".
std::string instance_heading(const CheckResult& result);
/// What a result's graph shows: instance_heading, or for a forbidden
/// scenario "the scenario's facts (in red: those the forbidding rules need)".
std::string graph_heading(const CheckResult& result);
/// True when the plain-text reports show the instance: a counterexample, or
/// a scenario allowed against its expectation (the witness of why).
bool shows_instance(const CheckResult& result);
/// The plain-text body under a result's status line: the message (`in
/// words: ...`, unless the writer shows it on its own), instance, why it
/// fails, core rules and the facts they need, repairs; each line prefixed
/// with `indent`. Empty when none apply.
std::string details_text(const ReportContext& context, const CheckResult& result,
                         std::string_view indent, bool with_message = true);

/// A property's counterexample: the facts that break the property
/// (model::broken_facts); empty for every other result.
std::set<model::Fact> broken_facts_of(const model::Model& model, const CheckResult& result);
/// `Reseller1.mpa_signed`, as the JSON report's `broken_facts` lists them.
std::vector<std::string> broken_fact_names(const model::Model& model, const CheckResult& result);

/// What the re-check of a repair against the properties found: "note: the
/// repaired scenario lands in the known gap `no_self_sale` (CSP-R11)", or a
/// warning for a property it breaks; one line per property.
std::vector<std::string> repair_notes(const model::Model& model, const CheckResult& result);

/// Entities bound by the explanation's failing binding ("for x = A, y = B").
std::vector<std::string> failing_binding(const CheckResult& result);

struct Summary {
  std::string command;  // what the run checked: "prove", "check", "verify", ...
  int properties = 0;
  int proved = 0, violated = 0, unknown = 0, vacuous = 0;
  int known_gaps = 0;  // violated properties documented as such; not in `violated`
  int properties_unknown = 0;
  int consistent = 0, inconsistent = 0;
  int scenarios = 0, allowed = 0, forbidden = 0;
  int allowed_as_expected = 0, forbidden_as_expected = 0;
  int mismatched = 0;            // scenarios not at their expected verdict
  int scenarios_unknown = 0;
  int without_expectation = 0;   // scenarios that state no `expect`
  int failed = 0;      // results that fail the run
  int exit_code = 0;   // model::exit_code
  std::string interrupted_by;  // "SIGINT" when the run stopped early, else empty
  int not_run = 0;             // checks it never reached
  std::string lint;            // lint_summary_text (reports/lint.h) when the run linted, else empty
  bool lint_only = false;      // `cspverify lint`: no results, only lint
  std::vector<int> sweep;      // a scope sweep's bounds (each check counted once, by its verdict)
};
Summary summarize(const RunReport& report);
/// What the run checked, counted: "3 properties: 1 proved, 1 violated, 1 known
/// gap, 0 unknown, 0 vacuous" (prove), "2 scenarios: 1 allowed as expected, 0
/// forbidden as expected, 1 mismatched" (check), both for verify; then
/// "; rules inconsistent", "; 1 failed", "; interrupted by SIGINT: 3 checks
/// not run" for a run stopped early, and "; lint: 2 warnings; scenario
/// coverage: 19/23 rules (83%)" for a run that linted (`cspverify lint`: that
/// part alone, without "lint: ").
std::string summary_text(const Summary& summary);

/// "property no_self_sale (specs/csp/properties.cspv:12:10)": a check never
/// run (" at scope 3" for a sweep's step).
std::string not_run_text(const ReportContext& context, const model::NotRun& item);

/// A SARIF artifact URI: relative to the current directory where possible.
std::string sarif_artifact_uri(const std::string& path);

/// "12.5 ms".
std::string format_ms(double ms);

}  // namespace csp::reports
