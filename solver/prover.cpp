// The prove pipeline per property:
//   1. consistency: rules AND every kind non-empty (else: minimal core of rules)
//   2. vacuity: rules AND the property's kinds non-empty (only if 1 failed)
//   3. rules AND NOT property: unsat = proved within scope; sat = counterexample,
//      shrunk to the fewest entities, decoded, re-checked by the evaluator.
#include "solver/prover.h"

#include <memory>
#include <set>

#include <fmt/format.h>
#include <z3++.h>

#include "model/evaluator.h"
#include "model/stop.h"
#include "solver/cores.h"
#include "solver/int_range.h"
#include "solver/query_log.h"
#include "solver/session.h"
#include "solver/unbounded.h"

namespace csp::solver {
namespace {

using Clock = std::chrono::steady_clock;

void collect_kinds(const model::Expr& e, std::set<int>& kinds) {
  for (const auto& b : e.bindings) kinds.insert(b.kind.type.id);
  for (const auto& a : e.args) collect_kinds(*a, kinds);
}

CheckResult counterexample_beyond(const model::Model& model, const model::Scope& scope, const SolveOptions& options,
                                  int id, const model::Instance& instance, const CheckResult& fallback);

class Prover {
 public:
  /// `consistent`: the rules' consistency check already found an instance
  /// (a Prover rebuilt after running out of memory does not ask again).
  /// `unbounded`: tries each property for every size first (null: bounded only).
  Prover(const model::Model& model, const model::Scope& scope, const SolveOptions& options, bool consistent,
         UnboundedProver* unbounded = nullptr)
      : model_(model), scope_(scope), options_(options),
        session_(std::make_unique<Session>(model, scope, options.ground_limit,
                                           Clock::now() + std::chrono::seconds(options.timeout_seconds))),
        consistent_(consistent), unbounded_(unbounded) {}

  bool consistent() const { return consistent_; }

  CheckResult consistency() {
    auto start = Clock::now();
    CheckResult result = base_result(CheckResult::Kind::Consistency, -1, "rules", {});
    QueryItem queries(options_.queries, "rules");
    session_->push();
    for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
      if (scope_.size[k] > 0) session_->add(session_->encoder().nonempty(static_cast<int>(k)));
    }
    Answer answer = check_small_first(queries, "consistency", start);
    if (answer == Answer::Sat) result.status = Status::Consistent;
    if (answer == Answer::Unknown) unknown(result);
    if (answer == Answer::Unsat) explain_inconsistency(result, start);
    session_->pop();
    consistent_ = answer == Answer::Sat;
    result.time_ms = elapsed_ms(start);
    return result;
  }

  CheckResult property(int id) {
    auto start = Clock::now();
    const auto& p = model_.properties[id];
    CheckResult result = base_result(CheckResult::Kind::Property, id, p.name, p.range);
    if (p.expect == model::FormulaDecl::Expect::Proved) result.expected = Status::Proved;
    if (p.expect == model::FormulaDecl::Expect::Violated) result.expected = Status::Violated;
    QueryItem queries(options_.queries, p.name);
    if (!consistent_ && is_vacuous(p, result, queries, start)) {
      result.time_ms = elapsed_ms(start);
      return result;
    }
    std::optional<UnboundedProver::Outcome> for_every_size;
    if (unbounded_) {
      for_every_size = unbounded_->check(p, UnboundedProver::budget_ms(options_.timeout_seconds), &queries);
      if (for_every_size->answer == UnboundedProver::Outcome::Answer::Proved) {
        result.status = Status::Proved;
        result.unbounded = true;
        if (for_every_size->core) set_proof_core(result, *for_every_size->core);
        result.time_ms = elapsed_ms(start);
        return result;
      }
    }
    bounded_property(p, result, queries, start);
    if (for_every_size) note_unbounded_answer(id, *for_every_size, result);
    result.time_ms = elapsed_ms(start);
    return result;
  }

 private:
  void bounded_property(const model::FormulaDecl& p, CheckResult& result, QueryItem& queries,
                        Clock::time_point start) {
    session_->encoder().set_deadline(start + std::chrono::seconds(options_.timeout_seconds));
    session_->push();
    try {
      session_->add(!session_->encoder().formula(p));
    } catch (const encoder::DeadlineExceeded& e) {
      session_->pop();
      result.status = Status::Unknown;
      result.unknown_reason = e.what();
      return;
    }
    session_->flush_axioms();
    Answer answer = check_small_first(queries, "property", start);
    if (answer == Answer::Unsat) {
      result.status = Status::Proved;
      if (options_.proof_cores) {
        double budget = std::min(budget_ms(start), proof_core_budget_ms(options_.timeout_seconds));
        set_proof_core(result, proof_core(*session_, budget, &queries));
      }
    }
    if (answer == Answer::Unknown) unknown(result);
    if (answer == Answer::Sat) counterexample(p, result, queries, start);
    session_->pop();
  }

  // The bounded answer stands; the attempt for every size adds to it. A
  // violation it found that the scope is too small to contain is one the
  // bounded check could not see: that is the answer, not "proved".
  void note_unbounded_answer(int id, UnboundedProver::Outcome& outcome, CheckResult& result) {
    using Answer = UnboundedProver::Outcome::Answer;
    if (outcome.answer == Answer::Violated && result.status == Status::Proved) {
      result = larger_counterexample(id, *outcome.instance, result);
      result.unbounded_note = fmt::format("none within scope {}: found by the attempt for every size",
                                          model::scope_text(model_, scope_));
      return;
    }
    // Only a bounded proof needs the caveat; a bounded counterexample or
    // unknown already says all there is.
    if (result.status == Status::Proved) result.unbounded_note = "unknown: " + outcome.reason;
  }

  static void set_proof_core(CheckResult& result, const ProofCore& core) {
    result.core = core.rules;
    result.proof_core = true;
    result.core_minimal = core.minimal;
  }

  CheckResult base_result(CheckResult::Kind kind, int id, const std::string& name, model::SourceRange range) {
    CheckResult r;
    r.kind = kind;
    r.decl_id = id;
    r.name = name;
    r.range = range;
    r.scope = scope_;
    return r;
  }

  double budget_ms(Clock::time_point start) const {
    return options_.timeout_seconds * 1000.0 - elapsed_ms(start);
  }

  // Every rule enabled, over the current frames; logged as `purpose`.
  Answer check(QueryItem& queries, const char* purpose, Clock::time_point start) {
    double budget = budget_ms(start);
    queries.asking(purpose, "", budget, [&]() { return session_->to_smt2(session_->all_rules()); });
    Answer answer = session_->check(session_->all_rules(), budget);
    queries.answered(answer);
    return answer;
  }

  // A check that looks for an instance asks within small instances first
  // (kSmallInstance, session.h), with at most half the budget; an instance
  // found there is one within the scope, so only when none is found is the
  // whole scope asked. The model stays the small one: shrinking starts from it.
  Answer check_small_first(QueryItem& queries, const char* purpose, Clock::time_point start) {
    std::vector<z3::expr> small = session_->small_instance_bounds();
    if (!small.empty()) {
      double budget = budget_ms(start) / 2;
      std::vector<int> rules = session_->all_rules();
      queries.asking(purpose, "small", budget, [&]() { return session_->to_smt2_within(rules, small); });
      Answer answer = session_->check_within(rules, small, budget);
      queries.answered(answer);
      if (answer == Answer::Sat) return answer;
    }
    return check(queries, purpose, start);
  }

  void unknown(CheckResult& result) {
    result.status = Status::Unknown;
    result.unknown_reason = session_->unknown_reason(options_.timeout_seconds);
  }

  void explain_inconsistency(CheckResult& result, Clock::time_point start) {
    result.status = Status::Inconsistent;
    auto core = session_->minimise_core(session_->core_rules(), budget_ms(start));
    result.core = core ? *core : session_->core_rules();
    result.minimal = core.has_value();
    result.core_minimal = core.has_value();
  }

  CheckResult larger_counterexample(int id, const model::Instance& instance, const CheckResult& bounded) {
    return counterexample_beyond(model_, scope_, options_, id, instance, bounded);
  }

  // Only asked when the rules are inconsistent with every kind non-empty:
  // is there still an instance with the kinds this property quantifies over?
  bool is_vacuous(const model::FormulaDecl& p, CheckResult& result, QueryItem& queries, Clock::time_point start) {
    std::set<int> kinds;
    collect_kinds(*p.body, kinds);
    session_->push();
    for (int k : kinds) session_->add(session_->encoder().nonempty(k));
    Answer answer = check_small_first(queries, "vacuity", start);
    bool vacuous = answer == Answer::Unsat;
    if (vacuous) {
      result.status = Status::Vacuous;
      auto core = session_->minimise_core(session_->core_rules(), budget_ms(start));
      result.core = core ? *core : session_->core_rules();
      result.core_minimal = core.has_value();
    }
    session_->pop();
    return vacuous;
  }

  // A counterexample is reported only once the evaluator confirms it, so one
  // it cannot compute (an Int beyond 64 bits) leaves the property unknown.
  void counterexample(const model::FormulaDecl& p, CheckResult& result, QueryItem& queries, Clock::time_point start) {
    z3::model best = session_->model();
    if (!session_->fit_in_range(best, budget_ms(start))) return unknown(result);
    if (options_.minimize) shrink(best, result, queries, start);
    model::Instance instance;
    try {
      instance = session_->encoder().decode(best);
    } catch (const std::exception& e) {
      throw InternalError(fmt::format("property `{}`: cannot decode the solver's model: {}", p.name, e.what()));
    }
    try {
      confirm_counterexample(p, instance);
      result.explanation = model::Evaluator(model_, instance).explain_failure(p);
      result.message = model::Evaluator(model_, instance).violation_message(p);
    } catch (const model::IntOutOfRange& e) {
      result.status = Status::Unknown;
      result.unknown_reason = evaluation_out_of_range(e, options_.sources);
      result.minimal = false;
      return;
    }
    result.status = Status::Violated;
    result.instance = std::move(instance);
  }

  // The fewest entities, then the fewest edges with the entity count fixed:
  // a graph people can read. Should the shrunk model leave the evaluator's
  // range, the one before shrinking (within it) is shown instead.
  void shrink(z3::model& best, CheckResult& result, QueryItem& queries, Clock::time_point start) {
    z3::model unshrunk = best;
    {
      auto deadline = start + std::chrono::milliseconds(options_.timeout_seconds * 1000);
      Session::Shrinker shrinker(*session_, session_->all_rules(), best, deadline, &queries);
      result.minimal = shrinker.fewest_entities();
      shrinker.fewest_tuples();
      shrinker.natural_values();
    }
    if (session_->fit_in_range(best, budget_ms(start))) return;
    best = unshrunk;
    result.minimal = false;
  }

  // The evaluator is the oracle: a counterexample it does not confirm is a bug.
  void confirm_counterexample(const model::FormulaDecl& p, const model::Instance& instance) {
    model::Evaluator evaluator(model_, instance);
    std::string why;
    if (!evaluator.well_formed(&why)) {
      throw InternalError(fmt::format("property `{}`: the counterexample is not well formed: {}", p.name, why));
    }
    auto violated = evaluator.violated_rules();
    if (!violated.empty()) {
      throw InternalError(fmt::format("property `{}`: the counterexample violates rule `{}` according to the evaluator",
                                      p.name, model_.rules[violated.front()].name));
    }
    if (evaluator.holds(p)) {
      throw InternalError(fmt::format("property `{}`: the evaluator finds the property true on the counterexample",
                                      p.name));
    }
  }

  const model::Model& model_;
  model::Scope scope_;
  SolveOptions options_;
  std::unique_ptr<Session> session_;  // one encoding for every check of this scope
  bool consistent_ = false;
  UnboundedProver* unbounded_ = nullptr;
};

// The unbounded solver's instance is confirmed but arbitrary: the bounded
// check at a scope that holds it (and `scope`) shrinks it to a minimal one
// (the instance itself, on `fallback`, when that check does not finish).
CheckResult counterexample_beyond(const model::Model& model, const model::Scope& scope, const SolveOptions& options,
                                  int id, const model::Instance& instance, const CheckResult& fallback) {
  model::Scope larger = model::scope_of(model, instance);
  for (std::size_t k = 0; k < larger.size.size(); ++k) larger.size[k] = std::max(larger.size[k], scope.size[k]);
  CheckResult result = Prover(model, larger, options, true).property(id);
  if (result.status == Status::Violated) return result;
  result = fallback;
  result.status = Status::Violated;
  result.core.clear();  // the bounded proof's, which no longer stands
  result.proof_core = false;
  result.core_minimal = false;
  result.scope = larger;
  result.minimal = false;
  result.explanation = model::Evaluator(model, instance).explain_failure(model.properties[id]);
  result.message = model::Evaluator(model, instance).violation_message(model.properties[id]);
  result.instance = instance;
  return result;
}

}  // namespace

namespace {

CheckResult unknown_check(const model::Model& model, const model::Scope& scope, int property,
                          const std::string& reason) {
  CheckResult r;
  r.kind = property < 0 ? CheckResult::Kind::Consistency : CheckResult::Kind::Property;
  r.decl_id = property;
  r.name = property < 0 ? "rules" : model.properties[property].name;
  if (property >= 0) r.range = model.properties[property].range;
  r.scope = scope;
  r.status = Status::Unknown;
  r.unknown_reason = reason;
  return r;
}

}  // namespace

std::vector<CheckResult> prove(const model::Model& model, const model::Scope& scope,
                               const SolveOptions& options, const std::optional<std::string>& only) {
  std::vector<int> properties;
  for (std::size_t i = 0; i < model.properties.size(); ++i) {
    if (!only || model.properties[i].name == *only) properties.push_back(static_cast<int>(i));
  }
  return prove_selected(model, scope, options, properties, true);
}

std::vector<CheckResult> prove_selected(const model::Model& model, const model::Scope& scope,
                                        const SolveOptions& options, const std::vector<int>& properties,
                                        bool report_consistency) {
  std::vector<CheckResult> results;
  // Out of memory in one check makes that check unknown; its session is
  // dropped (a half-finished check leaves frames pushed, and Z3's state after
  // a failed allocation is not to be trusted) and the next check encodes afresh.
  std::unique_ptr<Prover> prover;
  std::unique_ptr<UnboundedProver> unbounded;
  if (options.unbounded) unbounded = std::make_unique<UnboundedProver>(model, options);
  bool consistent = false;
  auto run_check = [&](int property) {
    try {
      // Each property in sessions of its own: Z3's answers (which of several
      // minimal counterexamples, which proof core) depend on what the session
      // solved before, and a property's result must not depend on which
      // others ran before it in this process (--property, --shard).
      if (property >= 0) {
        prover.reset();
        if (options.unbounded) unbounded = std::make_unique<UnboundedProver>(model, options);
      }
      if (!prover) prover = std::make_unique<Prover>(model, scope, options, consistent, unbounded.get());
      if (property < 0) {
        results.push_back(prover->consistency());
        consistent = prover->consistent();
      } else {
        results.push_back(prover->property(property));
      }
    } catch (const encoder::DeadlineExceeded& e) {
      // The rules themselves could not be encoded in time (or the run was stopped).
      results.push_back(unknown_check(model, scope, property, e.what()));
      return false;
    } catch (const std::exception& e) {
      auto reason = out_of_memory_reason(e);
      if (!reason) throw;
      prover.reset();
      if (options.unbounded) unbounded = std::make_unique<UnboundedProver>(model, options);
      results.push_back(unknown_check(model, scope, property, *reason));
    }
    if (options.progress.check_done) options.progress.check_done();
    return true;
  };
  try {
    bool encoded = run_check(-1);
    if (!report_consistency) results.clear();
    if (!encoded) return results;
    for (int property : properties) {
      if (model::stop_requested()) break;  // the caller lists what never ran
      run_check(property);
    }
  } catch (const z3::exception& e) {
    throw InternalError(fmt::format("z3: {}", e.msg()));
  }
  return results;
}

CheckResult prove_for_every_size(const model::Model& model, const model::Scope& scope, const SolveOptions& options,
                                 int property) {
  auto start = Clock::now();
  const auto& p = model.properties[property];
  CheckResult result = unknown_check(model, scope, property, "");
  if (p.expect == model::FormulaDecl::Expect::Proved) result.expected = Status::Proved;
  if (p.expect == model::FormulaDecl::Expect::Violated) result.expected = Status::Violated;
  try {
    QueryItem queries(options.queries, p.name);
    UnboundedProver unbounded(model, options);
    auto outcome = unbounded.check(p, UnboundedProver::budget_ms(options.timeout_seconds), &queries);
    using Answer = UnboundedProver::Outcome::Answer;
    if (outcome.answer == Answer::Proved) {
      result.status = Status::Proved;
      result.unbounded = true;
      if (outcome.core) {
        result.core = outcome.core->rules;
        result.proof_core = true;
        result.core_minimal = outcome.core->minimal;
      }
    } else if (outcome.answer == Answer::Violated) {
      CheckResult found = counterexample_beyond(model, scope, options, property, *outcome.instance, result);
      found.expected = result.expected;
      result = std::move(found);
    } else {
      result.unknown_reason = outcome.reason;
    }
  } catch (const encoder::DeadlineExceeded& e) {
    result.unknown_reason = e.what();
  } catch (const z3::exception& e) {
    throw InternalError(fmt::format("z3: {}", e.msg()));
  } catch (const std::exception& e) {
    auto reason = out_of_memory_reason(e);
    if (!reason) throw;
    result = unknown_check(model, scope, property, *reason);
  }
  result.sweep_bound = 0;
  result.time_ms = elapsed_ms(start);
  if (options.progress.check_done) options.progress.check_done();
  return result;
}

std::string z3_version() {
  unsigned major = 0, minor = 0, build = 0, revision = 0;
  Z3_get_version(&major, &minor, &build, &revision);
  return fmt::format("{}.{}.{}", major, minor, build);
}

}  // namespace csp::solver
