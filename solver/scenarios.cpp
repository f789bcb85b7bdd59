// Scenario checks (docs/language.md, Scenarios): the scenario's entities are
// all there are, listed tuples hold and all others do not, listed attributes
// are fixed and the rest are free. Allowed = some completion satisfies every
// rule. Forbidden = none does; then a minimal core (rules, then the facts they
// need) and a repair: the fewest fact changes that make it allowed (MaxSAT).
#include <algorithm>

#include <fmt/format.h>
#include <z3++.h>

#include "encoder/logic.h"
#include "model/evaluator.h"
#include "model/stop.h"
#include "solver/cores.h"
#include "solver/int_range.h"
#include "solver/prover.h"
#include "model/parallel.h"
#include "solver/query_log.h"
#include "solver/session.h"
#include "solver/watchdog.h"

namespace csp::solver {
namespace {

using Clock = std::chrono::steady_clock;
using Fact = encoder::Encoder::ScenarioFact;

model::Scope scenario_scope(const model::Model& model, const model::ScenarioDecl& s) {
  model::Scope scope;
  scope.size.assign(model.kinds.size(), 0);
  for (const auto& e : s.entities) ++scope.size[e.kind.type.id];
  return scope;
}

// A scenario's universe is exactly its few entities, so every quantifier is
// expanded: ground queries are fastest here, and Z3's optimizer (the repair)
// does not support quantified constraints.
// Bounded all the same: a deep nest of quantifiers stays quantified (and the
// repair is then left out) instead of filling memory.
constexpr std::size_t kScenarioGroundLimit = 1u << 16;

class ScenarioCheck {
 public:
  /// `query_item`: the number of its queries in options.queries, reserved
  /// before the threads start.
  ScenarioCheck(const model::Model& model, int id, const SolveOptions& options, int query_item)
      : model_(model), scenario_(model.scenarios[id]), options_(options),
        session_(model, scenario_scope(model, scenario_), kScenarioGroundLimit,
                 Clock::now() + std::chrono::seconds(options.timeout_seconds)),
        queries_(options.queries, query_item, scenario_.name) {
    result_.kind = CheckResult::Kind::Scenario;
    result_.decl_id = id;
    result_.name = scenario_.name;
    result_.range = scenario_.range;
    result_.scope = scenario_scope(model, scenario_);
    using Expect = model::ScenarioDecl::Expect;
    if (scenario_.expect == Expect::Allowed) result_.expected = Status::Allowed;
    if (scenario_.expect == Expect::Forbidden) result_.expected = Status::Forbidden;
    result_.expected_by = scenario_.expect_by;
  }

  CheckResult run() {
    start_ = Clock::now();
    session_.use_incremental();
    for (const auto& c : session_.encoder().scenario_universe(scenario_)) session_.add(c);
    facts_ = session_.encoder().scenario_facts(scenario_);
    for (std::size_t i = 0; i < facts_.size(); ++i) {
      // (assert (=> fact!i constraint_i))  -- facts are assumptions, so cores can name them
      fact_literals_.push_back(session_.context().bool_const(fmt::format("fact!{}", i).c_str()));
      session_.add(z3::implies(fact_literals_.back(), facts_[i].constraint));
    }
    std::vector<z3::expr> assumptions = rule_literals();
    assumptions.insert(assumptions.end(), fact_literals_.begin(), fact_literals_.end());
    double budget = budget_ms();
    queries_.asking("scenario", "", budget, [&]() { return session_.to_smt2(assumptions); });
    Answer answer = session_.check_assuming(assumptions, budget);
    queries_.answered(answer);
    switch (answer) {
      case Answer::Sat: allowed(); break;
      case Answer::Unsat: forbidden(); break;
      case Answer::Unknown: unknown(); break;
    }
    result_.time_ms = elapsed_ms(start_);
    return result_;
  }

 private:
  double budget_ms() const { return options_.timeout_seconds * 1000.0 - elapsed_ms(start_); }

  std::vector<z3::expr> rule_literals() const {
    std::vector<z3::expr> out;
    for (int r : session_.all_rules()) out.push_back(session_.rule_indicator(r));
    return out;
  }

  void unknown() {
    result_.status = Status::Unknown;
    result_.unknown_reason = session_.reason_unknown();
  }

  // Allowed rests on an instance, reported only once the evaluator confirms
  // it: one it cannot compute (an Int beyond 64 bits) leaves the verdict unknown.
  void allowed() {
    z3::model completed = session_.model();
    if (!session_.fit_in_range(completed, budget_ms(), &scenario_)) return unknown();
    model::Instance instance = session_.encoder().decode(completed, &scenario_);
    try {
      confirm_allowed(instance, "the completed scenario");
    } catch (const model::IntOutOfRange& e) {
      result_.status = Status::Unknown;
      result_.unknown_reason = evaluation_out_of_range(e, options_.sources);
      return;
    }
    confirm_matches_facts(instance, {});
    result_.status = Status::Allowed;
    result_.instance = std::move(instance);
  }

  void forbidden() {
    result_.status = Status::Forbidden;
    if (!options_.explain) return;
    std::vector<z3::expr> core = session_.core();
    std::vector<z3::expr> core_rules, core_facts;
    for (const auto& literal : core) {
      (session_.rule_of(literal) >= 0 ? core_rules : core_facts).push_back(literal);
    }
    // Rules first, with every fact assumed; then the facts those rules need.
    auto rules = session_.minimise(core_rules, fact_literals_, budget_ms());
    std::vector<z3::expr> chosen = rules ? *rules : core_rules;
    set_core(chosen);
    result_.core_minimal = rules.has_value();
    if (rules && !has_expected_rules()) {
      if (auto found = search_core_with_expected_rules(chosen)) {
        chosen = *found;
        set_core(chosen);
        core_facts = fact_literals_;  // the first core's facts are for its own rules
      }
    }
    check_expected_rules();
    if (options_.all_cores) list_cores(rules, chosen);
    confirm_concrete_forbidden();
    if (!options_.repair) return;
    std::optional<std::vector<z3::expr>> facts;
    if (rules) facts = session_.minimise(core_facts, chosen, budget_ms());
    result_.minimal = rules && facts;
    for (const auto& literal : facts ? *facts : core_facts) result_.core_facts.push_back(fact_text(literal));
    repair();
  }

  void set_core(const std::vector<z3::expr>& rule_literals) {
    result_.core.clear();
    for (const auto& literal : rule_literals) result_.core.push_back(session_.rule_of(literal));
    std::sort(result_.core.begin(), result_.core.end());
  }

  // The rules `expect forbidden by X` names by X: the rule called X, or
  // every rule citing catalogue id X.
  std::vector<int> rules_named(const std::string& name) const {
    std::vector<int> out;
    for (std::size_t r = 0; r < model_.rules.size(); ++r) {
      if (model_.rules[r].name == name || model_.rules[r].source == name) out.push_back(static_cast<int>(r));
    }
    return out;
  }

  bool has_expected_rules() const {
    return std::all_of(scenario_.expect_by.begin(), scenario_.expect_by.end(), [&](const std::string& name) {
      std::vector<int> named = rules_named(name);
      return std::any_of(named.begin(), named.end(), [&](int r) {
        return std::find(result_.core.begin(), result_.core.end(), r) != result_.core.end();
      });
    });
  }

  // `expect forbidden by X` holds when X is in some minimal core, not only
  // in the first one found: MARCO restricted to cores with every X, within
  // half the time left.
  std::optional<std::vector<z3::expr>> search_core_with_expected_rules(const std::vector<z3::expr>& first) {
    CoreSearch search;
    search.first_core = result_.core;
    CoreExplorer explorer(session_, rule_literals(), fact_literals_);
    explorer.known(first);
    std::vector<std::vector<z3::expr>> groups;
    for (const auto& name : scenario_.expect_by) {
      std::vector<z3::expr> group;
      for (int r : rules_named(name)) group.push_back(session_.rule_indicator(r));
      groups.push_back(std::move(group));
    }
    explorer.require(groups);
    auto found = explorer.next(half_the_time_left());
    search.found = found.has_value();
    search.complete = explorer.complete();
    if (!found && !explorer.complete()) search.stopped = explorer.reason();
    result_.core_search = std::move(search);
    return found;
  }

  // --all-cores: the cores found so far first, the reported one leading,
  // then MARCO's until none is left, --max-cores are listed and one more is
  // found, or the time given runs out.
  void list_cores(const std::optional<std::vector<z3::expr>>& first, const std::vector<z3::expr>& chosen) {
    CoreList list;
    if (!first) {
      list.incomplete_reason = "the first core could not be minimised: " + session_.reason_unknown();
      result_.all_cores = std::move(list);
      return;
    }
    CoreExplorer explorer(session_, rule_literals(), fact_literals_);
    explorer.known(chosen);
    explorer.known(*first);
    list.cores.push_back(result_.core);
    if (result_.core_search && result_.core_search->found) list.cores.push_back(result_.core_search->first_core);
    auto deadline = half_the_time_left();
    while (list.cores.size() <= options_.max_cores) {
      auto core = explorer.next(deadline);
      if (!core) break;
      std::vector<int> ids;
      for (const auto& literal : *core) ids.push_back(session_.rule_of(literal));
      std::sort(ids.begin(), ids.end());
      list.cores.push_back(std::move(ids));
    }
    if (list.cores.size() > options_.max_cores) {
      list.cores.resize(options_.max_cores);
      list.incomplete_reason = fmt::format("there are more than --max-cores {}", options_.max_cores);
    } else {
      list.complete = explorer.complete();
      if (!list.complete) list.incomplete_reason = explorer.reason();
    }
    result_.all_cores = std::move(list);
  }

  Clock::time_point half_the_time_left() const {
    return Clock::now() + std::chrono::microseconds(static_cast<long long>(std::max(budget_ms(), 0.0) * 500));
  }

  std::string fact_text(const z3::expr& literal) const {
    for (std::size_t i = 0; i < fact_literals_.size(); ++i) {
      if (z3::eq(literal, fact_literals_[i])) return facts_[i].description;
    }
    return literal.to_string();
  }

  // `expect forbidden by X`: every X (a rule name or catalogue id) is in the core.
  void check_expected_rules() {
    if (!has_expected_rules()) result_.by_matches = false;
  }

  // When every attribute is written down, the scenario is one concrete
  // instance, and the evaluator must find a rule it breaks.
  void confirm_concrete_forbidden() {
    for (const auto& e : scenario_.entities) {
      if (e.assignments.size() != model_.kinds[e.kind.type.id].attributes.size()) return;
    }
    session_.push();
    Answer answer = session_.check_assuming(fact_literals_, budget_ms());
    if (answer == Answer::Sat) {
      model::Instance instance = session_.encoder().decode(session_.model(), &scenario_);
      if (evaluator_finds_no_violation(instance)) {
        throw InternalError(fmt::format("scenario `{}`: the solver says forbidden, but the evaluator finds every rule "
                                        "satisfied", scenario_.name));
      }
    }
    session_.pop();
  }

  // Forbidden is a proof over every integer, so a rule the evaluator cannot
  // compute in 64 bits leaves the verdict standing, only unconfirmed.
  bool evaluator_finds_no_violation(const model::Instance& instance) const {
    try {
      return model::Evaluator(model_, instance).violated_rules().empty();
    } catch (const model::IntOutOfRange&) {
      return false;
    }
  }

  // MaxSAT: keep as many facts as possible (every fact weighs 1), then move
  // changed numbers as little as possible; rules and the universe are hard.
  void repair() {
    z3::expr_vector hard = session_.assertions();
    for (const auto& a : hard) {
      if (encoder::contains_quantifier(a)) {
        result_.repair_missing = "the rules are too large to expand for a repair search";
        return;
      }
    }
    z3::context& ctx = session_.context();
    z3::optimize opt(ctx);
    opt.set(query_params(ctx, budget_ms()));
    for (const auto& a : hard) opt.add(a);
    for (const auto& r : rule_literals()) opt.add(r);
    opt.add(session_.encoder().value_bounds(kInstanceIntBound, &scenario_));
    z3::expr_vector distances(ctx);
    bool fixed_facts = false;
    for (const auto& f : facts_) {
      if (is_fixed(f)) {
        opt.add(f.constraint);  // a fact of the world (`fixed`): no repair changes it
        fixed_facts = true;
        continue;
      }
      opt.add_soft(f.constraint, 1);
      if (f.distance) distances.push_back(*f.distance);
    }
    if (!distances.empty()) opt.minimize(z3::sum(distances));
    auto solve_start = Clock::now();
    Watchdog watchdog(ctx, budget_ms());
    z3::check_result answer = opt.check();
    watchdog.finish();
    record_query(elapsed_ms(solve_start));
    if (answer != z3::sat) {
      // unsat: even with every stated fact free to change, the rules still
      // forbid the scenario's entities as declared (a repair never adds one).
      result_.repair_missing =
          answer != z3::unsat ? "none found within the time budget"
          : fixed_facts       ? "no change to the scenario's stated facts that are not `fixed` makes it allowed"
                              : "no change to the scenario's stated facts alone makes it allowed";
      return;
    }
    z3::model m = opt.get_model();
    std::vector<std::size_t> changed;
    for (std::size_t i = 0; i < facts_.size(); ++i) {
      if (!m.eval(facts_[i].constraint, true).is_true()) changed.push_back(i);
    }
    std::optional<model::Instance> repaired = confirmed_repair(m, changed);
    if (!repaired) {
      result_.repair_missing = "the repair found could not be confirmed by the evaluator (a value beyond 64 bits)";
      return;
    }
    for (std::size_t i : changed) result_.repair.push_back({describe_change(facts_[i], *repaired)});
    result_.repair_violates = violated_properties(*repaired);
  }

  bool is_fixed(const Fact& f) const {
    if (f.is_relation) return false;
    const auto& entity = scenario_.entities[f.entity];
    return model_.kinds[entity.kind.type.id].attributes[f.attribute].fixed;
  }

  // The repaired scenario against every property, by the evaluator: a repair
  // that lands in a known gap, or breaks a property, must say so.
  std::vector<int> violated_properties(const model::Instance& repaired) const {
    std::vector<int> violated;
    model::Evaluator evaluator(model_, repaired);
    for (std::size_t p = 0; p < model_.properties.size(); ++p) {
      try {
        if (!evaluator.holds(model_.properties[p])) violated.push_back(static_cast<int>(p));
      } catch (const model::IntOutOfRange&) {
      }
    }
    return violated;
  }

  // The repaired instance, confirmed by the evaluator. A repair that needs a
  // value the evaluator cannot compute in 64 bits is left out, as one the
  // optimizer does not find in time is: the verdict does not depend on it.
  std::optional<model::Instance> confirmed_repair(const z3::model& m, const std::vector<std::size_t>& changed) {
    try {
      model::Instance repaired = session_.encoder().decode(m, &scenario_);
      confirm_allowed(repaired, "the repaired scenario");
      confirm_matches_facts(repaired, changed);
      return repaired;
    } catch (const encoder::ValueOutOfRange&) {
    } catch (const model::IntOutOfRange&) {
    }
    return std::nullopt;
  }

  std::string describe_change(const Fact& f, const model::Instance& repaired) const {
    if (f.is_relation) return fmt::format("{} {}", f.listed ? "remove" : "add", f.tuple_text);
    const auto& entity = scenario_.entities[f.entity];
    const auto& attr = model_.kinds[entity.kind.type.id].attributes[f.attribute];
    int index = repaired.find(entity.name);
    const model::Value& now = repaired.entities[index].attributes[f.attribute];
    std::string was = f.description.substr(f.description.find(" = ") + 3);
    return fmt::format("set {}.{} to {} (was {})", entity.name, attr.name,
                       model::format_value(model_, repaired, now), was);
  }

  void confirm_allowed(const model::Instance& instance, const char* what) const {
    model::Evaluator evaluator(model_, instance);
    std::string why;
    if (!evaluator.well_formed(&why)) {
      throw InternalError(fmt::format("scenario `{}`: {} is not well formed: {}", scenario_.name, what, why));
    }
    auto violated = evaluator.violated_rules();
    if (!violated.empty()) {
      throw InternalError(fmt::format("scenario `{}`: {} violates rule `{}` according to the evaluator",
                                      scenario_.name, what, model_.rules[violated.front()].name));
    }
  }

  // The decoded instance must say what the scenario says, except where a
  // repair changed a fact: written attributes and exactly the listed tuples.
  void confirm_matches_facts(const model::Instance& instance, const std::vector<std::size_t>& changed) const {
    for (std::size_t i = 0; i < facts_.size(); ++i) {
      if (std::find(changed.begin(), changed.end(), i) != changed.end()) continue;
      const Fact& f = facts_[i];
      bool ok = true;
      if (f.is_relation) {
        ok = tuple_listed_in(instance, f.tuple_text) == f.listed;
      } else {
        const auto& entity = scenario_.entities[f.entity];
        int index = instance.find(entity.name);
        ok = index >= 0 && instance.entities[index].attributes[f.attribute] == written_value(instance, f);
      }
      if (!ok) {
        throw InternalError(fmt::format("scenario `{}`: the decoded instance does not keep the fact `{}`",
                                        scenario_.name, f.description));
      }
    }
  }

  // The value a scenario writes for an attribute fact, in `instance`'s terms.
  model::Value written_value(const model::Instance& instance, const Fact& f) const {
    const auto& entity = scenario_.entities[f.entity];
    for (const auto& assign : entity.assignments) {
      if (assign.attribute_id != f.attribute) continue;
      const model::Expr& v = *assign.value;
      switch (v.kind) {
        case model::ExprKind::BoolLit: return model::Value::boolean(v.value != 0);
        case model::ExprKind::IntLit: return model::Value::integer(v.value);
        case model::ExprKind::DateLit: return model::Value::date(v.value);
        case model::ExprKind::EnumValue: return model::Value::enum_value(v.id, v.value);
        case model::ExprKind::EntityName: {
          const auto& target = scenario_.entities[v.id];
          return model::Value::entity(target.kind.type.id, instance.find(target.name));
        }
        default: return model::Value::none();
      }
    }
    return model::Value::none();
  }

  bool tuple_listed_in(const model::Instance& instance, const std::string& tuple_text) const {
    for (std::size_t r = 0; r < model_.relations.size(); ++r) {
      for (const auto& tuple : instance.relations[r]) {
        std::vector<std::string> names;
        for (const auto& v : tuple) names.push_back(model::format_value(model_, instance, v));
        if (fmt::format("{}({})", model_.relations[r].name, fmt::join(names, ", ")) == tuple_text) return true;
      }
    }
    return false;
  }

  const model::Model& model_;
  const model::ScenarioDecl& scenario_;
  SolveOptions options_;
  Session session_;
  QueryItem queries_;
  CheckResult result_;
  std::vector<Fact> facts_;
  std::vector<z3::expr> fact_literals_;
  Clock::time_point start_;
};

CheckResult unknown_scenario(const model::Model& model, int id, const std::string& reason) {
  CheckResult r;
  r.kind = CheckResult::Kind::Scenario;
  r.decl_id = id;
  r.name = model.scenarios[id].name;
  r.range = model.scenarios[id].range;
  r.scope = scenario_scope(model, model.scenarios[id]);
  r.status = Status::Unknown;
  r.unknown_reason = reason;
  return r;
}

}  // namespace

Status scenario_verdict_with_unset_none(const model::Model& model, int id,
                                        const std::vector<std::pair<int, int>>& attributes,
                                        const SolveOptions& options) {
  const model::ScenarioDecl& scenario = model.scenarios[id];
  try {
    Session session(model, scenario_scope(model, scenario), kScenarioGroundLimit,
                    Clock::now() + std::chrono::seconds(options.timeout_seconds));
    encoder::Encoder& encoder = session.encoder();
    for (const auto& c : encoder.scenario_universe(scenario)) session.add(c);
    for (const auto& fact : encoder.scenario_facts(scenario)) session.add(fact.constraint);
    for (std::size_t e = 0; e < scenario.entities.size(); ++e) {
      const auto& entity = scenario.entities[e];
      for (const auto& [kind, attribute] : attributes) {
        if (entity.kind.type.id != kind) continue;
        bool written = std::any_of(entity.assignments.begin(), entity.assignments.end(),
                                   [&](const auto& a) { return a.attribute_id == attribute; });
        if (!written) session.add(encoder.scenario_attribute_none(scenario, e, attribute));
      }
    }
    session.flush_axioms();
    switch (session.check(session.all_rules(), options.timeout_seconds * 1000.0)) {
      case Answer::Sat: return Status::Allowed;
      case Answer::Unsat: return Status::Forbidden;
      case Answer::Unknown: return Status::Unknown;
    }
  } catch (const encoder::DeadlineExceeded&) {
    return Status::Unknown;
  }
  return Status::Unknown;
}

std::vector<CheckResult> check_scenarios(const model::Model& model, const SolveOptions& options,
                                         const std::optional<std::string>& only) {
  std::vector<int> selected;
  for (std::size_t i = 0; i < model.scenarios.size(); ++i) {
    if (!only || model.scenarios[i].name == *only) selected.push_back(static_cast<int>(i));
  }
  return check_selected_scenarios(model, options, selected);
}

std::vector<CheckResult> check_selected_scenarios(const model::Model& model, const SolveOptions& options,
                                                  const std::vector<int>& selected) {
  std::vector<std::optional<CheckResult>> results(selected.size());
  // Scenarios are independent, each with its own Session (Z3 context), so
  // they share out over threads; results stay in spec order.
  // Their queries are numbered here, in spec order, not as the threads finish.
  int first_item = options.queries ? options.queries->reserve(static_cast<int>(selected.size())) : 0;
  model::parallel_for(selected.size(), options.jobs, [&](std::size_t i) {
    if (model::stop_requested()) return;  // never started: the caller lists it as not run
    try {
      results[i] = ScenarioCheck(model, selected[i], options, first_item + static_cast<int>(i)).run();
    } catch (const encoder::DeadlineExceeded& e) {
      results[i] = unknown_scenario(model, selected[i], e.what());
    } catch (const std::exception& e) {
      // Out of memory is this scenario's unknown; the others go on.
      if (auto reason = out_of_memory_reason(e)) {
        results[i] = unknown_scenario(model, selected[i], *reason);
      } else if (auto* z3_error = dynamic_cast<const z3::exception*>(&e)) {
        throw InternalError(fmt::format("z3: {}", z3_error->msg()));
      } else {
        throw;
      }
    }
    if (options.progress.check_done) options.progress.check_done();
  });
  std::vector<CheckResult> done;
  for (auto& r : results) {
    if (r) done.push_back(std::move(*r));
  }
  return done;
}

}  // namespace csp::solver
