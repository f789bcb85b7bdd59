#include "model/usage.h"

#include <fmt/format.h>

namespace csp::model {

namespace {

// What the rules and properties read, following define calls.
class Reads {
 public:
  explicit Reads(const Model& model)
      : model_(model), defines_(model.defines.size(), false), relations_(model.relations.size(), false),
        tables_(model.tables.size(), false), enums_(model.enums.size(), false), kinds_(model.kinds.size(), false) {
    for (const auto& kind : model.kinds) attributes_.emplace_back(kind.attributes.size(), false);
    for (const auto* formulas : {&model.rules, &model.properties}) {
      for (const auto& formula : *formulas) {
        if (formula.body) walk(*formula.body);
      }
    }
    // Defines reached so far may call others: follow until nothing new is reached.
    for (std::size_t next = 0; next < reached_.size(); ++next) {
      const auto& body = model.defines[reached_[next]].body;
      if (body) walk(*body);
    }
  }

  bool define(int id) const { return defines_[id]; }
  bool relation(int id) const { return relations_[id]; }
  bool table(int id) const { return tables_[id]; }
  bool enum_value_named(int id) const { return enums_[id]; }
  bool kind(int id) const { return kinds_[id]; }
  bool attribute(int kind, int attribute) const { return attributes_[kind][attribute]; }

 private:
  void walk(const Expr& e) {
    if (e.type.kind == TypeKind::Entity && valid(e.type.id, kinds_)) kinds_[e.type.id] = true;
    for (const auto& b : e.bindings) {
      if (valid(b.kind.type.id, kinds_)) kinds_[b.kind.type.id] = true;
    }
    switch (e.kind) {
      case ExprKind::Attr:
        if (valid(e.kind_id, kinds_) && e.id >= 0 && static_cast<std::size_t>(e.id) < attributes_[e.kind_id].size()) {
          attributes_[e.kind_id][e.id] = true;
        }
        break;
      case ExprKind::RelationCall: mark(relations_, e.id); break;
      case ExprKind::TableCall: mark(tables_, e.id); break;
      case ExprKind::EnumValue: mark(enums_, e.id); break;
      case ExprKind::DefineCall: reach_define(e.id); break;
      case ExprKind::Closure:
        if (e.closure_of_define) reach_define(e.id);
        else mark(relations_, e.id);
        break;
      default: break;
    }
    for (const auto& arg : e.args) walk(*arg);
  }

  void reach_define(int id) {
    if (!valid(id, defines_) || defines_[id]) return;
    defines_[id] = true;
    reached_.push_back(id);
  }

  static bool valid(int id, const std::vector<bool>& marks) {
    return id >= 0 && static_cast<std::size_t>(id) < marks.size();
  }
  static void mark(std::vector<bool>& marks, int id) {
    if (valid(id, marks)) marks[id] = true;
  }

  const Model& model_;
  std::vector<bool> defines_, relations_, tables_, enums_, kinds_;
  std::vector<std::vector<bool>> attributes_;
  std::vector<int> reached_;  // defines in the order they were reached
};

// An enum is in use when some declaration has its type (an attribute, a
// relation, table or define parameter) or some formula names one of its values.
std::vector<bool> enums_in_use(const Model& model, const Reads& reads) {
  std::vector<bool> used(model.enums.size(), false);
  auto mark = [&](const TypeRef& ref) {
    if (ref.type.kind == TypeKind::Enum && ref.type.id >= 0 && static_cast<std::size_t>(ref.type.id) < used.size()) {
      used[ref.type.id] = true;
    }
  };
  for (const auto& kind : model.kinds) {
    for (const auto& attribute : kind.attributes) mark(attribute.type);
  }
  for (const auto& relation : model.relations) {
    for (const auto& param : relation.params) mark(param.type);
  }
  for (const auto& table : model.tables) {
    for (const auto& param : table.params) mark(param.type);
  }
  for (const auto& define : model.defines) {
    for (const auto& param : define.params) mark(param.type);
  }
  for (std::size_t e = 0; e < used.size(); ++e) used[e] = used[e] || reads.enum_value_named(static_cast<int>(e));
  return used;
}

// An import is read when what it writes is: a relation some formula reads,
// an attribute it assigns that some formula reads, or (an import that makes
// entities) a kind some formula quantifies over or refers to.
bool import_read(const ImportDecl& import, const Reads& reads) {
  if (import.target_id < 0) return true;  // unresolved: the checker has said so
  if (import.target_kind == ImportDecl::Target::Relation) return reads.relation(import.target_id);
  if (import.target_kind != ImportDecl::Target::Kind) return true;
  if (!import.join && reads.kind(import.target_id)) return true;
  for (const auto& assignment : import.assignments) {
    if (assignment.target_id >= 0 && reads.attribute(import.target_id, assignment.target_id)) return true;
  }
  return false;
}

}  // namespace

std::vector<UnusedDeclaration> unused_declarations(const Model& model) {
  Reads reads(model);
  std::vector<UnusedDeclaration> out;
  constexpr const char* kReaders = "no rule or property reads it, directly or through a define";
  for (std::size_t d = 0; d < model.defines.size(); ++d) {
    if (reads.define(static_cast<int>(d))) continue;
    const auto& define = model.defines[d];
    out.push_back({"unused-define", define.name, define.range,
                   fmt::format("define `{}` is never used: no rule or property calls it, directly or through "
                               "another define", define.name)});
  }
  for (std::size_t k = 0; k < model.kinds.size(); ++k) {
    const auto& kind = model.kinds[k];
    for (std::size_t a = 0; a < kind.attributes.size(); ++a) {
      if (reads.attribute(static_cast<int>(k), static_cast<int>(a))) continue;
      std::string name = fmt::format("{}.{}", kind.name, kind.attributes[a].name);
      out.push_back({"unused-attribute", name, kind.attributes[a].range,
                     fmt::format("attribute `{}` is never read: {}", name, kReaders)});
    }
  }
  for (std::size_t r = 0; r < model.relations.size(); ++r) {
    if (reads.relation(static_cast<int>(r))) continue;
    const auto& relation = model.relations[r];
    out.push_back({"unused-relation", relation.name, relation.range,
                   fmt::format("relation `{}` is never read: {}", relation.name, kReaders)});
  }
  for (std::size_t t = 0; t < model.tables.size(); ++t) {
    if (reads.table(static_cast<int>(t))) continue;
    const auto& table = model.tables[t];
    std::string data = table.csv ? fmt::format(" (its data comes from \"{}\")", table.csv->path) : "";
    out.push_back({"unused-table", table.name, table.range,
                   fmt::format("table `{}` is never read{}: {}", table.name, data, kReaders)});
  }
  std::vector<bool> enums = enums_in_use(model, reads);
  for (std::size_t e = 0; e < model.enums.size(); ++e) {
    if (enums[e]) continue;
    const auto& decl = model.enums[e];
    out.push_back({"unused-enum", decl.name, decl.range,
                   fmt::format("enum `{}` is never used: nothing has its type and no formula names its values",
                               decl.name)});
  }
  for (const auto& import : model.imports) {
    if (import_read(import, reads)) continue;
    out.push_back({"unused-import", fmt::format("import of {}", import.target), import.range,
                   fmt::format("import of `{}` from \"{}\" is never read: no rule or property reads what it "
                               "writes, directly or through a define", import.target, import.path)});
  }
  return out;
}

}  // namespace csp::model
