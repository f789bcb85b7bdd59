// An Instance, or a forbidden scenario's own facts, as a graph for the DOT
// and Mermaid writers: entities become nodes labelled with their scalar
// attributes, references and relation tuples become labelled edges.
//
// Laid out as a sale chain where the vocabulary lets us tell: Microsoft, then
// the partners Microsoft bills (indirect providers, direct-bill partners),
// then indirect resellers, then customers, left to right; entities with an
// `org` reference drawn inside their organisation; otherwise entities grouped
// by CSP region (see region_enum). The facts a forbidden scenario's rules
// need (CheckResult::core_facts) are marked, to be drawn in red.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/instance.h"
#include "model/result.h"

namespace csp::reports {

/// Sale-chain columns, left to right.
enum SaleColumn : int { kFree = -1, kMicrosoft = 0, kSeller = 1, kReseller = 2, kCustomer = 3 };

struct GraphLine {
  std::string text;     // "role = indirect_reseller", "onboarded(R1)"
  std::string fact;     // the fact it shows, as core_facts write it: "R1.role = indirect_reseller"
  bool blamed = false;  // a fact the forbidding rules need
};

struct GraphNode {
  std::string id;                  // entity name; `relation#k` for an n-ary tuple; "Microsoft"
  std::string title;               // "P1: Partner", or a tuple point's relation name
  std::vector<GraphLine> lines;    // scalar attributes, unary facts
  int region = -1;                 // ordinal in the Region enum, -1 when unknown
  int column = kFree;              // SaleColumn; kFree: placed by its edges
  std::string container;           // the organisation (its `org`) it is drawn in; "" none
  bool highlighted = false;        // bound in the failing binding, or a blamed fact is about it
  bool tuple_point = false;        // joins the edges of one n-ary tuple
  bool synthetic = false;          // not an entity of the instance (Microsoft)
};

struct GraphEdge {
  std::string from;
  std::string to;
  std::string label;
  std::string fact;        // the fact it shows: "S1.seller = R1", "partnership(P1, R1)"; "" for synthetic ones
  bool blamed = false;     // a fact the forbidding rules need
  bool absent = false;     // a tuple the scenario leaves out, which the forbidding rules need absent
  bool backward = false;   // against the sale chain: laid out `to` before `from`, the arrow still from -> to
  bool flat = false;       // both ends in one sale-chain column, so on one rank
  bool synthetic = false;  // Microsoft bills a partner: no fact of the instance
};

/// A group of nodes drawn in one box: an organisation or a CSP region.
struct GraphCluster {
  std::string id;                    // "org_Org1", "region_europe"
  std::string label;                 // "Org1: Org", "region europe"
  std::vector<std::string> members;  // node ids, in node order
  bool organisation = false;         // solid box; a region's is dashed
};

struct InstanceGraph {
  std::vector<GraphNode> nodes;            // Microsoft, entities in instance order, then tuple points
  std::vector<GraphEdge> edges;            // synthetic, references, then relation tuples in relation order
  std::vector<std::string> region_names;   // the Region enum's values; empty without one
  std::vector<GraphCluster> clusters;      // organisations when entities have an `org`, else regions
};

/// Builds the graph; entities named in `highlighted` are marked.
InstanceGraph build_graph(const model::Model& model, const model::Instance& instance,
                          const std::vector<std::string>& highlighted);

/// A scenario as written: its entities with the attributes it fixes (the
/// others are free, so left out) and the tuples it lists. Facts in `blamed`
/// (core_facts: "R1.country = FR", "partnership(P1, R1)", "not
/// partnership(P1, C1)") are marked, a blamed absent tuple added as such.
InstanceGraph scenario_graph(const model::Model& model, const model::ScenarioDecl& scenario,
                             const std::vector<std::string>& blamed);

/// The graph a result shows: its instance (counterexample, allowed
/// scenario, witness) with the failing binding marked, or a forbidden
/// scenario's facts with the blamed ones marked; nullopt when it has neither.
std::optional<InstanceGraph> result_graph(const model::Model& model, const model::CheckResult& result);

/// The node a cluster's edges attach to: its first member.
const std::string& cluster_anchor(const GraphCluster& cluster);
/// The box an organisation entity is drawn as (its node is not drawn, so
/// edges to it attach to the box); nullptr when it is drawn as a node.
const GraphCluster* organisation_cluster(const InstanceGraph& graph, const std::string& entity);

}  // namespace csp::reports
