// Tarjan's algorithm, iteratively (a chain of a million edges must not
// overflow the stack), then the condensation's edges.
#include "audit/closure.h"

#include <algorithm>

namespace csp::audit {

int ClosureGraph::node(const model::Value& value) {
  auto [it, inserted] = ids_.emplace(value, static_cast<int>(successors_.size()));
  if (inserted) successors_.emplace_back();
  return it->second;
}

int ClosureGraph::find(const model::Value& value) const {
  auto it = ids_.find(value);
  return it == ids_.end() ? -1 : it->second;
}

void ClosureGraph::add_edge(const model::Value& from, const model::Value& to) {
  int a = node(from);
  int b = node(to);
  successors_[a].push_back(b);
}

void ClosureGraph::finish() {
  std::size_t n = successors_.size();
  std::vector<int> index(n, -1), low(n, 0);
  std::vector<char> on_stack(n, 0);
  std::vector<int> stack;
  component_.assign(n, -1);
  int counter = 0;
  struct Frame {
    int node;
    std::size_t next;
  };
  std::vector<Frame> frames;
  for (std::size_t root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    frames.push_back({static_cast<int>(root), 0});
    index[root] = low[root] = counter++;
    stack.push_back(static_cast<int>(root));
    on_stack[root] = 1;
    while (!frames.empty()) {
      Frame& frame = frames.back();
      int v = frame.node;
      if (frame.next < successors_[v].size()) {
        int w = successors_[v][frame.next++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack.push_back(w);
          on_stack[w] = 1;
          frames.push_back({w, 0});
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        int component = static_cast<int>(cyclic_.size());
        cyclic_.push_back(0);
        int size = 0;
        for (int w = -1; w != v;) {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = 0;
          component_[w] = component;
          ++size;
        }
        if (size > 1) cyclic_[component] = 1;
      }
      frames.pop_back();
      if (!frames.empty()) low[frames.back().node] = std::min(low[frames.back().node], low[v]);
    }
  }
  component_successors_.assign(cyclic_.size(), {});
  for (std::size_t v = 0; v < n; ++v) {
    int from = component_[v];
    for (int w : successors_[v]) {
      int to = component_[w];
      if (to == from) {
        if (static_cast<int>(v) == w) cyclic_[from] = 1;  // a self-loop
        continue;
      }
      component_successors_[from].push_back(to);
    }
  }
  for (auto& next : component_successors_) {
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
  }
}

const std::vector<int>& ClosureGraph::reachable_components(int component) const {
  std::lock_guard lock(reachable_mutex_);
  auto it = reachable_.find(component);
  if (it != reachable_.end()) return it->second;
  std::vector<char> seen(cyclic_.size(), 0);
  std::vector<int> frontier(component_successors_[component]), out;
  while (!frontier.empty()) {
    int c = frontier.back();
    frontier.pop_back();
    if (seen[c]) continue;
    seen[c] = 1;
    out.push_back(c);
    for (int next : component_successors_[c]) {
      if (!seen[next]) frontier.push_back(next);
    }
  }
  std::sort(out.begin(), out.end());
  return reachable_.emplace(component, std::move(out)).first->second;
}

bool ClosureGraph::reaches(const model::Value& from, const model::Value& to) const {
  int a = find(from);
  int b = find(to);
  if (a < 0 || b < 0) return false;
  int ca = component_[a];
  int cb = component_[b];
  if (ca == cb) return cyclic_[ca] != 0;
  const std::vector<int>& reachable = reachable_components(ca);
  return std::binary_search(reachable.begin(), reachable.end(), cb);
}

}  // namespace csp::audit
