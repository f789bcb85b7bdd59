// What changed in the text between two checked models (the first part of
// `cspverify diff`): declarations added, removed and modified, by name.
// Bodies are compared as the evaluator prints them (to_string), so layout
// and comments do not count as changes.
#pragma once

#include <string>
#include <vector>

#include "model/ast.h"

namespace csp::model {

struct Change {
  enum class Action { Added, Removed, Modified };
  Action action = Action::Modified;
  /// "rule", "property", "scenario", "define", "enum", "enum value",
  /// "entity kind", "attribute", "relation", "table", "scope".
  std::string what;
  std::string name;     // `mpa_before_sale`, `Partner.mpa_signed`, `Role.direct_bill`
  /// Modified only: the aspects that differ, e.g. {"body", "description"}.
  std::vector<std::string> aspects;
  std::string before;   // modified: the base text of the first aspect in `aspects` ("" otherwise)
  std::string after;    // ... and the proposed one
  SourceRange base_range;      // invalid when added
  SourceRange proposed_range;  // invalid when removed
  /// True for vocabulary (enums, values, kinds, attributes, relations,
  /// tables): a symbol one side lacks is unconstrained by that side's rules.
  bool vocabulary = false;
  /// Modified rules, properties, defines, scenarios and tables: each side's
  /// whole declaration as written, for a line diff of its text (invalid otherwise).
  SourceRange base_extent;
  SourceRange proposed_extent;
};

const char* action_name(Change::Action action);  // "added", "removed", "modified"

/// Every difference, in a fixed order: vocabulary (enums, entity kinds,
/// relations, tables), scope, defines, rules, properties, scenarios; within
/// each group the base's order, then what only the proposed side has.
std::vector<Change> compare_models(const Model& base, const Model& proposed);

/// A scenario as one canonical text (entities, facts, expectation), for
/// comparing two versions of it.
std::string scenario_text(const Model& model, const ScenarioDecl& scenario);

}  // namespace csp::model
