// Expression translation: spec expressions -> Z3 terms over the vocabulary
// declared in encoder.cpp. Each case states the SMT-LIB it produces.
#include <stdexcept>

#include <fmt/format.h>

#include "encoder/encoder.h"
#include "encoder/logic.h"
#include "model/stop.h"

namespace csp::encoder {

using model::Expr;
using model::ExprKind;
using model::Type;
using model::TypeKind;

// A Bool-typed term in formula position: a `none` Bool is false.
z3::expr Encoder::translate_bool(const Expr& e, Slots& slots) {
  Term t = translate(e, slots);
  return e.type.optional ? both(t.present, t.value) : t.value;
}

// (a == b) with none as a value: both absent, or both present and equal.
// Presence is often known statically (a variable, a required attribute, a
// `none` literal); then the disjunction collapses to `=` or to one literal.
z3::expr Encoder::equal(const Term& a, const Term& b) const {
  if (!z3::eq(a.value.get_sort(), b.value.get_sort())) return both(negation(a.present), negation(b.present));
  if (a.present.is_false()) return negation(b.present);
  if (b.present.is_false()) return negation(a.present);
  z3::expr same = a.value == b.value;
  if (a.present.is_true()) return both(b.present, same);
  if (b.present.is_true()) return both(a.present, same);
  return either(both(both(a.present, b.present), same), both(negation(a.present), negation(b.present)));
}

Term Encoder::translate(const Expr& e, Slots& slots) {
  z3::expr yes = ctx_.bool_val(true);
  auto binary = [&](auto op) {
    Term a = translate(*e.args[0], slots);
    Term b = translate(*e.args[1], slots);
    return Term{both(a.present, b.present), op(a.value, b.value)};
  };
  auto ordered = [&](auto op) {
    Term a = translate(*e.args[0], slots);
    Term b = translate(*e.args[1], slots);
    return Term{yes, all_of(ctx_, {a.present, b.present, op(a.value, b.value)})};
  };
  switch (e.kind) {
    case ExprKind::BoolLit: return {yes, ctx_.bool_val(e.value != 0)};
    case ExprKind::IntLit:
    case ExprKind::DateLit: return {yes, ctx_.int_val(static_cast<int64_t>(e.value))};
    case ExprKind::NoneLit: return {ctx_.bool_val(false), default_value(e.type)};
    case ExprKind::EnumValue: return {yes, enums_[e.id].values[e.value]};
    case ExprKind::Var: {
      if (e.id < 0 || static_cast<std::size_t>(e.id) >= slots.size() || !slots[e.id]) {
        throw std::logic_error(fmt::format("encoder: unbound variable `{}`", e.name));
      }
      return *slots[e.id];
    }
    case ExprKind::Attr: return translate_attr(e, slots);
    case ExprKind::Not: return {yes, negation(translate_bool(*e.args[0], slots))};
    case ExprKind::And:
    case ExprKind::Or: {
      std::vector<z3::expr> parts;
      for (const auto& a : e.args) parts.push_back(translate_bool(*a, slots));
      return {yes, e.kind == ExprKind::And ? all_of(ctx_, parts) : any_of(ctx_, parts)};
    }
    case ExprKind::Implies:
      return {yes, implication(translate_bool(*e.args[0], slots), translate_bool(*e.args[1], slots))};
    case ExprKind::Iff:
      return {yes, translate_bool(*e.args[0], slots) == translate_bool(*e.args[1], slots)};
    case ExprKind::Eq:
    case ExprKind::Ne: {
      Term a = translate(*e.args[0], slots);
      Term b = translate(*e.args[1], slots);
      z3::expr eq = equal(a, b);
      return {yes, e.kind == ExprKind::Eq ? eq : negation(eq)};
    }
    case ExprKind::Lt: return ordered([](const z3::expr& a, const z3::expr& b) { return a < b; });
    case ExprKind::Le: return ordered([](const z3::expr& a, const z3::expr& b) { return a <= b; });
    case ExprKind::Gt: return ordered([](const z3::expr& a, const z3::expr& b) { return a > b; });
    case ExprKind::Ge: return ordered([](const z3::expr& a, const z3::expr& b) { return a >= b; });
    case ExprKind::Add: return binary([](const z3::expr& a, const z3::expr& b) { return a + b; });
    case ExprKind::Sub: return binary([](const z3::expr& a, const z3::expr& b) { return a - b; });
    case ExprKind::In: {
      Term x = translate(*e.args[0], slots);
      std::vector<z3::expr> options;
      for (std::size_t i = 1; i < e.args.size(); ++i) options.push_back(equal(x, translate(*e.args[i], slots)));
      return {yes, any_of(ctx_, options)};
    }
    case ExprKind::Forall:
    case ExprKind::Exists: return translate_quantifier(e, slots);
    case ExprKind::RelationCall: return translate_call(e, slots);
    case ExprKind::TableCall: return translate_table(e, slots);
    case ExprKind::DefineCall: {
      std::vector<Term> args;
      for (const auto& a : e.args) args.push_back(translate(*a, slots));
      return translate_define(model_.defines[e.id], args);
    }
    case ExprKind::Closure: return translate_closure(e, slots);
    case ExprKind::EntityName:
    case ExprKind::Name:
    case ExprKind::Call:
    case ExprKind::Dot: break;
  }
  throw std::logic_error(fmt::format("encoder: unresolved expression `{}`", e.name));
}

// An `exists` inside a kept quantifier (`forall t | exists s | ...`, as in
// "a partnership in force on the sale's date") is expanded over the atoms
// while its copies stay within this limit, whatever the ground limit: kept,
// Z3 Skolemizes it into a function over the finite sort and E-matching then
// instantiates every rule on the Skolem terms too. On the shipped policy,
// whose dated relationships are such existentials, expanding them halved the
// CPU time of `prove specs/` (1.3 s to 0.75 s). Only for atoms: an unbounded
// sort has none.
constexpr std::size_t kNestedExistsExpansionLimit = 64;

// forall x: K | body  ~>  (forall ((x K)) (! (=> (K_exists x) body) :pattern ((K.a x)) ...))
// exists x: K | body  ~>  (exists ((x K)) (and (K_exists x) body))
// Expanded over the atoms instead while the ground copies of the body, this
// quantifier's times those of the enclosing expanded ones, stay within the
// ground limit: expansion pays only for tiny universes (scenarios, repairs).
Term Encoder::translate_quantifier(const Expr& e, Slots& slots) {
  std::size_t copies = expansion_copies_;
  for (const auto& b : e.bindings) {
    const auto* atoms = universe_->atoms(b.kind.type.id);
    copies = saturating_product(copies, atoms ? atoms->size() : SIZE_MAX);
  }
  bool nested_exists = e.kind == ExprKind::Exists && quantifier_depth_ > 0;
  if (copies <= ground_limit_ || (nested_exists && copies <= kNestedExistsExpansionLimit)) {
    std::size_t outer = expansion_copies_;
    expansion_copies_ = copies;
    Term expanded = expand_quantifier(e, slots);
    expansion_copies_ = outer;
    return expanded;
  }
  return keep_quantifier(e, slots, copies);
}

// A quantifier whose body gives no pattern (a variable read only in
// equalities, `in` or not at all) is expanded over its few atoms when that
// stays small: left to Z3, it would trigger on existence predicates, and
// under an alternation (forall x exists y) every Skolem term then triggers
// it again, a matching loop that was seen to ignore Z3's timeout.
constexpr std::size_t kUnpatternedExpansionLimit = 4096;

Term Encoder::keep_quantifier(const Expr& e, Slots& slots, std::size_t copies) {
  z3::expr_vector vars(ctx_);
  std::vector<z3::expr> values, guards;
  for (const auto& b : e.bindings) {
    int kind = b.kind.type.id;
    // Named by nesting depth, not by a counter: the same rule translates to
    // the same term every time, so diff can recognise a rule both sides share.
    z3::expr var = ctx_.constant(fmt::format("{}!{}", b.name, quantifier_depth_).c_str(), universe_->sort(kind));
    vars.push_back(var);
    values.push_back(var);
    guards.push_back(universe_->exists(kind, var));
  }
  bind(e, values, slots);
  ++quantifier_depth_;
  z3::expr body = translate_bool(*e.args[0], slots);
  --quantifier_depth_;
  for (const auto& b : e.bindings) slots[b.slot].reset();
  z3::expr guard = all_of(ctx_, guards);
  bool forall = e.kind == ExprKind::Forall;
  z3::expr matrix = forall ? implication(guard, body) : both(guard, body);
  if (matrix.is_true() || matrix.is_false()) return {ctx_.bool_val(true), matrix};
  auto skip = [this](const z3::func_decl& f) { return is_existence_predicate(f); };
  std::vector<Pattern> patterns = choose_patterns(matrix, vars, skip);
  if (patterns.empty() && copies <= kUnpatternedExpansionLimit) {
    std::size_t outer = expansion_copies_;
    expansion_copies_ = copies;
    Term expanded = expand_quantifier(e, slots);
    expansion_copies_ = outer;
    return expanded;
  }
  return {ctx_.bool_val(true), quantified(forall, vars, patterns, matrix)};
}

void Encoder::bind(const Expr& e, const std::vector<z3::expr>& values, Slots& slots) const {
  for (std::size_t i = 0; i < e.bindings.size(); ++i) {
    const auto& b = e.bindings[i];
    if (static_cast<std::size_t>(b.slot) >= slots.size()) slots.resize(b.slot + 1);
    slots[b.slot] = Term{ctx_.bool_val(true), values[i]};
  }
}

bool Encoder::is_existence_predicate(const z3::func_decl& f) const {
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    if (z3::eq(universe_->exists_decl(static_cast<int>(k)), f)) return true;
  }
  return false;
}

void Encoder::check_deadline() const {
  if (model::stop_requested()) throw DeadlineExceeded(model::interrupted_reason());
  if (deadline_ && std::chrono::steady_clock::now() > *deadline_) throw DeadlineExceeded();
}

// forall x: K | body  ~>  (and (=> (K_exists K$0) body[K$0]) ... (=> (K_exists K$n-1) body[K$n-1]))
// exists x: K | body  ~>  (or (and (K_exists K$0) body[K$0]) ...)
Term Encoder::expand_quantifier(const Expr& e, Slots& slots) {
  bool forall = e.kind == ExprKind::Forall;
  std::vector<z3::expr> parts;
  std::vector<std::size_t> index(e.bindings.size(), 0);
  std::size_t product = 1;
  for (const auto& b : e.bindings) product = saturating_product(product, universe_->atoms(b.kind.type.id)->size());
  for (std::size_t n = 0; n < product; ++n) {
    check_deadline();
    std::vector<z3::expr> guards, values;
    for (std::size_t i = 0; i < e.bindings.size(); ++i) {
      int kind = e.bindings[i].kind.type.id;
      const z3::expr& atom = (*universe_->atoms(kind))[index[i]];
      guards.push_back(universe_->exists(kind, atom));
      values.push_back(atom);
    }
    bind(e, values, slots);
    z3::expr body = translate_bool(*e.args[0], slots);
    z3::expr guard = all_of(ctx_, guards);
    parts.push_back(forall ? implication(guard, body) : both(guard, body));
    for (std::size_t i = e.bindings.size(); i-- > 0;) {
      if (++index[i] < universe_->atoms(e.bindings[i].kind.type.id)->size()) break;
      index[i] = 0;
    }
  }
  for (const auto& b : e.bindings) slots[b.slot].reset();
  return {ctx_.bool_val(true), forall ? all_of(ctx_, parts) : any_of(ctx_, parts)};
}

// p.attr ~> (Partner.attr p); present when p is present and, for an optional
// attribute, (Partner.attr? p) holds.
Term Encoder::translate_attr(const Expr& e, Slots& slots) {
  Term base = translate(*e.args[0], slots);
  const auto& symbols = attributes_[e.kind_id][e.id];
  z3::expr present = symbols.has ? both(base.present, (*symbols.has)(base.value)) : base.present;
  return {present, symbols.value(base.value)};
}

// r(a, b) ~> (and present(a) present(b) (r a b))
Term Encoder::translate_call(const Expr& e, Slots& slots) {
  z3::expr_vector args(ctx_);
  std::vector<z3::expr> present;
  for (const auto& a : e.args) {
    Term t = translate(*a, slots);
    args.push_back(t.value);
    present.push_back(t.present);
  }
  present.push_back(relations_[e.id](args));
  return {ctx_.bool_val(true), all_of(ctx_, present)};
}

Term Encoder::translate_table(const Expr& e, Slots& slots) {
  const auto& table = model_.tables[e.id];
  std::vector<Term> args;
  std::vector<z3::expr> present;
  for (const auto& a : e.args) {
    args.push_back(translate(*a, slots));
    present.push_back(args.back().present);
  }
  std::size_t key_count = table.params.size() - 1;
  auto symbols = functional_tables_.find(e.id);
  if (symbols != functional_tables_.end()) {
    z3::expr_vector keys(ctx_);
    for (std::size_t i = 0; i < key_count; ++i) keys.push_back(args[i].value);
    std::vector<z3::expr> has_parts(present.begin(), present.begin() + static_cast<long>(key_count));
    if (!symbols->second.total) has_parts.push_back(symbols->second.has(keys));
    z3::expr has = all_of(ctx_, has_parts);
    z3::expr value = symbols->second.value(keys);
    if (e.table_lookup) return {has, value};
    return {ctx_.bool_val(true), all_of(ctx_, {has, args.back().present, value == args.back().value})};
  }
  // Inline: (or (and (= a1 row1.c1) ...) ...) over the rows.
  std::vector<z3::expr> matches;
  std::size_t compared = e.table_lookup ? key_count : table.params.size();
  for (const auto& row : table.rows) {
    std::vector<z3::expr> m;
    bool usable = row.cells.size() == table.params.size();
    for (std::size_t i = 0; usable && i < compared; ++i) {
      if (row.cells[i]->kind == ExprKind::NoneLit) usable = false;
      else m.push_back(args[i].value == literal(*row.cells[i]));
    }
    if (usable) matches.push_back(all_of(ctx_, m));
  }
  z3::expr all_present = all_of(ctx_, present);
  if (!e.table_lookup) return {ctx_.bool_val(true), both(all_present, any_of(ctx_, matches))};
  // Lookup with infinite keys: an if-then-else chain over the rows.
  Type value_type = table.params.back().type.type;
  z3::expr value = default_value(value_type);
  z3::expr found = ctx_.bool_val(false);
  for (std::size_t r = table.rows.size(); r-- > 0;) {
    const auto& row = table.rows[r];
    if (row.cells.size() != table.params.size() || row.cells.back()->kind == ExprKind::NoneLit) continue;
    std::vector<z3::expr> m;
    bool usable = true;
    for (std::size_t i = 0; i < key_count; ++i) {
      if (row.cells[i]->kind == ExprKind::NoneLit) usable = false;
      else m.push_back(args[i].value == literal(*row.cells[i]));
    }
    if (!usable) continue;
    z3::expr hit = all_of(ctx_, m);
    value = z3::ite(hit, literal(*row.cells.back()), value);
    found = either(hit, found);
  }
  return {both(all_present, found), value};
}

// A define is expanded in place with its parameters bound to the arguments.
Term Encoder::translate_define(const model::DefineDecl& define, const std::vector<Term>& args) {
  Slots slots(static_cast<std::size_t>(std::max<int>(define.slot_count, static_cast<int>(args.size()))));
  for (std::size_t i = 0; i < args.size(); ++i) slots[i] = args[i];
  return {ctx_.bool_val(true), translate_bool(*define.body, slots)};
}

// ^r(a, b): reachability in the finite graph of r over existing elements.
// Small graphs are unrolled (ground_closure); larger ones get a relation
// tc.r defined by quantified axioms (quantified_closure), instantiated only
// for the pairs a query reaches.
Term Encoder::translate_closure(const Expr& e, Slots& slots) {
  Term a = translate(*e.args[0], slots);
  Term b = translate(*e.args[1], slots);
  auto key = std::make_pair(e.id, e.closure_of_define);
  auto found = closures_.find(key);
  if (found == closures_.end()) {
    Type t = closure_type(e);
    // Unbounded kinds: only the quantified definition (sound for any size: the
    // rank is a natural number, so every pair has a finite witness path).
    bool finite = t.kind != TypeKind::Entity || universe_->atoms(t.id) != nullptr;
    std::size_t size = SIZE_MAX;
    if (finite) {
      std::size_t n = elements(t).size();
      std::size_t levels = 1;
      for (std::size_t length = 1; length < n; length *= 2) ++levels;
      size = saturating_product(saturating_product(saturating_product(n, n), n), levels);
    }
    z3::func_decl tc = size <= ground_limit_ ? ground_closure(e) : quantified_closure(e);
    found = closures_.emplace(key, tc).first;
  }
  z3::expr reached = found->second(a.value, b.value);
  if (e.reflexive) reached = either(reached, a.value == b.value);
  return {ctx_.bool_val(true), all_of(ctx_, {a.present, b.present, reached})};
}

Type Encoder::closure_type(const Expr& e) const {
  return e.closure_of_define ? model_.defines[e.id].params[0].type.type : model_.relations[e.id].params[0].type.type;
}

std::string Encoder::closure_name(const Expr& e) const {
  return e.closure_of_define ? model_.defines[e.id].name : model_.relations[e.id].name;
}

// One step of the closed relation between existing elements x and y.
z3::expr Encoder::closure_edge(const Expr& e, const z3::expr& x, const z3::expr& y) {
  Type t = closure_type(e);
  std::vector<z3::expr> parts{element_exists(t, x), element_exists(t, y)};
  if (e.closure_of_define) {
    parts.push_back(translate_define(model_.defines[e.id], {Term{ctx_.bool_val(true), x}, Term{ctx_.bool_val(true), y}}).value);
  } else {
    parts.push_back(relations_[e.id](x, y));
  }
  return all_of(ctx_, parts);
}

// Iterated squaring with fresh Boolean constants (n^3 per level, log n levels):
//   (assert (= c1_i_j (or c0_i_j (or (and c0_i_m c0_m_j) ...))))
// then (declare-fun tc.r (A A) Bool) with (assert (= (tc.r A$i A$j) cK_i_j)).
z3::func_decl Encoder::ground_closure(const Expr& e) {
  Type t = closure_type(e);
  std::vector<z3::expr> elems = elements(t);
  std::size_t n = elems.size();
  std::vector<std::vector<z3::expr>> reach(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) reach[i].push_back(closure_edge(e, elems[i], elems[j]));
  }
  std::string name = closure_name(e);
  int level = 0;
  for (std::size_t length = 1; length < n; length *= 2, ++level) {
    std::vector<std::vector<z3::expr>> next(n);
    for (std::size_t i = 0; i < n; ++i) {
      check_deadline();
      for (std::size_t j = 0; j < n; ++j) {
        std::vector<z3::expr> paths{reach[i][j]};
        for (std::size_t m = 0; m < n; ++m) paths.push_back(both(reach[i][m], reach[m][j]));
        z3::expr c = ctx_.bool_const(fmt::format("tc.{}!{}_{}_{}", name, level, i, j).c_str());
        new_axioms_.push_back(c == any_of(ctx_, paths));
        next[i].push_back(c);
      }
    }
    reach = std::move(next);
  }
  z3::func_decl tc = ctx_.function(fmt::format("tc.{}", name).c_str(), sort_of(t), sort_of(t), ctx_.bool_sort());
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) new_axioms_.push_back(tc(elems[i], elems[j]) == reach[i][j]);
  }
  return tc;
}

// tc.r is the least relation containing r and closed under a further step:
//   (forall ((a A) (b A)) (=> (r a b) (tc.r a b)))
//   (forall ((a A) (m A) (b A)) (=> (and (r a m) (tc.r m b)) (tc.r a b)))
// and no larger: every pair in it is a step, or a step to a pair of smaller
// rank (a rank that decreases along the witness path rules out cycles that
// justify themselves, so a pair is in tc.r only if a path of r joins them):
//   (forall ((a A) (b A)) (=> (tc.r a b) (or (r a b)
//      (exists ((m A)) (and (r a m) (tc.r m b) (<= 0 (rk.r m b)) (< (rk.r m b) (rk.r a b)))))))
z3::func_decl Encoder::quantified_closure(const Expr& e) {
  Type t = closure_type(e);
  std::string name = closure_name(e);
  z3::sort s = sort_of(t);
  z3::func_decl tc = ctx_.function(fmt::format("tc.{}", name).c_str(), s, s, ctx_.bool_sort());
  z3::func_decl rank = ctx_.function(fmt::format("rk.{}", name).c_str(), s, s, ctx_.int_sort());
  auto var = [&](const char* v) { return ctx_.constant(fmt::format("{}!{}", v, fresh_++).c_str(), s); };
  auto skip = [this](const z3::func_decl& f) { return is_existence_predicate(f); };
  auto axiom = [&](const std::vector<z3::expr>& bound, const z3::expr& body) {
    z3::expr_vector vars(ctx_);
    for (const auto& v : bound) vars.push_back(v);
    new_axioms_.push_back(quantified(true, vars, choose_patterns(body, vars, skip), body));
  };
  z3::expr a = var("a"), b = var("b"), m = var("m");
  axiom({a, b}, implication(closure_edge(e, a, b), tc(a, b)));
  axiom({a, m, b}, implication(both(closure_edge(e, a, m), tc(m, b)), tc(a, b)));
  z3::expr_vector witness(ctx_);
  witness.push_back(m);
  z3::expr smaller = all_of(ctx_, {closure_edge(e, a, m), tc(m, b), 0 <= rank(m, b), rank(m, b) < rank(a, b)});
  z3::expr step = quantified(false, witness, {}, smaller);
  axiom({a, b}, implication(tc(a, b), either(closure_edge(e, a, b), step)));
  return tc;
}

}  // namespace csp::encoder
