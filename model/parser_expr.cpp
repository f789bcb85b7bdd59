// Expression rules of the recursive-descent parser (docs/language.md,
// "Formulas and expressions"), loosest binding first, plus literals.
#include <algorithm>

#include <fmt/format.h>

#include "model/parser.h"

namespace csp::model::detail {

namespace {

ExprPtr make_binary(ExprKind kind, ExprPtr lhs, ExprPtr rhs) {
  SourceRange range = join(lhs->range, rhs->range);
  std::vector<ExprPtr> args;
  args.push_back(std::move(lhs));
  args.push_back(std::move(rhs));
  return make_expr(kind, range, std::move(args));
}

// One node for a chain `a and b and c`; a single operand is returned as is.
ExprPtr make_chain(ExprKind kind, std::vector<ExprPtr> operands) {
  if (operands.size() == 1) return std::move(operands.front());
  SourceRange range = join(operands.front()->range, operands.back()->range);
  return make_expr(kind, range, std::move(operands));
}

// The literal a token spells, or null when it is not a literal token.
ExprPtr literal_of(const Token& token) {
  ExprPtr e;
  if (token.is(TokenKind::Int)) {
    e = make_expr(ExprKind::IntLit, token.range);
  } else if (token.is(TokenKind::Date)) {
    e = make_expr(ExprKind::DateLit, token.range);
  } else if (token.is_keyword("true") || token.is_keyword("false")) {
    e = make_expr(ExprKind::BoolLit, token.range);
    e->value = token.is_keyword("true") ? 1 : 0;
    return e;
  } else if (token.is_keyword("none")) {
    return make_expr(ExprKind::NoneLit, token.range);
  } else {
    return nullptr;
  }
  e->value = token.value;
  return e;
}

std::optional<ExprKind> comparison_kind(TokenKind kind) {
  switch (kind) {
    case TokenKind::EqEq: return ExprKind::Eq;
    case TokenKind::NotEq: return ExprKind::Ne;
    case TokenKind::Less: return ExprKind::Lt;
    case TokenKind::LessEq: return ExprKind::Le;
    case TokenKind::Greater: return ExprKind::Gt;
    case TokenKind::GreaterEq: return ExprKind::Ge;
    default: return std::nullopt;
  }
}

}  // namespace

ExprPtr make_expr(ExprKind kind, SourceRange range, std::vector<ExprPtr> args) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->range = range;
  for (const auto& arg : args) e->height = std::max(e->height, arg->height + 1);
  e->args = std::move(args);
  return e;
}

// The parser's recursion is bounded by DepthGuard, but a chain `a + b + c`
// is read by a loop into a left-deep tree as deep as the chain; every node is
// checked here, at the operator that builds it.
ExprPtr Parser::bounded(ExprPtr e, SourceRange at) {
  if (e->height <= kMaxExprHeight) return e;
  report(at, fmt::format("expression nested too deeply: more than {} levels of operators", kMaxExprHeight),
         "each operator of a chain such as `a + b + c`, `x.f.g` or `p iff q iff r` nests one level deeper "
         "(`and` and `or` chains do not)");
  throw ParseAbort{};
}

Parser::DepthGuard::DepthGuard(Parser& parser) : parser_(parser) {
  if (++parser_.depth_ <= kMaxDepth) return;
  --parser_.depth_;
  parser_.report(parser_.peek().range, "expression nested too deeply");
  throw ParseAbort{};
}

ExprPtr Parser::parse_expr() {
  DepthGuard guard(*this);
  if (at_keyword("forall") || at_keyword("exists")) return parse_quantifier();
  return parse_iff();
}

// ('forall' | 'exists') binding (',' binding)* '|' expr, where
// binding ::= IDENT (',' IDENT)* ':' KIND; the body extends as far right as it can.
ExprPtr Parser::parse_quantifier() {
  const Token& keyword = advance();
  std::vector<Binding> bindings;
  do {
    std::vector<const Token*> names{&expect_ident("variable name")};
    while (accept(TokenKind::Comma)) names.push_back(&expect_ident("variable name"));
    expect(TokenKind::Colon, "after quantified variable");
    // Bool/Int/Date are accepted here so the checker can explain that
    // quantifiers range over entities.
    const Token& kind = peek();
    bool builtin = kind.is_keyword("Bool") || kind.is_keyword("Int") || kind.is_keyword("Date");
    if (!kind.is(TokenKind::Ident) && !builtin) fail("entity kind after `:`");
    advance();
    for (const Token* name : names) {
      bindings.push_back(Binding{name->text, name->range, TypeRef{kind.text, false, kind.range, {}}, -1});
    }
  } while (accept(TokenKind::Comma));
  expect(TokenKind::Pipe, "before the quantifier body");
  ExprPtr body = parse_expr();
  SourceRange range = join(keyword.range, body->range);
  std::vector<ExprPtr> args;
  args.push_back(std::move(body));
  auto e = make_expr(keyword.is_keyword("forall") ? ExprKind::Forall : ExprKind::Exists, range, std::move(args));
  e->bindings = std::move(bindings);
  return bounded(std::move(e), keyword.range);
}

ExprPtr Parser::parse_iff() {
  ExprPtr lhs = parse_implies();
  while (at_keyword("iff")) {
    SourceRange op = advance().range;
    lhs = bounded(make_binary(ExprKind::Iff, std::move(lhs), parse_implies()), op);
  }
  return lhs;
}

ExprPtr Parser::parse_implies() {
  DepthGuard guard(*this);
  ExprPtr lhs = parse_or();
  if (!at_keyword("implies")) return lhs;
  SourceRange op = advance().range;
  return bounded(make_binary(ExprKind::Implies, std::move(lhs), parse_implies()), op);
}

ExprPtr Parser::parse_or() {
  std::vector<ExprPtr> operands;
  operands.push_back(parse_and());
  SourceRange first_op = peek().range;
  while (accept_keyword("or")) operands.push_back(parse_and());
  return bounded(make_chain(ExprKind::Or, std::move(operands)), first_op);
}

ExprPtr Parser::parse_and() {
  std::vector<ExprPtr> operands;
  operands.push_back(parse_unary());
  SourceRange first_op = peek().range;
  while (accept_keyword("and")) operands.push_back(parse_unary());
  return bounded(make_chain(ExprKind::And, std::move(operands)), first_op);
}

// 'not' unary | compare; a quantifier is also accepted here (`a and forall ...`).
ExprPtr Parser::parse_unary() {
  DepthGuard guard(*this);
  if (at_keyword("not")) {
    SourceRange keyword = advance().range;
    ExprPtr operand = parse_unary();
    SourceRange range = join(keyword, operand->range);
    std::vector<ExprPtr> args;
    args.push_back(std::move(operand));
    return bounded(make_expr(ExprKind::Not, range, std::move(args)), keyword);
  }
  if (at_keyword("forall") || at_keyword("exists")) return parse_quantifier();
  return parse_compare();
}

// sum (cmpop sum | 'in' set | 'not' 'in' set)?
ExprPtr Parser::parse_compare() {
  ExprPtr lhs = parse_sum();
  if (auto kind = comparison_kind(peek().kind)) {
    SourceRange op = advance().range;
    return bounded(make_binary(*kind, std::move(lhs), parse_sum()), op);
  }
  if (at_keyword("in")) {
    SourceRange op = advance().range;
    return bounded(parse_set(std::move(lhs)), op);
  }
  if (at_keyword("not") && peek(1).is_keyword("in")) {
    SourceRange op = advance().range;
    advance();
    ExprPtr membership = parse_set(std::move(lhs));
    SourceRange range = membership->range;
    std::vector<ExprPtr> args;
    args.push_back(std::move(membership));
    return bounded(make_expr(ExprKind::Not, range, std::move(args)), op);
  }
  if (at(TokenKind::Assign)) {
    report(peek().range, "`=` is not a comparison operator", "use `==` to compare");
    throw ParseAbort{};
  }
  return lhs;
}

// '{' sum (',' sum)* '}' after `in`: In(element, members...).
ExprPtr Parser::parse_set(ExprPtr element) {
  expect(TokenKind::LBrace, "after `in`");
  std::vector<ExprPtr> args;
  args.push_back(std::move(element));
  for (;;) {
    args.push_back(parse_sum());
    if (accept(TokenKind::Comma)) continue;
    if (at(TokenKind::RBrace)) break;
    fail("`,` or `}` in set");
  }
  SourceRange range = join(args.front()->range, advance().range);
  return make_expr(ExprKind::In, range, std::move(args));
}

ExprPtr Parser::parse_sum() {
  ExprPtr lhs = parse_postfix();
  while (at(TokenKind::Plus) || at(TokenKind::Minus)) {
    const Token& op = advance();
    ExprKind kind = op.is(TokenKind::Plus) ? ExprKind::Add : ExprKind::Sub;
    lhs = bounded(make_binary(kind, std::move(lhs), parse_postfix()), op.range);
  }
  return lhs;
}

ExprPtr Parser::parse_postfix() {
  ExprPtr e = parse_primary();
  while (at(TokenKind::Dot)) {
    SourceRange dot = advance().range;
    const Token& attribute = expect_ident("attribute name after `.`");
    SourceRange range = join(e->range, attribute.range);
    std::vector<ExprPtr> args;
    args.push_back(std::move(e));
    e = bounded(make_expr(ExprKind::Dot, range, std::move(args)), dot);
    e->name = attribute.text;
  }
  return e;
}

ExprPtr Parser::parse_primary() {
  if (ExprPtr literal = literal_of(peek())) {
    advance();
    return literal;
  }
  if (at(TokenKind::Ident)) {
    if (peek(1).is(TokenKind::LParen)) return parse_call(advance());
    const Token& name = advance();
    auto e = make_expr(ExprKind::Name, name.range);
    e->name = name.text;
    return e;
  }
  if (at(TokenKind::Caret) || at(TokenKind::Star)) return parse_closure();
  if (at(TokenKind::LParen)) {
    SourceRange open = advance().range;
    ExprPtr inner = parse_expr();
    SourceRange close = expect(TokenKind::RParen, "to close `(`").range;
    inner->range = join(open, close);  // so an enclosing operator's range covers the parentheses
    return inner;
  }
  fail("expression");
}

// IDENT '(' expr (',' expr)* ')', with the name already consumed.
ExprPtr Parser::parse_call(const Token& name) {
  advance();  // '('
  std::vector<ExprPtr> args;
  for (;;) {
    args.push_back(parse_expr());
    if (accept(TokenKind::Comma)) continue;
    if (at(TokenKind::RParen)) break;
    fail(fmt::format("`,` or `)` in the arguments of `{}`", name.text));
  }
  SourceRange range = join(name.range, advance().range);
  auto e = bounded(make_expr(ExprKind::Call, range, std::move(args)), name.range);
  e->name = name.text;
  return e;
}

// ('^' | '*') IDENT '(' expr ',' expr ')'
ExprPtr Parser::parse_closure() {
  const Token& op = advance();
  const Token& name = expect_ident(fmt::format("relation name after `{}`", op.text));
  std::string spelled = op.text + name.text;
  expect(TokenKind::LParen, fmt::format("after `{}`", spelled));
  std::vector<ExprPtr> args;
  args.push_back(parse_expr());
  expect(TokenKind::Comma, fmt::format("after the first argument of `{}`", spelled));
  args.push_back(parse_expr());
  SourceRange close = expect(TokenKind::RParen, fmt::format("after the second argument of `{}`", spelled)).range;
  auto e = bounded(make_expr(ExprKind::Closure, join(op.range, close), std::move(args)), op.range);
  e->name = name.text;
  e->reflexive = op.is(TokenKind::Star);
  return e;
}

ExprPtr Parser::parse_literal(std::string_view what) {
  if (ExprPtr literal = literal_of(peek())) {
    advance();
    return literal;
  }
  // A negative number: the language has no unary minus, but data may need one.
  if (at(TokenKind::Minus) && peek(1).is(TokenKind::Int) && peek(1).range.begin == peek().range.end) {
    SourceRange minus = advance().range;
    const Token& number = advance();
    auto e = make_expr(ExprKind::IntLit, join(minus, number.range));
    e->value = -number.value;
    return e;
  }
  if (at(TokenKind::Ident)) return parse_qualified_name(what);
  fail(what);
}

// IDENT ('.' IDENT)?: an entity name, a bare enum value or `Enum.value`.
ExprPtr Parser::parse_qualified_name(std::string_view what) {
  const Token& name = expect_ident(what);
  auto e = make_expr(ExprKind::Name, name.range);
  e->name = name.text;
  if (!(at(TokenKind::Dot) && peek(1).is(TokenKind::Ident))) return e;
  advance();
  const Token& value = advance();
  std::vector<ExprPtr> args;
  args.push_back(std::move(e));
  auto dot = make_expr(ExprKind::Dot, join(name.range, value.range), std::move(args));
  dot->name = value.text;
  return dot;
}

}  // namespace csp::model::detail
