// Declarations' own types: attribute, parameter and column types, the spec's
// scope lines, and table contents (cells and whether a table is functional).
#include <map>

#include <fmt/format.h>

#include "model/checker_internal.h"

namespace csp::model::checking {

namespace {

constexpr int kMaxScope = 1000;

bool is_entity_or_enum(Type type) { return type.kind == TypeKind::Entity || type.kind == TypeKind::Enum; }

bool is_column_type(Type type) {
  switch (type.kind) {
    case TypeKind::Bool:
    case TypeKind::Int:
    case TypeKind::Date:
    case TypeKind::Enum: return true;
    case TypeKind::Error:
    case TypeKind::Entity: return false;
  }
  return false;
}

}  // namespace

// `scope Kind N` carries the kind's range; the size follows it on the line.
SourceRange Checker::size_range(const ScopeDecl& scope) const {
  if (scope.kind.empty() || !scope.range.valid()) return scope.range;
  std::string_view rest = text({scope.range.file, scope.range.end,
                                static_cast<std::uint32_t>(sources_.text(scope.range.file).size())});
  std::string size = std::to_string(scope.size);
  std::size_t at = rest.find_first_not_of(" \t");
  if (at == std::string_view::npos || rest.substr(at, size.size()) != size) return scope.range;
  auto begin = scope.range.end + static_cast<std::uint32_t>(at);
  return {scope.range.file, begin, begin + static_cast<std::uint32_t>(size.size())};
}

void Checker::resolve_declaration_types() {
  for (EntityKind& kind : model_.kinds) {
    for (Attribute& attr : kind.attributes) resolve_type_ref(attr.type);
  }
  // Relations and defines range over atoms; their parameters are not optional
  // because a tuple never holds `none`.
  auto resolve_params = [&](auto& decls, std::string_view what) {
    for (auto& decl : decls) {
      for (Param& param : decl.params) {
        if (!resolve_type_ref(param.type)) continue;
        if (!is_entity_or_enum(param.type.type)) {
          error(param.type.range,
                fmt::format("parameter `{}` of {} `{}` must be an entity kind or an enum, got `{}`",
                            param.name, what, decl.name, type_str(param.type.type)),
                code::kBadDeclarationType);
          param.type.type = Type{};
        } else if (param.type.optional) {
          error(param.type.range,
                fmt::format("parameter `{}` of {} `{}` cannot be optional", param.name, what, decl.name),
                code::kBadDeclarationType);
          param.type.type = Type{};
        }
      }
    }
  };
  resolve_params(model_.relations, "relation");
  resolve_params(model_.defines, "define");

  for (TableDecl& table : model_.tables) {
    for (Param& column : table.params) {
      if (!resolve_type_ref(column.type)) continue;
      if (!is_column_type(column.type.type)) {
        error(column.type.range,
              fmt::format("column `{}` of table `{}` must be `Bool`, `Int`, `Date` or an enum, got `{}`",
                          column.name, table.name, type_str(column.type.type)),
              code::kBadDeclarationType);
        column.type.type = Type{};
      } else if (column.type.optional) {
        error(column.type.range,
              fmt::format("column `{}` of table `{}` cannot be optional", column.name, table.name),
              code::kBadDeclarationType);
        column.type.type = Type{};
      }
    }
  }
}

void Checker::apply_scopes(const std::vector<ScopeDecl>& scopes) {
  std::optional<SourceRange> default_seen;
  std::map<int, SourceRange> kind_seen;
  for (const ScopeDecl& scope : scopes) {
    if (scope.size < 1 || scope.size > kMaxScope) {
      Diagnostic& d = error(size_range(scope),
                            fmt::format("scope must be between 1 and {}, got {}", kMaxScope, scope.size), code::kScope);
      if (scope.size == 0) d.help = "with no entity of a kind, every `forall` over it would hold vacuously";
      continue;
    }
    if (scope.kind.empty()) {
      if (default_seen) {
        report_duplicate(scope.range, "duplicate default scope", *default_seen);
        continue;
      }
      default_seen = scope.range;
      model_.default_scope = scope.size;
      continue;
    }
    SourceRange kind_range = name_range(scope.range, scope.kind, true);
    std::optional<Type> type = find_type(scope.kind);
    if (!type) {
      std::vector<std::string> kinds;
      for (const EntityKind& kind : model_.kinds) kinds.push_back(kind.name);
      suggest(error(kind_range, fmt::format("unknown entity kind `{}`", scope.kind), code::kScope),
              scope.kind, kinds);
      continue;
    }
    if (type->kind != TypeKind::Entity) {
      error(kind_range, fmt::format("`{}` is not an entity kind: scopes bound entities", scope.kind),
            code::kScope);
      continue;
    }
    auto [it, inserted] = kind_seen.emplace(type->id, scope.range);
    if (!inserted) {
      report_duplicate(scope.range, fmt::format("duplicate scope for `{}`", scope.kind), it->second);
      continue;
    }
    model_.kind_scope[type->id] = scope.size;
  }
}

// Resolves every cell against its column, then decides whether the first
// n-1 columns determine the last. Rows with errors are left out of that
// decision so that a broken row does not also produce lookup errors.
void Checker::check_tables() {
  for (std::size_t t = 0; t < model_.tables.size(); ++t) {
    TableDecl& table = model_.tables[t];
    std::size_t columns = table.params.size();
    std::map<std::vector<std::int64_t>, std::pair<std::size_t, std::int64_t>> last_by_key;
    table.functional = columns >= 2;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      TableDecl::Row& row = table.rows[r];
      if (row.cells.size() != columns) {
        error(row.range,
              fmt::format("row has {}, table `{}` has {}", plural(row.cells.size(), "value"), table.name,
                          plural(columns, "column")),
              code::kArity);
        continue;
      }
      bool row_ok = true;
      for (std::size_t c = 0; c < columns; ++c) {
        std::string what = fmt::format("value in column `{}` of `{}`", table.params[c].name, table.name);
        row_ok = resolve_literal(*row.cells[c], table.params[c].type.type, what, nullptr) && row_ok;
      }
      if (!row_ok || columns < 2) continue;
      std::vector<std::int64_t> key;
      for (std::size_t c = 0; c + 1 < columns; ++c) key.push_back(row.cells[c]->value);
      std::int64_t last = row.cells.back()->value;
      auto [it, inserted] = last_by_key.emplace(std::move(key), std::make_pair(r, last));
      if (!inserted && it->second.second != last && table.functional) {
        table.functional = false;
        table_conflict_[t] = {static_cast<int>(it->second.first), static_cast<int>(r)};
      }
    }
  }
}

}  // namespace csp::model::checking
