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
#include <map>
#include <set>

#include <fmt/format.h>
#include <z3++.h>

#include "model/evaluator.h"
#include "model/stop.h"
#include "solver/int_range.h"
#include "model/parallel.h"
#include "solver/query_log.h"
#include "solver/session.h"

namespace csp::solver {
namespace {

using Clock = std::chrono::steady_clock;
using model::DiffSide;

DiffSide other(DiffSide side) { return side == DiffSide::Base ? DiffSide::Proposed : DiffSide::Base; }

// A rule's top-level conjuncts (`forall t: Transaction | ...` and `forall r:
// ResellerRelationship | ...` in one body), each a closed formula of its own:
// two witnesses breaking different clauses of one rule show two ways to break it.
std::vector<model::FormulaDecl> rule_clauses(const model::FormulaDecl& rule) {
  std::vector<const model::Expr*> conjuncts;
  std::vector<const model::Expr*> todo{rule.body.get()};
  while (!todo.empty()) {
    const model::Expr* e = todo.back();
    todo.pop_back();
    if (e->kind != model::ExprKind::And) {
      conjuncts.push_back(e);
      continue;
    }
    for (auto it = e->args.rbegin(); it != e->args.rend(); ++it) todo.push_back(it->get());
  }
  std::vector<model::FormulaDecl> clauses;
  if (conjuncts.size() < 2) return clauses;
  for (std::size_t i = 0; i < conjuncts.size(); ++i) {
    model::FormulaDecl& clause = clauses.emplace_back();
    clause.name = fmt::format("{}#{}", rule.name, i + 1);
    clause.body = conjuncts[i]->clone();
    clause.slot_count = rule.slot_count;
  }
  return clauses;
}

// How much a clause is about an event: the references (entity-valued
// attributes) of the kind its outer `forall` ranges over. A sale
// (Transaction: seller, reseller, customer, support) outweighs a reseller
// relationship (partner, customer), so a witness shows the sale when a rule
// speaks of both.
int event_weight(const model::Model& merged, const model::FormulaDecl& clause) {
  const model::Expr& body = *clause.body;
  if (body.kind != model::ExprKind::Forall || body.bindings.empty()) return 0;
  int kind = body.bindings.front().kind.type.id;
  if (kind < 0 || kind >= static_cast<int>(merged.kinds.size())) return 0;
  int weight = 0;
  for (const auto& attribute : merged.kinds[kind].attributes) {
    weight += attribute.type.type.kind == model::TypeKind::Entity ? 1 : 0;
  }
  return weight;
}

class DifferenceSearch {
 public:
  DifferenceSearch(const model::Model& merged, const model::Scope& scope, DiffSide allowing,
                   const SolveOptions& options)
      : merged_(merged), options_(options), allowing_(allowing), session_(merged, scope, options.ground_limit),
        allow_(side_rules(merged, allowing)), forbid_(side_rules(merged, other(allowing))),
        broken_(session_.context()),
        queries_(options.queries, allowing == DiffSide::Proposed ? "newly_allowed" : "newly_forbidden") {}

  Difference run() {
    start_ = Clock::now();
    Difference result;
    encode_broken_literals();
    session_.flush_axioms();
    session_.add(z3::mk_or(broken_));
    Answer answer = Answer::Unknown;
    std::optional<Witness> first = search({}, "difference", "", answer);
    switch (answer) {
      case Answer::Unsat: result.answer = Difference::Answer::None; break;
      case Answer::Unknown: unknown(result, unknown_reason()); break;
      case Answer::Sat:
        if (!first) {
          unknown(result, failure_);
          break;
        }
        result.answer = Difference::Answer::Found;
        result.witnesses.push_back(prefer_heaviest_clause(std::move(*first)));
        find_more(result);
        break;
    }
    result.time_ms = elapsed_ms(start_);
    if (options_.progress.step) options_.progress.step(fmt::format("{}: done", direction()));
    return result;
  }

 private:
  double budget_ms() const { return options_.timeout_seconds * 1000.0 - elapsed_ms(start_); }

  std::string unknown_reason() const {
    return session_.unknown_reason(options_.timeout_seconds);
  }

  // One named literal per forbidding rule, true iff the rule is violated:
  // a model always gives a constant a value, while a quantified body it may
  // leave unevaluated, and shrinking, the re-check and the search for
  // distinct witnesses count and block these literals.
  void encode_broken_literals() {
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
      broken_.push_back(literal);
      broken_rules_.push_back(r);
    }
  }

  // One search in a frame of its own with `constraints` added: the witness
  // it finds, shrunk and confirmed, or nullopt (`answer` says why; on sat,
  // failure_ says why no witness came of it).
  std::optional<Witness> search(const std::vector<z3::expr>& constraints, const char* purpose,
                                const std::string& detail, Answer& answer) {
    if (options_.progress.step) {
      options_.progress.step(fmt::format("{}: {}", direction(), detail.empty() ? "searching" : detail));
    }
    session_.push();
    for (const auto& c : constraints) session_.add(c);
    session_.flush_axioms();
    double budget = budget_ms();
    if (budget <= 0) {
      session_.pop();
      answer = Answer::Unknown;
      return std::nullopt;
    }
    answer = check_small_first(purpose, detail, budget);
    std::optional<Witness> w;
    if (answer == Answer::Sat) w = witness_of_model();
    session_.pop();
    return w;
  }

  // As the prover does: within small instances first (kSmallInstance,
  // session.h), with at most half the budget; a witness found there is one
  // within the scope.
  Answer check_small_first(const char* purpose, const std::string& detail, double budget) {
    std::vector<z3::expr> small = session_.small_instance_bounds();
    if (!small.empty()) {
      std::string small_detail = detail.empty() ? "small" : detail + " (small)";
      queries_.asking(purpose, small_detail, budget / 2, [&]() { return session_.to_smt2_within(allow_, small); });
      Answer answer = session_.check_within(allow_, small, budget / 2);
      queries_.answered(answer);
      if (answer == Answer::Sat) return answer;
      budget = budget_ms();
    }
    queries_.asking(purpose, detail, budget, [&]() { return session_.to_smt2(allow_); });
    Answer answer = session_.check(allow_, budget);
    queries_.answered(answer);
    return answer;
  }

  static void unknown(Difference& result, std::string reason) {
    result.answer = Difference::Answer::Unknown;
    result.unknown_reason = std::move(reason);
  }

  // A witness is reported only once the evaluator confirms it, so one
  // beyond the evaluator's range (an Int past 64 bits) is no witness.
  std::optional<Witness> witness_of_model() {
    Witness w;
    z3::model best = session_.model();
    if (!session_.fit_in_range(best, budget_ms())) {
      failure_ = session_.reason_unknown();
      return std::nullopt;
    }
    if (options_.minimize) shrink(w, best);
    try {
      decode_and_confirm(w, best);
    } catch (const model::IntOutOfRange& e) {
      failure_ = evaluation_out_of_range(e, options_.sources);
      return std::nullopt;
    }
    return w;
  }

  // Should the shrunk model leave the evaluator's range, the one before
  // shrinking (within it) is shown instead.
  void shrink(Witness& w, z3::model& best) {
    z3::model unshrunk = best;
    {
      auto deadline = start_ + std::chrono::milliseconds(options_.timeout_seconds * 1000);
      Session::Shrinker shrinker(session_, allow_, best, deadline, &queries_);
      w.minimal = shrinker.fewest_entities();
      w.minimal = shrinker.fewest_true(broken_) && w.minimal;
      shrinker.fewest_tuples();
      shrinker.natural_values();
    }
    if (session_.fit_in_range(best, budget_ms())) return;
    best = unshrunk;
    w.minimal = false;
  }

  void decode_and_confirm(Witness& w, const z3::model& best) {
    try {
      w.instance = session_.encoder().decode(best);
    } catch (const std::exception& e) {
      throw InternalError(fmt::format("{}: cannot decode the solver's model: {}", direction(), e.what()));
    }
    int solver_broken = 0;
    for (const auto& b : broken_) solver_broken += best.eval(b, true).is_true() ? 1 : 0;
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
      w.counterparts.push_back(counterpart(r));
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

  // The allowing side's rule of the same name: confirm() has just checked
  // that it holds on the witness.
  int counterpart(int rule) const {
    std::string name = original_name(rule);
    for (int r : allow_) {
      if (original_name(r) == name) return r;
    }
    return -1;
  }

  // ------------------------------------------------ preferences and distinct witnesses

  const std::vector<model::FormulaDecl>& clauses_of(int rule) {
    auto it = clauses_.find(rule);
    if (it == clauses_.end()) it = clauses_.emplace(rule, rule_clauses(merged_.rules[rule])).first;
    return it->second;
  }

  // The clauses of `rule` that `w` breaks, by index.
  std::vector<std::size_t> broken_clauses(const Witness& w, int rule) {
    std::vector<std::size_t> out;
    model::Evaluator evaluator(merged_, w.instance);
    const auto& clauses = clauses_of(rule);
    for (std::size_t i = 0; i < clauses.size(); ++i) {
      if (!evaluator.holds(clauses[i])) out.push_back(i);
    }
    return out;
  }

  // "Clause i of `rule` is broken", for the solver.
  z3::expr clause_broken(int rule, std::size_t i) {
    z3::expr holds = session_.encoder().formula(clauses_of(rule)[i]);
    return !holds;
  }

  // A soft preference: when the rule blamed first has several clauses and the
  // witness breaks none of the heaviest (event_weight), the smallest witness
  // breaking the heaviest is shown instead, when one exists.
  Witness prefer_heaviest_clause(Witness w) {
    int rule = w.blame.front();
    const auto& clauses = clauses_of(rule);
    if (clauses.empty()) return w;
    std::vector<std::size_t> broken = broken_clauses(w, rule);
    int best = 0, broken_best = 0;
    for (std::size_t i = 0; i < clauses.size(); ++i) best = std::max(best, event_weight(merged_, clauses[i]));
    for (std::size_t i : broken) broken_best = std::max(broken_best, event_weight(merged_, clauses[i]));
    if (broken_best >= best) return w;
    for (std::size_t i = 0; i < clauses.size(); ++i) {
      if (event_weight(merged_, clauses[i]) != best) continue;
      Answer answer = Answer::Unknown;
      auto preferred = search({clause_broken(rule, i)}, "difference", fmt::format("clause {}", i + 1), answer);
      if (preferred) return std::move(*preferred);
    }
    return w;
  }

  // Further witnesses, each distinct from those before it: first by the rule
  // that blames it (every rule blamed so far is kept), then by a clause of a
  // blamed rule none broke so far, then by the set of entity kinds it has.
  void find_more(Difference& result) {
    while (result.witnesses.size() < options_.witnesses && !model::stop_requested()) {
      bool undecided = false;
      std::optional<Witness> next = by_rule(result.witnesses, undecided);
      if (!next) next = by_clause(result.witnesses, undecided);
      if (!next) next = by_shape(result.witnesses, undecided);
      if (!next) {
        result.no_more_witnesses = !undecided;
        return;
      }
      result.witnesses.push_back(std::move(*next));
    }
  }

  std::optional<Witness> attempt(const std::vector<z3::expr>& constraints, Witness::Distinct distinct,
                                 std::size_t number, bool& undecided) {
    Answer answer = Answer::Unknown;
    auto w = search(constraints, "difference", fmt::format("witness {} by {}", number, model::distinct_name(distinct)),
                    answer);
    if (answer != Answer::Unsat && !w) undecided = true;
    if (w) w->distinct = distinct;
    return w;
  }

  std::optional<Witness> by_rule(const std::vector<Witness>& found, bool& undecided) {
    std::vector<int> blamed;
    for (const auto& w : found) {
      for (int r : w.blame) {
        if (std::find(blamed.begin(), blamed.end(), r) == blamed.end()) blamed.push_back(r);
      }
    }
    if (blamed.size() >= broken_rules_.size()) return std::nullopt;  // every rule that can break is blamed
    std::vector<z3::expr> kept;
    for (int r : blamed) kept.push_back(!broken_literal(r));
    return attempt(kept, Witness::Distinct::Rule, found.size() + 1, undecided);
  }

  std::optional<Witness> by_clause(const std::vector<Witness>& found, bool& undecided) {
    std::vector<std::pair<int, std::size_t>> seen;  // (rule, clause) broken by a witness so far
    std::vector<int> rules;
    for (const auto& w : found) {
      for (int r : w.blame) {
        if (std::find(rules.begin(), rules.end(), r) == rules.end()) rules.push_back(r);
        for (std::size_t i : broken_clauses(w, r)) seen.emplace_back(r, i);
      }
    }
    for (int r : rules) {
      const auto& clauses = clauses_of(r);
      std::vector<std::size_t> order(clauses.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return event_weight(merged_, clauses[a]) > event_weight(merged_, clauses[b]);
      });
      for (std::size_t i : order) {
        if (std::find(seen.begin(), seen.end(), std::make_pair(r, i)) != seen.end()) continue;
        if (auto w = attempt({clause_broken(r, i)}, Witness::Distinct::Clause, found.size() + 1, undecided)) return w;
      }
    }
    return std::nullopt;
  }

  // Another set of entity kinds than each witness so far has: for each, a
  // kind it lacks is present, or a kind it has is absent.
  std::optional<Witness> by_shape(const std::vector<Witness>& found, bool& undecided) {
    std::vector<z3::expr> constraints;
    for (const auto& w : found) {
      z3::expr_vector differs(session_.context());
      for (std::size_t k = 0; k < merged_.kinds.size(); ++k) {
        bool present = std::any_of(w.instance.entities.begin(), w.instance.entities.end(),
                                   [&](const model::Entity& e) { return e.kind == static_cast<int>(k); });
        z3::expr nonempty = session_.encoder().nonempty(static_cast<int>(k));
        differs.push_back(present ? !nonempty : nonempty);
      }
      constraints.push_back(z3::mk_or(differs));
    }
    return attempt(constraints, Witness::Distinct::Shape, found.size() + 1, undecided);
  }

  z3::expr broken_literal(int rule) {
    for (std::size_t i = 0; i < broken_rules_.size(); ++i) {
      if (broken_rules_[i] == rule) return broken_[static_cast<unsigned>(i)];
    }
    return session_.context().bool_val(false);
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
  z3::expr_vector broken_;         // per forbidding rule that can break: its literal
  std::vector<int> broken_rules_;  // ... and its rule id
  std::map<int, std::vector<model::FormulaDecl>> clauses_;
  std::string failure_;  // why the last sat search gave no witness
  QueryItem queries_;
  Clock::time_point start_;
};

// The ids of the declarations named in `names`, in declaration order.
template <typename Decl>
std::vector<int> selected_ids(const std::vector<Decl>& declarations, const std::set<std::string>& names) {
  std::vector<int> ids;
  for (std::size_t i = 0; i < declarations.size(); ++i) {
    if (names.count(declarations[i].name)) ids.push_back(static_cast<int>(i));
  }
  return ids;
}

// Scenario repairs are presentation, asked for again where a verdict changes;
// diff compares verdicts, so proofs come without their cores. A shard runs
// its share only (prove_selected and check_selected_scenarios give each
// check the result the whole run gives it).
std::vector<CheckResult> run_side(const model::Model& model, const model::Scope& scope, const SolveOptions& options,
                                  const std::optional<DiffShare>& share) {
  SolveOptions properties = options;
  properties.proof_cores = false;
  std::vector<CheckResult> results;
  if (!share) {
    results = prove(model, scope, properties);
  } else if (auto ids = selected_ids(model.properties, share->properties); share->consistency || !ids.empty()) {
    results = prove_selected(model, scope, properties, ids, share->consistency);
  }
  SolveOptions verdicts = options;
  verdicts.repair = false;
  std::vector<CheckResult> scenarios = share ? check_selected_scenarios(model, verdicts,
                                                                        selected_ids(model.scenarios, share->scenarios))
                                             : check_scenarios(model, verdicts);
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
  explain.progress.check_done = nullptr;  // counted the first time too
  model::parallel_for(todo.size(), options.jobs, [&](std::size_t i) {
    auto& [slot, model] = todo[i];
    auto explained = check_scenarios(*model, explain, (*slot)->name);
    if (explained.size() == 1 && explained[0].status == (*slot)->status) *slot = std::move(explained[0]);
  });
}

// What a rule reads, through the defines it calls.
struct Reads {
  std::set<std::pair<int, int>> optional_attributes;  // (kind id, attribute id)
  std::set<int> defines;
};

void collect_reads(const model::Model& m, const model::Expr& e, Reads& reads) {
  if (e.kind == model::ExprKind::Attr && e.kind_id >= 0 && e.id >= 0 &&
      m.kinds[e.kind_id].attributes[e.id].type.type.optional) {
    reads.optional_attributes.emplace(e.kind_id, e.id);
  }
  bool define = e.kind == model::ExprKind::DefineCall || (e.kind == model::ExprKind::Closure && e.closure_of_define);
  if (define && e.id >= 0 && reads.defines.insert(e.id).second && m.defines[e.id].body) {
    collect_reads(m, *m.defines[e.id].body, reads);
  }
  for (const auto& arg : e.args) collect_reads(m, *arg, reads);
}

// The optional attributes the proposed side's changed rules read (added or
// modified rules, and rules calling an added or modified define): those a
// changed verdict may rest on when a scenario leaves them unset.
std::vector<std::pair<int, int>> attributes_of_changed_rules(const model::Model& proposed,
                                                             const std::vector<model::Change>& changes) {
  std::set<std::string> rules, defines;
  for (const auto& c : changes) {
    if (c.action == model::Change::Action::Removed) continue;
    if (c.what == "rule") rules.insert(c.name);
    if (c.what == "define") defines.insert(c.name);
  }
  std::set<std::pair<int, int>> out;
  for (const auto& rule : proposed.rules) {
    if (!rule.body) continue;
    Reads reads;
    collect_reads(proposed, *rule.body, reads);
    bool changed = rules.count(rule.name) > 0 ||
                   std::any_of(reads.defines.begin(), reads.defines.end(),
                               [&](int d) { return defines.count(proposed.defines[d].name) > 0; });
    if (changed) out.insert(reads.optional_attributes.begin(), reads.optional_attributes.end());
  }
  return {out.begin(), out.end()};
}

// The attributes of `candidates` that scenario `id` leaves unset on some
// entity, each with those entities' names.
std::vector<std::pair<std::pair<int, int>, model::UnsetAttribute>> unset_in_scenario(
    const model::Model& m, int id, const std::vector<std::pair<int, int>>& candidates) {
  std::vector<std::pair<std::pair<int, int>, model::UnsetAttribute>> out;
  const auto& scenario = m.scenarios[id];
  for (const auto& [kind, attribute] : candidates) {
    model::UnsetAttribute unset;
    unset.name = fmt::format("{}.{}", m.kinds[kind].name, m.kinds[kind].attributes[attribute].name);
    for (const auto& entity : scenario.entities) {
      bool written = std::any_of(entity.assignments.begin(), entity.assignments.end(),
                                 [&](const auto& a) { return a.attribute_id == attribute; });
      if (entity.kind.type.id == kind && !written) unset.entities.push_back(entity.name);
    }
    if (!unset.entities.empty()) out.push_back({{kind, attribute}, std::move(unset)});
  }
  return out;
}

// A scenario the base forbids and the proposed side allows, only because it
// leaves an attribute the changed rules read unset (typically one the change
// adds): with those attributes `none`, is it forbidden again? Then each alone
// is tried, to name the ones the verdict hinges on.
void find_unset_dependencies(std::vector<CheckPair>& pairs, const model::DiffModels& m,
                             const std::vector<model::Change>& changes, const SolveOptions& options) {
  auto candidates = attributes_of_changed_rules(m.proposed_checks, changes);
  if (candidates.empty()) return;
  std::vector<CheckPair*> todo;
  for (auto& pair : pairs) {
    if (pair.kind == CheckResult::Kind::Scenario && pair.base && pair.proposed &&
        pair.base->status == Status::Forbidden && pair.proposed->status == Status::Allowed) {
      todo.push_back(&pair);
    }
  }
  SolveOptions pinned = options;
  pinned.queries = nullptr;  // a warning, not a verdict: no query to cross-check
  model::parallel_for(todo.size(), options.jobs, [&](std::size_t i) {
    CheckPair& pair = *todo[i];
    int id = m.proposed_checks.find_scenario(pair.name);
    if (id < 0) return;
    auto unset = unset_in_scenario(m.proposed_checks, id, candidates);
    std::vector<std::pair<int, int>> all;
    for (const auto& u : unset) all.push_back(u.first);
    if (all.empty() || scenario_verdict_with_unset_none(m.proposed_checks, id, all, pinned) != Status::Forbidden) {
      return;
    }
    for (const auto& u : unset) {
      if (all.size() == 1 || scenario_verdict_with_unset_none(m.proposed_checks, id, {u.first}, pinned) == Status::Forbidden) {
        pair.depends_on_unset.push_back(u.second);
      }
    }
    // None alone: the verdict rests on them together.
    if (pair.depends_on_unset.empty()) {
      for (const auto& u : unset) pair.depends_on_unset.push_back(u.second);
    }
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

SemanticDiff semantic_diff(const model::Model& merged, const model::Scope& scope, const SolveOptions& options,
                           const std::optional<DiffShare>& share) {
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
  // A direction another shard searches: no answer here, and none missing.
  Difference elsewhere;
  elsewhere.elsewhere = true;
  elsewhere.unknown_reason = "searched by another shard";
  bool allowed = !share || share->newly_allowed, forbidden = !share || share->newly_forbidden;
  diff.newly_allowed = allowed ? search(DiffSide::Proposed) : elsewhere;
  if (!forbidden) {
    diff.newly_forbidden = elsewhere;
  } else if (!model::stop_requested()) {
    diff.newly_forbidden = search(DiffSide::Base);
  }
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
  for (auto& pair : pairs) pair.classify();
  return pairs;
}

namespace {

bool in_share(const model::DiffCheck& check, const std::optional<DiffShare>& share) {
  if (!share) return true;
  switch (check.kind) {
    case CheckResult::Kind::Consistency: return share->consistency;
    case CheckResult::Kind::Property: return share->properties.count(check.name) > 0;
    case CheckResult::Kind::Scenario: return share->scenarios.count(check.name) > 0;
  }
  return false;
}

// An interrupted run: a check that one side never reached is not a change.
// It leaves the pairs and is listed as not run, as is a check neither side
// reached (it has no pair at all), in report order.
void drop_unfinished_pairs(DiffReport& report, const model::DiffModels& models, const std::optional<DiffShare>& share) {
  report.interrupted_by = model::stop_signal();
  std::vector<CheckPair> finished;
  for (auto& pair : report.checks) {
    bool base_missing = !pair.base && pair.declared_only_in != DiffSide::Proposed;
    bool proposed_missing = !pair.proposed && pair.declared_only_in != DiffSide::Base;
    if (!base_missing && !proposed_missing) finished.push_back(std::move(pair));
  }
  for (const auto& check : model::diff_checks(models)) {
    bool done = std::any_of(finished.begin(), finished.end(),
                            [&](const CheckPair& p) { return p.kind == check.kind && p.name == check.name; });
    if (!done && in_share(check, share)) report.not_run.push_back({check.kind, check.name, {}});
  }
  report.checks = std::move(finished);
}

}  // namespace

DiffReport diff(const DiffInputs& in, const SolveOptions& options, const std::optional<DiffShare>& share) {
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
  model::parallel_for(3, options.jobs, [&](std::size_t task) {
    switch (task) {
      case 0: report.semantic = semantic_diff(m.merged, scope, semantic, share); break;
      case 1: base_results = run_side(m.base_checks, in.base_scope, base, share); break;
      default: proposed_results = run_side(m.proposed_checks, in.proposed_scope, proposed, share); break;
    }
  });
  report.checks = pair_results(base_results, proposed_results);
  explain_changed_scenarios(report.checks, m, options);
  find_unset_dependencies(report.checks, m, report.changes, options);
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
  if (model::stop_requested()) drop_unfinished_pairs(report, m, share);
  return report;
}

}  // namespace csp::solver
