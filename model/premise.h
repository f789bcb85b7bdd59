// A rule's premise: when the rule has something to say about an instance.
// `cspverify lint` (docs/lint.md) asks whether a rule's premise can ever
// hold given the other rules (vacuity), and whether an allowed scenario's
// instance makes it hold (coverage). Solver-free: the encoder translates the
// premise like any formula, the evaluator evaluates it.
#pragma once

#include "model/ast.h"

namespace csp::model {

struct Premise {
  /// A closed Bool formula over the rule's own variable slots (same
  /// slot_count), built from the rule's body:
  ///   forall x: K | F        exists x: K | premise(F)
  ///   A implies B            A and premise(B)
  ///   A1 or ... or An        not A1 and ... and not A(n-1) and premise(An)
  ///                          (read as `not A1 and ... implies An`)
  ///   F1 and ... and Fn      premise(F1) or ... or premise(Fn)
  ///   anything else          true (an unconditional demand)
  /// Where the premise is false the rule holds, whatever the rest says, so a
  /// rule whose premise never holds is satisfied only vacuously.
  FormulaDecl formula;
  /// False when the premise asks no more than that the quantified entities
  /// exist (`forall t: Transaction | reseller_relationship(t.seller, t.customer)`).
  bool conditional = false;
};

Premise premise_of(const FormulaDecl& rule);

}  // namespace csp::model
