// The parser's driver, token helpers, error recovery and declaration rules
// (docs/language.md, "Declarations"). Expressions are in parser_expr.cpp.
#include "model/parser.h"

#include <algorithm>
#include <climits>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "model/frontend.h"

namespace csp::model {

namespace detail {

namespace {

const std::vector<std::string> kDeclarationKeywords = {
    "include", "enum", "entity", "relation", "table", "define", "rule", "property", "scenario", "scope",
    "import"};

// The declarations each patch action applies to (docs/language.md, "Patches").
const std::vector<std::pair<std::string_view, std::vector<std::string>>> kPatchTargets = {
    {"extend", {"entity", "enum", "table"}},
    {"replace", {"rule", "property", "scenario", "define", "table", "relation"}},
    {"remove", {"rule", "property", "scenario", "define", "table", "relation"}},
};

const std::vector<std::string>* patch_targets(std::string_view action) {
  for (const auto& [word, targets] : kPatchTargets) {
    if (word == action) return &targets;
  }
  return nullptr;
}

// The name and range of the one declaration a patch's file holds.
std::pair<std::string, SourceRange> only_declaration(const SpecFile& file) {
  auto first = [](const auto& decls) -> std::optional<std::pair<std::string, SourceRange>> {
    if (decls.empty()) return std::nullopt;
    return std::make_pair(decls.front().name, decls.front().range);
  };
  for (auto found : {first(file.kinds), first(file.enums), first(file.tables), first(file.rules),
                     first(file.properties), first(file.scenarios), first(file.defines), first(file.relations)}) {
    if (found) return *found;
  }
  return {};
}

}  // namespace

Parser::Parser(const SourceManager& sources, int file, DiagnosticSink& sink)
    : sources_(sources), file_(file), sink_(sink) {}

SpecFile Parser::run() {
  SpecFile out;
  out.file = file_;
  LexResult lexed = tokenize(sources_.text(file_), file_);
  tokens_ = std::move(lexed.tokens);
  for (auto& error : lexed.errors) report(error.range, std::move(error.message), std::move(error.help));
  while (!at(TokenKind::End) && errors_ < kMaxErrors) {
    std::size_t start = pos_;
    try {
      parse_declaration(out);
    } catch (const ParseAbort&) {
      if (pos_ == start) advance();  // never retry the same token forever
      synchronize();
    }
  }
  return out;
}

// ------------------------------------------------------------------ tokens

const Token& Parser::peek(std::size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

const Token& Parser::advance() {
  const Token& token = tokens_[pos_];
  if (!token.is(TokenKind::End)) ++pos_;
  return token;
}

bool Parser::accept(TokenKind kind) {
  if (!at(kind)) return false;
  advance();
  return true;
}

bool Parser::accept_keyword(std::string_view word) {
  if (!at_keyword(word)) return false;
  advance();
  return true;
}

const Token& Parser::expect(TokenKind kind, std::string_view context) {
  if (at(kind)) return advance();
  std::string expected = fmt::format("`{}`", token_spelling(kind));
  if (!context.empty()) expected += fmt::format(" {}", context);
  fail(expected);
}

const Token& Parser::expect_keyword(std::string_view word, std::string_view context) {
  if (at_keyword(word)) return advance();
  std::string help;
  if (at(TokenKind::Ident) && closest_match(peek().text, {std::string(word)}) == word) {
    help = fmt::format("did you mean `{}`?", word);
  }
  fail(fmt::format("`{}` {}", word, context), std::move(help));
}

const Token& Parser::expect_ident(std::string_view what) {
  if (at(TokenKind::Ident)) return advance();
  std::string help;
  if (at(TokenKind::Keyword)) help = fmt::format("`{}` is a reserved word", peek().text);
  fail(what, std::move(help));
}

const Token& Parser::expect_string(std::string_view what) {
  if (at(TokenKind::String)) return advance();
  fail(what);
}

void Parser::fail(std::string_view expected, std::string help) {
  report(peek().range, fmt::format("expected {}, got {}", expected, describe(peek())), std::move(help));
  throw ParseAbort{};
}

void Parser::report(SourceRange range, std::string message, std::string help) {
  if (errors_++ >= kMaxErrors) return;
  sink_.error(range, std::move(message)).help = std::move(help);
}

bool Parser::at_declaration_start() const {
  if (at_patch_start()) return true;
  if (!at(TokenKind::Keyword)) return false;
  return std::find(kDeclarationKeywords.begin(), kDeclarationKeywords.end(), peek().text) !=
         kDeclarationKeywords.end();
}

// Panic mode: skip to the next token that can start a declaration. Keywords
// never occur inside expressions as names, so this cannot resync mid-formula.
void Parser::synchronize() {
  while (!at(TokenKind::End) && !at_declaration_start()) advance();
}

// ------------------------------------------------------------ declarations

// `extend`, `replace` and `remove` are not reserved: they start a patch only
// when a declaration keyword follows, so specs that use them as names still parse.
bool Parser::at_patch_start() const {
  return at(TokenKind::Ident) && patch_targets(peek().text) && peek(1).is(TokenKind::Keyword);
}

void Parser::parse_declaration(SpecFile& out) {
  const Token& token = peek();
  if (at_patch_start()) {
    out.patches.push_back(parse_patch());
  } else if (token.is_keyword("include")) {
    out.includes.push_back(parse_include());
  } else if (token.is_keyword("enum")) {
    out.enums.push_back(parse_enum());
  } else if (token.is_keyword("entity")) {
    out.kinds.push_back(parse_entity());
  } else if (token.is_keyword("relation")) {
    out.relations.push_back(parse_relation());
  } else if (token.is_keyword("table")) {
    out.tables.push_back(parse_table());
  } else if (token.is_keyword("define")) {
    out.defines.push_back(parse_define());
  } else if (token.is_keyword("rule")) {
    out.rules.push_back(parse_formula(false));
  } else if (token.is_keyword("property")) {
    out.properties.push_back(parse_formula(true));
  } else if (token.is_keyword("scenario")) {
    out.scenarios.push_back(parse_scenario());
  } else if (token.is_keyword("scope")) {
    out.scopes.push_back(parse_scope());
  } else if (token.is_keyword("import")) {
    out.imports.push_back(parse_import());
  } else if (token.is(TokenKind::Ident) && patch_targets(token.text) && peek(1).is(TokenKind::Ident)) {
    out.patches.push_back(parse_patch());  // `replace rul x`: reports what may follow the action
  } else {
    std::string help;
    std::string suggestion = token.is(TokenKind::Ident) ? closest_match(token.text, kDeclarationKeywords) : "";
    if (!suggestion.empty()) {
      help = fmt::format("did you mean `{}`?", suggestion);
    } else if (token.is_keyword("expect")) {
      help = "only a property or a scenario takes `expect`";
    }
    fail("declaration", std::move(help));
  }
}

// ('extend' | 'replace' | 'remove') KEYWORD ...: the declaration it patches
// follows the action word as it would be written on its own (`remove` takes
// just the name; `extend table` just the rows).
PatchDecl Parser::parse_patch() {
  const Token& action = advance();
  PatchDecl patch;
  patch.action = action.text == "extend"    ? PatchDecl::Action::Extend
                 : action.text == "replace" ? PatchDecl::Action::Replace
                                            : PatchDecl::Action::Remove;
  patch.action_range = action.range;
  const std::vector<std::string>& targets = *patch_targets(action.text);
  if (std::find(targets.begin(), targets.end(), peek().text) == targets.end()) {
    std::vector<std::string> quoted;
    for (const auto& target : targets) quoted.push_back(fmt::format("`{}`", target));
    std::string suggestion = at(TokenKind::Ident) ? closest_match(peek().text, targets) : "";
    fail(fmt::format("{} after `{}`", fmt::join(quoted, ", "), action.text),
         suggestion.empty() ? "" : fmt::format("did you mean `{}`?", suggestion));
  }
  patch.what = peek().text;
  if (patch.action == PatchDecl::Action::Remove) {
    advance();
    const Token& name = expect_ident(fmt::format("{} name after `remove {}`", patch.what, patch.what));
    patch.name = name.text;
    patch.range = name.range;
    return patch;
  }
  patch.declaration = std::make_unique<SpecFile>();
  patch.declaration->file = file_;
  if (patch.action == PatchDecl::Action::Extend && patch.what == "table") {
    patch.declaration->tables.push_back(parse_table_rows_extension());
  } else {
    parse_declaration(*patch.declaration);
  }
  std::tie(patch.name, patch.range) = only_declaration(*patch.declaration);
  return patch;
}

// `table NAME { row, ... }`: rows added to a table declared elsewhere, whose
// columns they take.
TableDecl Parser::parse_table_rows_extension() {
  advance();
  const Token& name = expect_ident("table name after `extend table`");
  TableDecl table;
  table.name = name.text;
  table.range = name.range;
  expect(TokenKind::LBrace, "to open the rows after `extend table` and its name");
  while (!at(TokenKind::RBrace)) {
    table.rows.push_back(parse_table_row());
    accept(TokenKind::Comma);
  }
  advance();
  return table;
}

IncludeDecl Parser::parse_include() {
  advance();
  const Token& path = expect_string("file name string after `include`");
  return IncludeDecl{path.text, path.range};
}

EnumDecl Parser::parse_enum() {
  advance();
  const Token& name = expect_ident("enum name after `enum`");
  EnumDecl decl;
  decl.name = name.text;
  decl.range = name.range;
  if (accept_keyword("from")) {
    const Token& path = expect_string("CSV file name string after `from`");
    expect_keyword("column", "after the CSV file name");
    const Token& column = expect_ident("column name after `column`");
    decl.csv = CsvSource{path.text, "", {column.text}, path.range};
    return decl;
  }
  expect(TokenKind::LBrace, "or `from` after enum name");
  while (!at(TokenKind::RBrace)) {
    const Token& value = expect_ident("enum value or `}`");
    decl.values.push_back(value.text);
    decl.value_ranges.push_back(value.range);
    accept(TokenKind::Comma);
  }
  advance();
  if (decl.values.empty()) report(name.range, fmt::format("enum `{}` has no values", decl.name));
  return decl;
}

EntityKind Parser::parse_entity() {
  advance();
  const Token& name = expect_ident("entity kind name after `entity`");
  EntityKind kind;
  kind.name = name.text;
  kind.range = name.range;
  expect(TokenKind::LBrace, "after entity name");
  while (!at(TokenKind::RBrace)) {
    const Token& attribute = expect_ident("attribute name or `}`");
    expect(TokenKind::Colon, "after attribute name");
    kind.attributes.push_back(Attribute{attribute.text, attribute.range, parse_type(), false, {}});
    // `fixed` is a word, not a keyword: followed by `:` it names the next attribute.
    if (at_word("fixed") && !peek(1).is(TokenKind::Colon)) {
      kind.attributes.back().fixed = true;
      kind.attributes.back().fixed_range = advance().range;
    }
    accept(TokenKind::Comma);
  }
  advance();
  return kind;
}

TypeRef Parser::parse_type() {
  const Token& token = peek();
  bool builtin = token.is_keyword("Bool") || token.is_keyword("Int") || token.is_keyword("Date");
  if (!token.is(TokenKind::Ident) && !builtin) fail("type");
  advance();
  TypeRef type;
  type.name = token.text;
  type.range = token.range;
  if (at(TokenKind::Question)) {
    type.optional = true;
    type.range = join(type.range, advance().range);
  }
  return type;
}

std::vector<Param> Parser::parse_params(std::string_view owner) {
  expect(TokenKind::LParen, fmt::format("after {} name", owner));
  std::vector<Param> params;
  for (;;) {
    const Token& name = expect_ident("parameter name");
    expect(TokenKind::Colon, "after parameter name");
    params.push_back(Param{name.text, name.range, parse_type()});
    if (accept(TokenKind::Comma)) {
      if (at(TokenKind::RParen)) break;
      continue;
    }
    if (at(TokenKind::RParen)) break;
    fail("`,` or `)` after parameter");
  }
  advance();
  return params;
}

RelationDecl Parser::parse_relation() {
  advance();
  const Token& name = expect_ident("relation name after `relation`");
  return RelationDecl{name.text, name.range, parse_params("relation")};
}

TableDecl Parser::parse_table() {
  SourceRange keyword = advance().range;
  const Token& name = expect_ident("table name after `table`");
  TableDecl table;
  table.name = name.text;
  table.range = name.range;
  table.params = parse_params("table");
  if (accept_keyword("from")) {
    const Token& path = expect_string("CSV file name string after `from`");
    std::vector<std::string> columns;
    for (const auto& param : table.params) columns.push_back(param.name);
    table.csv = CsvSource{path.text, "", std::move(columns), path.range};
    table.extent = join(keyword, previous().range);
    return table;
  }
  if (!accept(TokenKind::LBrace)) fail("`{` or `from` after table parameters");
  while (!at(TokenKind::RBrace)) {
    table.rows.push_back(parse_table_row());
    accept(TokenKind::Comma);
  }
  advance();
  table.extent = join(keyword, previous().range);
  return table;
}

TableDecl::Row Parser::parse_table_row() {
  if (!at(TokenKind::LParen)) fail("table row `(...)` or `}`");
  TableDecl::Row row;
  row.range = advance().range;
  for (;;) {
    row.cells.push_back(parse_literal("table cell value"));
    if (accept(TokenKind::Comma)) continue;
    if (at(TokenKind::RParen)) break;
    fail("`,` or `)` in table row");
  }
  row.range = join(row.range, advance().range);
  return row;
}

DefineDecl Parser::parse_define() {
  SourceRange keyword = advance().range;
  const Token& name = expect_ident("define name after `define`");
  DefineDecl define;
  define.name = name.text;
  define.range = name.range;
  define.params = parse_params("define");
  expect(TokenKind::Assign, "after define parameters");
  define.body = parse_expr();
  define.extent = join(keyword, previous().range);
  return define;
}

FormulaDecl Parser::parse_formula(bool is_property) {
  SourceRange keyword = advance().range;
  const Token& name = expect_ident(is_property ? "property name after `property`" : "rule name after `rule`");
  FormulaDecl formula;
  formula.name = name.text;
  formula.range = name.range;
  parse_header(formula.description, formula.source);
  // `message` is a word, not a keyword: only a string after it makes it one.
  if (at_word("message") && peek(1).is(TokenKind::String)) {
    advance();
    formula.message = parse_message_template(advance());
  }
  formula.body = parse_block(is_property ? "property body" : "rule body");
  if (is_property && at_keyword("expect")) {
    SourceRange start = advance().range;
    if (accept_keyword("proved")) {
      formula.expect = FormulaDecl::Expect::Proved;
    } else if (accept_keyword("violated")) {
      formula.expect = FormulaDecl::Expect::Violated;
    } else {
      fail("`proved` or `violated` after `expect`");
    }
    formula.expect_range = join(start, previous().range);
  }
  formula.extent = join(keyword, previous().range);
  return formula;
}

// The string after `message`, split into literal text and `{expr}` holes. Each
// hole is lexed and parsed in place, from the file's own bytes, so an error
// inside it points at its line and column within the string.
MessageTemplate Parser::parse_message_template(const Token& string) {
  MessageTemplate message;
  message.range = string.range;
  std::string_view file_text = sources_.text(file_);
  std::uint32_t begin = string.range.begin + 1, end = string.range.end - 1;  // inside the quotes
  message.written = std::string(file_text.substr(begin, end - begin));
  std::string literal;
  auto flush_literal = [&] {
    if (!literal.empty()) message.parts.push_back({std::move(literal), nullptr});
    literal.clear();
  };
  for (std::uint32_t at = begin; at < end; ++at) {
    char c = file_text[at];
    if (c == '\\' && at + 1 < end) {
      literal += file_text[++at];
    } else if ((c == '{' || c == '}') && at + 1 < end && file_text[at + 1] == c) {
      literal += c;  // `{{` and `}}` are literal braces
      ++at;
    } else if (c == '}') {
      report({file_, at, at + 1}, "unmatched `}` in message: write `}}` for a literal brace");
    } else if (c != '{') {
      literal += c;
    } else {
      std::uint32_t close = closing_brace(file_text, at, end);
      if (close == end) {
        report({file_, at, at + 1}, "unclosed `{` in message: write `{{` for a literal brace");
        break;
      }
      flush_literal();
      message.parts.push_back({"", parse_hole(file_text, at + 1, close)});
      at = close;
    }
  }
  flush_literal();
  return message;
}

// The `}` that closes the hole opened at `open` (holes may hold `x in {a, b}`), or `end`.
std::uint32_t Parser::closing_brace(std::string_view text, std::uint32_t open, std::uint32_t end) {
  int depth = 0;
  for (std::uint32_t at = open; at < end; ++at) {
    if (text[at] == '{') ++depth;
    if (text[at] == '}' && --depth == 0) return at;
  }
  return end;
}

// One `{expr}` of a message: the bytes [begin, close) as an expression.
ExprPtr Parser::parse_hole(std::string_view text, std::uint32_t begin, std::uint32_t close) {
  std::vector<Token> hole_tokens;
  std::vector<Diagnostic> errors;
  Lexer lexer(text.substr(0, close), file_, begin);
  do hole_tokens.push_back(lexer.next(errors));
  while (!hole_tokens.back().is(TokenKind::End));
  // A `}` ends the hole's tokens, so "expected ..., got `}`" points at the brace.
  Token brace;
  brace.kind = TokenKind::RBrace;
  brace.text = "}";
  brace.range = {file_, close, close + 1};
  hole_tokens.insert(hole_tokens.end() - 1, brace);
  hole_tokens.back().range = {file_, close + 1, close + 1};
  for (auto& error : errors) report(error.range, std::move(error.message), std::move(error.help));
  if (hole_tokens.size() == 2) {
    report({file_, begin - 1, close + 1}, "empty `{}` in message: write an expression between the braces");
    return nullptr;
  }
  // Parse the hole's tokens in place of the file's, and put those back after.
  std::swap(tokens_, hole_tokens);
  std::size_t resume = pos_;
  pos_ = 0;
  struct Restore {
    Parser& parser;
    std::vector<Token>& saved;
    std::size_t pos;
    ~Restore() {
      std::swap(parser.tokens_, saved);
      parser.pos_ = pos;
    }
  } restore{*this, hole_tokens, resume};
  ExprPtr expr = parse_expr();
  if (!at(TokenKind::RBrace)) fail("`}` to close the expression in the message");
  return expr;
}

// STRING? ('source' name)?, shared by rules, properties and scenarios.
void Parser::parse_header(std::string& description, std::string& source) {
  if (at(TokenKind::String)) description = advance().text;
  if (accept_keyword("source")) {
    SourceRange range;
    source = parse_rule_reference("catalogue id string after `source`", range);
  }
}

// A rule name or catalogue id: a string, or an identifier. `CSP-R13` written
// without quotes lexes as `CSP` `-` `R13`; adjacent pieces are glued back.
std::string Parser::parse_rule_reference(std::string_view what, SourceRange& range) {
  if (at(TokenKind::String)) {
    const Token& token = advance();
    range = token.range;
    return token.text;
  }
  const Token& first = expect_ident(what);
  std::string text = first.text;
  range = first.range;
  while (at(TokenKind::Minus) && peek().range.begin == range.end &&
         (peek(1).is(TokenKind::Ident) || peek(1).is(TokenKind::Int)) &&
         peek(1).range.begin == peek().range.end) {
    advance();
    const Token& piece = advance();
    text += "-" + piece.text;
    range = join(range, piece.range);
  }
  return text;
}

// '{' expr* '}': several formulas are conjoined, none is `true`.
ExprPtr Parser::parse_block(std::string_view what) {
  if (!at(TokenKind::LBrace)) {
    std::string help;
    if (at(TokenKind::Ident) && closest_match(peek().text, {"source"}) == "source") help = "did you mean `source`?";
    fail(fmt::format("`{{` to open the {}", what), std::move(help));
  }
  SourceRange open = advance().range;
  std::vector<ExprPtr> formulas;
  while (!at(TokenKind::RBrace)) {
    if (at(TokenKind::End)) fail(fmt::format("`}}` to close the {}", what));
    formulas.push_back(parse_expr());
    accept(TokenKind::Comma);
  }
  SourceRange close = advance().range;
  if (formulas.empty()) {
    auto truth = make_expr(ExprKind::BoolLit, join(open, close));
    truth->value = 1;
    return truth;
  }
  if (formulas.size() == 1) return std::move(formulas.front());
  SourceRange range = join(formulas.front()->range, formulas.back()->range);
  return bounded(make_expr(ExprKind::And, range, std::move(formulas)), open);
}

ScopeDecl Parser::parse_scope() {
  SourceRange keyword = advance().range;
  auto size_of = [](const Token& token) {
    return static_cast<int>(std::min<std::int64_t>(token.value, INT_MAX));
  };
  if (at(TokenKind::Int)) {
    const Token& size = advance();
    return ScopeDecl{"", size_of(size), join(keyword, size.range)};
  }
  if (!at(TokenKind::Ident)) fail("scope size or entity kind after `scope`");
  const Token& kind = advance();
  if (!at(TokenKind::Int)) fail(fmt::format("scope size after `{}`", kind.text));
  return ScopeDecl{kind.text, size_of(advance()), kind.range};
}

// --------------------------------------------------------------- scenarios

ScenarioDecl Parser::parse_scenario() {
  SourceRange keyword = advance().range;
  const Token& name = expect_ident("scenario name after `scenario`");
  ScenarioDecl scenario;
  scenario.name = name.text;
  scenario.range = name.range;
  parse_header(scenario.description, scenario.source);
  expect(TokenKind::LBrace, "to open the scenario");
  while (!at(TokenKind::RBrace)) {
    if (at(TokenKind::End)) fail("`}` to close the scenario");
    parse_scenario_item(scenario);
    accept(TokenKind::Comma);
  }
  advance();
  scenario.extent = join(keyword, previous().range);
  return scenario;
}

void Parser::parse_scenario_item(ScenarioDecl& scenario) {
  if (at_keyword("expect")) {
    parse_scenario_expect(scenario);
    return;
  }
  if (!at(TokenKind::Ident)) fail("scenario item (an entity, a relation fact or `expect`)");
  if (peek(1).is(TokenKind::Colon)) {
    scenario.entities.push_back(parse_scenario_entity());
  } else if (peek(1).is(TokenKind::LParen)) {
    scenario.facts.push_back(parse_scenario_fact());
  } else {
    std::string name = advance().text;
    fail(fmt::format("`:` or `(` after identifier `{}`", name));
  }
}

// NAME ':' KIND ('{' (attribute '=' literal ','?)* '}')?
ScenarioEntity Parser::parse_scenario_entity() {
  const Token& name = advance();
  advance();  // ':'
  const Token& kind = expect_ident("entity kind after `:`");
  ScenarioEntity entity;
  entity.name = name.text;
  entity.range = name.range;
  entity.kind = TypeRef{kind.text, false, kind.range, {}};
  if (!accept(TokenKind::LBrace)) return entity;
  while (!at(TokenKind::RBrace)) {
    const Token& attribute = expect_ident("attribute name or `}`");
    expect(TokenKind::Assign, "after attribute name");
    ExprPtr value = parse_literal(fmt::format("value for attribute `{}`", attribute.text));
    entity.assignments.push_back({attribute.text, attribute.range, std::move(value), -1});
    accept(TokenKind::Comma);
  }
  advance();
  return entity;
}

// RELATION '(' name (',' name)* ')'
ScenarioFact Parser::parse_scenario_fact() {
  const Token& relation = advance();
  advance();  // '('
  ScenarioFact fact;
  fact.relation = relation.text;
  fact.range = relation.range;
  for (;;) {
    fact.args.push_back(parse_qualified_name("entity name or enum value"));
    if (accept(TokenKind::Comma)) continue;
    if (at(TokenKind::RParen)) break;
    fail(fmt::format("`,` or `)` in the arguments of `{}`", relation.text));
  }
  advance();
  return fact;
}

// 'expect' ('allowed' | 'forbidden' ('by' name (',' name)*)?)
void Parser::parse_scenario_expect(ScenarioDecl& scenario) {
  const Token& keyword = advance();
  if (scenario.expect != ScenarioDecl::Expect::None) {
    report(keyword.range, fmt::format("scenario `{}` has more than one `expect`", scenario.name));
  }
  scenario.expect_by.clear();
  if (accept_keyword("allowed")) {
    scenario.expect = ScenarioDecl::Expect::Allowed;
  } else if (accept_keyword("forbidden")) {
    scenario.expect = ScenarioDecl::Expect::Forbidden;
    if (accept_keyword("by")) {
      SourceRange range;
      scenario.expect_by.push_back(parse_rule_reference("rule name or catalogue id after `by`", range));
      // A comma followed by `X:` or `X(` separates the next scenario item instead.
      while (at(TokenKind::Comma) &&
             !(peek(1).is(TokenKind::Ident) && (peek(2).is(TokenKind::Colon) || peek(2).is(TokenKind::LParen)))) {
        advance();
        scenario.expect_by.push_back(parse_rule_reference("rule name or catalogue id", range));
      }
    }
  } else {
    fail("`allowed` or `forbidden` after `expect`");
  }
  scenario.expect_range = join(keyword.range, previous().range);
}

}  // namespace detail

SpecFile parse(const SourceManager& sources, int file, DiagnosticSink& sink) {
  return detail::Parser(sources, file, sink).run();
}

}  // namespace csp::model
