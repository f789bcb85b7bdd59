// What `cspverify lsp` knows about a checked model: every name written in
// the loaded files, the declaration it resolves to, and what hovering over it
// shows. Built from the checker's resolved ids, so `country` in
// `t.customer.tenant.country` leads to Tenant's attribute, not Partner's.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/source.h"

namespace csp::cli {

struct SymbolInfo {
  std::string name;
  model::SourceRange declaration;  // the name where it is declared
  std::string hover;               // markdown
};

class SymbolIndex {
 public:
  SymbolIndex(const model::Model& model, const model::SourceManager& sources);

  /// The symbol whose name (declared or used) covers `offset` in `file`, or -1.
  int symbol_at(int file, std::uint32_t offset) const;
  const SymbolInfo& symbol(int id) const { return symbols_[id]; }
  /// Every place the symbol's name is written, its declaration included, in file and offset order.
  std::vector<model::SourceRange> references(int id) const;

  /// Names to complete: attributes (after a `.`), or relations, tables, defines, enums, enum values and kinds.
  struct Completion {
    std::string label;
    std::string detail;
    int kind;  // LSP CompletionItemKind
  };
  const std::vector<Completion>& attribute_completions() const { return attributes_; }
  const std::vector<Completion>& name_completions() const { return names_; }

 private:
  int add_symbol(const std::string& key, const std::string& name, model::SourceRange declaration, std::string hover);
  void use(model::SourceRange range, int symbol);
  void use_type(const model::TypeRef& type);
  void index_declarations();
  void index_expr(const model::Expr& e, std::map<int, int>& variables, const std::string& owner);
  void index_scenarios();
  void index_imports();
  std::string decl_text(model::SourceRange extent) const;

  const model::Model& model_;
  const model::SourceManager& sources_;
  std::vector<SymbolInfo> symbols_;
  std::map<std::string, int> keys_;
  struct Occurrence {
    model::SourceRange range;
    int symbol;
  };
  std::vector<Occurrence> occurrences_;
  std::vector<Completion> attributes_;
  std::vector<Completion> names_;
};

}  // namespace csp::cli
