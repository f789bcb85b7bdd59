#include "cli/sweep.h"

#include <map>
#include <optional>

#include "model/stop.h"

namespace csp::cli {

namespace {

using model::CheckResult;

model::Scope step_scope(const model::Model& model, const model::ScopeOverrides& overrides, int bound) {
  model::ScopeOverrides step = overrides;
  step.sweep.clear();
  step.all = bound;
  std::string error;
  // The kind names were checked when the run resolved its scope.
  return *model::resolve_scope(model, step, &error);
}

}  // namespace

std::vector<SweepItem> sweep_items(const model::Model& model, const std::vector<int>& bounds, bool for_every_size,
                                   const std::string& only) {
  std::vector<SweepItem> items;
  for (int bound : bounds) {
    items.push_back({CheckResult::Kind::Consistency, -1, bound, model::work_item_id("consistency", "", bound)});
  }
  for (std::size_t i = 0; i < model.properties.size(); ++i) {
    const std::string& name = model.properties[i].name;
    if (!only.empty() && name != only) continue;
    int id = static_cast<int>(i);
    for (int bound : bounds) {
      items.push_back({CheckResult::Kind::Property, id, bound, model::work_item_id("property", name, bound)});
    }
    if (for_every_size) items.push_back({CheckResult::Kind::Property, id, 0, model::work_item_id("property", name)});
  }
  return items;
}

std::vector<CheckResult> run_sweep(const model::Model& model, const model::ScopeOverrides& overrides,
                                   const solver::SolveOptions& options, const std::vector<SweepItem>& items,
                                   const std::function<bool(const std::string&)>& owns,
                                   std::vector<model::NotRun>* not_run) {
  std::map<std::string, CheckResult> done;
  solver::SolveOptions bounded = options;
  bounded.unbounded = false;  // each step within its scope only: its time is the bounded check's
  std::map<int, std::vector<const SweepItem*>> steps;  // bound -> its owned items
  std::vector<const SweepItem*> attempts;
  for (const auto& item : items) {
    if (!owns(item.id)) continue;
    if (item.bound > 0) steps[item.bound].push_back(&item);
    else attempts.push_back(&item);
  }
  for (const auto& [bound, owned] : steps) {
    if (model::stop_requested()) break;
    std::vector<int> properties;
    bool consistency = false;
    for (const auto* item : owned) {
      if (item->decl < 0) consistency = true;
      else properties.push_back(item->decl);
    }
    auto results = solver::prove_selected(model, step_scope(model, overrides, bound), bounded, properties, consistency);
    for (auto& result : results) {
      result.sweep_bound = bound;
      done[model::work_item_id(result.kind == CheckResult::Kind::Consistency ? "consistency" : "property",
                               result.name, bound)] = std::move(result);
    }
  }
  int largest = 0;
  for (const auto& item : items) largest = std::max(largest, item.bound);
  for (const auto* item : attempts) {
    if (model::stop_requested()) break;
    done[item->id] = solver::prove_for_every_size(model, step_scope(model, overrides, largest), options, item->decl);
  }
  std::vector<CheckResult> results;
  for (const auto& item : items) {
    if (!owns(item.id)) continue;
    if (auto it = done.find(item.id); it != done.end()) {
      results.push_back(std::move(it->second));
    } else if (!model::stop_requested()) {
      // prove_selected skips a scope's properties when the rules cannot be encoded there in time.
      CheckResult missing;
      missing.kind = item.kind;
      missing.decl_id = item.decl;
      missing.name = item.decl < 0 ? "rules" : model.properties[item.decl].name;
      if (item.decl >= 0) missing.range = model.properties[item.decl].range;
      missing.scope = step_scope(model, overrides, item.bound);
      missing.status = model::Status::Unknown;
      missing.unknown_reason = "not checked: the rules could not be encoded within the timeout at this scope";
      missing.sweep_bound = item.bound;
      results.push_back(std::move(missing));
    } else if (not_run) {
      model::NotRun missing;
      missing.kind = item.kind;
      missing.name = item.decl < 0 ? "rules" : model.properties[item.decl].name;
      if (item.decl >= 0) missing.range = model.properties[item.decl].range;
      missing.sweep_bound = item.bound;
      not_run->push_back(missing);
    }
  }
  return results;
}

}  // namespace csp::cli
