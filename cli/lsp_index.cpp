#include "cli/lsp_index.h"

#include <algorithm>

#include <fmt/format.h>

namespace csp::cli {

using namespace model;

namespace {

// LSP CompletionItemKind values.
constexpr int kFieldItem = 5, kClassItem = 7, kFunctionItem = 3, kEnumItem = 13, kEnumMemberItem = 20,
              kInterfaceItem = 8;

std::string params_text(const std::vector<Param>& params) {
  std::vector<std::string> parts;
  for (const auto& p : params) parts.push_back(fmt::format("{}: {}{}", p.name, p.type.name, p.type.optional ? "?" : ""));
  return fmt::format("({})", fmt::join(parts, ", "));
}

std::string code(const std::string& text) { return fmt::format("```cspv\n{}\n```", text); }

// The last `length` bytes of `range`: the attribute of `a.b.attr`, the value of `Role.value`.
SourceRange tail(SourceRange range, std::size_t length) {
  if (range.end - range.begin >= length) range.begin = range.end - static_cast<std::uint32_t>(length);
  return range;
}

SourceRange head(SourceRange range, std::size_t length, std::size_t skip = 0) {
  range.begin += static_cast<std::uint32_t>(skip);
  range.end = std::min(range.end, range.begin + static_cast<std::uint32_t>(length));
  return range;
}

}  // namespace

SymbolIndex::SymbolIndex(const Model& model, const SourceManager& sources) : model_(model), sources_(sources) {
  index_declarations();
  std::map<int, int> no_variables;
  for (std::size_t i = 0; i < model_.defines.size(); ++i) {
    const DefineDecl& d = model_.defines[i];
    std::map<int, int> variables;
    std::string owner = fmt::format("define:{}", i);
    for (std::size_t p = 0; p < d.params.size(); ++p) {
      variables[static_cast<int>(p)] =
          add_symbol(fmt::format("{}:var:{}", owner, p), d.params[p].name, d.params[p].range,
                     code(fmt::format("{}: {}{}", d.params[p].name, d.params[p].type.name, d.params[p].type.optional ? "?" : "")));
    }
    index_expr(*d.body, variables, owner);
  }
  for (std::size_t i = 0; i < model_.rules.size(); ++i) {
    std::map<int, int> variables;
    index_expr(*model_.rules[i].body, variables, fmt::format("rule:{}", i));
  }
  for (std::size_t i = 0; i < model_.properties.size(); ++i) {
    std::map<int, int> variables;
    index_expr(*model_.properties[i].body, variables, fmt::format("property:{}", i));
  }
  for (const auto& table : model_.tables) {
    for (const auto& row : table.rows) {
      for (const auto& cell : row.cells) index_expr(*cell, no_variables, "");
    }
  }
  index_scenarios();
  index_imports();
  std::sort(occurrences_.begin(), occurrences_.end(), [](const Occurrence& a, const Occurrence& b) {
    return std::tie(a.range.file, a.range.begin, a.range.end) < std::tie(b.range.file, b.range.begin, b.range.end);
  });
}

int SymbolIndex::add_symbol(const std::string& key, const std::string& name, SourceRange declaration,
                            std::string hover) {
  auto [it, added] = keys_.emplace(key, static_cast<int>(symbols_.size()));
  if (added) {
    symbols_.push_back({name, declaration, std::move(hover)});
    if (declaration.valid()) use(declaration, it->second);
  }
  return it->second;
}

void SymbolIndex::use(SourceRange range, int symbol) {
  if (range.valid()) occurrences_.push_back({range, symbol});
}

void SymbolIndex::use_type(const TypeRef& type) {
  std::string key;
  if (type.type.kind == TypeKind::Entity) key = fmt::format("kind:{}", type.type.id);
  if (type.type.kind == TypeKind::Enum) key = fmt::format("enum:{}", type.type.id);
  auto it = keys_.find(key);
  if (it != keys_.end()) use(head(type.range, type.name.size()), it->second);
}

std::string SymbolIndex::decl_text(SourceRange extent) const {
  if (!extent.valid()) return "";
  return std::string(sources_.text(extent.file).substr(extent.begin, extent.end - extent.begin));
}

void SymbolIndex::index_declarations() {
  for (std::size_t i = 0; i < model_.enums.size(); ++i) {
    const EnumDecl& e = model_.enums[i];
    add_symbol(fmt::format("enum:{}", i), e.name, e.range,
               code(fmt::format("enum {} {{ {} }}", e.name, fmt::join(e.values, ", "))));
    names_.push_back({e.name, "enum", kEnumItem});
    for (std::size_t v = 0; v < e.values.size(); ++v) {
      SourceRange at = v < e.value_ranges.size() ? e.value_ranges[v] : SourceRange{};
      if (e.csv) at = {};  // every CSV value points at the `from` clause: not a declaration to jump to
      add_symbol(fmt::format("value:{}:{}", i, v), e.values[v], at, code(fmt::format("{}.{}", e.name, e.values[v])));
      names_.push_back({e.values[v], e.name, kEnumMemberItem});
    }
  }
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    const EntityKind& kind = model_.kinds[k];
    std::vector<std::string> attributes;
    for (const auto& a : kind.attributes) attributes.push_back(fmt::format("  {}: {}{}", a.name, a.type.name, a.type.optional ? "?" : ""));
    add_symbol(fmt::format("kind:{}", k), kind.name, kind.range,
               code(fmt::format("entity {} {{\n{}\n}}", kind.name, fmt::join(attributes, "\n"))));
    names_.push_back({kind.name, "entity kind", kClassItem});
  }
  for (std::size_t k = 0; k < model_.kinds.size(); ++k) {
    const EntityKind& kind = model_.kinds[k];
    for (std::size_t a = 0; a < kind.attributes.size(); ++a) {
      const Attribute& attribute = kind.attributes[a];
      std::string type = type_name(model_, attribute.type.type);
      add_symbol(fmt::format("attr:{}:{}", k, a), attribute.name, attribute.range,
                 code(fmt::format("{}.{}: {}", kind.name, attribute.name, type)));
      attributes_.push_back({attribute.name, fmt::format("{}.{}: {}", kind.name, attribute.name, type), kFieldItem});
      use_type(attribute.type);
    }
  }
  for (std::size_t i = 0; i < model_.relations.size(); ++i) {
    const RelationDecl& r = model_.relations[i];
    std::string signature = fmt::format("relation {}{}", r.name, params_text(r.params));
    add_symbol(fmt::format("relation:{}", i), r.name, r.range, code(signature));
    names_.push_back({r.name, signature, kInterfaceItem});
    for (const auto& p : r.params) use_type(p.type);
  }
  for (std::size_t i = 0; i < model_.tables.size(); ++i) {
    const TableDecl& t = model_.tables[i];
    std::string signature = fmt::format("table {}{}", t.name, params_text(t.params));
    add_symbol(fmt::format("table:{}", i), t.name, t.range, code(signature));
    names_.push_back({t.name, signature, kInterfaceItem});
    for (const auto& p : t.params) use_type(p.type);
  }
  for (std::size_t i = 0; i < model_.defines.size(); ++i) {
    const DefineDecl& d = model_.defines[i];
    add_symbol(fmt::format("define:{}", i), d.name, d.range, code(decl_text(d.extent)));
    names_.push_back({d.name, fmt::format("define {}{}", d.name, params_text(d.params)), kFunctionItem});
    for (const auto& p : d.params) use_type(p.type);
  }
  auto formulas = [&](const std::vector<FormulaDecl>& decls, const char* what) {
    for (std::size_t i = 0; i < decls.size(); ++i) {
      const FormulaDecl& f = decls[i];
      std::string text = fmt::format("**{} `{}`**", what, f.name);
      if (!f.description.empty()) text += fmt::format("\n\n{}", f.description);
      if (!f.source.empty()) text += fmt::format("\n\nsource: `{}`", f.source);
      text += "\n\n" + code(decl_text(f.extent));
      add_symbol(fmt::format("{}:{}", what, i), f.name, f.range, text);
    }
  };
  formulas(model_.rules, "rule");
  formulas(model_.properties, "property");
}

void SymbolIndex::index_expr(const Expr& e, std::map<int, int>& variables, const std::string& owner) {
  auto symbol = [&](const std::string& key) {
    auto it = keys_.find(key);
    return it == keys_.end() ? -1 : it->second;
  };
  auto use_key = [&](SourceRange range, const std::string& key) {
    int id = symbol(key);
    if (id >= 0) use(range, id);
  };
  switch (e.kind) {
    case ExprKind::Forall:
    case ExprKind::Exists:
      for (const auto& b : e.bindings) {
        variables[b.slot] = add_symbol(fmt::format("{}:var:{}", owner, b.slot), b.name, b.range,
                                       code(fmt::format("{}: {}", b.name, b.kind.name)));
        use_type(b.kind);
      }
      break;
    case ExprKind::Var:
      if (variables.count(e.id)) use(e.range, variables[e.id]);
      break;
    case ExprKind::Attr:
      use_key(tail(e.range, e.name.size()), fmt::format("attr:{}:{}", e.kind_id, e.id));
      break;
    case ExprKind::EnumValue: {
      const EnumDecl& decl = model_.enums[e.id];
      const std::string& value = decl.values[e.value];
      use_key(tail(e.range, value.size()), fmt::format("value:{}:{}", e.id, e.value));
      if (e.range.end - e.range.begin > value.size()) use_key(head(e.range, decl.name.size()), fmt::format("enum:{}", e.id));
      break;
    }
    case ExprKind::RelationCall: use_key(head(e.range, e.name.size()), fmt::format("relation:{}", e.id)); break;
    case ExprKind::TableCall: use_key(head(e.range, e.name.size()), fmt::format("table:{}", e.id)); break;
    case ExprKind::DefineCall: use_key(head(e.range, e.name.size()), fmt::format("define:{}", e.id)); break;
    case ExprKind::Closure:
      use_key(head(e.range, e.name.size(), 1), fmt::format("{}:{}", e.closure_of_define ? "define" : "relation", e.id));
      break;
    default: break;
  }
  for (const auto& arg : e.args) index_expr(*arg, variables, owner);
}

void SymbolIndex::index_scenarios() {
  for (std::size_t s = 0; s < model_.scenarios.size(); ++s) {
    const ScenarioDecl& scenario = model_.scenarios[s];
    std::string text = fmt::format("**scenario `{}`**", scenario.name);
    if (!scenario.description.empty()) text += fmt::format("\n\n{}", scenario.description);
    if (!scenario.source.empty()) text += fmt::format("\n\nsource: `{}`", scenario.source);
    add_symbol(fmt::format("scenario:{}", s), scenario.name, scenario.range, text);
    std::map<int, int> no_variables;
    for (std::size_t i = 0; i < scenario.entities.size(); ++i) {
      const ScenarioEntity& entity = scenario.entities[i];
      add_symbol(fmt::format("scenario:{}:entity:{}", s, i), entity.name, entity.range,
                 code(fmt::format("{}: {}", entity.name, entity.kind.name)));
      use_type(entity.kind);
    }
    for (const auto& entity : scenario.entities) {
      for (const auto& a : entity.assignments) {
        auto it = keys_.find(fmt::format("attr:{}:{}", entity.kind.type.id, a.attribute_id));
        if (it != keys_.end()) use(a.range, it->second);
        if (a.value->kind == ExprKind::EntityName) {
          use(a.value->range, keys_[fmt::format("scenario:{}:entity:{}", s, a.value->id)]);
        } else {
          index_expr(*a.value, no_variables, "");
        }
      }
    }
    for (const auto& fact : scenario.facts) {
      auto it = keys_.find(fmt::format("relation:{}", fact.relation_id));
      if (it != keys_.end()) use(fact.range, it->second);
      for (const auto& arg : fact.args) {
        if (arg->kind == ExprKind::EntityName) {
          use(arg->range, keys_[fmt::format("scenario:{}:entity:{}", s, arg->id)]);
        } else {
          index_expr(*arg, no_variables, "");
        }
      }
    }
    // `expect forbidden by NAME, CSP-R13`: each name leads to the rule of that name, or the first citing that id.
    if (!scenario.expect_range.valid()) continue;
    std::string_view text_of_expect = sources_.text(scenario.expect_range.file)
                                          .substr(scenario.expect_range.begin,
                                                  scenario.expect_range.end - scenario.expect_range.begin);
    for (const auto& name : scenario.expect_by) {
      std::size_t at = text_of_expect.find(name, text_of_expect.find(" by "));
      if (at == std::string_view::npos) continue;
      SourceRange range{scenario.expect_range.file, scenario.expect_range.begin + static_cast<std::uint32_t>(at),
                        scenario.expect_range.begin + static_cast<std::uint32_t>(at + name.size())};
      for (std::size_t r = 0; r < model_.rules.size(); ++r) {
        if (model_.rules[r].name == name || model_.rules[r].source == name) {
          use(range, keys_[fmt::format("rule:{}", r)]);
          break;
        }
      }
    }
  }
}

void SymbolIndex::index_imports() {
  for (const auto& import : model_.imports) {
    bool kind = import.target_kind == ImportDecl::Target::Kind;
    if (import.target_kind == ImportDecl::Target::Unresolved) continue;
    auto it = keys_.find(fmt::format("{}:{}", kind ? "kind" : "relation", import.target_id));
    if (it != keys_.end()) use(import.range, it->second);
    if (!kind) continue;
    for (const auto& a : import.assignments) {
      auto attr = keys_.find(fmt::format("attr:{}:{}", import.target_id, a.target_id));
      if (attr != keys_.end()) use(a.range, attr->second);
    }
  }
}

int SymbolIndex::symbol_at(int file, std::uint32_t offset) const {
  int best = -1;
  std::uint32_t best_width = UINT32_MAX;
  for (const auto& o : occurrences_) {
    if (o.range.file != file || o.range.begin > offset || offset > o.range.end) continue;
    if (o.range.end - o.range.begin < best_width) {
      best = o.symbol;
      best_width = o.range.end - o.range.begin;
    }
  }
  return best;
}

std::vector<SourceRange> SymbolIndex::references(int id) const {
  std::vector<SourceRange> out;
  for (const auto& o : occurrences_) {
    if (o.symbol != id) continue;
    if (!out.empty() && out.back().file == o.range.file && out.back().begin == o.range.begin) continue;
    out.push_back(o.range);
  }
  return out;
}

}  // namespace csp::cli
