// The bound of a check: the spec's scope lines, overridden from the command
// line (`--scope N` for every kind, then `--scope Kind=N` for one kind).
#include "model/scope.h"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "model/diagnostics.h"

namespace csp::model {

namespace {

constexpr int kMaxScope = 1000;

// At least 1: with no entity of a kind every `forall` over it holds
// vacuously, so scope 0 would prove such properties without saying so.
bool valid_size(int size) { return size >= 1 && size <= kMaxScope; }

}  // namespace

int Scope::total() const { return std::accumulate(size.begin(), size.end(), 0); }

std::optional<Scope> resolve_scope(const Model& model, const ScopeOverrides& overrides, std::string* error) {
  auto fail = [&](std::string message) -> std::optional<Scope> {
    if (error) *error = std::move(message);
    return std::nullopt;
  };

  Scope scope;
  scope.size.assign(model.kinds.size(), model.default_scope);
  for (const auto& [kind, size] : model.kind_scope) {
    if (kind >= 0 && static_cast<std::size_t>(kind) < scope.size.size()) scope.size[kind] = size;
  }

  if (overrides.all) {
    if (!valid_size(*overrides.all)) {
      return fail(fmt::format("--scope must be between 1 and {}, got {}", kMaxScope, *overrides.all));
    }
    std::fill(scope.size.begin(), scope.size.end(), *overrides.all);
  }

  for (const auto& [name, size] : overrides.per_kind) {
    int kind = model.find_kind(name);
    if (kind < 0) {
      std::vector<std::string> kinds;
      for (const EntityKind& k : model.kinds) kinds.push_back(k.name);
      std::string match = closest_match(name, kinds);
      std::string message = fmt::format("unknown entity kind `{}` in --scope", name);
      if (!match.empty()) message += fmt::format("; did you mean `{}`?", match);
      return fail(std::move(message));
    }
    if (!valid_size(size)) {
      return fail(fmt::format("--scope {}={} is out of range: sizes are between 1 and {}", name, size, kMaxScope));
    }
    scope.size[kind] = size;
  }
  return scope;
}

Scope scope_of(const Model& model, const Instance& instance) {
  return Scope{count_by_kind(model, instance)};
}

std::vector<std::pair<std::string, int>> scope_entries(const Model& model, const Scope& scope) {
  std::vector<std::pair<std::string, int>> entries;
  for (std::size_t kind = 0; kind < scope.size.size() && kind < model.kinds.size(); ++kind) {
    entries.emplace_back(model.kinds[kind].name, scope.size[kind]);
  }
  return entries;
}

std::string scope_text(const Model& model, const Scope& scope) {
  std::string text;
  for (const auto& [kind, size] : scope_entries(model, scope)) {
    text += fmt::format("{}{}={}", text.empty() ? "" : ", ", kind, size);
  }
  return text;
}

}  // namespace csp::model
