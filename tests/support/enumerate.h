// The exhaustive oracle: every instance of a checked Model within a tiny
// Scope, evaluated with model::Evaluator. It shares no code with encoder/ or
// solver/, so a verdict both agree on is checked twice, independently.
//
// What "every instance" means (docs/language.md, "Semantics of checks"):
//   - the entities of kind K are a prefix K1..Kn, 0 <= n <= scope(K) (the
//     solver's atoms are used in order, so this loses no instance up to
//     isomorphism);
//   - every attribute takes every value of a finite domain: Bool and enums
//     fully, references every existing entity of the target kind, `none` too
//     when optional, and Int and Date a small set drawn from the spec's own
//     literals (see literal_domains);
//   - every relation holds any subset of the tuples over existing entities
//     (and enum values).
//
// Int and Date are unbounded in the language, so the oracle is exhaustive only
// when the small value sets are complete for the spec; literal_domains() says
// whether they are. When they are not, a violation the oracle finds is still a
// real one (a sound check of "violated"), but "proved" only means "no
// violation among the values tried".
//
// Kept in tests/ for now; nothing here depends on the test framework, so it
// can move to model/ when the CLI wants it (e.g. as `cspverify enumerate`).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/instance.h"
#include "model/scope.h"

namespace csp::test {

/// The candidate values of Int and Date attributes.
struct ValueDomains {
  std::vector<std::int64_t> ints;   // sorted, distinct
  std::vector<std::int64_t> dates;  // days since 1970-01-01, sorted, distinct
  /// True when every instance of the model has an equivalent one (same truth
  /// value for every rule and property) whose Int and Date values are all in
  /// these sets; `why_incomplete` names the first expression that prevents it.
  bool complete = false;
  std::string why_incomplete;
};

/// The Int and Date domains of a model: each literal c of the type in a rule,
/// property, define or table, with c - 1 and c + 1 (one value, 0 or
/// 2020-01-01, when there is no literal of that type).
///
/// Why that is enough when every Int or Date term other than a literal is an
/// operand of a comparison (==, !=, <, <=, >, >=, `in`) whose other operands
/// are literals or `none`, or an argument of a table call: the literals
/// c1 < ... < ck cut the line into the points ci and the open gaps (-inf, c1),
/// (ci, ci+1), (ck, +inf). Each such atom compares ONE attribute value with
/// literals, so its truth depends only on which point or gap that value lies
/// in. Every gap that holds an integer holds one of c1 - 1, ci + 1 (the
/// smallest integer above ci; when it equals ci+1 the gap is empty) or ck + 1.
/// Replacing each attribute value by the candidate of its point or gap keeps
/// every atom's truth, hence every formula's. Arithmetic (`d + 30`) or
/// comparing two attributes (`a.d < b.d`) breaks the argument: those specs
/// are reported incomplete.
ValueDomains literal_domains(const model::Model& model);

/// How many instances the enumeration can visit at most (before pruning and
/// symmetry reduction); saturates at UINT64_MAX. Lets callers size specs.
std::uint64_t instance_space(const model::Model& model, const model::Scope& scope, const ValueDomains& domains);

struct EnumerationOptions {
  /// Instances (leaves) to visit at most; the enumeration stops and reports
  /// `truncated` beyond it. 0: no limit.
  std::uint64_t max_instances = 0;
  /// Visit one instance per permutation class only (entities of a kind
  /// ordered by their non-reference attribute values). Sound for formulas,
  /// which cannot tell isomorphic instances apart; scenarios name entities
  /// and would need it off.
  bool break_symmetry = true;
};

struct EnumerationStats {
  std::uint64_t visited = 0;  // complete instances passed to the visitor
  std::uint64_t pruned = 0;   // partial instances cut by a filter formula
  bool truncated = false;     // max_instances was reached
  bool stopped = false;       // the visitor asked to stop
};

/// Calls `visit` on every instance within `scope` on which every formula in
/// `filters` holds (typically the rules), until it returns false. Filters are
/// evaluated as soon as the part of the instance they read is assigned, which
/// prunes whole subtrees. Instances are well formed; entities are named
/// `Kind1`, `Kind2`, ... Throws std::invalid_argument for a spec the
/// enumerator cannot handle (a relation over Int, Date or Bool).
EnumerationStats for_each_instance(const model::Model& model, const model::Scope& scope,
                                   const ValueDomains& domains,
                                   const std::vector<const model::FormulaDecl*>& filters,
                                   const std::function<bool(const model::Instance&)>& visit,
                                   const EnumerationOptions& options = {});

/// The prove verdicts decided by enumeration (docs/language.md semantics,
/// the same questions solver::prove asks).
struct OracleVerdicts {
  /// Some instance with an entity of every kind (of nonzero scope) satisfies every rule.
  bool consistent = false;
  struct Property {
    bool violated = false;  // some instance satisfies every rule and not the property
    /// No instance of the rules has an entity of every kind the property
    /// quantifies over (only meaningful when the rules are inconsistent).
    bool vacuous = false;
    std::optional<model::Instance> counterexample;
  };
  std::vector<Property> properties;  // indexed by property id
  EnumerationStats stats;
  bool domains_complete = false;  // copied from the ValueDomains used
};

OracleVerdicts exhaustive_verdicts(const model::Model& model, const model::Scope& scope,
                                   const ValueDomains& domains, const EnumerationOptions& options = {});

/// The kinds a formula quantifies over (the solver's vacuity question).
std::vector<int> quantified_kinds(const model::Expr& expr);

}  // namespace csp::test
