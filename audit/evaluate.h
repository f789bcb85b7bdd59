// Every rule on the data: each falsifying binding of each rule's outermost
// forall is one violation (a rule body of several formulas is several
// foralls), with the entities bound, the evaluator's explanation and the
// facts the evaluation read, each with the data record it came from.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audit/data.h"
#include "audit/engine.h"
#include "model/ast.h"

namespace csp::audit {

struct EvaluateOptions {
  /// Rules to evaluate, by name or catalogue id; empty: every rule.
  std::vector<std::string> rules;
  /// Violations kept per rule with their explanation and facts; the rest are
  /// only counted. 0: no limit.
  std::uint64_t max_violations_per_rule = 100000;
  /// Called now and then, from one thread at a time: (the rule being
  /// evaluated, rules in all, bindings it has tried).
  std::function<void(std::size_t, std::size_t, std::uint64_t)> progress;
  /// Threads evaluating rules side by side; 0: one per hardware thread.
  unsigned jobs = 0;
  /// A rule whose outer scan has more bindings than this is searched in
  /// slices of this many, which threads share (tests make them small).
  std::size_t slice_bindings = std::size_t{1} << 16;
};

/// A fact a violation rests on: an entity's record, a joined attribute's
/// record or a relation tuple's record.
struct Fact {
  model::SourceRange origin;
  int entity = -1;       // the entity (its record or, with `attribute`, the record that set it)
  int attribute = -1;    // a joined attribute of `entity`, or -1
  int relation = -1;     // or a tuple of this relation
  model::Tuple tuple;
};

struct Violation {
  int rule = -1;
  int formula = 0;  // which formula of the rule's body (0 for a single formula)
  struct Binding {
    std::string variable;
    int entity = -1;  // index into the instance
  };
  std::vector<Binding> bindings;  // the outermost forall's variables; empty for a closed formula
  std::vector<std::string> explanation;
  std::string message;  // the rule's `message` filled in for this binding; empty without one
  std::vector<Fact> facts;
  std::size_t facts_omitted = 0;
  Trace trace;  // what the evaluation read (for the relationship subgraph)
};

struct RuleOutcome {
  int rule = -1;
  bool selected = false;             // asked for (every rule, unless --rule narrows them)
  bool evaluated = false;            // false: not selected, or not reached before an interrupt
  bool complete = false;             // every binding was tried
  std::uint64_t candidates = 0;      // bindings tried
  std::uint64_t violations = 0;      // all of them, listed or not
  std::uint64_t listed = 0;          // violations kept in AuditResult::violations
  std::vector<std::string> plans;    // per formula, in words
  double ms = 0;
  /// Not decided: an Int value left the 64 bits the evaluator computes in
  /// (model::IntOutOfRange), at `unknown_at`. Its violations are not listed.
  std::string unknown_reason;
  model::SourceRange unknown_at;
};

struct AuditResult {
  std::vector<RuleOutcome> rules;       // one per model rule, in rule order
  std::vector<Violation> violations;    // by rule, then formula, then binding
  int interrupted_by = 0;               // the signal that stopped evaluation, or 0
  std::vector<PhaseTime> phases;        // preparing, searching, explaining (`--stats`)
};

/// A rule's body as the formulas the audit evaluates one by one: the
/// conjuncts of a top-level `and` (each its own forall), else the body.
std::vector<const model::Expr*> formulas_of(const model::FormulaDecl& rule);

/// The indices of the rules `names` select (names or catalogue ids); an
/// unknown name is returned in `unknown`.
std::vector<int> select_rules(const model::Model& model, const std::vector<std::string>& names,
                              std::vector<std::string>& unknown);

AuditResult evaluate_rules(const model::Model& model, const DataSet& data, const EvaluateOptions& options);

/// The violations of one rule on an instance, by the engine, without
/// explanations or facts (the differential test compares these): each is
/// the formula's index in the rule body, then the bound entities.
std::vector<std::vector<int>> falsifying_bindings(const model::Model& model, const Engine& engine, int rule);

}  // namespace csp::audit
