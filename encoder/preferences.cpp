// Readable values for an instance whose shape is settled: which values to
// prefer for its Int, Date and enum attributes (Session::Shrinker::natural_values).
#include <algorithm>
#include <functional>
#include <set>

#include "encoder/encoder.h"
#include "encoder/preferences.h"

namespace csp::encoder {

using model::ExprKind;
using model::TypeKind;

namespace {

// Every date the spec's rules, properties and defines write, in order.
std::vector<std::int64_t> spec_dates(const model::Model& model) {
  std::set<std::int64_t> dates;
  std::function<void(const model::Expr&)> walk = [&](const model::Expr& e) {
    if (e.kind == ExprKind::DateLit) dates.insert(e.value);
    for (const auto& arg : e.args) walk(*arg);
  };
  for (const auto* formulas : {&model.rules, &model.properties}) {
    for (const auto& f : *formulas) {
      if (f.body) walk(*f.body);
    }
  }
  for (const auto& d : model.defines) {
    if (d.body) walk(*d.body);
  }
  return {dates.begin(), dates.end()};
}

// The values of `enum_id` the spec itself writes, in its scenarios and then
// its formulas, in order of first appearance (`US`, `FR`, ...): at most 4.
std::vector<int> written_values(const model::Model& model, int enum_id) {
  std::vector<int> written;
  auto note = [&](const model::Expr& e) {
    if (e.kind != ExprKind::EnumValue || e.id != enum_id || written.size() >= 4) return;
    if (std::find(written.begin(), written.end(), e.value) == written.end()) written.push_back(static_cast<int>(e.value));
  };
  for (const auto& scenario : model.scenarios) {
    for (const auto& entity : scenario.entities) {
      for (const auto& assignment : entity.assignments) {
        if (assignment.value) note(*assignment.value);
      }
    }
  }
  std::function<void(const model::Expr&)> walk = [&](const model::Expr& e) {
    note(e);
    for (const auto& arg : e.args) walk(*arg);
  };
  for (const auto* formulas : {&model.rules, &model.properties}) {
    for (const auto& f : *formulas) {
      if (f.body) walk(*f.body);
    }
  }
  return written;
}

}  // namespace

// The first country of each region as the data lists them comes after those the spec writes.
std::vector<int> typical_values(const model::Model& model, int enum_id) {
  std::vector<int> typical;
  for (const auto& table : model.tables) {
    if (!table.functional || table.params.size() != 2) continue;
    const auto& key = table.params[0].type.type;
    const auto& value = table.params[1].type.type;
    if (key.kind != TypeKind::Enum || key.id != enum_id || value.kind != TypeKind::Enum) continue;
    typical = written_values(model, enum_id);
    std::set<std::int64_t> seen;
    for (const auto& row : table.rows) {
      if (row.cells.size() != 2 || !seen.insert(row.cells[1]->value).second) continue;
      int key = static_cast<int>(row.cells[0]->value);
      if (std::find(typical.begin(), typical.end(), key) == typical.end()) typical.push_back(key);
    }
    break;
  }
  return typical;
}

std::vector<Encoder::ValuePreference> Encoder::value_preferences(const z3::model& m) const {
  std::vector<ValuePreference> out;
  if (unbounded_) return out;
  std::vector<std::int64_t> dates = spec_dates(model_);
  std::vector<std::vector<int>> typical(model_.enums.size());
  for (std::size_t e = 0; e < model_.enums.size(); ++e) typical[e] = typical_values(model_, static_cast<int>(e));
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    for (const auto& atom : *universe_->atoms(static_cast<int>(k))) {
      if (!m.eval(universe_->exists(static_cast<int>(k), atom), true).is_true()) continue;
      for (std::size_t i = 0; i < model_.kinds[k].attributes.size(); ++i) {
        const auto& symbols = attributes_[k][i];
        if (symbols.has && !m.eval((*symbols.has)(atom), true).is_true()) continue;  // `none` stays
        model::Type type = model_.kinds[k].attributes[i].type.type;
        z3::expr term = symbols.value(atom);
        ValuePreference preference;
        if (type.kind == TypeKind::Date) {
          // Just before each date the spec names, then on it: where its rules change.
          for (std::int64_t day : dates) {
            preference.choices.push_back(term == ctx_.int_val(day - 1));
            preference.choices.push_back(term == ctx_.int_val(day));
          }
          if (!dates.empty()) {
            preference.choices.push_back(term >= ctx_.int_val(dates.front() - 366) &&
                                         term <= ctx_.int_val(dates.back() + 366));
          }
        } else if (type.kind == TypeKind::Int) {
          for (int round : {0, 1, 10, 100, 1000}) preference.choices.push_back(term == ctx_.int_val(round));
          preference.choices.push_back(term >= ctx_.int_val(-1000) && term <= ctx_.int_val(1000));
        } else if (type.kind == TypeKind::Enum) {
          for (int value : typical[type.id]) preference.choices.push_back(term == enums_[type.id].values[value]);
        }
        if (!preference.choices.empty()) out.push_back(std::move(preference));
      }
    }
  }
  return out;
}

z3::expr_vector Encoder::shape_of(const z3::model& m) const {
  z3::expr_vector shape(ctx_);
  auto keep = [&](const z3::expr& e) { shape.push_back(e == m.eval(e, true)); };
  std::vector<bool> steered_enum(model_.enums.size());
  for (std::size_t e = 0; e < model_.enums.size(); ++e) steered_enum[e] = !typical_values(model_, static_cast<int>(e)).empty();
  for (const auto& literal : entity_literals()) keep(literal);
  for (const auto& literal : tuple_literals()) keep(literal);
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    for (const auto& atom : *universe_->atoms(static_cast<int>(k))) {
      if (!m.eval(universe_->exists(static_cast<int>(k), atom), true).is_true()) continue;
      for (std::size_t i = 0; i < model_.kinds[k].attributes.size(); ++i) {
        const auto& symbols = attributes_[k][i];
        if (symbols.has) keep((*symbols.has)(atom));
        model::Type type = model_.kinds[k].attributes[i].type.type;
        bool steered = type.kind == TypeKind::Int || type.kind == TypeKind::Date ||
                       (type.kind == TypeKind::Enum && steered_enum[type.id]);
        if (!steered) keep(symbols.value(atom));
      }
    }
  }
  return shape;
}

}  // namespace csp::encoder
