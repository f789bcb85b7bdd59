// Rules on data: the engine finds each rule's falsifying bindings; each is
// explained by model::explain_false (the words prove uses for
// counterexamples) and re-evaluated once with a trace to name its facts.
#include "audit/evaluate.h"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <optional>
#include <chrono>
#include <set>

#include "model/evaluator.h"
#include "model/parallel.h"
#include "model/stop.h"

namespace csp::audit {

using model::Expr;
using model::ExprKind;
using model::Value;

namespace {

constexpr std::size_t kMaxFacts = 24;

bool is_outer_forall(const Expr& formula) { return formula.kind == ExprKind::Forall && !formula.args.empty(); }

// One formula of one rule, or a slice of its outer scan: rules over a
// million subscriptions are cut into slices so that the threads share their
// bindings, not just the rules (one long rule otherwise kept one thread
// busy alone at the end).
struct Task {
  int rule = -1;
  int formula = 0;
  std::size_t scan_begin = 0;
  std::size_t scan_end = static_cast<std::size_t>(-1);
};

// What a task found: the falsifying bindings, unsorted.
struct TaskResult {
  bool ran = false;
  bool interrupted = false;
  std::uint64_t candidates = 0;
  std::vector<std::vector<int>> found;  // a closed formula that fails: one empty binding
  std::optional<model::IntOutOfRange> unknown;
  double ms = 0;
};

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

class RuleEvaluator {
 public:
  RuleEvaluator(const model::Model& model, const DataSet& data, const Engine& engine, const EvaluateOptions& options)
      : model_(model), data_(data), engine_(engine), options_(options) {}

  void search(const Task& task, TaskResult& result) {
    auto start = std::chrono::steady_clock::now();
    result.ran = true;
    const Expr& formula = *formulas_of(model_.rules[task.rule])[task.formula];
    std::vector<Value> slots(std::max(model_.rules[task.rule].slot_count, 0));
    try {
      if (!is_outer_forall(formula)) {
        result.candidates = 1;
        if (!engine_.test(formula, slots)) result.found.emplace_back();
      } else {
        find_bindings(task, formula, slots, result);
      }
    } catch (const model::IntOutOfRange& e) {
      result.unknown = e;
    }
    result.ms = ms_since(start);
  }

  // The rule's outcome and violations from its tasks' results (by formula,
  // each formula's slices in scan order), as one pass over the rule gives.
  void finish(int rule, const std::vector<std::vector<const TaskResult*>>& formulas, RuleOutcome& outcome,
              std::vector<Violation>& out) {
    auto start = std::chrono::steady_clock::now();
    double searched_ms = 0;
    for (const auto& slices : formulas) {
      for (const TaskResult* r : slices) searched_ms += r->ms;
    }
    if (std::none_of(formulas.begin(), formulas.end(), [](const auto& slices) {
          return std::any_of(slices.begin(), slices.end(), [](const TaskResult* r) { return r->ran; });
        })) {
      return;  // never reached: an interrupt came first
    }
    outcome.evaluated = true;
    std::vector<const Expr*> formula_exprs = formulas_of(model_.rules[rule]);
    bool finished = true;
    try {
      for (std::size_t f = 0; f < formula_exprs.size() && finished; ++f) {
        const Expr& formula = *formula_exprs[f];
        outcome.plans.push_back(is_outer_forall(formula) ? engine_.plan_text(formula) : "evaluated once");
        finished = finish_formula(rule, static_cast<int>(f), formula, formulas[f], outcome, out);
      }
    } catch (const model::IntOutOfRange& e) {
      // As prove does: a value the evaluator cannot compute makes the check unknown, never a verdict.
      out.clear();
      outcome.violations = outcome.listed = 0;
      outcome.unknown_reason = e.what();
      outcome.unknown_at = e.where();
      finished = false;
    }
    outcome.complete = finished;
    outcome.ms = searched_ms + ms_since(start);
  }

 private:
  void find_bindings(const Task& task, const Expr& formula, std::vector<Value>& slots, TaskResult& result) {
    SearchControl control;
    control.scan_begin = task.scan_begin;
    control.scan_end = task.scan_end;
    if (options_.progress) {
      int rule = task.rule;
      control.progress = [&, rule](std::uint64_t n) { options_.progress(rule, model_.rules.size(), n); };
    }
    engine_.for_each_binding(formula, false, slots, [&] {
      std::vector<int> entities;
      entities.reserve(formula.bindings.size());
      for (const auto& b : formula.bindings) entities.push_back(static_cast<int>(slots[b.slot].v));
      result.found.push_back(std::move(entities));
      return true;
    }, &control);
    result.candidates = control.candidates;
    result.interrupted = control.interrupted;
  }

  // False when the formula was not searched whole (an interrupt).
  bool finish_formula(int rule, int index, const Expr& formula, const std::vector<const TaskResult*>& slices,
                      RuleOutcome& outcome, std::vector<Violation>& out) {
    bool whole = true;
    std::vector<std::vector<int>> found;
    for (const TaskResult* r : slices) {
      if (r->unknown) throw *r->unknown;  // the first slice that met it, in scan order
      whole = whole && r->ran && !r->interrupted;
      outcome.candidates += r->candidates;
      found.insert(found.end(), r->found.begin(), r->found.end());
    }
    std::vector<Value> slots(std::max(model_.rules[rule].slot_count, 0));
    if (!is_outer_forall(formula)) {
      outcome.violations += found.size();
      if (!found.empty() && keep(outcome)) out.push_back(violation(rule, index, formula, {}, slots));
      return whole;
    }
    // The plain evaluator's order: nested loops over the bindings in entity order.
    std::sort(found.begin(), found.end());
    outcome.violations += found.size();
    for (const auto& entities : found) {
      if (!keep(outcome)) break;
      for (std::size_t i = 0; i < entities.size(); ++i) {
        const auto& b = formula.bindings[i];
        slots[b.slot] = Value::entity(b.kind.type.id, entities[i]);
      }
      out.push_back(violation(rule, index, *formula.args[0], formula.bindings, slots));
    }
    return whole;
  }

  bool keep(RuleOutcome& outcome) const {
    if (options_.max_violations_per_rule != 0 && outcome.listed >= options_.max_violations_per_rule) return false;
    ++outcome.listed;
    return true;
  }

  Violation violation(int rule, int index, const Expr& body, const std::vector<model::Binding>& bindings,
                      std::vector<Value>& slots) {
    Violation v;
    v.rule = rule;
    v.formula = index;
    for (const auto& b : bindings) v.bindings.push_back({b.name, static_cast<int>(slots[b.slot].v)});
    model::EvalFunction eval = [this](const Expr& e, std::vector<Value>& s) { return engine_.eval(e, s); };
    v.explanation = model::explain_false(model_, data_.instance, body, slots, eval);
    // A message reads the variables of the rule's outermost forall: those of a single-formula body.
    const model::FormulaDecl& decl = model_.rules[rule];
    if (decl.message && decl.body->kind == model::ExprKind::Forall) {
      v.message = model::render_message(model_, data_.instance, decl, slots, eval);
    }
    engine_.set_trace(&v.trace);
    engine_.test(body, slots);
    engine_.set_trace(nullptr);
    collect_facts(v);
    return v;
  }

  // The bound entities' records, then the records of what the evaluation read.
  void collect_facts(Violation& v) const {
    std::set<std::pair<int, std::uint32_t>> seen;
    auto add = [&](Fact fact) {
      if (!fact.origin.valid() || !seen.insert({fact.origin.file, fact.origin.begin}).second) return;
      if (v.facts.size() >= kMaxFacts) {
        ++v.facts_omitted;
        return;
      }
      v.facts.push_back(std::move(fact));
    };
    for (const auto& b : v.bindings) add(entity_fact(b.entity, -1));
    for (const auto& [entity, attribute] : v.trace.attributes) add(entity_fact(entity, attribute));
    for (const auto& [relation, tuple] : v.trace.tuples) {
      Fact fact;
      fact.relation = relation;
      fact.tuple = tuple;
      if (static_cast<std::size_t>(relation) < data_.tuple_origin.size()) {
        auto it = data_.tuple_origin[relation].find(tuple);
        if (it != data_.tuple_origin[relation].end()) fact.origin = it->second;
      }
      add(std::move(fact));
    }
  }

  Fact entity_fact(int entity, int attribute) const {
    Fact fact;
    fact.entity = entity;
    if (attribute >= 0) {
      auto key = (static_cast<std::uint64_t>(entity) << 16) | static_cast<std::uint64_t>(attribute);
      auto it = data_.joined_origin.find(key);
      if (it != data_.joined_origin.end()) {
        fact.attribute = attribute;
        fact.origin = it->second;
        return fact;
      }
    }
    if (entity >= 0 && static_cast<std::size_t>(entity) < data_.entity_origin.size()) {
      fact.origin = data_.entity_origin[entity];
    }
    return fact;
  }

  const model::Model& model_;
  const DataSet& data_;
  const Engine& engine_;
  const EvaluateOptions& options_;
};

}  // namespace

std::vector<const Expr*> formulas_of(const model::FormulaDecl& rule) {
  std::vector<const Expr*> out;
  if (!rule.body) return out;
  if (rule.body->kind == ExprKind::And) {
    for (const auto& arg : rule.body->args) out.push_back(arg.get());
  } else {
    out.push_back(rule.body.get());
  }
  return out;
}

std::vector<int> select_rules(const model::Model& model, const std::vector<std::string>& names,
                              std::vector<std::string>& unknown) {
  std::vector<int> selected;
  for (const std::string& name : names) {
    bool any = false;
    for (std::size_t r = 0; r < model.rules.size(); ++r) {
      if (model.rules[r].name != name && model.rules[r].source != name) continue;
      any = true;
      if (std::find(selected.begin(), selected.end(), static_cast<int>(r)) == selected.end()) {
        selected.push_back(static_cast<int>(r));
      }
    }
    if (!any) unknown.push_back(name);
  }
  std::sort(selected.begin(), selected.end());
  return selected;
}

namespace {

// Each selected rule's formulas, the large scans cut in slices.
std::vector<Task> make_tasks(const model::Model& model, const Engine& engine, const std::vector<int>& selected,
                             std::size_t slice) {
  slice = std::max<std::size_t>(slice, 1);
  std::vector<Task> tasks;
  for (int rule : selected) {
    std::vector<const Expr*> formulas = formulas_of(model.rules[rule]);
    for (std::size_t f = 0; f < formulas.size(); ++f) {
      std::size_t scan = is_outer_forall(*formulas[f]) ? engine.outer_scan_size(*formulas[f]) : 0;
      if (scan <= slice) {
        tasks.push_back({rule, static_cast<int>(f)});
        continue;
      }
      for (std::size_t begin = 0; begin < scan; begin += slice) {
        tasks.push_back({rule, static_cast<int>(f), begin, std::min(scan, begin + slice)});
      }
    }
  }
  return tasks;
}

}  // namespace

// Rules are independent, and so are the slices of one rule's scan: worker
// threads take the tasks one at a time, each rule's bindings are sorted and
// its violations kept apart, so the result is in rule order whatever the
// threads did.
AuditResult evaluate_rules(const model::Model& model, const DataSet& data, const EvaluateOptions& options) {
  AuditResult result;
  result.rules.resize(model.rules.size());
  for (std::size_t r = 0; r < model.rules.size(); ++r) result.rules[r].rule = static_cast<int>(r);
  std::vector<std::string> unknown;
  std::vector<int> selected = select_rules(model, options.rules, unknown);
  if (options.rules.empty()) {
    for (std::size_t r = 0; r < model.rules.size(); ++r) selected.push_back(static_cast<int>(r));
  }
  for (int rule : selected) result.rules[rule].selected = true;
  EngineOptions prepare;
  prepare.rules = selected;
  prepare.properties = false;
  PlanSizes whole;  // a shard plans by the whole data's sizes, as the single run does
  if (!data.other_shard_entities.empty()) {
    auto counts = model::count_by_kind(model, data.instance);
    for (std::size_t k = 0; k < model.kinds.size(); ++k) {
      whole.kind_sizes.push_back(static_cast<std::size_t>(counts[k]) + data.other_shard_entities[k]);
    }
    for (std::size_t r = 0; r < model.relations.size(); ++r) {
      std::size_t local = r < data.instance.relations.size() ? data.instance.relations[r].size() : 0;
      whole.relation_sizes.push_back(local + (r < data.other_shard_tuples.size() ? data.other_shard_tuples[r] : 0));
    }
    prepare.plan_sizes = &whole;
  }
  PhaseClock clock;
  Engine engine(model, data.instance, prepare);
  clock.mark("prepare indexes", result.phases);

  std::mutex progress_mutex;
  EvaluateOptions worker_options = options;
  if (options.progress) {
    worker_options.progress = [&](std::size_t rule, std::size_t rules, std::uint64_t bindings) {
      std::lock_guard lock(progress_mutex);
      options.progress(rule, rules, bindings);
    };
  }
  std::vector<Task> tasks = make_tasks(model, engine, selected, options.slice_bindings);
  std::vector<TaskResult> results(tasks.size());
  std::vector<std::vector<Violation>> by_rule(model.rules.size());
  std::vector<std::vector<std::vector<const TaskResult*>>> by_formula(model.rules.size());
  for (int rule : selected) by_formula[rule].resize(formulas_of(model.rules[rule]).size());
  for (std::size_t t = 0; t < tasks.size(); ++t) by_formula[tasks[t].rule][tasks[t].formula].push_back(&results[t]);

  // First every task's search, then every rule's violations (explanations
  // and facts), each step shared by the threads. After an interrupt the
  // searches not started are skipped, but what was found is still explained.
  model::parallel_for(tasks.size(), options.jobs, [&](std::size_t t) {
    if (model::stop_requested()) return;
    if (worker_options.progress) worker_options.progress(static_cast<std::size_t>(tasks[t].rule), model.rules.size(), 0);
    RuleEvaluator(model, data, engine, worker_options).search(tasks[t], results[t]);
  });
  clock.mark("search rules", result.phases);
  model::parallel_for(selected.size(), options.jobs, [&](std::size_t i) {
    int rule = selected[i];
    RuleEvaluator(model, data, engine, worker_options).finish(rule, by_formula[rule], result.rules[rule], by_rule[rule]);
  });
  clock.mark("explain violations", result.phases);

  for (auto& violations : by_rule) {
    std::move(violations.begin(), violations.end(), std::back_inserter(result.violations));
  }
  if (model::stop_requested()) result.interrupted_by = model::stop_signal();
  return result;
}

std::vector<std::vector<int>> falsifying_bindings(const model::Model& model, const Engine& engine, int rule) {
  std::vector<std::vector<int>> out;
  int index = 0;
  for (const Expr* formula : formulas_of(model.rules[rule])) {
    std::vector<Value> slots(std::max(model.rules[rule].slot_count, 0));
    if (!is_outer_forall(*formula)) {
      if (!engine.test(*formula, slots)) out.push_back({index});
    } else {
      std::vector<std::vector<int>> found;
      engine.for_each_binding(*formula, false, slots, [&] {
        std::vector<int> entities{index};
        for (const auto& b : formula->bindings) entities.push_back(static_cast<int>(slots[b.slot].v));
        found.push_back(std::move(entities));
        return true;
      });
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    }
    ++index;
  }
  return out;
}

}  // namespace csp::audit
