// Well-formedness of an Instance against the Model: the shape checks that
// must pass before an evaluator verdict means anything (a solver decoding bug
// shows up here rather than as a wrong verdict).
#include <fmt/format.h>

#include "model/evaluator.h"

namespace csp::model {

namespace {

bool in_range(std::int64_t index, std::size_t size) {
  return index >= 0 && static_cast<std::uint64_t>(index) < size;
}

class ShapeCheck {
 public:
  ShapeCheck(const Model& model, const Instance& instance) : model_(model), instance_(instance) {}

  /// The first problem found, or "" when the instance is well formed.
  std::string first_problem() const {
    for (const auto& entity : instance_.entities) {
      if (std::string problem = entity_problem(entity); !problem.empty()) return problem;
    }
    if (instance_.relations.size() > model_.relations.size()) {
      return fmt::format("the instance has tuples for {} relations but the model declares {}",
                         instance_.relations.size(), model_.relations.size());
    }
    for (std::size_t r = 0; r < instance_.relations.size(); ++r) {
      for (const auto& tuple : instance_.relations[r]) {
        if (std::string problem = tuple_problem(model_.relations[r], tuple); !problem.empty()) return problem;
      }
    }
    return "";
  }

 private:
  std::string entity_problem(const Entity& entity) const {
    if (!in_range(entity.kind, model_.kinds.size())) {
      return fmt::format("entity `{}` has unknown kind {}", entity.name, entity.kind);
    }
    const EntityKind& kind = model_.kinds[entity.kind];
    if (entity.attributes.size() != kind.attributes.size()) {
      return fmt::format("entity `{}` has {} attribute values, expected {}", entity.name,
                         entity.attributes.size(), kind.attributes.size());
    }
    for (std::size_t a = 0; a < kind.attributes.size(); ++a) {
      std::string problem = value_problem(kind.attributes[a].type.type, entity.attributes[a]);
      if (!problem.empty()) {
        return fmt::format("attribute `{}.{}` {}", entity.name, kind.attributes[a].name, problem);
      }
    }
    return "";
  }

  std::string tuple_problem(const RelationDecl& relation, const Tuple& tuple) const {
    if (tuple.size() != relation.params.size()) {
      return fmt::format("a tuple of `{}` has {} members, expected {}", relation.name, tuple.size(),
                         relation.params.size());
    }
    for (std::size_t i = 0; i < tuple.size(); ++i) {
      // Relations hold between values that exist: a tuple never contains `none`.
      Type required = relation.params[i].type.type;
      required.optional = false;
      std::string problem = value_problem(required, tuple[i]);
      if (!problem.empty()) {
        return fmt::format("argument `{}` of a `{}` tuple {}", relation.params[i].name, relation.name, problem);
      }
    }
    return "";
  }

  // What is wrong with `value` as a value of `type`, as the end of a sentence.
  std::string value_problem(const Type& type, const Value& value) const {
    if (value.is_none()) return type.optional ? "" : fmt::format("is none but has type `{}`", type_name(model_, type));
    switch (type.kind) {
      case TypeKind::Error: return "has an unresolved type";
      case TypeKind::Bool: return tag_problem(type, value, Value::Tag::Bool);
      case TypeKind::Int: return tag_problem(type, value, Value::Tag::Int);
      case TypeKind::Date: return tag_problem(type, value, Value::Tag::Date);
      case TypeKind::Enum: {
        if (std::string problem = tag_problem(type, value, Value::Tag::Enum); !problem.empty()) return problem;
        if (!in_range(value.v, model_.enums[type.id].values.size())) {
          return fmt::format("has ordinal {}, out of range for `{}`", value.v, model_.enums[type.id].name);
        }
        return "";
      }
      case TypeKind::Entity: {
        if (std::string problem = tag_problem(type, value, Value::Tag::Entity); !problem.empty()) return problem;
        if (!in_range(value.v, instance_.entities.size())) {
          return fmt::format("points at entity #{}, which does not exist", value.v);
        }
        const Entity& target = instance_.entities[value.v];
        if (target.kind != type.id) {
          return fmt::format("points at `{}`, which is not a `{}`", target.name, model_.kinds[type.id].name);
        }
        return "";
      }
    }
    return "";
  }

  std::string tag_problem(const Type& type, const Value& value, Value::Tag tag) const {
    bool typed = type.kind == TypeKind::Enum || type.kind == TypeKind::Entity;
    if (typed && !in_range(type.id, type.kind == TypeKind::Enum ? model_.enums.size() : model_.kinds.size())) {
      return "has an unresolved type";
    }
    if (value.tag == tag && (!typed || value.type_id == type.id)) return "";
    Type plain = type;
    plain.optional = false;
    return fmt::format("is not a `{}` value", type_name(model_, plain));
  }

  const Model& model_;
  const Instance& instance_;
};

}  // namespace

bool Evaluator::well_formed(std::string* why) const {
  std::string problem = ShapeCheck(model_, instance_).first_problem();
  if (why != nullptr) *why = problem;
  return problem.empty();
}

}  // namespace csp::model
