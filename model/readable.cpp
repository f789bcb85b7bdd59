// Instances as a policy owner reads them: see readable.h.
#include "model/readable.h"

#include <cctype>
#include <functional>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace csp::model {

namespace {

bool in_range(std::int64_t index, std::size_t size) {
  return index >= 0 && static_cast<std::uint64_t>(index) < size;
}

const Attribute* attribute_of(const Model& model, int kind, int attribute) {
  if (!in_range(kind, model.kinds.size()) || !in_range(attribute, model.kinds[kind].attributes.size())) return nullptr;
  return &model.kinds[kind].attributes[attribute];
}

// `indirect_provider` -> `IndirectProvider`.
std::string camel_case(std::string_view words) {
  std::string out;
  bool upper = true;
  for (char c : words) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    upper = false;
  }
  return out;
}

std::string_view first_word(std::string_view value) { return value.substr(0, value.find('_')); }

// A value's label: its words, less a first word another value of the enum
// shares (`indirect_` in indirect_provider / indirect_reseller).
std::string value_label(const EnumDecl& decl, const std::string& value) {
  std::string_view first = first_word(value);
  if (first.size() == value.size()) return camel_case(value);
  int sharing = 0;
  for (const auto& other : decl.values) sharing += first_word(other) == first ? 1 : 0;
  return camel_case(sharing > 1 ? std::string_view(value).substr(first.size() + 1) : std::string_view(value));
}

int role_attribute(const Model& model, int kind) {
  if (!in_range(kind, model.kinds.size())) return -1;
  int a = model.kinds[kind].attribute_index("role");
  if (a < 0 || model.kinds[kind].attributes[a].type.type.kind != TypeKind::Enum) return -1;
  return a;
}

bool names_a_kind(const Model& model, const std::string& name) {
  for (const auto& kind : model.kinds) {
    if (kind.name == name) return true;
  }
  return false;
}

}  // namespace

std::string none_meaning(const Model& model, int kind, int attribute) {
  const Attribute* attr = attribute_of(model, kind, attribute);
  if (attr == nullptr || attr->type.type.kind != TypeKind::Date) return "not set";
  return attr->name.find("signed") != std::string::npos ? "not signed" : "never";
}

std::string format_attribute_value(const Model& model, const Instance& instance, int kind, int attribute,
                                   const Value& value) {
  return value.is_none() ? none_meaning(model, kind, attribute) : format_value(model, instance, value);
}

std::string role_label(const Model& model, const Entity& entity) {
  std::string kind = in_range(entity.kind, model.kinds.size()) ? model.kinds[entity.kind].name : "Entity";
  int role = role_attribute(model, entity.kind);
  if (role < 0 || !in_range(role, entity.attributes.size())) return kind;
  const Value& value = entity.attributes[role];
  if (value.tag != Value::Tag::Enum || !in_range(value.type_id, model.enums.size())) return kind;
  const EnumDecl& decl = model.enums[value.type_id];
  if (!in_range(value.v, decl.values.size())) return kind;
  std::string label = value_label(decl, decl.values[value.v]);
  return label.empty() || (label != kind && names_a_kind(model, label)) ? kind : label;
}

void name_by_role(const Model& model, Instance& instance, const std::vector<bool>& generated) {
  std::map<std::string, int> numbered;
  for (std::size_t i = 0; i < instance.entities.size(); ++i) {
    if (i >= generated.size() || !generated[i]) continue;
    std::string label = role_label(model, instance.entities[i]);
    instance.entities[i].name = fmt::format("{}{}", label, ++numbered[label]);
  }
}

Reads reads_of(const Model& model, const Expr& formula) {
  Reads reads;
  std::set<int> defines_seen;
  std::function<void(const Expr&)> walk = [&](const Expr& expr) {
    if (expr.kind == ExprKind::Attr) reads.attributes.insert({expr.kind_id, expr.id});
    bool define = expr.kind == ExprKind::DefineCall || (expr.kind == ExprKind::Closure && expr.closure_of_define);
    bool relation = expr.kind == ExprKind::RelationCall || (expr.kind == ExprKind::Closure && !expr.closure_of_define);
    if (relation) reads.relations.insert(expr.id);
    if (define && in_range(expr.id, model.defines.size()) && defines_seen.insert(expr.id).second &&
        model.defines[expr.id].body) {
      walk(*model.defines[expr.id].body);
    }
    for (const auto& arg : expr.args) walk(*arg);
  };
  walk(formula);
  return reads;
}

namespace {

std::string attribute_name(const Model& model, int kind, int attribute) {
  const Attribute* attr = attribute_of(model, kind, attribute);
  return attr != nullptr ? attr->name : fmt::format("<attribute {}>", attribute);
}

std::string other_count(std::size_t count, const char* noun) {
  return fmt::format("+ {} other {}{}", count, noun, count == 1 ? "" : "s");
}

// `Reseller1: Partner { mpa_signed = not signed (breaks it) } + 5 other attributes`
std::string focused_entity_line(const Model& model, const Instance& instance, int index, const Reads& reads,
                                const std::set<Fact>& broken) {
  const Entity& entity = instance.entities[index];
  std::string kind = in_range(entity.kind, model.kinds.size()) ? model.kinds[entity.kind].name : "?";
  std::vector<std::string> shown;
  std::size_t folded = 0;
  for (std::size_t a = 0; a < entity.attributes.size(); ++a) {
    int attr = static_cast<int>(a);
    bool breaks = broken.count({index, attr}) > 0;
    if (!breaks && !reads.attributes.count({entity.kind, attr})) {
      ++folded;
      continue;
    }
    shown.push_back(fmt::format("{} = {}{}", attribute_name(model, entity.kind, attr),
                                format_attribute_value(model, instance, entity.kind, attr, entity.attributes[a]),
                                breaks ? " (breaks it)" : ""));
  }
  std::string line = fmt::format("  {}: {}", entity.name, kind);
  if (!shown.empty()) line += fmt::format(" {{ {} }}", fmt::join(shown, ", "));
  if (folded > 0) line += " " + other_count(folded, "attribute");
  return line + "\n";
}

std::string tuple_line(const Model& model, const Instance& instance, int relation, const Tuple& tuple) {
  const RelationDecl& decl = model.relations[relation];
  std::vector<std::string> args;
  for (const auto& value : tuple) args.push_back(format_value(model, instance, value));
  auto param = [&](std::size_t i) { return i < decl.params.size() ? decl.params[i].name : fmt::format("arg{}", i); };
  if (tuple.size() == 2) {
    return fmt::format("  {} {} --{}--> {} {}\n", param(0), args[0], decl.name, param(1), args[1]);
  }
  return fmt::format("  {}({})\n", decl.name, fmt::join(args, ", "));
}

}  // namespace

std::string format_instance_focused(const Model& model, const Instance& instance, const Reads& reads,
                                    const std::set<Fact>& broken) {
  std::string out = "entities:\n";
  if (instance.entities.empty()) out += "  (none)\n";
  for (std::size_t i = 0; i < instance.entities.size(); ++i) {
    out += focused_entity_line(model, instance, static_cast<int>(i), reads, broken);
  }
  std::vector<std::string> edges;
  std::size_t folded = 0;
  for (std::size_t i = 0; i < instance.entities.size(); ++i) {
    const Entity& entity = instance.entities[i];
    for (std::size_t a = 0; a < entity.attributes.size(); ++a) {
      if (entity.attributes[a].tag != Value::Tag::Entity) continue;
      int attr = static_cast<int>(a);
      if (!reads.attributes.count({entity.kind, attr}) && !broken.count({static_cast<int>(i), attr})) {
        ++folded;
        continue;
      }
      edges.push_back(fmt::format("  {} --{}--> {}\n", entity.name, attribute_name(model, entity.kind, attr),
                                  format_value(model, instance, entity.attributes[a])));
    }
  }
  for (std::size_t r = 0; r < instance.relations.size() && r < model.relations.size(); ++r) {
    for (const auto& tuple : instance.relations[r]) {
      if (!reads.relations.count(static_cast<int>(r))) {
        ++folded;
        continue;
      }
      edges.push_back(tuple_line(model, instance, static_cast<int>(r), tuple));
    }
  }
  if (edges.empty() && folded == 0) return out;
  out += "edges:\n";
  for (const auto& edge : edges) out += edge;
  if (folded > 0) out += "  " + other_count(folded, "edge") + "\n";
  return out;
}

}  // namespace csp::model
