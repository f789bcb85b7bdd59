// An Instance as a graph for the DOT and Mermaid writers: entities become
// nodes labelled with their scalar attributes, references and relation
// tuples become labelled edges, and entities are grouped by CSP region when
// the model lets us tell it (see region_enum).
#pragma once

#include <string>
#include <vector>

#include "model/ast.h"
#include "model/instance.h"

namespace csp::reports {

struct GraphNode {
  std::string id;                  // entity name; `relation#k` for an n-ary tuple
  std::string title;               // "P1: Partner", or a tuple point's relation name
  std::vector<std::string> lines;  // "role = indirect_reseller", unary facts
  int region = -1;                 // ordinal in the Region enum, -1 when unknown
  bool highlighted = false;        // bound in the failing binding
  bool tuple_point = false;        // joins the edges of one n-ary tuple
};

struct GraphEdge {
  std::string from;
  std::string to;
  std::string label;
};

struct InstanceGraph {
  std::vector<GraphNode> nodes;            // entities in instance order, then tuple points
  std::vector<GraphEdge> edges;            // references, then relation tuples in relation order
  std::vector<std::string> region_names;   // the Region enum's values; empty without one
};

/// Builds the graph; entities named in `highlighted` are marked.
InstanceGraph build_graph(const model::Model& model, const model::Instance& instance,
                          const std::vector<std::string>& highlighted);

}  // namespace csp::reports
