// The semantic difference of two rule sets over one merged model, per
// direction (newly allowed: proposed AND NOT base; newly forbidden: base AND
// NOT proposed):
//   1. sat = a witness; unsat = none within scope; unknown = the solver gave up;
//   2. the witness is shrunk like a counterexample (Session::shrink): fewest
//      entities, then fewest violated rules of the forbidding side (so the
//      blame is as small as it can be), then fewest relation tuples;
//   3. decoded and re-checked by the evaluator against both rule sets.
#include "solver/diff.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <z3++.h>

#include "model/evaluator.h"
#include "model/stop.h"
#include "solver/int_range.h"
#include "solver/parallel.h"
#include "solver/query_log.h"
#include "solver/session.h"

namespace csp::solver {
namespace {

using Clock = std::chrono::steady_clock;
using model::DiffSide;

DiffSide other(DiffSide side) { return side == DiffSide::Base ? DiffSide::Proposed : DiffSide::Base; }

bool is_failure(const CheckResult& r) { return r.status != Status::Unknown && !r.meets_expectation(); }

class DifferenceSearch {
 public:
  DifferenceSearch(const model::Model& merged, const model::Scope& scope, DiffSide allowing,
                   const SolveOptions& options)
      : merged_(merged), options_(options), allowing_(allowing), session_(merged, scope, options.ground_limit),
        allow_(side_rules(merged, allowing)), forbid_(side_rules(merged, other(allowing))),
        queries_(options.queries, allowing == DiffSide::Proposed ? "newly_allowed" : "newly_forbidden") {}

  Difference run() {
    start_ = Clock::now();
    Difference result;
    // One named literal per forbidding rule, true iff the rule is violated:
    // a model always gives a constant a value, while a quantified body it may
    // leave unevaluated, and shrinking and the re-check count these literals.
    z3::expr_vector broken(session_.context());
    for (int r : forbid_) {
      // A forbidding rule that reads exactly like an allowing one (after
      // defines are inlined) holds in every instance the search admits.
      bool shared = std::any_of(allow_.begin(), allow_.end(),
                                [&](int a) { return z3::eq(session_.rule_body(a), session_.rule_body(r)); });
      if (shared) continue;
      z3::expr literal = session_.context().bool_const(fmt::format("broken!{}", merged_.rules[r].name).c_str());
      // Two implications, not one equivalence: each puts the rule's
      // quantifiers in a single polarity, so Z3 skolemizes the broken side
      // and pattern-matches the kept side instead of model-checking both.
      const z3::expr& holds = session_.rule_body(r);
      session_.add(z3::implies(literal, !holds));
      session_.add(z3::implies(!literal, holds));
      broken.push_back(literal);
    }
    session_.flush_axioms();
    session_.add(z3::mk_or(broken));
    Answer answer = check_small_first();
    switch (answer) {
      case Answer::Unsat: result.answer = Difference::Answer::None; break;
      case Answer::Unknown: result.answer = Difference::Answer::Unknown; result.unknown_reason = unknown_reason(); break;
      case Answer::Sat: found(result, broken); break;
    }
    result.time_ms = elapsed_ms(start_);
    return result;
  }

 private:
  double budget_ms() const { return options_.timeout_seconds * 1000.0 - elapsed_ms(start_); }

  Answer check(const char* detail, double budget) {
    queries_.asking("difference", detail, budget, [&]() { return session_.to_smt2(allow_); });
    Answer answer = session_.check(allow_, budget);
    queries_.answered(answer);
    return answer;
  }

  // As the prover does: within small instances first (kSmallInstance,
  // session.h), with at most half the budget; a witness found there is one
  // within the scope.
  Answer check_small_first() {
    std::vector<z3::expr> small = session_.small_instance_bounds();
    if (!small.empty()) {
      double budget = budget_ms() / 2;
      queries_.asking("difference", "small", budget, [&]() { return session_.to_smt2_within(allow_, small); });
      Answer answer = session_.check_within(allow_, small, budget);
      queries_.answered(answer);
      if (answer == Answer::Sat) return answer;
    }
    return check("", budget_ms());
  }

  std::string unknown_reason() const {
    return session_.unknown_reason(options_.timeout_seconds);
  }

  // A witness is reported only once the evaluator confirms it, so one
  // beyond the evaluator's range (an Int past 64 bits) leaves the direction unknown.
  void found(Difference& result, const z3::expr_vector& broken) {
    Witness w;
    z3::model best = session_.model();
    if (!session_.fit_in_range(best, budget_ms())) return unknown(result, session_.reason_unknown());
    if (options_.minimize) shrink(w, best, broken);
    try {
      decode_and_confirm(w, best, broken);
    } catch (const model::IntOutOfRange& e) {
      return unknown(result, evaluation_out_of_range(e, options_.sources));
    }
    result.answer = Difference::Answer::Found;
    result.witness = std::move(w);
  }

  static void unknown(Difference& result, std::string reason) {
    result.answer = Difference::Answer::Unknown;
    result.unknown_reason = std::move(reason);
  }

  // Should the shrunk model leave the evaluator's range, the one before
  // shrinking (within it) is shown instead.
  void shrink(Witness& w, z3::model& best, const z3::expr_vector& broken) {
    z3::model unshrunk = best;
    {
      auto deadline = start_ + std::chrono::milliseconds(options_.timeout_seconds * 1000);
      Session::Shrinker shrinker(session_, allow_, best, deadline, &queries_);
      w.minimal = shrinker.fewest_entities();
      w.minimal = shrinker.fewest_true(broken) && w.minimal;
      shrinker.fewest_tuples();
    }
    if (session_.fit_in_range(best, budget_ms())) return;
    best = unshrunk;
    w.minimal = false;
  }

  void decode_and_confirm(Witness& w, const z3::model& best, const z3::expr_vector& broken) {
    try {
      w.instance = session_.encoder().decode(best);
    } catch (const std::exception& e) {
      throw InternalError(fmt::format("{}: cannot decode the solver's model: {}", direction(), e.what()));
    }
    int solver_broken = 0;
    for (const auto& b : broken) solver_broken += best.eval(b, true).is_true() ? 1 : 0;
    confirm(w, solver_broken);
  }

  // The evaluator is the oracle: the witness satisfies every rule of the
  // allowing side and breaks the forbidding side's rules the solver says it breaks.
  void confirm(Witness& w, int solver_broken) {
    model::Evaluator evaluator(merged_, w.instance);
    std::string why;
    if (!evaluator.well_formed(&why)) {
      throw InternalError(fmt::format("{}: the witness is not well formed: {}", direction(), why));
    }
    for (int r : evaluator.violated_rules()) {
      if (std::find(allow_.begin(), allow_.end(), r) != allow_.end()) {
        throw InternalError(fmt::format("{}: the witness violates {} rule `{}` according to the evaluator",
                                        direction(), model::side_name(allowing_), original_name(r)));
      }
      w.blame.push_back(r);
      std::vector<std::string> lines;
      for (auto& line : evaluator.explain_failure(merged_.rules[r])) {
        lines.push_back(model::strip_side_qualifiers(line));
      }
      w.explanations.push_back(std::move(lines));
    }
    if (w.blame.empty() || static_cast<int>(w.blame.size()) != solver_broken) {
      throw InternalError(fmt::format("{}: the solver's witness breaks {} {} rule(s), the evaluator finds {}",
                                      direction(), solver_broken, model::side_name(other(allowing_)),
                                      w.blame.size()));
    }
  }

  std::string original_name(int rule) const {
    auto split = model::split_side(merged_.rules[rule].name);
    return split ? split->second : merged_.rules[rule].name;
  }

  std::string direction() const {
    return allowing_ == DiffSide::Proposed ? "newly allowed" : "newly forbidden";
  }

  const model::Model& merged_;
  SolveOptions options_;
  DiffSide allowing_;
  Session session_;
  std::vector<int> allow_, forbid_;
  QueryItem queries_;
  Clock::time_point start_;
};

// Scenario repairs are presentation, asked for again where a verdict changes;
// diff compares verdicts, so proofs come without their cores.
std::vector<CheckResult> run_side(const model::Model& model, const model::Scope& scope, const SolveOptions& options) {
  SolveOptions properties = options;
  properties.proof_cores = false;
  std::vector<CheckResult> results = prove(model, scope, properties);
  SolveOptions verdicts = options;
  verdicts.repair = false;
  std::vector<CheckResult> scenarios = check_scenarios(model, verdicts);
  results.insert(results.end(), scenarios.begin(), scenarios.end());
  return results;
}

// A changed scenario shows both sides' details: the facts each core needs and
// the repair, computed now for just these few.
void explain_changed_scenarios(std::vector<CheckPair>& pairs, const model::DiffModels& m, const SolveOptions& options) {
  std::vector<std::pair<std::optional<CheckResult>*, const model::Model*>> todo;
  for (auto& pair : pairs) {
    if (pair.kind != CheckResult::Kind::Scenario || !(pair.changed() || pair.regression)) continue;
    if (pair.base && pair.base->status == Status::Forbidden) todo.emplace_back(&pair.base, &m.base_checks);
    if (pair.proposed && pair.proposed->status == Status::Forbidden) todo.emplace_back(&pair.proposed, &m.proposed_checks);
  }
  SolveOptions explain = options;
  explain.queries = nullptr;  // the verdict queries were logged the first time
  parallel_for(todo.size(), options.jobs, [&](std::size_t i) {
    auto& [slot, model] = todo[i];
    auto explained = check_scenarios(*model, explain, (*slot)->name);
    if (explained.size() == 1 && explained[0].status == (*slot)->status) *slot = std::move(explained[0]);
  });
}

}  // namespace

std::vector<int> side_rules(const model::Model& merged, DiffSide side) {
  std::vector<int> out;
  for (std::size_t r = 0; r < merged.rules.size(); ++r) {
    auto split = model::split_side(merged.rules[r].name);
    if (split && split->first == side) out.push_back(static_cast<int>(r));
  }
  return out;
}

model::Scope merged_scope(const model::Model& merged, const model::Model& base, const model::Scope& base_scope,
                          const model::Model& proposed, const model::Scope& proposed_scope) {
  model::Scope scope;
  for (const auto& kind : merged.kinds) {
    int size = 0;
    int b = base.find_kind(kind.name), p = proposed.find_kind(kind.name);
    if (b >= 0) size = std::max(size, base_scope.size[b]);
    if (p >= 0) size = std::max(size, proposed_scope.size[p]);
    scope.size.push_back(size);
  }
  return scope;
}

SemanticDiff semantic_diff(const model::Model& merged, const model::Scope& scope, const SolveOptions& options) {
  SemanticDiff diff;
  diff.scope = scope;
  // Each direction on its own: running out of memory (or being stopped while
  // encoding) leaves that direction unknown, not the whole diff failed.
  auto search = [&](DiffSide allowing) {
    Difference unknown;
    try {
      return DifferenceSearch(merged, scope, allowing, options).run();
    } catch (const encoder::DeadlineExceeded& e) {
      unknown.unknown_reason = e.what();
    } catch (const std::exception& e) {
      auto reason = out_of_memory_reason(e);
      if (reason) {
        unknown.unknown_reason = *reason;
      } else if (auto* z3_error = dynamic_cast<const z3::exception*>(&e)) {
        throw InternalError(fmt::format("z3: {}", z3_error->msg()));
      } else {
        throw;
      }
    }
    return unknown;
  };
  diff.newly_allowed = search(DiffSide::Proposed);
  if (!model::stop_requested()) diff.newly_forbidden = search(DiffSide::Base);
  if (model::stop_requested() && diff.newly_forbidden.unknown_reason.empty()) {
    diff.newly_forbidden.unknown_reason = model::interrupted_reason();
  }
  return diff;
}

std::vector<CheckPair> pair_results(const std::vector<CheckResult>& base, const std::vector<CheckResult>& proposed) {
  std::vector<CheckPair> pairs;
  auto find = [&](const CheckResult& r) {
    return std::find_if(pairs.begin(), pairs.end(),
                        [&](const CheckPair& p) { return p.kind == r.kind && p.name == r.name; });
  };
  for (const auto& r : base) {
    CheckPair& pair = pairs.emplace_back();
    pair.kind = r.kind;
    pair.name = r.name;
    pair.base = r;
  }
  for (const auto& r : proposed) {
    auto it = find(r);
    if (it == pairs.end()) {
      it = pairs.insert(pairs.end(), CheckPair{});
      it->kind = r.kind;
      it->name = r.name;
    }
    it->proposed = r;
  }
  // Consistency, then properties, then scenarios; base order within each.
  std::stable_sort(pairs.begin(), pairs.end(), [](const CheckPair& a, const CheckPair& b) {
    return static_cast<int>(a.kind) < static_cast<int>(b.kind);
  });
  for (auto& pair : pairs) {
    bool base_failed = pair.base && is_failure(*pair.base);
    pair.regression = pair.proposed && is_failure(*pair.proposed) && !base_failed;
    pair.unknown = pair.proposed && pair.proposed->status == Status::Unknown && !base_failed;
  }
  return pairs;
}

namespace {

// An interrupted run: a check that one side never reached is not a change.
// It leaves the pairs and is listed as not run.
void drop_unfinished_pairs(DiffReport& report) {
  report.interrupted_by = model::stop_signal();
  std::vector<CheckPair> finished;
  for (auto& pair : report.checks) {
    bool base_missing = !pair.base && pair.declared_only_in != DiffSide::Proposed;
    bool proposed_missing = !pair.proposed && pair.declared_only_in != DiffSide::Base;
    if (base_missing || proposed_missing) {
      report.not_run.push_back({pair.kind, pair.name, {}});
    } else {
      finished.push_back(std::move(pair));
    }
  }
  report.checks = std::move(finished);
}

}  // namespace

DiffReport diff(const DiffInputs& in, const SolveOptions& options) {
  const model::DiffModels& m = in.models;
  DiffReport report;
  report.z3_version = z3_version();
  report.changes = model::compare_models(m.base, m.proposed);
  model::Scope scope = merged_scope(m.merged, m.base, in.base_scope, m.proposed, in.proposed_scope);
  // The semantic search and each side's checks are independent, each with
  // its own Z3 contexts: they run side by side where cores allow.
  std::vector<CheckResult> base_results, proposed_results;
  // Each part logs its queries in a subdirectory of its own, numbered apart.
  SolveOptions semantic = options, base = options, proposed = options;
  if (options.queries) {
    semantic.queries = &options.queries->part("difference");
    base.queries = &options.queries->part("base");
    proposed.queries = &options.queries->part("proposed");
  }
  parallel_for(3, options.jobs, [&](std::size_t task) {
    switch (task) {
      case 0: report.semantic = semantic_diff(m.merged, scope, semantic); break;
      case 1: base_results = run_side(m.base_checks, in.base_scope, base); break;
      default: proposed_results = run_side(m.proposed_checks, in.proposed_scope, proposed); break;
    }
  });
  report.checks = pair_results(base_results, proposed_results);
  explain_changed_scenarios(report.checks, m, options);
  for (auto& pair : report.checks) {
    auto declared = [&](const model::Model& own) {
      switch (pair.kind) {
        case CheckResult::Kind::Consistency: return true;
        case CheckResult::Kind::Property: return own.find_property(pair.name) >= 0;
        case CheckResult::Kind::Scenario: return own.find_scenario(pair.name) >= 0;
      }
      return true;
    };
    if (!declared(m.base)) pair.declared_only_in = DiffSide::Proposed;
    if (!declared(m.proposed)) pair.declared_only_in = DiffSide::Base;
  }
  if (model::stop_requested()) drop_unfinished_pairs(report);
  return report;
}

}  // namespace csp::solver
