// Instance -> graph, with CSP regions; see graph.h.
#include "reports/graph.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "reports/view.h"

namespace csp::reports {

namespace {

using model::TypeKind;

bool is_enum(const model::Type& type, int enum_id) {
  return type.kind == TypeKind::Enum && type.id == enum_id && enum_id >= 0;
}

// Where an entity kind's region comes from: a Region-typed attribute, or its
// `country` attribute looked up in a functional country -> Region table.
struct RegionSource {
  int attribute = -1;                        // -1: the kind has no region
  const model::TableDecl* table = nullptr;   // null: the attribute is a Region itself
};

class RegionFinder {
 public:
  explicit RegionFinder(const model::Model& model) : model_(model), region_enum_(model.find_enum("Region")) {
    for (const auto& kind : model.kinds) sources_.push_back(source_for(kind));
  }

  int region_enum() const { return region_enum_; }

  int region_of(const model::Entity& entity) const {
    if (entity.kind < 0 || entity.kind >= static_cast<int>(sources_.size())) return -1;
    const RegionSource& source = sources_[entity.kind];
    if (source.attribute < 0 || source.attribute >= static_cast<int>(entity.attributes.size())) return -1;
    const model::Value& value = entity.attributes[source.attribute];
    if (value.tag != model::Value::Tag::Enum) return -1;
    if (!source.table) return static_cast<int>(value.v);
    return lookup(*source.table, value.v);
  }

 private:
  RegionSource source_for(const model::EntityKind& kind) const {
    if (region_enum_ < 0) return {};
    for (std::size_t i = 0; i < kind.attributes.size(); ++i) {
      if (is_enum(kind.attributes[i].type.type, region_enum_)) return {static_cast<int>(i), nullptr};
    }
    int country = kind.attribute_index("country");
    if (country < 0) return {};
    const model::Type& type = kind.attributes[country].type.type;
    if (type.kind != TypeKind::Enum) return {};
    const model::TableDecl* table = country_table(type.id);
    return table ? RegionSource{country, table} : RegionSource{};
  }

  const model::TableDecl* country_table(int country_enum) const {
    for (const auto& table : model_.tables) {
      if (table.functional && table.params.size() == 2 && is_enum(table.params[0].type.type, country_enum) &&
          is_enum(table.params[1].type.type, region_enum_)) {
        return &table;
      }
    }
    return nullptr;
  }

  static int lookup(const model::TableDecl& table, std::int64_t key) {
    for (const auto& row : table.rows) {
      if (row.cells.size() != 2 || !row.cells[0] || !row.cells[1]) continue;
      if (row.cells[0]->kind == model::ExprKind::EnumValue && row.cells[0]->value == key &&
          row.cells[1]->kind == model::ExprKind::EnumValue) {
        return static_cast<int>(row.cells[1]->value);
      }
    }
    return -1;
  }

  const model::Model& model_;
  int region_enum_;
  std::vector<RegionSource> sources_;
};

GraphNode entity_node(const model::Model& model, const model::Instance& instance, const model::Entity& entity,
                      std::vector<GraphEdge>& edges) {
  GraphNode node;
  node.id = entity.name;
  node.title = fmt::format("{}: {}", entity.name, kind_name_of(model, entity.kind));
  for (std::size_t i = 0; i < entity.attributes.size(); ++i) {
    const model::Value& value = entity.attributes[i];
    std::string attribute = attribute_name_of(model, entity.kind, i);
    if (value.tag == model::Value::Tag::Entity) {
      edges.push_back({entity.name, model::format_value(model, instance, value), attribute});
    } else {
      node.lines.push_back(fmt::format("{} = {}", attribute, model::format_value(model, instance, value)));
    }
  }
  return node;
}

std::string call_text(const model::Model& model, const model::Instance& instance, const std::string& name,
                      const model::Tuple& tuple) {
  std::string args;
  for (const auto& value : tuple) args += (args.empty() ? "" : ", ") + model::format_value(model, instance, value);
  return fmt::format("{}({})", name, args);
}

// Binary tuples over entities become edges, unary ones a line on their
// entity, wider ones a point node with one edge per entity argument.
void add_tuple(InstanceGraph& graph, const model::Model& model, const model::Instance& instance, int relation,
               int ordinal, const model::Tuple& tuple) {
  const model::RelationDecl& decl = model.relations[relation];
  std::vector<std::size_t> entity_args;
  std::vector<std::string> other_args;
  for (std::size_t i = 0; i < tuple.size(); ++i) {
    if (tuple[i].tag == model::Value::Tag::Entity) {
      entity_args.push_back(i);
    } else {
      other_args.push_back(model::format_value(model, instance, tuple[i]));
    }
  }
  auto name_of = [&](std::size_t arg) { return model::format_value(model, instance, tuple[arg]); };
  if (entity_args.size() == 2) {
    std::string label = decl.name;
    if (!other_args.empty()) label += fmt::format("({})", fmt::join(other_args, ", "));
    graph.edges.push_back({name_of(entity_args[0]), name_of(entity_args[1]), label});
  } else if (entity_args.size() == 1) {
    std::string owner = name_of(entity_args[0]);
    auto node = std::find_if(graph.nodes.begin(), graph.nodes.end(), [&](const GraphNode& n) { return n.id == owner; });
    if (node != graph.nodes.end()) node->lines.push_back(call_text(model, instance, decl.name, tuple));
  } else if (entity_args.size() > 2) {
    GraphNode point;
    point.id = fmt::format("{}#{}", decl.name, ordinal);
    point.title = decl.name;
    point.lines = other_args;
    point.tuple_point = true;
    for (std::size_t arg : entity_args) {
      std::string param = arg < decl.params.size() ? decl.params[arg].name : fmt::format("#{}", arg);
      graph.edges.push_back({point.id, name_of(arg), param});
    }
    graph.nodes.push_back(std::move(point));
  }
}

}  // namespace

InstanceGraph build_graph(const model::Model& model, const model::Instance& instance,
                          const std::vector<std::string>& highlighted) {
  InstanceGraph graph;
  RegionFinder regions(model);
  if (regions.region_enum() >= 0) graph.region_names = model.enums[regions.region_enum()].values;
  for (const auto& entity : instance.entities) {
    GraphNode node = entity_node(model, instance, entity, graph.edges);
    node.region = regions.region_of(entity);
    if (node.region >= static_cast<int>(graph.region_names.size())) node.region = -1;
    node.highlighted = std::find(highlighted.begin(), highlighted.end(), entity.name) != highlighted.end();
    graph.nodes.push_back(std::move(node));
  }
  for (std::size_t relation = 0; relation < instance.relations.size() && relation < model.relations.size();
       ++relation) {
    int ordinal = 0;
    for (const auto& tuple : instance.relations[relation]) {
      add_tuple(graph, model, instance, static_cast<int>(relation), ordinal++, tuple);
    }
  }
  return graph;
}

}  // namespace csp::reports
