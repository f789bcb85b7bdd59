// The spec language's tokens and a hand-written lexer over an in-memory buffer.
// Lexical errors become Diagnostics; the lexer always produces a token stream
// that ends with TokenKind::End, so the parser can keep going.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/diagnostics.h"
#include "model/source.h"

namespace csp::model {

enum class TokenKind {
  Ident, Keyword, Int, Date, String,
  EqEq, NotEq, Less, LessEq, Greater, GreaterEq,
  Plus, Minus, Dot, Comma, Colon, Pipe,
  LParen, RParen, LBrace, RBrace, Caret, Star, Assign, Question,
  End,
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;        // identifier or keyword spelling, string contents (unescaped), literal text
  std::int64_t value = 0;  // Int value, or Date as days since 1970-01-01
  SourceRange range;

  bool is(TokenKind k) const { return kind == k; }
  bool is_keyword(std::string_view word) const { return kind == TokenKind::Keyword && text == word; }
};

/// True for the reserved words of the language (case-sensitive: `IN` is not one).
bool is_keyword(std::string_view word);
/// True when `text` is spelled like an identifier (`[A-Za-z_][A-Za-z0-9_]*`).
bool is_identifier_spelling(std::string_view text);
/// The spelling of an operator or punctuation kind, e.g. "==" (empty for other kinds).
std::string_view token_spelling(TokenKind kind);
/// How a token is named in "expected X, got Y" messages: identifier `foo`, `rule`, end of file.
std::string describe(const Token& token);

class Lexer {
 public:
  /// Lexes `text` (file id `file`) starting at byte `offset`.
  Lexer(std::string_view text, int file, std::uint32_t offset = 0);

  /// The next token; lexical errors are appended to `errors`.
  Token next(std::vector<Diagnostic>& errors);

 private:
  void skip_trivia(std::vector<Diagnostic>& errors);
  Token lex_word(std::uint32_t start);
  Token lex_number(std::uint32_t start, std::vector<Diagnostic>& errors);
  Token lex_string(std::uint32_t start, std::vector<Diagnostic>& errors);
  Token lex_operator(std::uint32_t start, std::vector<Diagnostic>& errors, bool& recognised);
  Token foreign_operator(std::uint32_t start, std::uint32_t length, std::string_view keyword,
                         std::vector<Diagnostic>& errors);
  bool date_ahead(std::uint32_t start) const;
  void check_utf8(std::uint32_t begin, std::uint32_t end, std::string_view what,
                  std::vector<Diagnostic>& errors) const;
  char peek(std::uint32_t ahead = 0) const;
  SourceRange range(std::uint32_t begin, std::uint32_t end) const { return {file_, begin, end}; }

  std::string_view text_;
  int file_;
  std::uint32_t pos_;
  std::uint32_t last_token_end_;
};

struct LexResult {
  std::vector<Token> tokens;  // always ends with an End token
  std::vector<Diagnostic> errors;
};

/// Lexes a whole buffer.
LexResult tokenize(std::string_view text, int file);

}  // namespace csp::model
