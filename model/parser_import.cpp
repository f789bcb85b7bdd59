// `import` declarations (docs/audit.md): which data file fills which entity
// kind or relation, and how each record's fields become attribute values.
// The option words (`items`, `key`, `join`, `partition`, `where`, `else`)
// are contextual, so specs keep using them as names.
#include <fmt/format.h>

#include "model/parser.h"

namespace csp::model::detail {

namespace {

constexpr std::string_view kImportOptions[] = {"items", "key", "join", "partition", "where"};

}  // namespace

// 'import' IDENT 'from' STRING option* '{' (IDENT '=' value ','?)* '}'
ImportDecl Parser::parse_import() {
  advance();
  const Token& name = expect_ident("entity kind or relation name after `import`");
  ImportDecl decl;
  decl.target = name.text;
  decl.range = name.range;
  expect_keyword("from", "after the imported kind or relation");
  const Token& path = expect_string("data file name string after `from`");
  decl.path = path.text;
  decl.path_range = path.range;
  while (at(TokenKind::Ident)) parse_import_option(decl);
  if (!at(TokenKind::LBrace)) {
    std::string help;
    std::vector<std::string> options(std::begin(kImportOptions), std::end(kImportOptions));
    std::string close = at(TokenKind::Ident) ? closest_match(peek().text, options) : "";
    if (!close.empty()) help = fmt::format("did you mean `{}`?", close);
    fail("`{` to open the import's field mapping, or an option (`items`, `key`, `join`, `partition`, `where`)",
         std::move(help));
  }
  advance();
  while (!at(TokenKind::RBrace)) {
    if (at(TokenKind::End)) fail("`}` to close the import");
    decl.assignments.push_back(parse_import_assignment());
    accept(TokenKind::Comma);
  }
  advance();
  return decl;
}

void Parser::parse_import_option(ImportDecl& decl) {
  const Token& word = peek();
  auto string_after = [&](std::string& into, SourceRange& range, std::string_view what) {
    const Token& keyword = advance();
    if (range.valid()) report(keyword.range, fmt::format("`{}` given twice in one import", keyword.text));
    const Token& value = expect_string(what);
    into = value.text;
    range = value.range;
  };
  if (word.text == "items") {
    string_after(decl.items, decl.items_range, "JSON path string after `items`");
  } else if (word.text == "key" || word.text == "join") {
    if (decl.key_range.valid()) {
      report(word.range, "an import has one `key` or one `join`");
    }
    bool is_join = word.text == "join";
    SourceRange unset;
    string_after(decl.key, unset, is_join ? "key field string after `join`" : "key field string after `key`");
    decl.key_range = unset;
    decl.join = is_join;
  } else if (word.text == "partition") {
    string_after(decl.partition, decl.partition_range, "field string after `partition`");
  } else if (word.text == "where") {
    advance();
    const Token& field = expect_string("field string after `where`");
    ImportFilter filter{field.text, field.range, true, ""};
    if (accept(TokenKind::NotEq)) {
      filter.equal = false;
    } else {
      expect(TokenKind::EqEq, "or `!=` after the field of `where`");
    }
    const Token& text = expect_string("text string to compare the field with");
    filter.text = text.text;
    filter.range = join(field.range, text.range);
    decl.filters.push_back(std::move(filter));
  } else {
    std::vector<std::string> options(std::begin(kImportOptions), std::end(kImportOptions));
    std::string close = closest_match(word.text, options);
    fail("an import option (`items`, `key`, `join`, `partition`, `where`) or `{`",
         close.empty() ? "" : fmt::format("did you mean `{}`?", close));
  }
}

ImportAssignment Parser::parse_import_assignment() {
  const Token& target = expect_ident("attribute or parameter name, or `}`");
  ImportAssignment assignment;
  assignment.target = target.text;
  assignment.range = target.range;
  expect(TokenKind::Assign, fmt::format("after `{}`", target.text));
  assignment.value = parse_import_value(target.text);
  return assignment;
}

// STRING ('else' STRING)* ('{' (STRING ':' literal ','?)* '}')?  |  literal
ImportValue Parser::parse_import_value(std::string_view target) {
  ImportValue value;
  if (!at(TokenKind::String)) {
    value.constant = parse_literal(fmt::format("data field string or constant value for `{}`", target));
    return value;
  }
  const Token& first = advance();
  value.fields.push_back(first.text);
  value.field_ranges.push_back(first.range);
  while (at_word("else")) {
    advance();
    const Token& next = expect_string("field string after `else`");
    value.fields.push_back(next.text);
    value.field_ranges.push_back(next.range);
  }
  if (!accept(TokenKind::LBrace)) return value;
  while (!at(TokenKind::RBrace)) {
    const Token& text = expect_string("data text string (e.g. \"new\") or `}` in the value table");
    expect(TokenKind::Colon, "after the data text");
    ImportValue::MapEntry entry{text.text, text.range,
                                parse_literal(fmt::format("value for \"{}\"", text.text))};
    value.map.push_back(std::move(entry));
    accept(TokenKind::Comma);
  }
  advance();
  if (value.map.empty()) report(previous().range, "a value table needs at least one `\"text\": value` entry");
  return value;
}

}  // namespace csp::model::detail
