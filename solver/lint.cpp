// The lint checks (docs/lint.md). Every solver question has one shape: can
// some instance satisfy a set of rules together with a claim? Unsat refutes
// the claim, and the rules in the (minimised) core are why:
//   redundant   the other rules AND NOT rule      unsat: the others imply it
//   vacuous     the other rules AND premise(rule) unsat: its premise never holds
//   needed      every rule AND NOT property       unsat: the core proves the property
// Each question is asked within the scope first, and a refutation there
// again for every size: a finding is reported for every size when the
// unbounded encoding refutes the claim, within the scope when only the
// bounded one does.
#include "solver/lint.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

#include <fmt/format.h>
#include <z3++.h>

#include "model/evaluator.h"
#include "model/premise.h"
#include "model/stop.h"
#include "model/usage.h"
#include "model/parallel.h"
#include "solver/session.h"
#include "solver/unbounded.h"

namespace csp::solver {

namespace {

using Clock = std::chrono::steady_clock;

/// A claim the solver tries to refute with some rules: how the solver states
/// it, and how the evaluator reads it on an instance.
struct Claim {
  std::function<z3::expr(Session&)> encode;  // may throw encoder::DeadlineExceeded
  std::function<bool(const model::Evaluator&)> holds_on;
};

struct Refutation {
  enum class Answer { Refuted, Satisfiable, Unknown } answer = Answer::Unknown;
  std::vector<int> core;  // Refuted: rules that together refute the claim
  bool for_every_size = false;
  std::string reason;     // Unknown: why
};

class Refuter {
 public:
  Refuter(const model::Model& model, const model::Scope& scope, const SolveOptions& options)
      : model_(model), scope_(scope), options_(options) {}

  /// Whether `rules` and `claim` can hold together. Within the scope first:
  /// an instance there settles it, and is found 2 to 3 times faster than
  /// over uninterpreted sorts (where Z3 needs model-based instantiation, and
  /// a property that is violated can use up the attempt's whole budget). A
  /// refutation within the scope is then asked for every size, which
  /// confirms it for every instance or finds a larger one. Within
  /// options.timeout_seconds in all, of which the attempt for every size may
  /// take its share (UnboundedProver::budget_ms).
  Refutation refute(const Claim& claim, const std::vector<int>& rules) {
    if (!options_.unbounded) return attempt(false, claim, rules, options_.timeout_seconds * 1000.0);
    double unbounded_budget = UnboundedProver::budget_ms(options_.timeout_seconds);
    Refutation within = attempt(false, claim, rules, options_.timeout_seconds * 1000.0 - unbounded_budget);
    if (within.answer == Refutation::Answer::Satisfiable) return within;
    Refutation every_size = attempt(true, claim, rules, unbounded_budget);
    if (every_size.answer != Refutation::Answer::Unknown) return every_size;
    return with_note(within, every_size);
  }

  // The answer within the scope, with why the attempt for every size decided nothing.
  static Refutation with_note(Refutation within, const Refutation& every_size) {
    if (within.answer == Refutation::Answer::Unknown && !every_size.reason.empty() &&
        every_size.reason != within.reason) {
      within.reason = fmt::format("{}; for every size: {}", within.reason, every_size.reason);
    }
    return within;
  }

  Refutation attempt(bool unbounded, const Claim& claim, const std::vector<int>& rules, double budget_ms) {
    Refutation out;
    try {
      Session* s = session(unbounded, out.reason);
      if (!s) return out;
      out = ask(*s, unbounded, claim, rules, budget_ms);
    } catch (const z3::exception& e) {
      throw InternalError(fmt::format("z3: {}", e.msg()));
    } catch (const std::exception& e) {
      auto reason = out_of_memory_reason(e);
      if (!reason) throw;
      // A session whose check ran out of memory is not to be trusted: the next question encodes afresh.
      (unbounded ? unbounded_ : bounded_).reset();
      out = Refutation{};
      out.reason = *reason;
    }
    out.for_every_size = unbounded && out.answer == Refutation::Answer::Refuted;
    return out;
  }

  Refutation ask(Session& s, bool unbounded, const Claim& claim, const std::vector<int>& rules, double budget_ms) {
    Refutation out;
    auto start = Clock::now();
    s.encoder().set_deadline(start + std::chrono::milliseconds(static_cast<long long>(std::max(budget_ms, 1.0))));
    s.push();
    try {
      s.add(claim.encode(s));
      s.flush_axioms();
    } catch (const encoder::DeadlineExceeded& e) {
      s.pop();
      out.reason = e.what();
      return out;
    }
    switch (s.check(rules, budget_ms)) {
      case Answer::Unsat: {
        out.answer = Refutation::Answer::Refuted;
        std::vector<int> core = s.core_rules();
        auto minimal = s.minimise_core(core, budget_ms - elapsed_ms(start));
        out.core = minimal ? *minimal : core;
        break;
      }
      case Answer::Sat:
        if (!unbounded || confirmed(s, claim, rules)) {
          out.answer = Refutation::Answer::Satisfiable;
        } else {
          out.reason = "the solver's instance of unbounded size was not confirmed by the evaluator";
        }
        break;
      case Answer::Unknown: out.reason = s.unknown_reason(budget_ms / 1000); break;
    }
    s.pop();
    return out;
  }

  // A model over uninterpreted sorts decides nothing until the evaluator
  // agrees that it satisfies the rules and the claim.
  bool confirmed(Session& s, const Claim& claim, const std::vector<int>& rules) const {
    try {
      model::Instance instance = s.encoder().decode(s.model());
      model::Evaluator evaluator(model_, instance);
      if (!evaluator.well_formed()) return false;
      for (int r : rules) {
        if (!evaluator.holds(model_.rules[r])) return false;
      }
      return claim.holds_on(evaluator);
    } catch (const std::exception&) {
      return false;  // a value beyond 64 bits, or a model that cannot be read
    }
  }

  Session* session(bool unbounded, std::string& error) {
    auto& slot = unbounded ? unbounded_ : bounded_;
    auto& failure = unbounded ? unbounded_error_ : bounded_error_;
    if (slot || !failure.empty()) {
      error = failure;
      return slot.get();
    }
    auto deadline = Clock::now() + std::chrono::seconds(options_.timeout_seconds);
    try {
      if (unbounded) slot = std::make_unique<Session>(model_, Session::Unbounded{}, deadline);
      else slot = std::make_unique<Session>(model_, scope_, options_.ground_limit, deadline);
    } catch (const encoder::DeadlineExceeded& e) {
      failure = error = e.what();
    }
    return slot.get();
  }

  const model::Model& model_;
  model::Scope scope_;
  SolveOptions options_;
  std::unique_ptr<Session> unbounded_, bounded_;  // built on first use, one encoding of the rules each
  std::string unbounded_error_, bounded_error_;
};

std::string rule_names(const model::Model& model, const std::vector<int>& rules) {
  std::vector<std::string> names;
  for (int r : rules) {
    const auto& rule = model.rules[r];
    names.push_back(rule.source.empty() ? fmt::format("`{}`", rule.name)
                                        : fmt::format("`{}` ({})", rule.name, rule.source));
  }
  return fmt::format("{}", fmt::join(names, ", "));
}

std::vector<int> all_but(std::size_t count, int excluded) {
  std::vector<int> out;
  for (std::size_t i = 0; i < count; ++i) {
    if (static_cast<int>(i) != excluded) out.push_back(static_cast<int>(i));
  }
  return out;
}

/// Refuters (each with its own Z3 contexts) for the threads of a parallel
/// phase: a task takes one, asks, and gives it back, so that the encodings
/// are reused and no Z3 object is used by two threads at once.
class RefuterPool {
 public:
  RefuterPool(const model::Model& model, const model::Scope& scope, const SolveOptions& options)
      : model_(model), scope_(scope), options_(options) {}
  std::unique_ptr<Refuter> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return std::make_unique<Refuter>(model_, scope_, options_);
    auto refuter = std::move(free_.back());
    free_.pop_back();
    return refuter;
  }
  void give_back(std::unique_ptr<Refuter> refuter) {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.push_back(std::move(refuter));
  }

 private:
  const model::Model& model_;
  model::Scope scope_;
  SolveOptions options_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Refuter>> free_;
};

/// What the solver said about one rule: vacuous first, then (when not
/// vacuous) redundant.
struct RuleVerdict {
  Refutation vacuous;
  std::optional<Refutation> redundant;
  bool removable() const {
    return vacuous.answer == Refutation::Answer::Refuted ||
           (redundant && redundant->answer == Refutation::Answer::Refuted);
  }
};

class Linter {
 public:
  Linter(const model::Model& model, const model::Scope& scope, const SolveOptions& options)
      : model_(model), scope_(scope), options_(options), pool_(model, scope, options) {}

  LintReport run(const std::vector<CheckResult>* checked) {
    for (auto& unused : model::unused_declarations(model_)) {
      report_.findings.push_back({unused.lint_id, unused.name, unused.range, unused.message, {}, ""});
    }
    if (rules_consistent()) analyse_rules_and_proofs(checked);
    std::vector<CheckResult> scenarios = scenario_results(checked);
    if (report_.solver_checks_skipped.empty() && !model::stop_requested()) find_unneeded(scenarios);
    cover(scenarios);
    sort_by_location();
    return std::move(report_);
  }

 private:
  std::string bound(const Refutation& r) const {
    return r.for_every_size ? "for every instance, of any size"
                            : fmt::format("within scope {}", model::scope_text(model_, scope_));
  }

  // With no instance at all, every rule would be implied by the others.
  bool rules_consistent() {
    Claim nothing{[](Session& s) { return s.context().bool_val(true); },
                  [](const model::Evaluator&) { return true; }};
    auto refuter = pool_.take();
    Refutation r = refuter->refute(nothing, all_but(model_.rules.size(), -1));
    pool_.give_back(std::move(refuter));
    if (r.answer == Refutation::Answer::Refuted) {
      report_.solver_checks_skipped = fmt::format("no instance satisfies the rules {}: conflicting rules {} "
                                                  "(`cspverify prove` reports it)", bound(r),
                                                  rule_names(model_, r.core));
    }
    return r.answer != Refutation::Answer::Refuted;
  }

  // Every rule against all the others, and every property's proof, on
  // parallel threads; then, last rule first, each rule found redundant or
  // vacuous is asked again without the rules already reported: of two rules
  // that say the same, only the later one (usually the restatement) is
  // reported, and every rule reported can be removed at once. A rule the
  // others do not imply stays so without some of them, so only the rules
  // found removable are asked again.
  void analyse_rules_and_proofs(const std::vector<CheckResult>* checked) {
    std::size_t rules = model_.rules.size();
    std::vector<RuleVerdict> verdicts(rules);
    std::vector<int> properties = properties_to_prove(checked);
    std::vector<std::optional<Refutation>> proofs(properties.size());
    std::vector<std::size_t> to_ask;  // the proofs whose core the run does not have yet
    for (std::size_t i = 0; i < properties.size(); ++i) {
      if (checked) proofs[i] = proof_in(*checked, properties[i]);
      if (!proofs[i]) to_ask.push_back(i);
    }
    model::parallel_for(rules + to_ask.size(), options_.jobs, [&](std::size_t task) {
      if (model::stop_requested()) return;
      auto refuter = pool_.take();
      if (task < rules) {
        verdicts[task] = rule_verdict(*refuter, static_cast<int>(task), all_but(rules, static_cast<int>(task)));
      } else {
        std::size_t i = to_ask[task - rules];
        proofs[i] = proof(*refuter, properties[i]);
      }
      pool_.give_back(std::move(refuter));
    });
    if (model::stop_requested()) return;
    std::vector<bool> removable(rules, false);
    auto refuter = pool_.take();
    for (std::size_t r = rules; r-- > 0 && !model::stop_requested();) {
      if (verdicts[r].removable() && std::any_of(removable.begin(), removable.end(), [](bool b) { return b; })) {
        std::vector<int> others;
        for (int o : all_but(rules, static_cast<int>(r))) {
          if (!removable[o]) others.push_back(o);
        }
        verdicts[r] = rule_verdict(*refuter, static_cast<int>(r), others);
      }
      removable[r] = verdicts[r].removable();
      report_rule(static_cast<int>(r), verdicts[r]);
    }
    pool_.give_back(std::move(refuter));
    for (std::size_t i = 0; i < properties.size(); ++i) {
      if (proofs[i]) report_proof(properties[i], *proofs[i]);
    }
  }

  RuleVerdict rule_verdict(Refuter& refuter, int id, const std::vector<int>& others) const {
    const auto& rule = model_.rules[id];
    RuleVerdict verdict;
    auto premise = std::make_shared<model::Premise>(model::premise_of(rule));
    Claim applies{[premise](Session& s) { return s.encoder().formula(premise->formula); },
                  [premise](const model::Evaluator& e) { return e.holds(premise->formula); }};
    verdict.vacuous = refuter.refute(applies, others);
    if (verdict.vacuous.answer == Refutation::Answer::Refuted) return verdict;
    Claim violated{[id](Session& s) { return !s.rule_body(id); },
                   [&rule](const model::Evaluator& e) { return !e.holds(rule); }};
    verdict.redundant = refuter.refute(violated, others);
    return verdict;
  }

  // Vacuous first: a rule whose premise never holds is also implied by the
  // others, and "never applies" says more than "implied".
  void report_rule(int id, const RuleVerdict& verdict) {
    const auto& rule = model_.rules[id];
    const Refutation& vacuous = verdict.vacuous;
    if (vacuous.answer == Refutation::Answer::Refuted) {
      bool conditional = model::premise_of(rule).conditional;
      std::string why = conditional ? "its premise never holds" : "no instance has the entities it quantifies over";
      std::string given = vacuous.core.empty() ? "whatever the other rules say"
                                               : fmt::format("given {}", rule_names(model_, vacuous.core));
      add_finding("vacuous-rule", rule, fmt::format("rule `{}` is vacuous: {} {}, {}", rule.name, why, given,
                                                    bound(vacuous)), vacuous);
      return;
    }
    if (vacuous.answer == Refutation::Answer::Unknown) undecided("vacuous-rule", rule, vacuous.reason);
    if (!verdict.redundant) return;
    const Refutation& redundant = *verdict.redundant;
    if (redundant.answer == Refutation::Answer::Refuted) {
      std::string by = redundant.core.empty() ? "it holds in every instance, whatever the rules say"
                                              : fmt::format("implied by {}", rule_names(model_, redundant.core));
      add_finding("redundant-rule", rule, fmt::format("rule `{}` is redundant: {}, {}", rule.name, by,
                                                      bound(redundant)), redundant);
    }
    if (redundant.answer == Refutation::Answer::Unknown) undecided("redundant-rule", rule, redundant.reason);
  }

  // A property the run found violated (or not proved) needs nothing.
  std::vector<int> properties_to_prove(const std::vector<CheckResult>* checked) const {
    std::vector<int> out;
    for (std::size_t p = 0; p < model_.properties.size(); ++p) {
      if (!checked || proved_in(*checked, static_cast<int>(p))) out.push_back(static_cast<int>(p));
    }
    return out;
  }

  // The rules a proof needs: the minimal core of rules AND NOT property.
  Refutation proof(Refuter& refuter, int id) const {
    const auto& property = model_.properties[id];
    Claim violated{[&property](Session& s) { return !s.encoder().formula(property); },
                   [&property](const model::Evaluator& e) { return !e.holds(property); }};
    return refuter.refute(violated, all_but(model_.rules.size(), -1));
  }

  void report_proof(int id, const Refutation& proof) {
    const auto& property = model_.properties[id];
    if (proof.answer == Refutation::Answer::Unknown) {
      needs_undecided_.push_back(fmt::format("the proof of property `{}`: {}", property.name, proof.reason));
    }
    if (proof.answer != Refutation::Answer::Refuted) return;
    cores_.push_back(proof.core);
    if (proof.core.empty()) {
      report_.findings.push_back({"property-needs-no-rule", property.name, property.range,
                                  fmt::format("property `{}` holds without any rule, {}: it checks nothing "
                                              "about the rules", property.name, bound(proof)), {}, bound(proof)});
    }
  }

  // The rules prove already found the property's proof needs
  // (SolveOptions::proof_cores): no need to ask again. A core that is
  // sufficient but not shown minimal only makes fewer rules unneeded.
  static std::optional<Refutation> proof_in(const std::vector<CheckResult>& results, int property) {
    for (const auto& r : results) {
      if (r.kind != CheckResult::Kind::Property || r.decl_id != property) continue;
      if (r.status != Status::Proved || !r.proof_core) return std::nullopt;
      Refutation proof;
      proof.answer = Refutation::Answer::Refuted;
      proof.core = r.core;
      proof.for_every_size = r.unbounded;
      return proof;
    }
    return std::nullopt;
  }

  static bool proved_in(const std::vector<CheckResult>& results, int property) {
    for (const auto& r : results) {
      if (r.kind == CheckResult::Kind::Property && r.decl_id == property) return r.status == Status::Proved;
    }
    return true;  // not run (--property narrowed the run): ask
  }

  std::vector<CheckResult> scenario_results(const std::vector<CheckResult>* checked) {
    std::vector<CheckResult> out;
    if (checked) {
      for (const auto& r : *checked) {
        if (r.kind == CheckResult::Kind::Scenario) out.push_back(r);
      }
      return out;
    }
    if (model::stop_requested()) return out;
    SolveOptions scenarios = options_;
    scenarios.repair = false;    // the core is all lint reads
    scenarios.queries = nullptr;
    return check_scenarios(model_, scenarios);
  }

  void find_unneeded(const std::vector<CheckResult>& scenarios) {
    int unknown = 0;
    for (const auto& s : scenarios) {
      if (s.status == Status::Forbidden) cores_.push_back(s.core);
      if (s.status == Status::Unknown) ++unknown;
    }
    if (unknown > 0) needs_undecided_.push_back(fmt::format("{} scenario{} undecided", unknown, unknown == 1 ? "" : "s"));
    std::vector<bool> needed = rules_needed(model_.rules.size(), cores_);
    for (std::size_t r = 0; r < model_.rules.size(); ++r) {
      if (needed[r]) continue;
      const auto& rule = model_.rules[r];
      if (!needs_undecided_.empty()) {
        undecided("unneeded-rule", rule, fmt::format("{}", fmt::join(needs_undecided_, "; ")));
        continue;
      }
      report_.findings.push_back({"unneeded-rule", rule.name, rule.range,
                                  fmt::format("rule `{}` is needed by no proved property and no forbidden scenario: "
                                              "it is in none of their minimal cores", rule.name), {}, ""});
    }
  }

  // Forbidden scenarios exercise the rules of their core; allowed ones the
  // rules whose premise holds somewhere in the completed instance.
  void cover(const std::vector<CheckResult>& scenarios) {
    std::vector<model::Premise> premises;
    for (const auto& rule : model_.rules) premises.push_back(model::premise_of(rule));
    for (std::size_t r = 0; r < model_.rules.size(); ++r) report_.coverage.push_back({static_cast<int>(r), {}, {}});
    for (const auto& s : scenarios) {
      if (s.status == Status::Unknown) ++report_.scenarios_unknown;
      if (s.status == Status::Forbidden) {
        for (int r : s.core) report_.coverage[r].forbidding.push_back(s.name);
      }
      if (s.status != Status::Allowed || !s.instance) continue;
      model::Evaluator evaluator(model_, *s.instance);
      for (std::size_t r = 0; r < premises.size(); ++r) {
        if (applies(evaluator, premises[r])) report_.coverage[r].applying.push_back(s.name);
      }
    }
    for (const auto& c : report_.coverage) {
      if (c.covered()) continue;
      const auto& rule = model_.rules[c.rule_id];
      if (report_.scenarios_unknown > 0) {
        undecided("uncovered-rule", rule, fmt::format("{} scenario{} undecided", report_.scenarios_unknown,
                                                      report_.scenarios_unknown == 1 ? "" : "s"));
        continue;
      }
      report_.findings.push_back({"uncovered-rule", rule.name, rule.range,
                                  fmt::format("rule `{}` is exercised by no scenario: none is forbidden by it, "
                                              "and no allowed one makes its premise hold", rule.name), {}, ""});
    }
  }

  static bool applies(const model::Evaluator& evaluator, const model::Premise& premise) {
    try {
      return evaluator.holds(premise.formula);
    } catch (const model::IntOutOfRange&) {
      return false;  // not shown to apply
    }
  }

  void add_finding(const char* id, const model::FormulaDecl& rule, std::string message, const Refutation& r) {
    report_.findings.push_back({id, rule.name, rule.range, std::move(message), r.core, bound(r)});
  }

  void undecided(const char* check, const model::FormulaDecl& rule, const std::string& reason) {
    report_.undecided.push_back({check, rule.name, rule.range, reason});
  }

  void sort_by_location() {
    auto key = [](const auto& item) { return std::tie(item.range.file, item.range.begin); };
    std::stable_sort(report_.findings.begin(), report_.findings.end(),
                     [&](const LintFinding& a, const LintFinding& b) { return key(a) < key(b); });
    std::stable_sort(report_.undecided.begin(), report_.undecided.end(),
                     [&](const LintUndecided& a, const LintUndecided& b) { return key(a) < key(b); });
  }

  const model::Model& model_;
  model::Scope scope_;
  SolveOptions options_;
  RefuterPool pool_;
  LintReport report_;
  std::vector<std::vector<int>> cores_;        // proofs' and forbidden scenarios' cores
  std::vector<std::string> needs_undecided_;   // why "needed by nothing" cannot be decided
};

}  // namespace

std::vector<bool> rules_needed(std::size_t rule_count, const std::vector<std::vector<int>>& cores) {
  std::vector<bool> needed(rule_count, false);
  for (const auto& core : cores) {
    for (int r : core) {
      if (r >= 0 && static_cast<std::size_t>(r) < rule_count) needed[r] = true;
    }
  }
  return needed;
}

LintReport lint(const model::Model& model, const model::Scope& scope, const SolveOptions& options,
                const std::vector<CheckResult>* checked) {
  return Linter(model, scope, options).run(checked);
}

}  // namespace csp::solver
