// Instances as people read them: entity lookup, value formatting and the
// deterministic listing that counterexamples and scenarios are reported with.
#include "model/instance.h"

#include <fmt/format.h>

#include "model/readable.h"

namespace csp::model {

std::vector<int> Instance::of_kind(int kind) const {
  std::vector<int> indices;
  for (std::size_t i = 0; i < entities.size(); ++i) {
    if (entities[i].kind == kind) indices.push_back(static_cast<int>(i));
  }
  return indices;
}

int Instance::find(const std::string& name) const {
  for (std::size_t i = 0; i < entities.size(); ++i) {
    if (entities[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

bool in_range(std::int64_t index, std::size_t size) {
  return index >= 0 && static_cast<std::uint64_t>(index) < size;
}

std::string format_enum_value(const Model& model, const Value& value) {
  if (in_range(value.type_id, model.enums.size())) {
    const auto& values = model.enums[value.type_id].values;
    if (in_range(value.v, values.size())) return values[value.v];
  }
  // A malformed value still prints, so a broken instance can be reported.
  return fmt::format("<enum {}#{}>", value.type_id, value.v);
}

std::string format_entity_value(const Instance& instance, const Value& value) {
  if (in_range(value.v, instance.entities.size())) return instance.entities[value.v].name;
  return fmt::format("<entity #{}>", value.v);
}

std::string kind_name(const Model& model, int kind) {
  return in_range(kind, model.kinds.size()) ? model.kinds[kind].name : fmt::format("<kind {}>", kind);
}

std::string attribute_name(const Model& model, int kind, std::size_t attribute) {
  if (in_range(kind, model.kinds.size()) && attribute < model.kinds[kind].attributes.size()) {
    return model.kinds[kind].attributes[attribute].name;
  }
  return fmt::format("<attribute {}>", attribute);
}

std::string param_name(const RelationDecl* relation, std::size_t position) {
  if (relation != nullptr && position < relation->params.size()) return relation->params[position].name;
  return fmt::format("arg{}", position);
}

// `Reseller1: Partner { role = indirect_reseller, mpa_signed = not signed }`
std::string format_entity_line(const Model& model, const Instance& instance, const Entity& entity) {
  std::string line = fmt::format("  {}: {}", entity.name, kind_name(model, entity.kind));
  if (entity.attributes.empty()) return line + "\n";
  line += " {";
  for (std::size_t a = 0; a < entity.attributes.size(); ++a) {
    line += fmt::format("{} {} = {}", a == 0 ? "" : ",", attribute_name(model, entity.kind, a),
                        format_attribute_value(model, instance, entity.kind, static_cast<int>(a), entity.attributes[a]));
  }
  return line + " }\n";
}

// Entity references drawn as edges: `Sale1 --seller--> Partner1`.
std::vector<std::string> reference_edges(const Model& model, const Instance& instance) {
  std::vector<std::string> edges;
  for (const auto& entity : instance.entities) {
    for (std::size_t a = 0; a < entity.attributes.size(); ++a) {
      const Value& value = entity.attributes[a];
      if (value.tag != Value::Tag::Entity) continue;
      edges.push_back(fmt::format("  {} --{}--> {}\n", entity.name, attribute_name(model, entity.kind, a),
                                  format_value(model, instance, value)));
    }
  }
  return edges;
}

// Binary tuples read as labelled edges; other arities as named arguments.
std::string format_tuple(const Model& model, const Instance& instance, int relation_id, const Tuple& tuple) {
  const RelationDecl* relation = in_range(relation_id, model.relations.size()) ? &model.relations[relation_id] : nullptr;
  std::string name = relation != nullptr ? relation->name : fmt::format("<relation {}>", relation_id);
  if (tuple.size() == 2) {
    return fmt::format("  {} {} --{}--> {} {}\n", param_name(relation, 0), format_value(model, instance, tuple[0]),
                       name, param_name(relation, 1), format_value(model, instance, tuple[1]));
  }
  std::string args;
  for (std::size_t i = 0; i < tuple.size(); ++i) {
    args += fmt::format("{}{} = {}", i == 0 ? "" : ", ", param_name(relation, i),
                        format_value(model, instance, tuple[i]));
  }
  return fmt::format("  {}({})\n", name, args);
}

}  // namespace

std::string format_value(const Model& model, const Instance& instance, const Value& value) {
  switch (value.tag) {
    case Value::Tag::None: return "none";
    case Value::Tag::Bool: return value.v != 0 ? "true" : "false";
    case Value::Tag::Int: return fmt::format("{}", value.v);
    case Value::Tag::Date: return format_date(value.v);
    case Value::Tag::Enum: return format_enum_value(model, value);
    case Value::Tag::Entity: return format_entity_value(instance, value);
  }
  return "none";
}

std::string format_instance(const Model& model, const Instance& instance) {
  std::string out = "entities:\n";
  if (instance.entities.empty()) out += "  (none)\n";
  for (const auto& entity : instance.entities) out += format_entity_line(model, instance, entity);

  std::vector<std::string> edges = reference_edges(model, instance);
  for (std::size_t r = 0; r < instance.relations.size(); ++r) {
    for (const auto& tuple : instance.relations[r]) {
      edges.push_back(format_tuple(model, instance, static_cast<int>(r), tuple));
    }
  }
  if (edges.empty()) return out;
  out += "edges:\n";
  for (const auto& edge : edges) out += edge;
  return out;
}

std::vector<int> count_by_kind(const Model& model, const Instance& instance) {
  std::vector<int> counts(model.kinds.size(), 0);
  for (const auto& entity : instance.entities) {
    if (in_range(entity.kind, counts.size())) ++counts[entity.kind];
  }
  return counts;
}

}  // namespace csp::model
