// The vocabulary and the background axioms. Each declaration states the
// SMT-LIB it produces, so the encoding can be reviewed against docs/language.md.
// Expressions are translated in translate.cpp.
#include "encoder/encoder.h"

#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "encoder/logic.h"

namespace csp::encoder {

using model::Expr;
using model::ExprKind;
using model::Type;
using model::TypeKind;

namespace {

bool is_finite(Type t) { return t.kind == TypeKind::Enum || t.kind == TypeKind::Bool; }

}  // namespace

Encoder::Encoder(z3::context& ctx, const model::Model& model, const model::Scope& scope, std::size_t ground_limit)
    : ctx_(ctx), model_(model), universe_(make_bounded_universe(ctx, model, scope)),
      background_(ctx), new_axioms_(ctx), ground_limit_(ground_limit) {
  declare_vocabulary();
}

Encoder::Encoder(z3::context& ctx, const model::Model& model)
    : ctx_(ctx), model_(model), universe_(make_unbounded_universe(ctx, model)),
      background_(ctx), new_axioms_(ctx), unbounded_(true), ground_limit_(0) {
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

  // Every reference attribute of an existing entity points at an existing
  // entity: one quantifier per attribute, instantiated per term it is read on
  //   (assert (forall ((x Sale)) (! (=> (and (Sale_exists x) (Sale.reseller? x))
  //                                     (Partner_exists (Sale.reseller x))) :pattern ((Sale.reseller x)))))
  // or, within the ground limit, one implication per atom.
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    const auto& kind = model_.kinds[k];
    for (std::size_t a = 0; a < kind.attributes.size(); ++a) {
      Type t = kind.attributes[a].type.type;
      if (t.kind != TypeKind::Entity) continue;
      auto axiom = [&](const z3::expr& x) {
        z3::expr guard = universe_->exists(k, x);
        if (attributes_[k][a].has) guard = guard && (*attributes_[k][a].has)(x);
        return z3::implies(guard, universe_->exists(t.id, attributes_[k][a].value(x)));
      };
      const auto* atoms = universe_->atoms(k);
      if (atoms && atoms->size() <= ground_limit_) {
        for (const auto& atom : *atoms) background_.push_back(axiom(atom));
        continue;
      }
      z3::expr x = ctx_.constant(fmt::format("x!{}", fresh_++).c_str(), universe_->sort(k));
      z3::expr_vector vars(ctx_);
      vars.push_back(x);
      background_.push_back(quantified(true, vars, {{attributes_[k][a].value(x)}}, axiom(x)));
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
  std::vector<z3::expr> has_rows;     // (t? k) per row; left out when every key has a row
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
    has_rows.push_back(symbols.has(keys));
    background_.push_back(symbols.value(keys) == literal(*row.cells.back()));
    key_matches.push_back(all_of(ctx_, match));
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
    symbols.total = true;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (!listed[i]) background_.push_back(!symbols.has(keys[i]));
      symbols.total = symbols.total && listed[i];
    }
  } else {
    background_.push_back(z3::forall(xs, symbols.has(xs) == any_of(ctx_, key_matches)));
  }
  if (!symbols.total) {
    for (const auto& h : has_rows) background_.push_back(h);
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
    case TypeKind::Entity: {
      // Any element will do (the value of an absent term is never read); an
      // unbounded sort has no named atom, so a constant of its own.
      const auto* atoms = universe_->atoms(type.id);
      if (atoms) return (*atoms)[0];
      return ctx_.constant(fmt::format("{}!default", model_.kinds[type.id].name).c_str(), universe_->sort(type.id));
    }
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
    case TypeKind::Entity:
      if (const auto* atoms = universe_->atoms(type.id)) return *atoms;
      break;
    default: break;
  }
  throw std::logic_error("encoder: elements of an infinite type or an unbounded kind");
}

z3::expr Encoder::element_exists(Type type, const z3::expr& e) const {
  return type.kind == TypeKind::Entity ? universe_->exists(type.id, e) : ctx_.bool_val(true);
}

z3::expr Encoder::formula(const model::FormulaDecl& decl) {
  Slots slots(static_cast<std::size_t>(decl.slot_count));
  return translate_bool(*decl.body, slots);
}

z3::expr Encoder::nonempty(int kind) const {
  const auto* atoms = universe_->atoms(kind);
  if (!atoms) {
    // (exists ((x K)) (K_exists x))
    z3::expr x = ctx_.constant(fmt::format("{}!some", model_.kinds[kind].name).c_str(), universe_->sort(kind));
    return z3::exists(x, universe_->exists(kind, x));
  }
  std::vector<z3::expr> parts;
  for (const auto& atom : *atoms) parts.push_back(universe_->exists(kind, atom));
  return any_of(ctx_, parts);
}

z3::expr_vector Encoder::entity_literals() const {
  z3::expr_vector out(ctx_);
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    const auto* atoms = universe_->atoms(k);
    if (!atoms) continue;  // unbounded: nothing to count
    for (const auto& atom : *atoms) out.push_back(universe_->exists(k, atom));
  }
  return out;
}



z3::expr_vector Encoder::tuple_literals() const {
  z3::expr_vector terms(ctx_);
  if (unbounded()) return terms;
  for (std::size_t r = 0; r < model_.relations.size(); ++r) {
    const auto& params = model_.relations[r].params;
    std::vector<std::vector<z3::expr>> domains;
    std::size_t product = 1;
    for (const auto& p : params) {
      domains.push_back(elements(p.type.type));
      product = saturating_product(product, domains.back().size());
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
      terms.push_back(all_of(ctx_, present));
      for (std::size_t i = params.size(); i-- > 0;) {
        if (++index[i] < domains[i].size()) break;
        index[i] = 0;
      }
    }
  }
  return terms;
}


}  // namespace csp::encoder
