// The encoder's inverse (a Z3 model -> an Instance in the spec's vocabulary)
// and the scenario encoding, which maps named entities to atoms.
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "encoder/encoder.h"
#include "encoder/preferences.h"
#include "model/readable.h"

namespace csp::encoder {

using model::ExprKind;
using model::Type;
using model::TypeKind;
using model::Value;

namespace {

// Scenario entity j of kind K is atom #(number of earlier entities of kind K).
std::vector<int> atom_positions(const model::ScenarioDecl& scenario) {
  std::map<int, int> next;
  std::vector<int> positions;
  for (const auto& e : scenario.entities) positions.push_back(next[e.kind.type.id]++);
  return positions;
}

// Per kind and atom, the attribute ids a scenario writes.
std::vector<std::vector<std::set<int>>> written_attributes(const model::Model& model,
                                                           const model::ScenarioDecl& scenario) {
  std::vector<std::vector<std::set<int>>> written(model.kinds.size());
  std::vector<int> position = atom_positions(scenario);
  for (std::size_t j = 0; j < scenario.entities.size(); ++j) {
    auto& of_kind = written[scenario.entities[j].kind.type.id];
    if (of_kind.size() <= static_cast<std::size_t>(position[j])) of_kind.resize(position[j] + 1);
    for (const auto& assign : scenario.entities[j].assignments) of_kind[position[j]].insert(assign.attribute_id);
  }
  return written;
}

bool is_numeric(Type type) { return type.kind == TypeKind::Int || type.kind == TypeKind::Date; }

}  // namespace

z3::expr Encoder::value_bounds(std::int64_t bound, const model::ScenarioDecl* scenario) const {
  std::vector<std::vector<std::set<int>>> written(model_.kinds.size());
  if (scenario) written = written_attributes(model_, *scenario);
  auto is_written = [&](std::size_t kind, std::size_t atom, std::size_t attribute) {
    return atom < written[kind].size() && written[kind][atom].count(static_cast<int>(attribute)) > 0;
  };
  z3::expr low = ctx_.int_val(static_cast<int64_t>(-bound));
  z3::expr high = ctx_.int_val(static_cast<int64_t>(bound));
  z3::expr_vector bounds(ctx_);
  if (unbounded_) throw std::logic_error("encoder: value bounds need a bounded universe");
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    const auto& atoms = *universe_->atoms(static_cast<int>(k));
    for (std::size_t i = 0; i < model_.kinds[k].attributes.size(); ++i) {
      if (!is_numeric(model_.kinds[k].attributes[i].type.type)) continue;
      for (std::size_t atom = 0; atom < atoms.size(); ++atom) {
        if (is_written(k, atom, i)) continue;
        z3::expr value = attributes_[k][i].value(atoms[atom]);
        bounds.push_back(low <= value && value <= high);
      }
    }
  }
  return z3::mk_and(bounds);
}

namespace {

int atom_index(const std::vector<z3::expr>& atoms, const z3::expr& v) {
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    if (z3::eq(atoms[i], v)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

model::Value Encoder::decode_value(const z3::model& m, Type type, const z3::expr& v, const ModelAtoms& atoms) const {
  z3::expr r = m.eval(v, true);
  switch (type.kind) {
    case TypeKind::Bool: return Value::boolean(r.is_true());
    case TypeKind::Int:
    case TypeKind::Date: {
      int64_t n = 0;
      if (!r.is_numeral_i64(n)) throw ValueOutOfRange(fmt::format("model value `{}` is not a 64-bit integer", r.to_string()));
      return type.kind == TypeKind::Int ? Value::integer(n) : Value::date(n);
    }
    case TypeKind::Enum: {
      const auto& values = enums_[type.id].values;
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (z3::eq(values[i], r)) return Value::enum_value(type.id, static_cast<int64_t>(i));
      }
      break;
    }
    case TypeKind::Entity: {
      int atom = atom_index(atoms.atoms[type.id], r);
      if (atom >= 0 && atoms.entity[type.id][atom] >= 0) return Value::entity(type.id, atoms.entity[type.id][atom]);
      throw std::runtime_error(fmt::format("model refers to a non-existent entity `{}`", r.to_string()));
    }
    case TypeKind::Error: break;
  }
  throw std::runtime_error(fmt::format("cannot decode model value `{}`", r.to_string()));
}

model::Instance Encoder::decode(const z3::model& m, const model::ScenarioDecl* scenario) const {
  model::Instance out;
  ModelAtoms atoms;
  std::vector<std::vector<std::string>> scenario_names(model_.kinds.size());
  if (scenario) {
    for (const auto& e : scenario->entities) scenario_names[e.kind.type.id].push_back(e.name);
  }
  std::vector<bool> generated;  // named here, not by the scenario: renamed by role below
  // Entities first, so references can be resolved to entity indices.
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    atoms.atoms.push_back(universe_->atoms_in(m, static_cast<int>(k)));
    const auto& candidates = atoms.atoms.back();
    atoms.entity.emplace_back(candidates.size(), -1);
    int ordinal = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (!m.eval(universe_->exists(k, candidates[i]), true).is_true()) continue;
      atoms.entity[k][i] = static_cast<int>(out.entities.size());
      std::string name = i < scenario_names[k].size() ? scenario_names[k][i]
                                                      : fmt::format("{}{}", model_.kinds[k].name, ++ordinal);
      out.entities.push_back({name, static_cast<int>(k), {}});
      generated.push_back(i >= scenario_names[k].size());
    }
  }
  for (auto& entity : out.entities) {
    int k = entity.kind;
    int atom = 0;
    while (atoms.entity[k][atom] != &entity - out.entities.data()) ++atom;
    const z3::expr& a = atoms.atoms[k][atom];
    for (std::size_t i = 0; i < model_.kinds[k].attributes.size(); ++i) {
      const auto& symbols = attributes_[k][i];
      Type t = model_.kinds[k].attributes[i].type.type;
      if (symbols.has && !m.eval((*symbols.has)(a), true).is_true()) {
        entity.attributes.push_back(Value::none());
      } else {
        entity.attributes.push_back(decode_value(m, t, symbols.value(a), atoms));
      }
    }
  }
  model::name_by_role(model_, out, generated);
  // Tuples over existing elements only: tuples on absent atoms are never
  // observed by a formula, so they are not part of the instance.
  out.relations.resize(model_.relations.size());
  for (std::size_t r = 0; r < model_.relations.size(); ++r) {
    const auto& params = model_.relations[r].params;
    std::vector<std::vector<z3::expr>> domains;
    std::size_t product = 1;
    for (const auto& p : params) {
      std::vector<z3::expr> d;
      Type t = p.type.type;
      for (const auto& e : t.kind == TypeKind::Entity ? atoms.atoms[t.id] : elements(t)) {
        if (m.eval(element_exists(p.type.type, e), true).is_true()) d.push_back(e);
      }
      product *= d.size();
      domains.push_back(std::move(d));
    }
    if (product > 1000000) throw std::runtime_error(fmt::format("relation `{}` is too large to decode", model_.relations[r].name));
    std::vector<std::size_t> index(params.size(), 0);
    for (std::size_t n = 0; n < product; ++n) {
      z3::expr_vector args(ctx_);
      for (std::size_t i = 0; i < params.size(); ++i) args.push_back(domains[i][index[i]]);
      if (m.eval(relations_[r](args), true).is_true()) {
        model::Tuple tuple;
        for (std::size_t i = 0; i < params.size(); ++i) {
          tuple.push_back(decode_value(m, params[i].type.type, args[static_cast<unsigned>(i)], atoms));
        }
        out.relations[r].insert(std::move(tuple));
      }
      for (std::size_t i = params.size(); i-- > 0;) {  // odometer over the domains
        if (++index[i] < domains[i].size()) break;
        index[i] = 0;
      }
    }
  }
  return out;
}

z3::expr_vector Encoder::scenario_universe(const model::ScenarioDecl& scenario) const {
  z3::expr_vector out(ctx_);
  std::vector<int> count(model_.kinds.size(), 0);
  for (const auto& e : scenario.entities) ++count[e.kind.type.id];
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    const auto& atoms = *universe_->atoms(k);
    for (std::size_t i = 0; i < atoms.size(); ++i) {
      z3::expr ex = universe_->exists(k, atoms[i]);
      out.push_back(static_cast<int>(i) < count[k] ? ex : !ex);
    }
  }
  return out;
}

z3::expr Encoder::scenario_attribute_none(const model::ScenarioDecl& scenario, std::size_t entity,
                                          int attribute) const {
  int kind = scenario.entities[entity].kind.type.id;
  const auto& symbols = attributes_[kind][attribute];
  if (!symbols.has) return ctx_.bool_val(false);  // a required attribute always has a value
  z3::expr atom = (*universe_->atoms(kind))[atom_positions(scenario)[entity]];
  return !(*symbols.has)(atom);
}

// How far a repaired enum value is from reading naturally: 0 when the fact
// is kept, else its rank among typical_values (a country the spec writes,
// then the first of each region), past them all for any other value.
std::optional<z3::expr> Encoder::unnatural(const z3::expr& value, const z3::expr& written, int enum_id) const {
  std::vector<int> typical = typical_values(model_, enum_id);
  if (typical.empty()) return std::nullopt;
  z3::expr rank = ctx_.int_val(static_cast<int>(typical.size()) + 1);
  for (std::size_t i = typical.size(); i-- > 0;) {
    rank = z3::ite(value == enums_[enum_id].values[typical[i]], ctx_.int_val(static_cast<int>(i) + 1), rank);
  }
  return z3::ite(value == written, ctx_.int_val(0), rank);
}

std::vector<Encoder::ScenarioFact> Encoder::scenario_facts(const model::ScenarioDecl& scenario) const {
  std::vector<ScenarioFact> out;
  std::vector<int> position = atom_positions(scenario);
  auto atom_of = [&](std::size_t entity) {
    return (*universe_->atoms(scenario.entities[entity].kind.type.id))[position[entity]];
  };
  auto value_of = [&](const model::Expr& v) -> z3::expr {
    if (v.kind == ExprKind::EntityName) return atom_of(static_cast<std::size_t>(v.id));
    return literal(v);
  };
  for (std::size_t j = 0; j < scenario.entities.size(); ++j) {
    const auto& entity = scenario.entities[j];
    int k = entity.kind.type.id;
    for (const auto& assign : entity.assignments) {
      const auto& symbols = attributes_[k][assign.attribute_id];
      z3::expr atom = atom_of(j);
      std::string shown = assign.value->kind == ExprKind::NoneLit ? "none" : assign.value->name;
      if (assign.value->kind == ExprKind::EnumValue) shown = model_.enums[assign.value->id].values[assign.value->value];
      if (assign.value->kind == ExprKind::EntityName) shown = scenario.entities[assign.value->id].name;
      if (assign.value->kind == ExprKind::IntLit) shown = std::to_string(assign.value->value);
      if (assign.value->kind == ExprKind::DateLit) shown = model::format_date(assign.value->value);
      if (assign.value->kind == ExprKind::BoolLit) shown = assign.value->value ? "true" : "false";
      std::string description = fmt::format("{}.{} = {}", entity.name, assign.attribute, shown);
      ScenarioFact fact{ctx_.bool_val(true), description, false, true, {}, -1, -1, std::nullopt};
      fact.entity = static_cast<int>(j);
      fact.attribute = assign.attribute_id;
      if (assign.value->kind == ExprKind::NoneLit) {
        fact.constraint = symbols.has ? !(*symbols.has)(atom) : ctx_.bool_val(false);
        out.push_back(fact);
        continue;
      }
      z3::expr value = symbols.value(atom);
      z3::expr written = value_of(*assign.value);
      fact.constraint = value == written;
      if (symbols.has) fact.constraint = (*symbols.has)(atom) && fact.constraint;
      if (value.is_int()) fact.distance = z3::ite(value >= written, value - written, written - value);
      if (assign.value->kind == ExprKind::EnumValue) fact.distance = unnatural(value, written, assign.value->id);
      out.push_back(fact);
    }
  }
  // Closed world: every tuple over the scenario's elements is a fact, listed
  // tuples true and all others false.
  for (std::size_t r = 0; r < model_.relations.size(); ++r) {
    const auto& rel = model_.relations[r];
    std::set<std::vector<std::string>> listed;
    for (const auto& fact : scenario.facts) {
      if (fact.relation_id != static_cast<int>(r)) continue;
      std::vector<std::string> names;
      for (const auto& a : fact.args) names.push_back(a->kind == ExprKind::EnumValue ? model_.enums[a->id].values[a->value] : a->name);
      listed.insert(names);
    }
    std::vector<std::vector<std::pair<std::string, z3::expr>>> domains;
    std::size_t product = 1;
    for (const auto& p : rel.params) {
      std::vector<std::pair<std::string, z3::expr>> d;
      Type t = p.type.type;
      if (t.kind == TypeKind::Entity) {
        for (std::size_t j = 0; j < scenario.entities.size(); ++j) {
          if (scenario.entities[j].kind.type.id == t.id) d.emplace_back(scenario.entities[j].name, atom_of(j));
        }
      } else {
        for (std::size_t i = 0; i < enums_[t.id].values.size(); ++i) d.emplace_back(model_.enums[t.id].values[i], enums_[t.id].values[i]);
      }
      product *= d.size();
      domains.push_back(std::move(d));
    }
    std::vector<std::size_t> index(rel.params.size(), 0);
    for (std::size_t n = 0; n < product; ++n) {
      z3::expr_vector args(ctx_);
      std::vector<std::string> names;
      for (std::size_t i = 0; i < rel.params.size(); ++i) {
        names.push_back(domains[i][index[i]].first);
        args.push_back(domains[i][index[i]].second);
      }
      bool is_listed = listed.count(names) > 0;
      std::string text = fmt::format("{}({})", rel.name, fmt::join(names, ", "));
      z3::expr holds = relations_[r](args);
      ScenarioFact fact{is_listed ? holds : !holds, is_listed ? text : "not " + text, true, true, {}, -1, -1,
                        std::nullopt};
      fact.listed = is_listed;
      fact.tuple_text = text;
      out.push_back(fact);
      for (std::size_t i = rel.params.size(); i-- > 0;) {
        if (++index[i] < domains[i].size()) break;
        index[i] = 0;
      }
    }
  }
  return out;
}

}  // namespace csp::encoder
