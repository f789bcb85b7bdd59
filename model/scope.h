// The bound of a check: at most `size[k]` entities of entity kind k.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/ast.h"
#include "model/instance.h"

namespace csp::model {

struct Scope {
  std::vector<int> size;  // indexed by entity kind id
  int total() const;
};

/// Command-line overrides: `--scope N` sets every kind (overriding the spec's
/// scope lines), then `--scope Kind=N` sets one kind.
struct ScopeOverrides {
  std::optional<int> all;
  std::map<std::string, int> per_kind;
  /// A scope sweep (`--scope 2..4`, `--scope 4,8,16`, model/sweep.h): the
  /// all-kinds bound of each step, increasing; `all` is then unset.
  std::vector<int> sweep;
};

/// Spec default, then spec per-kind lines, then the overrides. Unknown kind
/// names in overrides are reported in `error` (with a suggestion) and yield nullopt.
std::optional<Scope> resolve_scope(const Model& model, const ScopeOverrides& overrides,
                                   std::string* error);

/// The smallest scope that holds `instance`: its entity count per kind.
Scope scope_of(const Model& model, const Instance& instance);

/// (kind name, size) in kind order; empty when the scope was not recorded.
std::vector<std::pair<std::string, int>> scope_entries(const Model& model, const Scope& scope);
/// "Partner=3, Customer=3"; empty when the scope was not recorded.
std::string scope_text(const Model& model, const Scope& scope);

}  // namespace csp::model
