// Query plans for quantifiers on concrete data. A quantifier `forall x1: K1,
// ..., xn: Kn | body` is false exactly for the bindings that make its body
// false (an `exists`, those that make it true). Such a binding must satisfy
// every atom the body needs for that outcome: for `P implies Q` to be false,
// every relation atom and equality conjoined in P must hold. Those atoms
// generate candidate bindings without a cross product:
//   - a relation atom r(x, y, e) iterates r's tuples, looked up by e when it
//     is already known, binding x and y;
//   - an equality `x.a.b == e` looks x up in a hash index on `a.b`;
//   - an equality `x == e` binds x to e's value;
//   - a disjunction (`a or b` that must hold, `a and b` that must fail) whose
//     every branch generates x gives the union of the branches' candidates.
// Variables no atom generates are scanned, smallest kind first, so that the
// others become lookups. The engine still evaluates the whole body on each
// candidate, so a plan only narrows where to look: it can never change a
// verdict (tests/audit_differential_test.cpp checks this against
// model::Evaluator).
#pragma once

#include <string>
#include <vector>

#include "model/ast.h"

namespace csp::audit {

/// A variable a plan binds: its slot and entity kind.
struct PlanVariable {
  int slot = -1;
  int kind = -1;
  std::string name;
};

struct PlanStep {
  enum class Kind {
    Scan,    // every entity of the variable's kind
    Equal,   // the entity `expr` evaluates to
    Index,   // the entities whose attribute chain `attributes` equals `expr`
    Tuples,  // the tuples of `relation` matching the known positions
    Union,   // the candidates of every branch (a disjunction: one branch must hold)
  };
  Kind kind = Kind::Scan;
  int variable = -1;               // Scan, Equal, Index: the variable bound (index into Plan::variables)
  const model::Expr* expr = nullptr;  // Equal, Index: the value looked up
  std::vector<int> attributes;     // Index: the attribute chain from the variable's kind
  /// Index: more chains with the values they must equal, when the body
  /// conjoins several equalities on the variable (`s.provider == t.seller and
  /// s.reseller == r`): one composite index finds the few entities matching
  /// all of them, instead of every entity matching the first.
  std::vector<std::vector<int>> more_attributes;
  std::vector<const model::Expr*> more_exprs;
  /// Index: the engine's index for this step, set once before the plan runs
  /// (so that a probe is one hash lookup, not a search for the index first).
  const void* prepared_index = nullptr;
  int relation = -1;               // Tuples
  /// Tuples, per relation position: the variable it binds (index into
  /// Plan::variables) or -1 when the position is matched against
  /// `position_exprs[i]`, known before this step.
  std::vector<int> position_variables;
  std::vector<const model::Expr*> position_exprs;
  int lookup_position = -1;  // Tuples: a known position to look tuples up by; -1: all tuples
  /// Union: one step per branch, each binding only `variable`.
  std::vector<PlanStep> branches;
};

struct Plan {
  std::vector<PlanVariable> variables;
  std::vector<PlanStep> steps;  // together they bind every variable once
};

/// What the planner knows about the data: how many entities of each kind and
/// tuples of each relation there are.
struct PlanSizes {
  std::vector<std::size_t> kind_sizes;
  std::vector<std::size_t> relation_sizes;
};

/// A plan enumerating (a superset of) the bindings of `variables` under which
/// `body` evaluates to `want`, given that the variables in `bound_slots` are
/// known. `once`: the plan runs once (a rule's outermost quantifier), so an
/// index looked up by a constant costs a pass over the kind to build, no
/// less than a scan; a plan run for every outer binding reuses its indexes.
Plan make_plan(const model::Model& model, const std::vector<PlanVariable>& variables, const model::Expr& body,
               bool want, const std::vector<int>& bound_slots, const PlanSizes& sizes, bool once = false);

/// The variables of a quantifier node.
std::vector<PlanVariable> quantifier_variables(const model::Expr& quantifier);

/// A plan in words, e.g. "t: scan Transaction (1000); p: Partner by org = t.customer.org".
std::string describe(const model::Model& model, const Plan& plan);

}  // namespace csp::audit
