// Scenarios (entities, attribute values, relation facts, `expect ... by`) and
// the literal values they share with table rows: each literal is resolved
// against the type its slot requires.
#include <algorithm>

#include <fmt/format.h>

#include "model/checker_internal.h"

namespace csp::model::checking {

void Checker::check_scenarios() {
  for (ScenarioDecl& scenario : model_.scenarios) {
    // Entities first: a value may name an entity declared further down.
    EntityNames names;
    check_entities(scenario, names);
    for (ScenarioEntity& entity : scenario.entities) check_assignments(entity, names);
    for (ScenarioFact& fact : scenario.facts) check_fact(fact, names);
    check_expected_rules(scenario);
  }
}

void Checker::check_entities(ScenarioDecl& scenario, EntityNames& names) {
  for (std::size_t i = 0; i < scenario.entities.size(); ++i) {
    ScenarioEntity& entity = scenario.entities[i];
    if (resolve_type_ref(entity.kind) && entity.kind.type.kind != TypeKind::Entity) {
      error(entity.kind.range, fmt::format("`{}` is not an entity kind", entity.kind.name), code::kScenario);
      entity.kind.type = Type{};
    }
    entity.kind.type.optional = false;
    auto [it, inserted] = names.emplace(entity.name, NamedEntity{static_cast<int>(i), entity.kind.type});
    if (!inserted) {
      report_duplicate(entity.range,
                       fmt::format("duplicate entity `{}` in scenario `{}`", entity.name, scenario.name),
                       scenario.entities[it->second.index].range);
    }
  }
}

void Checker::check_assignments(ScenarioEntity& entity, const EntityNames& names) {
  if (is_error(entity.kind.type)) return;
  const EntityKind& kind = model_.kinds[entity.kind.type.id];
  std::vector<SourceRange> assigned(kind.attributes.size());
  for (auto& assignment : entity.assignments) {
    int attribute = kind.attribute_index(assignment.attribute);
    if (attribute < 0) {
      report_unknown_attribute(name_range(assignment.range, assignment.attribute), kind, assignment.attribute);
      continue;
    }
    assignment.attribute_id = attribute;
    if (assigned[attribute].valid()) {
      error(assignment.range,
            fmt::format("attribute `{}` of `{}` is assigned twice", assignment.attribute, entity.name),
            code::kScenario)
          .notes.push_back({assigned[attribute], "previous assignment is here"});
      continue;
    }
    assigned[attribute] = assignment.range.valid() ? assignment.range : entity.range;
    if (!assignment.value) continue;
    resolve_literal(*assignment.value, kind.attributes[attribute].type.type,
                    fmt::format("value of `{}.{}`", entity.name, assignment.attribute), &names);
  }
}

void Checker::check_fact(ScenarioFact& fact, const EntityNames& names) {
  SourceRange name = name_range(fact.range, fact.relation);
  const Callable* callable = find_callable(fact.relation);
  if (!callable || callable->kind != Callable::Kind::Relation) {
    if (callable) {
      const char* what = callable->kind == Callable::Kind::Table ? "table" : "define";
      error(name, fmt::format("`{}` is a {}, not a relation: scenario facts are relation tuples", fact.relation,
                              what),
            code::kUnknownRelation);
      return;
    }
    std::vector<std::string> relations;
    for (const RelationDecl& relation : model_.relations) relations.push_back(relation.name);
    suggest(error(name, fmt::format("unknown relation `{}`", fact.relation), code::kUnknownRelation),
            fact.relation, relations);
    return;
  }
  const RelationDecl& relation = model_.relations[callable->id];
  fact.relation_id = callable->id;
  relation_used_[callable->id] = true;
  if (fact.args.size() != relation.params.size()) {
    error(fact.range,
          fmt::format("relation `{}` takes {}, got {}", relation.name, plural(relation.params.size(), "argument"),
                      fact.args.size()),
          code::kArity);
    return;
  }
  for (std::size_t i = 0; i < fact.args.size(); ++i) {
    resolve_literal(*fact.args[i], relation.params[i].type.type,
                    fmt::format("argument {} of `{}`", i + 1, relation.name), &names);
  }
}

void Checker::check_expected_rules(const ScenarioDecl& scenario) {
  std::vector<std::string> known;
  for (const FormulaDecl& rule : model_.rules) {
    known.push_back(rule.name);
    if (!rule.source.empty()) known.push_back(rule.source);
  }
  // Point at the name after `by`, not at a keyword that happens to match it.
  SourceRange names = scenario.expect_range;
  SourceRange by = name_range(names, "by");
  if (by.begin != names.begin || by.end != names.end) names.begin = by.end;
  for (const std::string& name : scenario.expect_by) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    suggest(error(name_range(names, name), fmt::format("unknown rule `{}`", name), code::kUnknownRule), name,
            known);
  }
}

bool Checker::resolve_literal(Expr& expr, Type expected, std::string_view what, const EntityNames* entities) {
  expr.type = Type{};
  if (is_error(expected)) return false;
  switch (expr.kind) {
    case ExprKind::BoolLit: expr.type = Type{TypeKind::Bool}; break;
    case ExprKind::IntLit: expr.type = Type{TypeKind::Int}; break;
    case ExprKind::DateLit: expr.type = Type{TypeKind::Date}; break;
    case ExprKind::NoneLit:
      if (!expected.optional) {
        error(expr.range,
              fmt::format("{} cannot be `none`: its type `{}` is not optional", what, type_str(expected)),
              code::kNone);
        return false;
      }
      expr.type = expected;
      return true;
    case ExprKind::Name: return resolve_literal_name(expr, expected, what, entities);
    case ExprKind::Dot:
      if (!resolve_qualified_value(expr)) return false;
      break;
    default:
      error(expr.range, fmt::format("{} must be a literal value", what), code::kTypeMismatch);
      return false;
  }
  return literal_type_fits(expr, expected, what);
}

bool Checker::literal_type_fits(Expr& expr, Type expected, std::string_view what) {
  if (is_error(expr.type)) return false;
  if (same_base(expr.type, expected)) return true;
  error(expr.range, fmt::format("{} must be `{}`, got `{}`", what, type_str(expected), type_str(expr.type)),
        code::kTypeMismatch);
  expr.type = Type{};
  return false;
}

// A bare name is an entity of the scenario or an enum value; the expected
// type decides which is meant and which message helps.
bool Checker::resolve_literal_name(Expr& expr, Type expected, std::string_view what,
                                   const EntityNames* entities) {
  if (expected.kind == TypeKind::Enum) {
    int ordinal = find_value_of(expected.id, expr.name);
    if (ordinal >= 0) {
      expr.kind = ExprKind::EnumValue;
      expr.id = expected.id;
      expr.value = ordinal;
      expr.type = Type{TypeKind::Enum, expected.id};
      return true;
    }
  }
  const NamedEntity* entity = nullptr;
  if (entities) {
    auto it = entities->find(expr.name);
    if (it != entities->end()) entity = &it->second;
  }
  if (entity) {
    expr.kind = ExprKind::EntityName;
    expr.id = entity->index;
    expr.type = entity->type;
    return literal_type_fits(expr, expected, what);
  }
  switch (expected.kind) {
    case TypeKind::Enum: {
      const EnumDecl& decl = model_.enums[expected.id];
      suggest(error(expr.range, fmt::format("`{}` is not a value of enum `{}`", expr.name, decl.name),
                    code::kUnknownEnumValue),
              expr.name, decl.values);
      return false;
    }
    case TypeKind::Entity: {
      std::vector<std::string> names;
      if (entities) {
        for (const auto& [name, named] : *entities) names.push_back(name);
      }
      std::sort(names.begin(), names.end());
      suggest(error(expr.range, fmt::format("unknown entity `{}`", expr.name), code::kScenario), expr.name,
              names);
      return false;
    }
    case TypeKind::Error:
    case TypeKind::Bool:
    case TypeKind::Int:
    case TypeKind::Date: break;
  }
  const std::vector<EnumValueRef>* refs = find_enum_value(expr.name);
  std::string got = refs ? fmt::format("`{}`", model_.enums[refs->front().enum_id].name)
                         : fmt::format("the name `{}`", expr.name);
  error(expr.range, fmt::format("{} must be `{}`, got {}", what, type_str(expected), got), code::kTypeMismatch);
  return false;
}

bool Checker::resolve_qualified_value(Expr& expr) {
  if (expr.args.empty() || expr.args[0]->kind != ExprKind::Name) {
    error(expr.range, "expected a literal value", code::kTypeMismatch);
    return false;
  }
  const Expr& owner = *expr.args[0];
  int enum_id = find_enum(owner.name);
  if (enum_id < 0) {
    std::vector<std::string> enums;
    for (const EnumDecl& decl : model_.enums) enums.push_back(decl.name);
    suggest(error(owner.range, fmt::format("unknown enum `{}`", owner.name), code::kUnknownType), owner.name,
            enums);
    return false;
  }
  const EnumDecl& decl = model_.enums[enum_id];
  int ordinal = find_value_of(enum_id, expr.name);
  if (ordinal < 0) {
    suggest(error(name_range(expr.range, expr.name, true),
                  fmt::format("enum `{}` has no value `{}`", decl.name, expr.name), code::kUnknownEnumValue),
            expr.name, decl.values);
    return false;
  }
  expr.kind = ExprKind::EnumValue;
  expr.id = enum_id;
  expr.value = ordinal;
  expr.type = Type{TypeKind::Enum, enum_id};
  expr.args.clear();
  return true;
}

}  // namespace csp::model::checking
