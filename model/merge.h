// The two sides of `cspverify diff` as one model: the vocabulary is the union
// of both sides' vocabularies, and each side's rules (with its defines and
// its own tables) are kept under side-qualified names such as `base:r`, so
// one solver can compare the rule sets over the same instances.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/result.h"

namespace csp::model {

enum class DiffSide { Base, Proposed };

/// "base" or "proposed".
std::string_view side_name(DiffSide side);
/// The merged model's name of a side's declaration: `base:name`.
std::string side_qualified(DiffSide side, std::string_view name);
/// The side and the name as written of a side-qualified name; nullopt for a
/// name both sides share (vocabulary).
std::optional<std::pair<DiffSide, std::string>> split_side(std::string_view merged_name);
/// `text` with every `base:` / `proposed:` qualifier removed (for messages
/// the evaluator words in the merged model's names).
std::string strip_side_qualifiers(std::string text);

/// A deep copy of parsed files (check() consumes the files it is given).
std::vector<SpecFile> clone_files(const std::vector<SpecFile>& files);

/// Merges both sides' parsed (unchecked) files into files for check():
///  - enums by name, values in base order then the proposed side's new ones;
///  - entity kinds by name, attributes united; an attribute declared `T` on
///    one side and `T?` on the other becomes `T?`, and the side that declares
///    `T` gets an implied rule `Kind.attr` saying it is never `none`;
///  - relations by name; identical tables once, differing tables per side;
///  - defines and rules per side, renamed `base:...` / `proposed:...`, with
///    every call in a side's bodies renamed to match;
///  - properties, scenarios and scope lines are left out: the caller checks
///    each side's own model for those and computes the scope.
/// An attribute or a relation declared with different types on the two
/// sides cannot be merged: reported in `sink` (code E0401), and nullopt.
std::optional<std::vector<SpecFile>> merge_sides(const std::vector<SpecFile>& base,
                                                 const std::vector<SpecFile>& proposed, DiagnosticSink& sink);

/// Everything a diff compares, built from both sides' parsed files.
struct DiffModels {
  Model base, proposed;  // each side's own declarations (text changes)
  /// Each side's model for running checks: its own declarations plus the
  /// other side's properties and scenarios it does not declare, where they
  /// type-check against this side's vocabulary. Properties and scenarios
  /// are the shared tests; what differs is the rules they run against.
  Model base_checks, proposed_checks;
  Model merged;  // merge_sides, checked
};

/// A check a diff runs under both sides: the consistency check, then each
/// property, then each scenario, either side's (the base's first), once each.
/// The diff report's order, and that of its work items (docs/sharding.md).
/// Names are the results' (`rules` for the consistency check).
struct DiffCheck {
  CheckResult::Kind kind = CheckResult::Kind::Consistency;
  std::string name;
};
std::vector<DiffCheck> diff_checks(const DiffModels& models);

/// Checks each side (diagnostics, warnings included, into `sink`), then the
/// merged model (only its errors: they are conflicts between the sides).
/// nullopt when there are errors.
std::optional<DiffModels> build_diff_models(const std::vector<SpecFile>& base, const std::vector<SpecFile>& proposed,
                                            const SourceManager& sources, DiagnosticSink& sink);

}  // namespace csp::model
