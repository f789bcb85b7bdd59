// A transitive closure computed once: the graph of a relation (or of a
// binary define), its strongly connected components, and reachability
// between components memoised per source. `^r(a, b)` is then a lookup: the
// same component answers at once (a cycle through both), another component
// is looked up in the source's reachable set. An undirected relation such as
// affiliation has no edges between components at all.
#pragma once

#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "audit/hash.h"
#include "model/instance.h"

namespace csp::audit {

class ClosureGraph {
 public:
  void add_edge(const model::Value& from, const model::Value& to);
  /// Computes the components; call once, after the last edge.
  void finish();
  /// True when a path of one or more edges leads from `from` to `to`.
  bool reaches(const model::Value& from, const model::Value& to) const;

 private:
  int node(const model::Value& value);
  int find(const model::Value& value) const;
  const std::vector<int>& reachable_components(int component) const;

  std::unordered_map<model::Value, int, ValueHash> ids_;
  std::vector<std::vector<int>> successors_;
  std::vector<int> component_;        // by node
  std::vector<char> cyclic_;          // by component: a path leads from it back into it
  std::vector<std::vector<int>> component_successors_;
  mutable std::mutex reachable_mutex_;  // evaluation threads share the memo
  mutable std::unordered_map<int, std::vector<int>> reachable_;  // sorted components, by source
};

}  // namespace csp::audit
