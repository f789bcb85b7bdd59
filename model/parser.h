// The recursive-descent parser's internals (one member function per grammar
// rule), shared by parser.cpp (declarations) and parser_expr.cpp (expressions).
// Users call model::parse() from frontend.h; nothing else includes this file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/lexer.h"

namespace csp::model::detail {

/// Thrown after a syntax error has been reported; caught by the declaration
/// loop, which then skips to the next declaration keyword (panic mode).
struct ParseAbort {};

class Parser {
 public:
  static constexpr int kMaxErrors = 50;
  /// Deeper nesting than this is an error rather than a stack overflow.
  static constexpr int kMaxDepth = 600;  // about 200 levels of parentheses

  Parser(const SourceManager& sources, int file, DiagnosticSink& sink);
  SpecFile run();

 private:
  // ---- tokens
  const Token& peek(std::size_t ahead = 0) const;
  const Token& advance();
  const Token& previous() const { return tokens_[pos_ > 0 ? pos_ - 1 : 0]; }
  bool at(TokenKind kind) const { return peek().is(kind); }
  bool at_keyword(std::string_view word) const { return peek().is_keyword(word); }
  bool accept(TokenKind kind);
  bool accept_keyword(std::string_view word);
  const Token& expect(TokenKind kind, std::string_view context);
  const Token& expect_keyword(std::string_view word, std::string_view context);
  const Token& expect_ident(std::string_view what);
  const Token& expect_string(std::string_view what);
  [[noreturn]] void fail(std::string_view expected, std::string help = {});
  void report(SourceRange range, std::string message, std::string help = {});
  void synchronize();
  bool at_declaration_start() const;

  // ---- declarations (parser.cpp)
  void parse_declaration(SpecFile& out);
  bool at_patch_start() const;
  PatchDecl parse_patch();
  TableDecl parse_table_rows_extension();
  IncludeDecl parse_include();
  EnumDecl parse_enum();
  EntityKind parse_entity();
  RelationDecl parse_relation();
  TableDecl parse_table();
  TableDecl::Row parse_table_row();
  DefineDecl parse_define();
  FormulaDecl parse_formula(bool is_property);
  ScopeDecl parse_scope();
  TypeRef parse_type();
  std::vector<Param> parse_params(std::string_view owner);
  void parse_header(std::string& description, std::string& source);
  MessageTemplate parse_message_template(const Token& string);
  static std::uint32_t closing_brace(std::string_view text, std::uint32_t open, std::uint32_t end);
  ExprPtr parse_hole(std::string_view text, std::uint32_t begin, std::uint32_t close);
  std::string parse_rule_reference(std::string_view what, SourceRange& range);
  ExprPtr parse_block(std::string_view what);

  // ---- data imports for the audit (parser_import.cpp)
  ImportDecl parse_import();
  void parse_import_option(ImportDecl& decl);
  ImportAssignment parse_import_assignment();
  ImportValue parse_import_value(std::string_view target);
  bool at_word(std::string_view word) const { return at(TokenKind::Ident) && peek().text == word; }

  // ---- scenarios (parser.cpp)
  ScenarioDecl parse_scenario();
  void parse_scenario_item(ScenarioDecl& scenario);
  ScenarioEntity parse_scenario_entity();
  ScenarioFact parse_scenario_fact();
  void parse_scenario_expect(ScenarioDecl& scenario);

  // ---- expressions (parser_expr.cpp)
  ExprPtr parse_expr();
  /// literal ::= INT | DATE | 'true' | 'false' | 'none' | IDENT ('.' IDENT)?
  ExprPtr parse_literal(std::string_view what);
  ExprPtr parse_quantifier();
  ExprPtr parse_iff();
  ExprPtr parse_implies();
  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr parse_unary();
  ExprPtr parse_compare();
  ExprPtr parse_set(ExprPtr element);
  ExprPtr parse_sum();
  ExprPtr parse_postfix();
  ExprPtr parse_primary();
  ExprPtr parse_call(const Token& name);
  ExprPtr parse_closure();
  ExprPtr parse_qualified_name(std::string_view what);
  /// `e`, or an error at `at` when it is deeper than kMaxExprHeight.
  ExprPtr bounded(ExprPtr e, SourceRange at);

  // Counts nesting for the rules that recurse (expr, implies, unary); past
  // kMaxDepth it reports an error and aborts the declaration.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser);
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };

  const SourceManager& sources_;
  int file_;
  DiagnosticSink& sink_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int errors_ = 0;
  int depth_ = 0;
};

/// Builds an expression node; `args` become its operands.
ExprPtr make_expr(ExprKind kind, SourceRange range, std::vector<ExprPtr> args = {});

}  // namespace csp::model::detail
