// Solver queries as standalone SMT-LIB 2 scripts that Z3 and other solvers
// (cvc5) read alike: --dump-smt2 and --cross-check.
#pragma once

#include <string>

#include <z3++.h>

namespace csp::solver {

/// A script that checks the conjunction of `assertions` on its own:
/// (set-logic ALL), declarations, assertions, (check-sat). Z3's cardinality
/// terms ((_ at-most k) ...) are not SMT-LIB, so they are written as a sum of
/// 0/1 terms bounded by k, which means the same.
std::string standalone_script(const z3::expr_vector& assertions);

}  // namespace csp::solver
