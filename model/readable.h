// Instances as a policy owner reads them (issue 12): `none` by what it means
// for the attribute ("not signed"), atoms named by their role (Provider1,
// Reseller1), and a counterexample listing that shows what the failing
// formula reads, marks the facts that break it and folds the rest.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/ast.h"
#include "model/instance.h"

namespace csp::model {

/// What an unset (`none`) value of attribute `attribute` of kind `kind` means,
/// read from its type and name: a `Date?` whose name says it is signed
/// (`mpa_signed`) is "not signed", any other `Date?` "never", anything else
/// "not set".
std::string none_meaning(const Model& model, int kind, int attribute);

/// `value` as format_value prints it, but `none` by its meaning for the attribute.
std::string format_attribute_value(const Model& model, const Instance& instance, int kind, int attribute,
                                   const Value& value);

/// The name an atom of `entity`'s kind gets from its role, without the
/// number: an entity kind with an enum attribute named `role` names its atoms
/// after the value (`indirect_provider` -> `Provider`, a first word two values
/// share dropped); every other kind, or an unset role, by the kind's name.
std::string role_label(const Model& model, const Entity& entity);

/// Renames the entities marked `generated` (not named by a scenario) by role,
/// numbered per label in entity order: Provider1, Provider2, Reseller1. A
/// label that is another kind's name keeps the kind's name, so names stay
/// unique.
void name_by_role(const Model& model, Instance& instance, const std::vector<bool>& generated);

/// What a formula reads: attributes (kind id, attribute index) and relations
/// (relation id), with every define it calls expanded.
struct Reads {
  std::set<std::pair<int, int>> attributes;
  std::set<int> relations;
};
Reads reads_of(const Model& model, const Expr& formula);

/// An entity's attribute, as (entity index, attribute index) in an Instance.
using Fact = std::pair<int, int>;

/// The facts that break a false formula: the attributes read by each false
/// comparison (or call) its explanation ends at, on the entities of the
/// failing binding, e.g. Reseller1.mpa_signed and Transaction1.date. Empty
/// when the formula holds.
std::set<Fact> broken_facts(const Model& model, const Instance& instance, const FormulaDecl& formula);

/// The instance listing of format_instance, focused: only the attributes and
/// edges `reads` names are shown, the facts in `broken` marked `(breaks it)`,
/// the rest of each entity folded into `+ N other attributes`, the rest of the
/// edges into one `+ N other edges` line.
std::string format_instance_focused(const Model& model, const Instance& instance, const Reads& reads,
                                    const std::set<Fact>& broken);

}  // namespace csp::model
