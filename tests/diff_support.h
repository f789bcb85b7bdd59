// Helpers of the diff tests (diff_test, diff_cli_test, diff_proposals_test):
// both sides from text or files, the diff run, and the evaluator's re-check
// of a witness.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "model/changes.h"
#include "model/evaluator.h"
#include "model/frontend.h"
#include "model/merge.h"
#include "solver/diff.h"
#include "tests/support/fixture.h"

namespace csp::test {

using Answer = model::Difference::Answer;

struct TwoSides {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::DiffModels> models;
  std::string diagnostics() const { return model::render_all(sink, sources); }
};

inline std::unique_ptr<TwoSides> sides_from_text(const std::string& base, const std::string& proposed) {
  auto sides = std::make_unique<TwoSides>();
  std::vector<model::SpecFile> b, p;
  b.push_back(model::parse(sides->sources, sides->sources.add("base.cspv", base), sides->sink));
  p.push_back(model::parse(sides->sources, sides->sources.add("proposed.cspv", proposed), sides->sink));
  REQUIRE_FALSE(sides->sink.has_errors());
  sides->models = model::build_diff_models(b, p, sides->sources, sides->sink);
  return sides;
}

inline std::unique_ptr<TwoSides> sides_from_files(const std::string& base, const std::string& proposed) {
  auto sides = std::make_unique<TwoSides>();
  auto b = model::load({source_path(base)}, sides->sources, sides->sink);
  auto p = model::load({source_path(proposed)}, sides->sources, sides->sink);
  REQUIRE_FALSE(sides->sink.has_errors());
  sides->models = model::build_diff_models(b, p, sides->sources, sides->sink);
  INFO(sides->diagnostics());
  REQUIRE(sides->models);
  return sides;
}

/// `cspverify diff BASE --change CHANGE`: the proposed side is BASE with CHANGE's patches applied.
inline std::unique_ptr<TwoSides> sides_from_change(const std::string& base, const std::string& change) {
  auto sides = std::make_unique<TwoSides>();
  auto b = model::load({source_path(base)}, sides->sources, sides->sink);
  auto p = model::load({source_path(base), source_path(change)}, sides->sources, sides->sink);
  REQUIRE_FALSE(sides->sink.has_errors());
  REQUIRE(model::has_patches(p));
  bool applied = model::apply_patches(b, sides->sources, sides->sink) &&
                 model::apply_patches(p, sides->sources, sides->sink);
  INFO(sides->diagnostics());
  REQUIRE(applied);
  sides->models = model::build_diff_models(b, p, sides->sources, sides->sink);
  REQUIRE(sides->models);
  return sides;
}

inline model::Scope spec_scope(const model::Model& m) {
  std::string error;
  auto scope = model::resolve_scope(m, {}, &error);
  REQUIRE(scope);
  return *scope;
}

inline model::DiffReport run_diff(const TwoSides& sides) {
  const model::DiffModels& m = *sides.models;
  return solver::diff({m, spec_scope(m.base), spec_scope(m.proposed)}, {});
}

inline std::vector<std::string> rule_names(const model::Model& m, const std::vector<int>& ids) {
  std::vector<std::string> out;
  for (int id : ids) out.push_back(m.rules[id].name);
  return out;
}

inline const model::CheckPair& check_named(const model::DiffReport& report, const std::string& name) {
  for (const auto& pair : report.checks) {
    if (pair.name == name) return pair;
  }
  FAIL("no check named " << name);
  return report.checks.front();
}

inline std::vector<std::string> change_lines(const std::vector<model::Change>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) {
    std::string aspects;
    for (const auto& a : c.aspects) aspects += (aspects.empty() ? " (" : ", ") + a;
    out.push_back(fmt::format("{} {} {}{}", model::action_name(c.action), c.what, c.name,
                              aspects.empty() ? "" : aspects + ")"));
  }
  return out;
}

// The evaluator's own verdict on a witness: every rule of the allowing side
// holds, and exactly the blamed rules of the other side fail.
inline void require_witness_rechecks(const model::Model& merged, const model::Witness& w, model::DiffSide allowing) {
  model::Evaluator evaluator(merged, w.instance);
  REQUIRE(evaluator.well_formed());
  for (int r : solver::side_rules(merged, allowing)) CHECK(evaluator.holds(merged.rules[r]));
  CHECK(evaluator.violated_rules() == w.blame);
  // Each blamed rule's counterpart is an allowing rule of the same name.
  REQUIRE(w.counterparts.size() == w.blame.size());
  for (std::size_t i = 0; i < w.blame.size(); ++i) {
    if (w.counterparts[i] < 0) continue;
    auto blamed = model::split_side(merged.rules[w.blame[i]].name);
    auto counterpart = model::split_side(merged.rules[w.counterparts[i]].name);
    REQUIRE(blamed);
    REQUIRE(counterpart);
    CHECK(counterpart->first == allowing);
    CHECK(counterpart->second == blamed->second);
  }
}

inline model::Value attribute(const model::Model& m, const model::Instance& instance, const std::string& entity,
                       const std::string& attr) {
  int index = instance.find(entity);
  REQUIRE(index >= 0);
  const auto& e = instance.entities[index];
  int a = m.kinds[e.kind].attribute_index(attr);
  REQUIRE(a >= 0);
  return e.attributes[a];
}

}  // namespace csp::test
