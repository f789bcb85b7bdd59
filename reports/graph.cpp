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

// Which attributes a node shows: every one (an instance), or those a scenario writes.
using AttributeMask = std::vector<std::vector<bool>>;  // [entity][attribute]

bool shown(const AttributeMask* mask, std::size_t entity, std::size_t attribute) {
  return !mask || (*mask)[entity][attribute];
}

// Role values tell the sale chain's columns: the partners Microsoft bills,
// then the resellers they supply; customers come last.
int column_of(const model::Model& model, const model::Entity& entity) {
  if (entity.kind < 0 || entity.kind >= static_cast<int>(model.kinds.size())) return kFree;
  const model::EntityKind& kind = model.kinds[entity.kind];
  if (kind.name == "Customer") return kCustomer;
  int role = kind.attribute_index("role");
  if (role < 0 || role >= static_cast<int>(entity.attributes.size())) return kFree;
  const model::Value& value = entity.attributes[role];
  if (value.tag != model::Value::Tag::Enum || value.type_id < 0) return kFree;
  const std::string& name = model.enums[value.type_id].values[value.v];
  if (name.find("reseller") != std::string::npos) return kReseller;
  if (name.find("provider") != std::string::npos || name.find("direct") != std::string::npos) return kSeller;
  return kFree;
}

// The attribute that places an entity in its organisation: `org`, a reference.
int org_attribute(const model::EntityKind& kind) {
  int org = kind.attribute_index("org");
  if (org < 0 || kind.attributes[org].type.type.kind != TypeKind::Entity) return -1;
  return org;
}

GraphNode entity_node(const model::Model& model, const model::Instance& instance, std::size_t index,
                      const AttributeMask* mask, std::vector<GraphEdge>& edges) {
  const model::Entity& entity = instance.entities[index];
  GraphNode node;
  node.id = entity.name;
  node.title = fmt::format("{}: {}", entity.name, kind_name_of(model, entity.kind));
  node.column = column_of(model, entity);
  int org = entity.kind >= 0 && entity.kind < static_cast<int>(model.kinds.size())
                ? org_attribute(model.kinds[entity.kind]) : -1;
  for (std::size_t i = 0; i < entity.attributes.size(); ++i) {
    if (!shown(mask, index, i)) continue;
    const model::Value& value = entity.attributes[i];
    std::string attribute = attribute_name_of(model, entity.kind, i);
    std::string text = model::format_value(model, instance, value);
    std::string fact = fmt::format("{}.{} = {}", entity.name, attribute, text);
    if (value.tag == model::Value::Tag::Entity && static_cast<int>(i) == org) {
      node.container = text;  // drawn as the box around it, not as an edge
    } else if (value.tag == model::Value::Tag::Entity) {
      edges.push_back({entity.name, text, attribute, fact});
    } else {
      std::string shown = model::format_attribute_value(model, instance, entity.kind, static_cast<int>(i), value);
      node.lines.push_back({fmt::format("{} = {}", attribute, shown), fact});
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

GraphNode* find_node(InstanceGraph& graph, const std::string& id) {
  auto node = std::find_if(graph.nodes.begin(), graph.nodes.end(), [&](const GraphNode& n) { return n.id == id; });
  return node == graph.nodes.end() ? nullptr : &*node;
}

// Binary tuples over entities become edges, unary ones a line on their
// entity, wider ones a point node with one edge per entity argument. An
// absent tuple (a blamed `not r(...)` fact) is drawn the same way, marked.
void add_tuple(InstanceGraph& graph, const model::Model& model, const model::Instance& instance, int relation,
               int ordinal, const model::Tuple& tuple, bool absent = false) {
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
  std::string fact = call_text(model, instance, decl.name, tuple);
  if (absent) fact = "not " + fact;
  if (entity_args.size() == 2) {
    std::string label = (absent ? "no " : "") + decl.name;
    if (!other_args.empty()) label += fmt::format("({})", fmt::join(other_args, ", "));
    GraphEdge edge{name_of(entity_args[0]), name_of(entity_args[1]), label, fact};
    edge.absent = absent;
    graph.edges.push_back(std::move(edge));
  } else if (entity_args.size() == 1) {
    if (GraphNode* node = find_node(graph, name_of(entity_args[0]))) node->lines.push_back({fact, fact});
  } else if (entity_args.size() > 2) {
    GraphNode point;
    point.id = fmt::format("{}{}#{}", absent ? "not " : "", decl.name, ordinal);
    point.title = (absent ? "no " : "") + decl.name;
    for (const auto& arg : other_args) point.lines.push_back({arg, fact});
    point.tuple_point = true;
    for (std::size_t arg : entity_args) {
      std::string param = arg < decl.params.size() ? decl.params[arg].name : fmt::format("#{}", arg);
      GraphEdge edge{point.id, name_of(arg), param, fact};
      edge.absent = absent;
      graph.edges.push_back(std::move(edge));
    }
    graph.nodes.push_back(std::move(point));
  }
}

// Organisations with members become boxes (their own node is not drawn);
// without any, regions do, when the model has them.
void add_clusters(InstanceGraph& graph, const model::Model& model, const model::Instance& instance) {
  for (const auto& entity : instance.entities) {
    std::vector<std::string> members;
    for (const auto& node : graph.nodes) {
      if (node.container == entity.name) members.push_back(node.id);
    }
    if (members.empty()) continue;
    graph.clusters.push_back({"org_" + entity.name, fmt::format("{}: {}", entity.name, kind_name_of(model, entity.kind)),
                              std::move(members), true});
    std::erase_if(graph.nodes, [&](const GraphNode& n) { return n.id == entity.name; });
  }
  if (!graph.clusters.empty()) return;
  for (std::size_t region = 0; region < graph.region_names.size(); ++region) {
    std::vector<std::string> members;
    for (const auto& node : graph.nodes) {
      if (node.region == static_cast<int>(region)) members.push_back(node.id);
    }
    if (!members.empty()) {
      graph.clusters.push_back({"region_" + graph.region_names[region], "region " + graph.region_names[region],
                                std::move(members), false});
    }
  }
}

// Microsoft first, billing the partners of the first column; each edge then
// runs along the chain: an edge that points back to an earlier column (a
// sale's seller, a partnership's provider) is laid out from that column.
void lay_out_sale_chain(InstanceGraph& graph) {
  bool sellers = std::any_of(graph.nodes.begin(), graph.nodes.end(), [](const GraphNode& n) {
    return n.column == kSeller;
  });
  if (sellers) {
    GraphNode microsoft;
    microsoft.id = "Microsoft";
    microsoft.title = "Microsoft";
    microsoft.column = kMicrosoft;
    microsoft.synthetic = true;
    std::vector<GraphEdge> bills;
    for (const auto& node : graph.nodes) {
      if (node.column != kSeller) continue;
      GraphEdge edge{microsoft.id, node.id, "bills", ""};
      edge.synthetic = true;
      bills.push_back(std::move(edge));
    }
    graph.nodes.insert(graph.nodes.begin(), std::move(microsoft));
    graph.edges.insert(graph.edges.begin(), bills.begin(), bills.end());
  }
  auto column = [&](const std::string& id) {
    GraphNode* node = find_node(graph, id);
    return node ? node->column : kFree;
  };
  for (auto& edge : graph.edges) {
    int from = column(edge.from), to = column(edge.to);
    if (to == kFree) continue;
    if (from != kFree) {
      edge.backward = to < from;
      edge.flat = to == from;
      continue;
    }
    // An entity outside the chain (a sale, a partnership) sits after the
    // earliest column it refers to, before the others.
    int earliest = to;
    for (const auto& other : graph.edges) {
      if (other.from == edge.from && column(other.to) != kFree) earliest = std::min(earliest, column(other.to));
    }
    edge.backward = to == earliest;
  }
}

// A blamed absent tuple, "partnership(P1, C1)" as the scenario's closed
// world writes it, drawn as a tuple that is missing.
void add_absent_tuple(InstanceGraph& graph, const model::Model& model, const model::Instance& instance,
                      const std::string& call) {
  std::size_t open = call.find('('), close = call.rfind(')');
  if (open == std::string::npos || close != call.size() - 1) return;
  int relation = model.find_relation(call.substr(0, open));
  if (relation < 0) return;
  const model::RelationDecl& decl = model.relations[relation];
  std::vector<std::string> args;
  std::string_view rest = std::string_view(call).substr(open + 1, close - open - 1);
  while (!rest.empty()) {
    std::size_t comma = rest.find(", ");
    args.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 2);
  }
  if (args.size() != decl.params.size()) return;
  model::Tuple tuple;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const model::Type& type = decl.params[i].type.type;
    if (type.kind == TypeKind::Entity) {
      int index = instance.find(args[i]);
      if (index < 0) return;
      tuple.push_back(model::Value::entity(type.id, index));
    } else if (type.kind == TypeKind::Enum) {
      const auto& values = model.enums[type.id].values;
      auto value = std::find(values.begin(), values.end(), args[i]);
      if (value == values.end()) return;
      tuple.push_back(model::Value::enum_value(type.id, value - values.begin()));
    } else {
      return;
    }
  }
  std::size_t first_new = graph.edges.size();
  std::size_t nodes_before = graph.nodes.size();
  add_tuple(graph, model, instance, relation, static_cast<int>(graph.edges.size()), tuple, true);
  for (std::size_t i = first_new; i < graph.edges.size(); ++i) graph.edges[i].blamed = true;
  for (std::size_t i = nodes_before; i < graph.nodes.size(); ++i) graph.nodes[i].highlighted = true;
  std::string fact = "not " + call;
  for (auto& node : graph.nodes) {
    for (auto& line : node.lines) {
      if (line.fact == fact) line.blamed = node.highlighted = true;
    }
  }
}

void mark_blamed(InstanceGraph& graph, const model::Model& model, const model::Instance& instance,
                 const std::vector<std::string>& blamed) {
  for (const auto& fact : blamed) {
    bool found = false;
    for (auto& node : graph.nodes) {
      for (auto& line : node.lines) {
        if (line.fact != fact) continue;
        line.blamed = found = true;
        node.highlighted = true;
      }
    }
    for (auto& edge : graph.edges) {
      if (edge.fact != fact) continue;
      edge.blamed = found = true;
      if (GraphNode* node = find_node(graph, edge.from); node && node->tuple_point) node->highlighted = true;
    }
    if (found) continue;
    if (fact.starts_with("not ")) {
      add_absent_tuple(graph, model, instance, fact.substr(4));
    } else if (std::size_t dot = fact.find('.'); dot != std::string::npos) {
      // An attribute drawn as a box (an organisation): its entity is marked.
      if (GraphNode* node = find_node(graph, fact.substr(0, dot))) node->highlighted = true;
    }
  }
}


InstanceGraph build_graph_of(const model::Model& model, const model::Instance& instance, const AttributeMask* mask,
                             const std::vector<std::string>& highlighted) {
  InstanceGraph graph;
  RegionFinder regions(model);
  if (regions.region_enum() >= 0) graph.region_names = model.enums[regions.region_enum()].values;
  for (std::size_t i = 0; i < instance.entities.size(); ++i) {
    const model::Entity& entity = instance.entities[i];
    GraphNode node = entity_node(model, instance, i, mask, graph.edges);
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
  add_clusters(graph, model, instance);
  lay_out_sale_chain(graph);
  return graph;
}

model::Value written_value(const model::ScenarioDecl& scenario, const model::Expr& value) {
  switch (value.kind) {
    case model::ExprKind::BoolLit: return model::Value::boolean(value.value != 0);
    case model::ExprKind::IntLit: return model::Value::integer(value.value);
    case model::ExprKind::DateLit: return model::Value::date(value.value);
    case model::ExprKind::EnumValue: return model::Value::enum_value(value.id, value.value);
    case model::ExprKind::EntityName:
      return model::Value::entity(scenario.entities[value.id].kind.type.id, value.id);
    default: return model::Value::none();
  }
}

}  // namespace

InstanceGraph build_graph(const model::Model& model, const model::Instance& instance,
                          const std::vector<std::string>& highlighted) {
  return build_graph_of(model, instance, nullptr, highlighted);
}

InstanceGraph scenario_graph(const model::Model& model, const model::ScenarioDecl& scenario,
                             const std::vector<std::string>& blamed) {
  // The scenario as an instance (entity i is the scenario's entity i) whose
  // unwritten attributes are hidden: they are free, not `none`.
  model::Instance instance;
  instance.relations.resize(model.relations.size());
  AttributeMask written;
  for (const auto& entity : scenario.entities) {
    int kind = entity.kind.type.id;
    std::size_t count = kind >= 0 && kind < static_cast<int>(model.kinds.size()) ? model.kinds[kind].attributes.size() : 0;
    model::Entity sketch{entity.name, kind, std::vector<model::Value>(count)};
    std::vector<bool> mask(count, false);
    for (const auto& assign : entity.assignments) {
      if (assign.attribute_id < 0 || assign.attribute_id >= static_cast<int>(count) || !assign.value) continue;
      sketch.attributes[assign.attribute_id] = written_value(scenario, *assign.value);
      mask[assign.attribute_id] = true;
    }
    instance.entities.push_back(std::move(sketch));
    written.push_back(std::move(mask));
  }
  for (const auto& fact : scenario.facts) {
    if (fact.relation_id < 0 || fact.relation_id >= static_cast<int>(model.relations.size())) continue;
    model::Tuple tuple;
    for (const auto& arg : fact.args) tuple.push_back(written_value(scenario, *arg));
    instance.relations[fact.relation_id].insert(std::move(tuple));
  }
  InstanceGraph graph = build_graph_of(model, instance, &written, {});
  mark_blamed(graph, model, instance, blamed);
  return graph;
}

std::optional<InstanceGraph> result_graph(const model::Model& model, const model::CheckResult& result) {
  if (result.instance) {
    InstanceGraph graph = build_graph(model, *result.instance, failing_binding(result));
    std::vector<std::string> broken;
    for (const auto& [entity, attribute] : broken_facts_of(model, result)) {
      const model::Entity& e = result.instance->entities[entity];
      broken.push_back(fmt::format("{}.{} = {}", e.name, attribute_name_of(model, e.kind, attribute),
                                   model::format_value(model, *result.instance, e.attributes[attribute])));
    }
    mark_blamed(graph, model, *result.instance, broken);
    return graph;
  }
  const model::ScenarioDecl* scenario = scenario_of(model, result);
  if (scenario && result.status == model::Status::Forbidden) {
    return scenario_graph(model, *scenario, result.core_facts);
  }
  return std::nullopt;
}

const std::string& cluster_anchor(const GraphCluster& cluster) { return cluster.members.front(); }

const GraphCluster* organisation_cluster(const InstanceGraph& graph, const std::string& entity) {
  for (const auto& cluster : graph.clusters) {
    if (cluster.organisation && cluster.id == "org_" + entity) return &cluster;
  }
  return nullptr;
}

}  // namespace csp::reports
