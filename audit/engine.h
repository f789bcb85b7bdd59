// The audit's evaluator: model::Evaluator's semantics (docs/language.md;
// model/evaluator.cpp is the reference) on large concrete data, compiled to
// plans (audit/plan.h) over hash indexes:
//   - quantifiers enumerate only the candidate bindings their plan generates;
//   - relations are hash sets, with per-position indexes where a plan looks
//     tuples up; attribute chains a plan compares get a hash index;
//   - tables are hash maps (a lookup is one probe, not a scan of the rows);
//   - each transitive closure (`^r`, `*r`) is computed once, as strongly
//     connected components of its graph, instead of a search per binding.
// Nothing here decides a verdict differently from model::Evaluator: the
// differential test runs both on random instances and compares every
// falsifying binding and every explanation.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "audit/hash.h"
#include "audit/plan.h"
#include "model/ast.h"
#include "model/instance.h"

namespace csp::audit {

/// The facts one evaluation read: entity attributes and relation tuples found.
struct Trace {
  std::vector<std::pair<int, int>> attributes;  // (entity, attribute) read
  std::vector<std::pair<int, model::Tuple>> tuples;  // (relation, tuple) found to hold
  std::size_t limit = 200;                      // stop recording past this many of each
};

/// Bookkeeping of one outermost search: bindings tried, a progress hook, and
/// whether it stopped early because a signal asked the run to stop.
struct SearchControl {
  std::uint64_t candidates = 0;
  std::function<void(std::uint64_t)> progress;  // called every 64Ki candidates; may be empty
  bool interrupted = false;
  /// Only these positions of the first step's scan (a slice of the outer
  /// variable's entities, so one rule's bindings can be shared by threads);
  /// ignored when the first step is not a scan.
  std::size_t scan_begin = 0;
  std::size_t scan_end = static_cast<std::size_t>(-1);
};

/// What an engine prepares for. The audit evaluates rules only, often a few.
struct EngineOptions {
  std::vector<int> rules;   // rule ids to prepare; empty: every rule
  bool properties = true;   // prepare the properties too
  /// Sizes to plan by instead of the instance's: a shard plans as the single
  /// run would, by the whole data's sizes (so every shard, and the merged
  /// report, has the single run's plans).
  const PlanSizes* plan_sizes = nullptr;
};

/// Thread safety: after construction, eval, test and for_each_binding may run
/// on several threads at once for expressions of the model (every plan, index
/// and closure they use is built by the constructor).
class Engine {
 public:
  /// Plans every quantifier of the model's rules, properties and defines and
  /// builds the indexes and closures those need. `instance` must outlive the engine.
  Engine(const model::Model& model, const model::Instance& instance, const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// The value of `expr` with `slots` bound (model::Evaluator::eval's meaning).
  model::Value eval(const model::Expr& expr, std::vector<model::Value>& slots) const;
  bool test(const model::Expr& expr, std::vector<model::Value>& slots) const;

  /// Calls `visit` with `slots` holding each binding of the quantifier's
  /// variables under which its body evaluates to `want` (false: the
  /// counterexamples of a forall), in the plan's order, until `visit`
  /// returns false. Variables bound outside must already be in `slots`.
  /// With `control`, counts the bindings tried and polls model::stop_requested().
  void for_each_binding(const model::Expr& quantifier, bool want, std::vector<model::Value>& slots,
                        const std::function<bool()>& visit, SearchControl* control = nullptr) const;

  /// The entities the first step of `quantifier`'s plan (searching for
  /// counterexamples) scans, or 0 when it does not start with a scan.
  std::size_t outer_scan_size(const model::Expr& quantifier) const;

  /// The plan of a quantifier node of the model, in words.
  std::string plan_text(const model::Expr& quantifier) const;

  /// While set, evaluations on this thread record the facts they read into
  /// `trace` (each thread has its own).
  void set_trace(Trace* trace) const;

  const model::Instance& instance() const { return instance_; }
  const std::vector<int>& entities_of(int kind) const;

  struct Impl;

 private:
  const model::Model& model_;
  const model::Instance& instance_;
  std::unique_ptr<Impl> impl_;
  friend struct Impl;
};

}  // namespace csp::audit
