// Namespaces of the merged model: reports duplicate declarations and builds
// the lookup tables every later pass resolves names through.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "model/checker_internal.h"

namespace csp::model::checking {

namespace {

constexpr const char* kBuiltinTypes[] = {"Bool", "Int", "Date"};

/// A declaration competing for a name; `index` says which one it is.
struct Declared {
  const std::string* name;
  SourceRange range;
  int index;
};

template <typename Decl>
void collect(std::vector<Declared>& into, const std::vector<Decl>& decls, int index_base = 0) {
  for (std::size_t i = 0; i < decls.size(); ++i) {
    into.push_back({&decls[i].name, decls[i].range, index_base + static_cast<int>(i)});
  }
}

std::optional<Type> builtin_type(const std::string& name) {
  if (name == "Bool") return Type{TypeKind::Bool};
  if (name == "Int") return Type{TypeKind::Int};
  if (name == "Date") return Type{TypeKind::Date};
  return std::nullopt;
}

}  // namespace

void Checker::declare_names() {
  // "The second" declaration is the later one in load order, whichever vector
  // it sits in (an enum after an entity of the same name is the duplicate).
  auto position = [this](const Declared& d) {
    int file = d.range.file >= 0 && static_cast<std::size_t>(d.range.file) < file_order_.size()
                   ? file_order_[d.range.file]
                   : d.range.file;
    return std::make_tuple(file, d.range.begin);
  };
  // Returns the winning index for each name; reports the losers at themselves.
  auto declare = [&](std::vector<Declared> decls) {
    std::stable_sort(decls.begin(), decls.end(),
                     [&](const Declared& a, const Declared& b) { return position(a) < position(b); });
    std::unordered_map<std::string, const Declared*> first;
    std::unordered_map<std::string, int> winners;
    for (const Declared& d : decls) {
      auto [it, inserted] = first.emplace(*d.name, &d);
      if (inserted) {
        winners.emplace(*d.name, d.index);
      } else {
        report_duplicate(d.range, fmt::format("duplicate declaration of `{}`", *d.name), it->second->range);
      }
    }
    return winners;
  };

  // Types: enums and entity kinds share one namespace; indices >= enum count are kinds.
  std::vector<Declared> types;
  collect(types, model_.enums);
  collect(types, model_.kinds, static_cast<int>(model_.enums.size()));
  std::vector<Declared> allowed_types;
  for (const Declared& d : types) {
    if (builtin_type(*d.name)) {
      error(d.range, fmt::format("`{}` is a built-in type and cannot be declared again", *d.name),
            code::kDuplicate);
    } else {
      allowed_types.push_back(d);
    }
  }
  int enum_count = static_cast<int>(model_.enums.size());
  for (const auto& [name, index] : declare(allowed_types)) {
    types_[name] = index < enum_count ? Type{TypeKind::Enum, index}
                                      : Type{TypeKind::Entity, index - enum_count};
  }

  std::vector<Declared> callables;
  collect(callables, model_.relations);
  int table_base = static_cast<int>(model_.relations.size());
  collect(callables, model_.tables, table_base);
  int define_base = table_base + static_cast<int>(model_.tables.size());
  collect(callables, model_.defines, define_base);
  for (const auto& [name, index] : declare(callables)) {
    if (index < table_base) {
      callables_[name] = {Callable::Kind::Relation, index};
    } else if (index < define_base) {
      callables_[name] = {Callable::Kind::Table, index - table_base};
    } else {
      callables_[name] = {Callable::Kind::Define, index - define_base};
    }
  }

  for (auto* formulas : {&model_.rules, &model_.properties}) {
    std::vector<Declared> decls;
    collect(decls, *formulas);
    declare(decls);
  }
  std::vector<Declared> scenarios;
  collect(scenarios, model_.scenarios);
  declare(scenarios);

  for (const EntityKind& kind : model_.kinds) {
    std::unordered_map<std::string, SourceRange> seen;
    for (const Attribute& attr : kind.attributes) {
      auto [it, inserted] = seen.emplace(attr.name, attr.range);
      if (!inserted) {
        report_duplicate(attr.range,
                         fmt::format("duplicate attribute `{}` in entity `{}`", attr.name, kind.name),
                         it->second);
      }
    }
  }

  auto check_params = [&](const auto& decls, std::string_view what) {
    for (const auto& decl : decls) {
      std::unordered_map<std::string, SourceRange> seen;
      for (const Param& param : decl.params) {
        auto [it, inserted] = seen.emplace(param.name, param.range);
        if (!inserted) {
          report_duplicate(param.range,
                           fmt::format("duplicate parameter `{}` of {} `{}`", param.name, what, decl.name),
                           it->second);
        }
      }
    }
  };
  check_params(model_.relations, "relation");
  check_params(model_.tables, "table");
  check_params(model_.defines, "define");

  // Enum values: one entry per (enum, value) so a bare value can be resolved
  // or reported as ambiguous. Only enums that won their name take part.
  for (std::size_t e = 0; e < model_.enums.size(); ++e) {
    const EnumDecl& decl = model_.enums[e];
    auto winner = types_.find(decl.name);
    bool won = winner != types_.end() && winner->second == Type{TypeKind::Enum, static_cast<int>(e)};
    std::unordered_map<std::string, SourceRange> seen;
    for (std::size_t v = 0; v < decl.values.size(); ++v) {
      SourceRange range = v < decl.value_ranges.size() ? decl.value_ranges[v] : decl.range;
      auto [it, inserted] = seen.emplace(decl.values[v], range);
      if (!inserted) {
        report_duplicate(range, fmt::format("duplicate value `{}` in enum `{}`", decl.values[v], decl.name),
                         it->second);
      } else if (won) {
        enum_values_[decl.values[v]].push_back({static_cast<int>(e), static_cast<int>(v)});
      }
    }
  }
}

std::optional<Type> Checker::find_type(const std::string& name) const {
  if (auto builtin = builtin_type(name)) return builtin;
  auto it = types_.find(name);
  if (it == types_.end()) return std::nullopt;
  return it->second;
}

int Checker::find_enum(const std::string& name) const {
  auto it = types_.find(name);
  return it != types_.end() && it->second.kind == TypeKind::Enum ? it->second.id : -1;
}

const Callable* Checker::find_callable(const std::string& name) const {
  auto it = callables_.find(name);
  return it == callables_.end() ? nullptr : &it->second;
}

const std::vector<EnumValueRef>* Checker::find_enum_value(const std::string& name) const {
  auto it = enum_values_.find(name);
  return it == enum_values_.end() ? nullptr : &it->second;
}

int Checker::find_value_of(int enum_id, const std::string& value) const {
  if (const auto* refs = find_enum_value(value)) {
    for (const EnumValueRef& ref : *refs) {
      if (ref.enum_id == enum_id) return ref.ordinal;
    }
  }
  return -1;
}

// Sorted so suggestions do not depend on hash order.
std::vector<std::string> Checker::type_names() const {
  std::vector<std::string> names(std::begin(kBuiltinTypes), std::end(kBuiltinTypes));
  for (const auto& [name, type] : types_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> Checker::callable_names() const {
  std::vector<std::string> names;
  for (const auto& [name, callable] : callables_) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

bool Checker::resolve_type_ref(TypeRef& ref) {
  std::optional<Type> found = find_type(ref.name);
  if (!found) {
    ref.type = Type{};
    suggest(error(ref.range, fmt::format("unknown type `{}`", ref.name), code::kUnknownType), ref.name,
            type_names());
    return false;
  }
  ref.type = *found;
  ref.type.optional = ref.optional;
  return true;
}

}  // namespace csp::model::checking
