// Checked model -> Z3 constraints. The encoder translates and never calls
// check(); solver/ decides. Vocabulary symbols (SMT-LIB shape):
//   entity kind K      (declare-datatypes () ((K K$0 ... K$n-1)))  + K_exists : K -> Bool
//   attribute K.a: T   (declare-fun K.a (K) T)        optional: + (declare-fun K.a? (K) Bool)
//   relation r(A, B)   (declare-fun r (A B) Bool)
//   enum E             (declare-datatypes () ((E v1 v2 ...)))
//   functional table   (declare-fun t (keys) V) + (declare-fun t? (keys) Bool), defined row by row
// Quantifiers stay quantifiers over the finite sorts, guarded by K_exists and
// given E-matching patterns on the attribute and relation terms their body
// reads (bench/: E-matching answers the CSP properties in a few
// instantiations, where ground expansion needs thousands of conflicts).
// Presence (`none`) is tracked statically: a term that can never be `none`
// carries the constant `true`, and equality on such terms is plain `=`.
#pragma once

#include <chrono>
#include <map>
#include <stdexcept>
#include <memory>
#include <optional>
#include <vector>

#include <z3++.h>

#include "encoder/universe.h"
#include "model/ast.h"
#include "model/instance.h"
#include "model/scope.h"

namespace csp::encoder {

/// Translation ran past the deadline given with Encoder::set_deadline, or
/// the run was asked to stop (model/stop.h); what() says which.
class DeadlineExceeded : public std::runtime_error {
 public:
  DeadlineExceeded() : std::runtime_error("encoding the query took longer than the time budget") {}
  explicit DeadlineExceeded(const std::string& reason) : std::runtime_error(reason) {}
};

/// A model value that is not a 64-bit integer (the language's Int is
/// unbounded, Instances hold int64): decode() cannot represent it.
class ValueOutOfRange : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A translated expression: `value` is meaningful only when `present` holds;
/// present is `false` exactly when the spec-level value is `none`.
struct Term {
  z3::expr present;
  z3::expr value;
};

class Encoder {
 public:
  /// Quantifiers are expanded to ground terms while the number of copies of
  /// their body stays within `ground_limit` (nested expansions multiply: the
  /// limit bounds the total); others stay quantified (0: never expand). The
  /// background axioms follow the same limit.
  Encoder(z3::context& ctx, const model::Model& model, const model::Scope& scope, std::size_t ground_limit = 0);
  /// No bound (make_unbounded_universe): every kind an uninterpreted sort,
  /// every quantifier kept. For proofs that hold for every size; not for
  /// scenarios, shrinking or value bounds, which need atoms.
  Encoder(z3::context& ctx, const model::Model& model);
  bool unbounded() const { return unbounded_; }

  /// Translation past `deadline` throws DeadlineExceeded.
  void set_deadline(std::chrono::steady_clock::time_point deadline) { deadline_ = deadline; }

  /// Well-formedness of every instance: references point at existing
  /// entities, tuples are over existing entities, tables hold their rows.
  z3::expr_vector background() const;
  /// Axioms created lazily while translating (closure definitions); the
  /// caller asserts them once. Each call returns only the new ones.
  z3::expr_vector take_new_axioms();

  /// A rule's or property's closed body.
  z3::expr formula(const model::FormulaDecl& decl);
  /// At least one entity of `kind` exists.
  z3::expr nonempty(int kind) const;
  /// One literal per candidate atom, true iff that entity exists: their count
  /// is the instance's size (cardinality constraints shrink counterexamples).
  z3::expr_vector entity_literals() const;
  /// One literal per candidate relation tuple over existing elements, for
  /// shrinking counterexamples' edges after their entities.
  z3::expr_vector tuple_literals() const;

  /// Scenario encoding: exactly the scenario's entities exist (atom i of kind K
  /// is the i-th scenario entity of kind K), listed attributes have their
  /// values, and relation tuples are exactly the listed facts.
  struct ScenarioFact {
    z3::expr constraint;
    std::string description;  // "P1.country = FR", "partnership(P1, R1)", "not partnership(P1, C1)"
    bool is_relation = false;
    bool listed = true;        // relation facts: listed, or absent by the closed world
    std::string tuple_text;    // relation facts: "partnership(P1, R1)"
    int entity = -1;           // attribute facts: index into ScenarioDecl::entities
    int attribute = -1;        // attribute facts: attribute id
    std::optional<z3::expr> distance;  // Int/Date attribute facts: |value - written value|; enum facts: Encoder::unnatural
  };
  std::vector<ScenarioFact> scenario_facts(const model::ScenarioDecl& scenario) const;
  /// The scenario's `entity` has no value for `attribute` (an optional one):
  /// what `none` written there would say.
  z3::expr scenario_attribute_none(const model::ScenarioDecl& scenario, std::size_t entity, int attribute) const;
  /// Constraints fixing which atoms exist for a scenario (hard, not repairable).
  z3::expr_vector scenario_universe(const model::ScenarioDecl& scenario) const;

  /// The instance a Z3 model describes (the encoder's inverse). With a
  /// scenario, entities take the scenario's names. Throws ValueOutOfRange
  /// for an Int or Date value outside 64 bits.
  model::Instance decode(const z3::model& m, const model::ScenarioDecl* scenario = nullptr) const;
  /// Every Int and Date attribute of every candidate atom lies within
  /// [-bound, bound], except those the scenario writes (they keep their
  /// written values): the values an Instance decoded from a model can hold.
  z3::expr value_bounds(std::int64_t bound, const model::ScenarioDecl* scenario = nullptr) const;

  /// Readable values (Session::Shrinker::natural_values): for each Int, Date
  /// and enum attribute of an atom that exists in `m` and has a value there,
  /// the values to prefer, best first (near the spec's own dates, the first
  /// country of each region, small round numbers), as `term == value`.
  struct ValuePreference {
    std::vector<z3::expr> choices;
  };
  std::vector<ValuePreference> value_preferences(const z3::model& m) const;
  /// The shape of `m` to keep while its values are steered: which atoms exist,
  /// every reference, Bool and `none` as in `m`, and every relation tuple.
  z3::expr_vector shape_of(const z3::model& m) const;

  const Universe& universe() const { return *universe_; }

 private:
  using Slots = std::vector<std::optional<Term>>;

  Term translate(const model::Expr& e, Slots& slots);
  z3::expr translate_bool(const model::Expr& e, Slots& slots);
  Term translate_quantifier(const model::Expr& e, Slots& slots);
  Term expand_quantifier(const model::Expr& e, Slots& slots);
  Term keep_quantifier(const model::Expr& e, Slots& slots, std::size_t copies);
  Term translate_attr(const model::Expr& e, Slots& slots);
  Term translate_call(const model::Expr& e, Slots& slots);
  Term translate_table(const model::Expr& e, Slots& slots);
  Term translate_define(const model::DefineDecl& define, const std::vector<Term>& args);
  Term translate_closure(const model::Expr& e, Slots& slots);
  model::Type closure_type(const model::Expr& e) const;
  std::string closure_name(const model::Expr& e) const;
  z3::expr closure_edge(const model::Expr& e, const z3::expr& x, const z3::expr& y);
  z3::func_decl ground_closure(const model::Expr& e);
  z3::func_decl quantified_closure(const model::Expr& e);
  z3::expr equal(const Term& a, const Term& b) const;
  /// Binds the quantifier's variables to `values` (atoms or fresh constants).
  void bind(const model::Expr& e, const std::vector<z3::expr>& values, Slots& slots) const;
  bool is_existence_predicate(const z3::func_decl& f) const;
  void check_deadline() const;

  z3::sort sort_of(model::Type type) const;
  z3::expr default_value(model::Type type) const;
  z3::expr literal(const model::Expr& cell) const;
  /// Candidate elements of a finite type (entity atoms or enum constants).
  std::vector<z3::expr> elements(model::Type type) const;
  z3::expr element_exists(model::Type type, const z3::expr& e) const;
  /// Per kind, the atoms a model interprets and the entity index of each
  /// (-1: the atom does not exist in the instance).
  struct ModelAtoms {
    std::vector<std::vector<z3::expr>> atoms;
    std::vector<std::vector<int>> entity;
  };
  model::Value decode_value(const z3::model& m, model::Type type, const z3::expr& v, const ModelAtoms& atoms) const;
  std::optional<z3::expr> unnatural(const z3::expr& value, const z3::expr& written, int enum_id) const;

  void declare_vocabulary();
  void declare_table(int table_id);

  z3::context& ctx_;
  const model::Model& model_;
  std::unique_ptr<Universe> universe_;

  struct EnumSymbols {
    z3::sort sort;
    std::vector<z3::expr> values;
  };
  struct AttributeSymbols {
    z3::func_decl value;
    std::optional<z3::func_decl> has;  // optional attributes only
  };
  struct TableSymbols {
    z3::func_decl value;
    z3::func_decl has;
    bool total = false;  // every key has a row: `has` is true everywhere and never used
  };
  std::vector<EnumSymbols> enums_;
  std::vector<std::vector<AttributeSymbols>> attributes_;  // [kind][attribute]
  std::vector<z3::func_decl> relations_;
  std::map<int, TableSymbols> functional_tables_;  // tables whose keys are all finite
  std::map<std::pair<int, bool>, z3::func_decl> closures_;  // (id, of_define) -> tc
  z3::expr_vector background_;
  z3::expr_vector new_axioms_;
  int fresh_ = 0;
  bool unbounded_ = false;
  std::size_t ground_limit_ = 0;  // at most this many ground copies of a quantifier body
  std::size_t expansion_copies_ = 1;
  int quantifier_depth_ = 0;  // kept quantifiers enclosing the term being translated  // copies the enclosing expanded quantifiers already make
  std::optional<std::chrono::steady_clock::time_point> deadline_;
};

}  // namespace csp::encoder
