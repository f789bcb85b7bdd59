// How entity kinds become Z3 sorts. The encoder translates formulas against
// this interface only, so a second strategy (uninterpreted sorts with no bound,
// proving for every size) can sit beside the bounded one without touching the
// expression translation, the solver layer or the front end.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <z3++.h>

#include "model/ast.h"
#include "model/scope.h"

namespace csp::encoder {

class Universe {
 public:
  virtual ~Universe() = default;
  /// The Z3 sort whose elements are the candidate atoms of entity kind `kind`.
  virtual z3::sort sort(int kind) const = 0;
  /// True iff `atom` is an entity that exists in the instance.
  virtual z3::expr exists(int kind, const z3::expr& atom) const = 0;
  /// The existence predicate of `kind` itself (patterns must avoid it).
  virtual z3::func_decl exists_decl(int kind) const = 0;
  /// Every candidate atom of `kind`, or nullptr when the universe is unbounded.
  virtual const std::vector<z3::expr>* atoms(int kind) const = 0;
  /// The candidate atoms of `kind` that a model interprets: the atoms of a
  /// bounded universe; the (finite) universe Z3 chose for an unbounded sort.
  virtual std::vector<z3::expr> atoms_in(const z3::model& m, int kind) const = 0;
  /// Constraints the universe itself needs (e.g. symmetry breaking).
  virtual z3::expr_vector axioms() const = 0;
};

/// Alloy-style bounded universe: kind K has `scope.size[K]` candidate atoms
/// (an enumeration sort K$0..K$n-1) and an existence predicate, so an instance
/// has between 0 and n entities of K. Atoms are used in order (exists(K$i+1)
/// implies exists(K$i)), which removes symmetric instances and makes the
/// entity count a prefix length.
std::unique_ptr<Universe> make_bounded_universe(z3::context& ctx, const model::Model& model,
                                                const model::Scope& scope);

/// No bound: kind K is an uninterpreted sort (any size, even infinite) with an
/// existence predicate, so an instance may have any number of entities of K,
/// none included. A query unsat over it holds in every instance of every size.
std::unique_ptr<Universe> make_unbounded_universe(z3::context& ctx, const model::Model& model);

}  // namespace csp::encoder
