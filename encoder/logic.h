// Boolean connectives that fold constants as they build, and the choice of
// E-matching patterns for a kept quantifier. Z3 would simplify `(and true x)`
// itself, but only after the query is built: terms like `(= x Partner$0)`
// under a `false` guard still reach its E-graph and give E-matching and
// model-based instantiation work with no bearing on the answer.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include <z3++.h>

namespace csp::encoder {

z3::expr all_of(z3::context& ctx, const std::vector<z3::expr>& parts);
z3::expr any_of(z3::context& ctx, const std::vector<z3::expr>& parts);
z3::expr both(const z3::expr& a, const z3::expr& b);
z3::expr either(const z3::expr& a, const z3::expr& b);
z3::expr negation(const z3::expr& a);
z3::expr implication(const z3::expr& a, const z3::expr& b);

/// True when a quantifier occurs anywhere in `e` (Z3's optimizer, used for
/// scenario repairs, accepts ground constraints only).
bool contains_quantifier(const z3::expr& e);

/// a * b, saturating at SIZE_MAX instead of wrapping: a wrapped tuple count
/// once made a quantifier over 2^64 tuples look empty (and so true).
std::size_t saturating_product(std::size_t a, std::size_t b);

/// Patterns for `forall vars | body`, as terms over the (not yet abstracted)
/// variable constants. Preferred: every smallest term that uses
/// all the variables (`(Transaction.seller t)`, `(rel.partnership p r)`), each
/// a pattern of its own, so an instance is made for exactly the entities the
/// query talks about. Otherwise one multi-pattern with a term per variable.
/// `skip` names function symbols never to trigger on (existence predicates:
/// every atom has one, so they would instantiate the rule for every atom).
/// Empty when no term fits: Z3 then infers patterns itself.
using Pattern = std::vector<z3::expr>;  // one trigger: all its terms must match
std::vector<Pattern> choose_patterns(const z3::expr& body, const z3::expr_vector& vars,
                                     const std::function<bool(const z3::func_decl&)>& skip);

/// (forall vars (! body :pattern ...)) / (exists vars ...): z3++ has no
/// overload that takes patterns.
z3::expr quantified(bool forall, const z3::expr_vector& vars, const std::vector<Pattern>& patterns,
                    const z3::expr& body);

}  // namespace csp::encoder
