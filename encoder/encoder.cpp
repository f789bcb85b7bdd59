// Expression translation and the vocabulary. Each translation states the
// SMT-LIB it produces, so the encoding can be reviewed against docs/language.md.
#include "encoder/encoder.h"

#include <set>
#include <stdexcept>

#include <fmt/format.h>

namespace csp::encoder {

using model::Expr;
using model::ExprKind;
using model::Type;
using model::TypeKind;

namespace {

z3::expr conjunction(z3::context& ctx, const std::vector<z3::expr>& parts) {
  z3::expr_vector v(ctx);
  for (const auto& p : parts) v.push_back(p);
  return v.empty() ? ctx.bool_val(true) : z3::mk_and(v);
}

z3::expr disjunction(z3::context& ctx, const std::vector<z3::expr>& parts) {
  z3::expr_vector v(ctx);
  for (const auto& p : parts) v.push_back(p);
  return v.empty() ? ctx.bool_val(false) : z3::mk_or(v);
}

bool is_finite(Type t) { return t.kind == TypeKind::Enum || t.kind == TypeKind::Bool; }

}  // namespace

Encoder::Encoder(z3::context& ctx, const model::Model& model, const model::Scope& scope)
    : ctx_(ctx), model_(model), universe_(make_bounded_universe(ctx, model, scope)),
      background_(ctx), new_axioms_(ctx) {
  declare_vocabulary();
}

void Encoder::declare_vocabulary() {
  // (declare-datatypes () ((Region Region.africa Region.europe ...)))
  for (const auto& e : model_.enums) {
    std::vector<std::string> names;
    for (const auto& v : e.values) names.push_back(fmt::format("{}.{}", e.name, v));
    if (names.empty()) names.push_back(fmt::format("{}.<empty>", e.name));
    std::vector<const char*> cnames;
    for (const auto& s : names) cnames.push_back(s.c_str());
    z3::func_decl_vector cs(ctx_), ts(ctx_);
    std::string sort_name = fmt::format("E_{}", e.name);
    z3::sort sort = ctx_.enumeration_sort(sort_name.c_str(), static_cast<unsigned>(cnames.size()),
                                          cnames.data(), cs, ts);
    std::vector<z3::expr> values;
    for (unsigned i = 0; i < cs.size(); ++i) values.push_back(cs[i]());
    enums_.push_back({sort, std::move(values)});
  }
  // (declare-fun Partner.country (Partner) Country), (declare-fun Partner.mpa_signed? (Partner) Bool)
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    const auto& kind = model_.kinds[k];
    std::vector<AttributeSymbols> attrs;
    for (const auto& a : kind.attributes) {
      std::string name = fmt::format("{}.{}", kind.name, a.name);
      z3::func_decl value = ctx_.function(name.c_str(), universe_->sort(k), sort_of(a.type.type));
      std::optional<z3::func_decl> has;
      if (a.type.type.optional) {
        has = ctx_.function((name + "?").c_str(), universe_->sort(k), ctx_.bool_sort());
      }
      attrs.push_back({value, has});
    }
    attributes_.push_back(std::move(attrs));
  }
  // (declare-fun partnership (Partner Partner) Bool)
  for (const auto& r : model_.relations) {
    z3::sort_vector domain(ctx_);
    for (const auto& p : r.params) domain.push_back(sort_of(p.type.type));
    relations_.push_back(ctx_.function(fmt::format("rel.{}", r.name).c_str(), domain, ctx_.bool_sort()));
  }
  for (std::size_t t = 0; t < model_.tables.size(); ++t) declare_table(static_cast<int>(t));

  // Every reference attribute of an existing entity points at an existing entity:
  // (assert (=> (and (Sale_exists Sale$i) (Sale.reseller? Sale$i)) (Partner_exists (Sale.reseller Sale$i))))
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    const auto& kind = model_.kinds[k];
    const auto* atoms = universe_->atoms(k);
    for (std::size_t a = 0; a < kind.attributes.size(); ++a) {
      Type t = kind.attributes[a].type.type;
      if (t.kind != TypeKind::Entity) continue;
      for (const auto& atom : *atoms) {
        z3::expr guard = universe_->exists(k, atom);
        if (attributes_[k][a].has) guard = guard && (*attributes_[k][a].has)(atom);
        background_.push_back(z3::implies(guard, universe_->exists(t.id, attributes_[k][a].value(atom))));
      }
    }
  }
  for (const auto& axiom : universe_->axioms()) background_.push_back(axiom);
}

// A functional table whose keys are all finite becomes two functions defined
// row by row:  (assert (and (region_of? Country.FR) (= (region_of Country.FR) Region.europe)))
// and keys that have no row are absent:  (assert (not (region_of? Country.XX))).
void Encoder::declare_table(int table_id) {
  const auto& table = model_.tables[table_id];
  if (!table.functional || table.params.size() < 2) return;
  z3::sort_vector domain(ctx_);
  std::size_t key_count = table.params.size() - 1;
  for (std::size_t i = 0; i < key_count; ++i) {
    Type t = table.params[i].type.type;
    if (!is_finite(t)) return;  // Int/Date keys: looked up by an inline disjunction instead
    domain.push_back(sort_of(t));
  }
  Type value_type = table.params.back().type.type;
  std::string name = fmt::format("table.{}", table.name);
  TableSymbols symbols{ctx_.function(name.c_str(), domain, sort_of(value_type)),
                       ctx_.function((name + "?").c_str(), domain, ctx_.bool_sort())};
  std::vector<z3::expr> key_matches;  // used for the quantified "has" definition
  z3::expr_vector xs(ctx_);
  for (std::size_t i = 0; i < key_count; ++i) {
    xs.push_back(ctx_.constant(fmt::format("k{}", i).c_str(), domain[static_cast<unsigned>(i)]));
  }
  for (const auto& row : table.rows) {
    if (row.cells.size() != table.params.size()) continue;
    bool has_none = false;
    for (const auto& c : row.cells) has_none = has_none || c->kind == ExprKind::NoneLit;
    if (has_none) continue;  // a row with a missing cell defines no lookup
    z3::expr_vector keys(ctx_);
    std::vector<z3::expr> match;
    for (std::size_t i = 0; i < key_count; ++i) {
      keys.push_back(literal(*row.cells[i]));
      match.push_back(xs[static_cast<unsigned>(i)] == keys.back());
    }
    background_.push_back(symbols.has(keys));
    background_.push_back(symbols.value(keys) == literal(*row.cells.back()));
    key_matches.push_back(conjunction(ctx_, match));
  }
  // A single finite key: every key without a row is absent, read straight
  // off the rows:  (assert (not (region_of? Country.XX)))
  // Several keys:  (assert (forall ((k0 A) (k1 B)) (= (t? k0 k1) (or (and (= k0 a1) (= k1 b1)) ...))))
  if (key_count == 1) {
    std::vector<z3::expr> keys = elements(table.params[0].type.type);
    std::vector<bool> listed(keys.size(), false);
    for (const auto& row : table.rows) {
      if (row.cells.size() != table.params.size() || row.cells[0]->kind == ExprKind::NoneLit ||
          row.cells.back()->kind == ExprKind::NoneLit) {
        continue;
      }
      const Expr& key = *row.cells[0];
      std::size_t index = key.kind == ExprKind::BoolLit ? static_cast<std::size_t>(key.value != 0)
                                                         : static_cast<std::size_t>(key.value);
      if (index < listed.size()) listed[index] = true;
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (!listed[i]) background_.push_back(!symbols.has(keys[i]));
    }
  } else {
    background_.push_back(z3::forall(xs, symbols.has(xs) == disjunction(ctx_, key_matches)));
  }
  functional_tables_.emplace(table_id, symbols);
}

z3::expr_vector Encoder::background() const { return background_; }

z3::expr_vector Encoder::take_new_axioms() {
  z3::expr_vector out = new_axioms_;
  new_axioms_ = z3::expr_vector(ctx_);
  return out;
}

z3::sort Encoder::sort_of(Type type) const {
  switch (type.kind) {
    case TypeKind::Bool: return ctx_.bool_sort();
    case TypeKind::Int:
    case TypeKind::Date: return ctx_.int_sort();
    case TypeKind::Enum: return enums_[type.id].sort;
    case TypeKind::Entity: return universe_->sort(type.id);
    case TypeKind::Error: break;
  }
  throw std::logic_error("encoder: expression without a type (the checker should have rejected it)");
}

z3::expr Encoder::default_value(Type type) const {
  switch (type.kind) {
    case TypeKind::Bool: return ctx_.bool_val(false);
    case TypeKind::Int:
    case TypeKind::Date: return ctx_.int_val(0);
    case TypeKind::Enum: return enums_[type.id].values[0];
    case TypeKind::Entity: return (*universe_->atoms(type.id))[0];
    case TypeKind::Error: break;
  }
  return ctx_.int_val(0);
}

z3::expr Encoder::literal(const Expr& cell) const {
  switch (cell.kind) {
    case ExprKind::BoolLit: return ctx_.bool_val(cell.value != 0);
    case ExprKind::IntLit:
    case ExprKind::DateLit: return ctx_.int_val(static_cast<int64_t>(cell.value));
    case ExprKind::EnumValue: return enums_[cell.id].values[cell.value];
    default: break;
  }
  throw std::logic_error(fmt::format("encoder: unexpected literal kind in table cell `{}`", cell.name));
}

std::vector<z3::expr> Encoder::elements(Type type) const {
  switch (type.kind) {
    case TypeKind::Bool: return {ctx_.bool_val(false), ctx_.bool_val(true)};
    case TypeKind::Enum: return enums_[type.id].values;
    case TypeKind::Entity: return *universe_->atoms(type.id);
    default: break;
  }
  throw std::logic_error("encoder: elements of an infinite type");
}

z3::expr Encoder::element_exists(Type type, const z3::expr& e) const {
  return type.kind == TypeKind::Entity ? universe_->exists(type.id, e) : ctx_.bool_val(true);
}

z3::expr Encoder::formula(const model::FormulaDecl& decl) {
  Slots slots(static_cast<std::size_t>(decl.slot_count));
  return translate_bool(*decl.body, slots);
}

z3::expr Encoder::nonempty(int kind) const {
  std::vector<z3::expr> parts;
  for (const auto& atom : *universe_->atoms(kind)) parts.push_back(universe_->exists(kind, atom));
  return disjunction(ctx_, parts);
}

z3::expr_vector Encoder::entity_literals() const {
  z3::expr_vector out(ctx_);
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    for (const auto& atom : *universe_->atoms(k)) out.push_back(universe_->exists(k, atom));
  }
  return out;
}

z3::expr_vector Encoder::tuple_literals() const {
  z3::expr_vector terms(ctx_);
  for (std::size_t r = 0; r < model_.relations.size(); ++r) {
    const auto& params = model_.relations[r].params;
    std::vector<std::vector<z3::expr>> domains;
    std::size_t product = 1;
    for (const auto& p : params) {
      domains.push_back(elements(p.type.type));
      product *= domains.back().size();
    }
    if (product > 20000) continue;  // too many candidate tuples to count; left free
    std::vector<std::size_t> index(params.size(), 0);
    for (std::size_t n = 0; n < product; ++n) {
      z3::expr_vector args(ctx_);
      std::vector<z3::expr> present;
      for (std::size_t i = 0; i < params.size(); ++i) {
        args.push_back(domains[i][index[i]]);
        present.push_back(element_exists(params[i].type.type, domains[i][index[i]]));
      }
      present.push_back(relations_[r](args));
      terms.push_back(conjunction(ctx_, present));
      for (std::size_t i = params.size(); i-- > 0;) {
        if (++index[i] < domains[i].size()) break;
        index[i] = 0;
      }
    }
  }
  return terms;
}

// A Bool-typed term in formula position: a `none` Bool is false.
z3::expr Encoder::translate_bool(const Expr& e, Slots& slots) {
  Term t = translate(e, slots);
  return e.type.optional ? (t.present && t.value) : t.value;
}

// (a == b) with none as a value: both absent, or both present and equal.
z3::expr Encoder::equal(const Term& a, const Term& b) const {
  z3::expr both = a.present && b.present;
  if (!z3::eq(a.value.get_sort(), b.value.get_sort())) return !a.present && !b.present;
  return (both && a.value == b.value) || (!a.present && !b.present);
}

Term Encoder::translate(const Expr& e, Slots& slots) {
  z3::expr yes = ctx_.bool_val(true);
  auto binary = [&](auto op) {
    Term a = translate(*e.args[0], slots);
    Term b = translate(*e.args[1], slots);
    return Term{a.present && b.present, op(a.value, b.value)};
  };
  auto ordered = [&](auto op) {
    Term a = translate(*e.args[0], slots);
    Term b = translate(*e.args[1], slots);
    return Term{yes, a.present && b.present && op(a.value, b.value)};
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
    case ExprKind::Not: return {yes, !translate_bool(*e.args[0], slots)};
    case ExprKind::And:
    case ExprKind::Or: {
      std::vector<z3::expr> parts;
      for (const auto& a : e.args) parts.push_back(translate_bool(*a, slots));
      return {yes, e.kind == ExprKind::And ? conjunction(ctx_, parts) : disjunction(ctx_, parts)};
    }
    case ExprKind::Implies:
      return {yes, z3::implies(translate_bool(*e.args[0], slots), translate_bool(*e.args[1], slots))};
    case ExprKind::Iff:
      return {yes, translate_bool(*e.args[0], slots) == translate_bool(*e.args[1], slots)};
    case ExprKind::Eq:
    case ExprKind::Ne: {
      Term a = translate(*e.args[0], slots);
      Term b = translate(*e.args[1], slots);
      z3::expr eq = equal(a, b);
      return {yes, e.kind == ExprKind::Eq ? eq : !eq};
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
      return {yes, disjunction(ctx_, options)};
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

// forall x: K | body  ~>  (forall ((x K)) (=> (K_exists x) body))
// exists x: K | body  ~>  (exists ((x K)) (and (K_exists x) body))
Term Encoder::translate_quantifier(const Expr& e, Slots& slots) {
  // Small domains are expanded over the atoms, large ones stay quantified:
  // Z3 answers ground instances of small scopes fastest, while quantifiers
  // over finite sorts win when the expansion would be large (bench/).
  std::size_t product = 1;
  for (const auto& b : e.bindings) {
    const auto* atoms = universe_->atoms(b.kind.type.id);
    product = atoms ? product * atoms->size() : SIZE_MAX;
    if (product > ground_limit_) break;
  }
  if (product <= ground_limit_) return expand_quantifier(e, slots);
  z3::expr_vector vars(ctx_);
  std::vector<z3::expr> guards;
  for (const auto& b : e.bindings) {
    int kind = b.kind.type.id;
    z3::expr var = ctx_.constant(fmt::format("{}!{}", b.name, fresh_++).c_str(), universe_->sort(kind));
    vars.push_back(var);
    guards.push_back(universe_->exists(kind, var));
    if (static_cast<std::size_t>(b.slot) >= slots.size()) slots.resize(b.slot + 1);
    slots[b.slot] = Term{ctx_.bool_val(true), var};
  }
  z3::expr body = translate_bool(*e.args[0], slots);
  for (const auto& b : e.bindings) slots[b.slot].reset();
  z3::expr guard = conjunction(ctx_, guards);
  z3::expr result = e.kind == ExprKind::Forall ? z3::forall(vars, z3::implies(guard, body))
                                               : z3::exists(vars, guard && body);
  return {ctx_.bool_val(true), result};
}

// forall x: K | body  ~>  (and (=> (K_exists K$0) body[K$0]) ... (=> (K_exists K$n-1) body[K$n-1]))
// exists x: K | body  ~>  (or (and (K_exists K$0) body[K$0]) ...)
Term Encoder::expand_quantifier(const Expr& e, Slots& slots) {
  bool forall = e.kind == ExprKind::Forall;
  std::vector<z3::expr> parts;
  std::vector<std::size_t> index(e.bindings.size(), 0);
  std::size_t product = 1;
  for (const auto& b : e.bindings) product *= universe_->atoms(b.kind.type.id)->size();
  for (std::size_t n = 0; n < product; ++n) {
    std::vector<z3::expr> guards;
    for (std::size_t i = 0; i < e.bindings.size(); ++i) {
      const auto& b = e.bindings[i];
      const z3::expr& atom = (*universe_->atoms(b.kind.type.id))[index[i]];
      guards.push_back(universe_->exists(b.kind.type.id, atom));
      if (static_cast<std::size_t>(b.slot) >= slots.size()) slots.resize(b.slot + 1);
      slots[b.slot] = Term{ctx_.bool_val(true), atom};
    }
    z3::expr body = translate_bool(*e.args[0], slots);
    z3::expr guard = conjunction(ctx_, guards);
    parts.push_back(forall ? z3::implies(guard, body) : (guard && body));
    for (std::size_t i = e.bindings.size(); i-- > 0;) {
      if (++index[i] < universe_->atoms(e.bindings[i].kind.type.id)->size()) break;
      index[i] = 0;
    }
  }
  for (const auto& b : e.bindings) slots[b.slot].reset();
  return {ctx_.bool_val(true), forall ? conjunction(ctx_, parts) : disjunction(ctx_, parts)};
}

// p.attr ~> (Partner.attr p); present when p is present and, for an optional
// attribute, (Partner.attr? p) holds.
Term Encoder::translate_attr(const Expr& e, Slots& slots) {
  Term base = translate(*e.args[0], slots);
  const auto& symbols = attributes_[e.kind_id][e.id];
  z3::expr present = base.present;
  if (symbols.has) present = present && (*symbols.has)(base.value);
  return {present.simplify(), symbols.value(base.value)};
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
  return {ctx_.bool_val(true), conjunction(ctx_, present)};
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
    z3::expr has = conjunction(ctx_, {conjunction(ctx_, std::vector<z3::expr>(present.begin(), present.begin() + key_count)),
                                      symbols->second.has(keys)});
    z3::expr value = symbols->second.value(keys);
    if (e.table_lookup) return {has, value};
    return {ctx_.bool_val(true), has && args.back().present && value == args.back().value};
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
    if (usable) matches.push_back(conjunction(ctx_, m));
  }
  z3::expr all_present = conjunction(ctx_, present);
  if (!e.table_lookup) return {ctx_.bool_val(true), all_present && disjunction(ctx_, matches)};
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
    z3::expr hit = conjunction(ctx_, m);
    value = z3::ite(hit, literal(*row.cells.back()), value);
    found = hit || found;
  }
  return {all_present && found, value};
}

// A define is expanded in place with its parameters bound to the arguments.
Term Encoder::translate_define(const model::DefineDecl& define, const std::vector<Term>& args) {
  Slots slots(static_cast<std::size_t>(std::max<int>(define.slot_count, static_cast<int>(args.size()))));
  for (std::size_t i = 0; i < args.size(); ++i) slots[i] = args[i];
  return {ctx_.bool_val(true), translate_bool(*define.body, slots)};
}

// ^r(a, b): reachability in the finite graph of r over existing elements, by
// iterated squaring with fresh Boolean constants (n^3 per level, log n levels):
//   (assert (= c1_i_j (or c0_i_j (or (and c0_i_m c0_m_j) ...))))
// then (declare-fun tc.r (A A) Bool) with (assert (= (tc.r A$i A$j) cK_i_j)).
Term Encoder::translate_closure(const Expr& e, Slots& slots) {
  Term a = translate(*e.args[0], slots);
  Term b = translate(*e.args[1], slots);
  auto key = std::make_pair(e.id, e.closure_of_define);
  auto found = closures_.find(key);
  if (found == closures_.end()) {
    Type t = e.closure_of_define ? model_.defines[e.id].params[0].type.type
                                 : model_.relations[e.id].params[0].type.type;
    std::vector<z3::expr> elems = elements(t);
    std::size_t n = elems.size();
    std::vector<std::vector<z3::expr>> reach(n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        z3::expr edge = e.closure_of_define
            ? translate_define(model_.defines[e.id], {Term{ctx_.bool_val(true), elems[i]},
                                                       Term{ctx_.bool_val(true), elems[j]}}).value
            : relations_[e.id](elems[i], elems[j]);
        reach[i].push_back(element_exists(t, elems[i]) && element_exists(t, elems[j]) && edge);
      }
    }
    std::string name = e.closure_of_define ? model_.defines[e.id].name : model_.relations[e.id].name;
    int level = 0;
    for (std::size_t length = 1; length < n; length *= 2, ++level) {
      std::vector<std::vector<z3::expr>> next(n);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < n; ++j) {
          std::vector<z3::expr> paths{reach[i][j]};
          for (std::size_t m = 0; m < n; ++m) paths.push_back(reach[i][m] && reach[m][j]);
          z3::expr c = ctx_.bool_const(fmt::format("tc.{}!{}_{}_{}", name, level, i, j).c_str());
          new_axioms_.push_back(c == disjunction(ctx_, paths));
          next[i].push_back(c);
        }
      }
      reach = std::move(next);
    }
    z3::func_decl tc = ctx_.function(fmt::format("tc.{}", name).c_str(), sort_of(t), sort_of(t), ctx_.bool_sort());
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) new_axioms_.push_back(tc(elems[i], elems[j]) == reach[i][j]);
    }
    found = closures_.emplace(key, tc).first;
  }
  z3::expr reached = found->second(a.value, b.value);
  if (e.reflexive) reached = reached || a.value == b.value;
  return {ctx_.bool_val(true), a.present && b.present && reached};
}

}  // namespace csp::encoder
