// `import` declarations, type-checked like any declaration: the target kind
// or relation, the data format, each assignment's attribute or parameter and
// the type of its constant or value table, required attributes that no field
// fills, and references to kinds no import gives keys to. The data itself is
// read only by `cspverify audit` (audit/loader.cpp).
#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

#include "model/checker_internal.h"

namespace csp::model::checking {

namespace {

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

ImportDecl::Format format_of(const std::string& path) {
  std::string lower = lowercase(path);
  auto ends_with = [&](std::string_view suffix) {
    return lower.size() > suffix.size() && lower.compare(lower.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".csv")) return ImportDecl::Format::Csv;
  if (ends_with(".json")) return ImportDecl::Format::Json;
  if (ends_with(".ndjson") || ends_with(".jsonl")) return ImportDecl::Format::Ndjson;
  return ImportDecl::Format::Unknown;
}

}  // namespace

class ImportChecker {
 public:
  explicit ImportChecker(Checker& checker) : c_(checker), model_(checker.model_) {}

  void run() {
    for (ImportDecl& decl : model_.imports) check_header(decl);
    for (ImportDecl& decl : model_.imports) {
      if (decl.target_kind == ImportDecl::Target::Kind && !decl.join) keyed_kinds_.insert(decl.target_id);
    }
    for (ImportDecl& decl : model_.imports) {
      if (decl.target_kind == ImportDecl::Target::Unresolved) continue;
      check_join_target(decl);
      check_assignments(decl);
      check_complete(decl);
    }
  }

 private:
  void check_header(ImportDecl& decl) {
    resolve_target(decl);
    decl.format = format_of(decl.path);
    if (decl.format == ImportDecl::Format::Unknown) {
      c_.error(decl.path_range, fmt::format("cannot tell the data format of `{}`", decl.path), code::kImport).help =
          "name a `.csv`, `.json` (one document) or `.ndjson` / `.jsonl` (one JSON object per line) file";
    }
    if (decl.items_range.valid() && decl.format != ImportDecl::Format::Json) {
      c_.error(decl.items_range, "`items` applies to a `.json` document only", code::kImport).help =
          "a CSV file has one record per row, an NDJSON file one per line";
    }
    bool is_kind = decl.target_kind == ImportDecl::Target::Kind;
    if (decl.target_kind == ImportDecl::Target::Relation && decl.key_range.valid()) {
      c_.error(decl.key_range, fmt::format("relation `{}` has no key: each record is one tuple", decl.target),
               code::kImport);
    }
    if (is_kind && !decl.key_range.valid()) {
      c_.error(decl.range, fmt::format("import of entity kind `{}` needs a `key \"field\"` (or `join \"field\"`)",
                                       decl.target),
               code::kImport)
          .help = "the key names each entity, and references to it are resolved by that key";
    }
    if (decl.key_range.valid() && decl.key.empty()) {
      c_.error(decl.key_range, "the key field name is empty", code::kImport);
    }
  }

  void resolve_target(ImportDecl& decl) {
    if (auto type = c_.find_type(decl.target); type && type->kind == TypeKind::Entity) {
      decl.target_kind = ImportDecl::Target::Kind;
      decl.target_id = type->id;
      return;
    }
    if (const Callable* callable = c_.find_callable(decl.target)) {
      if (callable->kind == Callable::Kind::Relation) {
        decl.target_kind = ImportDecl::Target::Relation;
        decl.target_id = callable->id;
        c_.relation_used_[callable->id] = true;
        return;
      }
      const char* what = callable->kind == Callable::Kind::Table ? "a table" : "a define";
      c_.error(decl.range, fmt::format("`{}` is {}: an import fills an entity kind or a relation", decl.target, what),
               code::kImport);
      return;
    }
    if (c_.find_enum(decl.target) >= 0) {
      c_.error(decl.range, fmt::format("`{}` is an enum: an import fills an entity kind or a relation", decl.target),
               code::kImport);
      return;
    }
    std::vector<std::string> names;
    for (const EntityKind& kind : model_.kinds) names.push_back(kind.name);
    for (const RelationDecl& relation : model_.relations) names.push_back(relation.name);
    c_.suggest(c_.error(decl.range, fmt::format("unknown entity kind or relation `{}`", decl.target),
                        code::kUnknownName),
               decl.target, names);
  }

  void check_join_target(const ImportDecl& decl) {
    if (!decl.join || decl.target_kind != ImportDecl::Target::Kind) return;
    if (keyed_kinds_.count(decl.target_id)) return;
    c_.error(decl.key_range,
             fmt::format("`join` sets attributes of existing `{}` entities, but no import creates them with `key`",
                         decl.target),
             code::kImport);
  }

  // The attribute names (kind) or parameter names (relation) and their types.
  std::vector<std::pair<std::string, Type>> targets(const ImportDecl& decl) const {
    std::vector<std::pair<std::string, Type>> out;
    if (decl.target_kind == ImportDecl::Target::Kind) {
      for (const Attribute& attr : model_.kinds[decl.target_id].attributes) out.emplace_back(attr.name, attr.type.type);
    } else {
      for (const Param& param : model_.relations[decl.target_id].params) out.emplace_back(param.name, param.type.type);
    }
    return out;
  }

  void check_assignments(ImportDecl& decl) {
    auto slots = targets(decl);
    std::vector<SourceRange> assigned(slots.size());
    for (ImportAssignment& assignment : decl.assignments) {
      auto it = std::find_if(slots.begin(), slots.end(), [&](const auto& s) { return s.first == assignment.target; });
      if (it == slots.end()) {
        report_unknown_target(decl, assignment);
        continue;
      }
      auto index = static_cast<std::size_t>(it - slots.begin());
      if (assigned[index].valid()) {
        c_.error(assignment.range, fmt::format("`{}` is assigned twice in one import", assignment.target),
                 code::kImport)
            .notes.push_back({assigned[index], "previous assignment is here"});
        continue;
      }
      assigned[index] = assignment.range;
      assignment.target_id = static_cast<int>(index);
      assignment.type = it->second;
      check_value(decl, assignment);
    }
  }

  void report_unknown_target(const ImportDecl& decl, const ImportAssignment& assignment) {
    if (decl.target_kind == ImportDecl::Target::Kind) {
      c_.report_unknown_attribute(assignment.range, model_.kinds[decl.target_id], assignment.target);
      return;
    }
    std::vector<std::string> params;
    for (const Param& p : model_.relations[decl.target_id].params) params.push_back(p.name);
    c_.suggest(c_.error(assignment.range,
                        fmt::format("relation `{}` has no parameter `{}`", decl.target, assignment.target),
                        code::kUnknownAttribute),
               assignment.target, params);
  }

  void check_value(const ImportDecl& decl, ImportAssignment& assignment) {
    ImportValue& value = assignment.value;
    std::string what = fmt::format("value of `{}.{}`", decl.target, assignment.target);
    if (value.constant) {
      check_constant(*value.constant, assignment.type, what);
      return;
    }
    std::set<std::string> texts;
    for (auto& entry : value.map) {
      if (!texts.insert(entry.text).second) {
        c_.error(entry.range, fmt::format("\"{}\" is listed twice in the value table", entry.text), code::kImport);
      }
      if (entry.value) check_constant(*entry.value, assignment.type, fmt::format("{} for \"{}\"", what, entry.text));
    }
    if (!value.map.empty() || assignment.type.kind != TypeKind::Entity) return;
    if (keyed_kinds_.count(assignment.type.id)) return;
    const std::string& kind = model_.kinds[assignment.type.id].name;
    c_.error(value.field_ranges.front(),
             fmt::format("`{}` refers to a `{}` by its key, but no import creates `{}` entities with `key`",
                         assignment.target, kind, kind),
             code::kImport)
        .help = fmt::format("add `import {} from \"...\" key \"...\" {{ ... }}`", kind);
  }

  // Entities are named by data keys, never in the spec: an entity constant can only be `none`.
  void check_constant(Expr& constant, Type type, const std::string& what) {
    if (type.kind == TypeKind::Entity && constant.kind == ExprKind::Name) {
      c_.error(constant.range, fmt::format("{} names an entity: entities are named by a data field", what),
               code::kImport)
          .help = "write the field that holds the key, e.g. `\"customerId\"`";
      return;
    }
    c_.resolve_literal(constant, type, what, nullptr);
  }

  // Every required attribute of a new entity, and every parameter of a tuple, needs a value.
  void check_complete(const ImportDecl& decl) {
    if (decl.join) return;
    std::vector<std::string> missing;
    bool is_kind = decl.target_kind == ImportDecl::Target::Kind;
    auto slots = targets(decl);
    for (std::size_t i = 0; i < slots.size(); ++i) {
      bool given = std::any_of(decl.assignments.begin(), decl.assignments.end(),
                               [&](const ImportAssignment& a) { return a.target_id == static_cast<int>(i); });
      if (!given && (!is_kind || !slots[i].second.optional)) missing.push_back(fmt::format("`{}`", slots[i].first));
    }
    if (missing.empty()) return;
    std::string list = fmt::format("{}", fmt::join(missing, ", "));
    if (is_kind) {
      c_.error(decl.range, fmt::format("import of `{}` leaves required attribute{} {} without a value", decl.target,
                                       missing.size() == 1 ? "" : "s", list),
               code::kImport)
          .help = "assign a field (`attr = \"field\"`) or a constant; only optional (`T?`) attributes default to `none`";
    } else {
      c_.error(decl.range, fmt::format("import of relation `{}` gives no value to {}", decl.target, list),
               code::kImport);
    }
  }

  Checker& c_;
  Model& model_;
  std::set<int> keyed_kinds_;  // kinds some `key` import creates
};

void Checker::check_imports() { ImportChecker(*this).run(); }

}  // namespace csp::model::checking
