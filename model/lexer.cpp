// The hand-written lexer: identifiers, keywords, integers, ISO dates, strings,
// operators and comments, each token with its byte range.
#include "model/lexer.h"
#include "model/utf8.h"

#include <limits>

#include <fmt/format.h>

#include "model/ast.h"

namespace csp::model {

namespace {

constexpr std::string_view kKeywords[] = {
    "include", "enum", "from", "column", "entity", "relation", "table", "define", "rule",
    "property", "scenario", "scope", "source", "expect", "proved", "violated", "allowed",
    "forbidden", "by", "forall", "exists", "and", "or", "not", "implies", "iff", "in",
    "true", "false", "none", "Bool", "Int", "Date", "import",
};

bool is_ident_start(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }

Diagnostic make_error(SourceRange range, std::string message, std::string help = {}) {
  Diagnostic d;
  d.range = range;
  d.message = std::move(message);
  d.help = std::move(help);
  return d;
}

// Bytes in the UTF-8 sequence starting with `lead` (1 for stray continuation bytes).
std::uint32_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

const char* const kUtf8Help = "cspverify reads UTF-8; convert the file (e.g. `iconv -f latin1 -t utf-8`)";

}  // namespace

bool is_keyword(std::string_view word) {
  for (auto k : kKeywords) {
    if (k == word) return true;
  }
  return false;
}

bool is_identifier_spelling(std::string_view text) {
  if (text.empty() || !is_ident_start(text[0])) return false;
  for (char c : text) {
    if (!is_ident_char(c)) return false;
  }
  return true;
}

std::string_view token_spelling(TokenKind kind) {
  switch (kind) {
    case TokenKind::EqEq: return "==";
    case TokenKind::NotEq: return "!=";
    case TokenKind::Less: return "<";
    case TokenKind::LessEq: return "<=";
    case TokenKind::Greater: return ">";
    case TokenKind::GreaterEq: return ">=";
    case TokenKind::Plus: return "+";
    case TokenKind::Minus: return "-";
    case TokenKind::Dot: return ".";
    case TokenKind::Comma: return ",";
    case TokenKind::Colon: return ":";
    case TokenKind::Pipe: return "|";
    case TokenKind::LParen: return "(";
    case TokenKind::RParen: return ")";
    case TokenKind::LBrace: return "{";
    case TokenKind::RBrace: return "}";
    case TokenKind::Caret: return "^";
    case TokenKind::Star: return "*";
    case TokenKind::Assign: return "=";
    case TokenKind::Question: return "?";
    case TokenKind::Ident:
    case TokenKind::Keyword:
    case TokenKind::Int:
    case TokenKind::Date:
    case TokenKind::String:
    case TokenKind::End: return "";
  }
  return "";
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::Ident: return fmt::format("identifier `{}`", token.text);
    case TokenKind::Keyword: return fmt::format("`{}`", token.text);
    case TokenKind::Int: return fmt::format("integer `{}`", token.text);
    case TokenKind::Date: return fmt::format("date `{}`", token.text);
    case TokenKind::String: return fmt::format("string \"{}\"", token.text);
    case TokenKind::End: return "end of file";
    case TokenKind::EqEq:
    case TokenKind::NotEq:
    case TokenKind::Less:
    case TokenKind::LessEq:
    case TokenKind::Greater:
    case TokenKind::GreaterEq:
    case TokenKind::Plus:
    case TokenKind::Minus:
    case TokenKind::Dot:
    case TokenKind::Comma:
    case TokenKind::Colon:
    case TokenKind::Pipe:
    case TokenKind::LParen:
    case TokenKind::RParen:
    case TokenKind::LBrace:
    case TokenKind::RBrace:
    case TokenKind::Caret:
    case TokenKind::Star:
    case TokenKind::Assign:
    case TokenKind::Question: return fmt::format("`{}`", token_spelling(token.kind));
  }
  return "token";
}

Lexer::Lexer(std::string_view text, int file, std::uint32_t offset)
    : text_(text), file_(file), pos_(offset), last_token_end_(offset) {
  // A UTF-8 byte order mark (some Windows editors write one) is not text.
  if (offset == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = last_token_end_ = 3;
}

// Reports the first byte of [begin, end) that is not well-formed UTF-8, once
// per comment or string (`what`), so a Latin-1 file does not pass unnoticed.
void Lexer::check_utf8(std::uint32_t begin, std::uint32_t end, std::string_view what,
                       std::vector<Diagnostic>& errors) const {
  for (std::uint32_t i = begin; i < end;) {
    std::uint32_t length = static_cast<std::uint32_t>(utf8_sequence_length(text_, i));
    if (length == 0) {
      errors.push_back(make_error(range(i, i + 1),
                                  fmt::format("invalid UTF-8 byte 0x{:02X} in {}", static_cast<unsigned char>(text_[i]),
                                              what),
                                  kUtf8Help));
      return;
    }
    i += length;
  }
}

char Lexer::peek(std::uint32_t ahead) const {
  std::size_t at = static_cast<std::size_t>(pos_) + ahead;
  return at < text_.size() ? text_[at] : '\0';
}

void Lexer::skip_trivia(std::vector<Diagnostic>& errors) {
  while (pos_ < text_.size()) {
    char c = peek();
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++pos_;
    } else if (c == '/' && peek(1) == '/') {
      std::uint32_t start = pos_;
      while (pos_ < text_.size() && peek() != '\n') ++pos_;
      check_utf8(start, pos_, "comment", errors);
    } else if (c == '/' && peek(1) == '*') {
      std::uint32_t start = pos_;
      auto close = text_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) {
        errors.push_back(make_error(range(start, start + 2), "unterminated block comment"));
        pos_ = static_cast<std::uint32_t>(text_.size());
      } else {
        pos_ = static_cast<std::uint32_t>(close + 2);
      }
      check_utf8(start, pos_, "comment", errors);
    } else {
      return;
    }
  }
}

Token Lexer::next(std::vector<Diagnostic>& errors) {
  for (;;) {
    skip_trivia(errors);
    std::uint32_t start = pos_;
    if (pos_ >= text_.size()) {
      return Token{TokenKind::End, "", 0, range(last_token_end_, last_token_end_)};
    }
    char c = peek();
    Token token;
    bool recognised = true;
    if (is_ident_start(c)) {
      token = lex_word(start);
    } else if (is_digit(c)) {
      token = lex_number(start, errors);
    } else if (c == '"') {
      token = lex_string(start, errors);
    } else {
      token = lex_operator(start, errors, recognised);
    }
    if (!recognised) continue;  // the error is reported; lex on
    last_token_end_ = token.range.end;
    return token;
  }
}

Token Lexer::lex_word(std::uint32_t start) {
  while (is_ident_char(peek())) ++pos_;
  std::string word(text_.substr(start, pos_ - start));
  TokenKind kind = is_keyword(word) ? TokenKind::Keyword : TokenKind::Ident;
  return Token{kind, std::move(word), 0, range(start, pos_)};
}

// `YYYY-MM-DD` exactly, not followed by more digits or letters.
bool Lexer::date_ahead(std::uint32_t start) const {
  static constexpr std::string_view kShape = "dddd-dd-dd";
  if (start + kShape.size() > text_.size()) return false;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    char c = text_[start + i];
    if (kShape[i] == 'd' ? !is_digit(c) : c != '-') return false;
  }
  std::size_t after = start + kShape.size();
  return after >= text_.size() || !is_ident_char(text_[after]);
}

Token Lexer::lex_number(std::uint32_t start, std::vector<Diagnostic>& errors) {
  if (date_ahead(start)) {
    pos_ = start + 10;
    std::string text(text_.substr(start, 10));
    int year = std::stoi(text.substr(0, 4));
    int month = std::stoi(text.substr(5, 2));
    int day = std::stoi(text.substr(8, 2));
    auto days = days_from_date(year, month, day);
    if (!days) errors.push_back(make_error(range(start, pos_), fmt::format("invalid date `{}`", text)));
    return Token{TokenKind::Date, std::move(text), days.value_or(0), range(start, pos_)};
  }
  while (is_digit(peek())) ++pos_;
  std::string text(text_.substr(start, pos_ - start));
  std::int64_t value = 0;
  bool overflow = false;
  for (char c : text) {
    int digit = c - '0';
    if (value > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
      overflow = true;
      break;
    }
    value = value * 10 + digit;
  }
  if (overflow) {
    errors.push_back(make_error(range(start, pos_), fmt::format("integer `{}` is too large", text)));
    value = 0;
  }
  return Token{TokenKind::Int, std::move(text), value, range(start, pos_)};
}

Token Lexer::lex_string(std::uint32_t start, std::vector<Diagnostic>& errors) {
  ++pos_;  // the opening quote
  std::string value;
  while (pos_ < text_.size() && peek() != '\n' && peek() != '"') {
    char c = peek();
    if (c == '\\' && (peek(1) == '"' || peek(1) == '\\')) {
      value += peek(1);
      pos_ += 2;
    } else if (c == '\\') {
      std::uint32_t length = pos_ + 1 < text_.size() && peek(1) != '\n'
                                 ? 1 + utf8_length(static_cast<unsigned char>(peek(1)))
                                 : 1;
      std::string escape(text_.substr(pos_, length));
      errors.push_back(make_error(range(pos_, pos_ + length),
                                  fmt::format("unknown escape `{}` in string", escape),
                                  "strings allow only the escapes `\\\"` and `\\\\`"));
      value += escape;
      pos_ += length;
    } else {
      value += c;
      ++pos_;
    }
  }
  check_utf8(start, pos_, "string", errors);
  if (peek() == '"' && pos_ < text_.size()) {
    ++pos_;
  } else {
    errors.push_back(make_error(range(start, start + 1), "unterminated string",
                                "strings end with `\"` on the same line"));
  }
  return Token{TokenKind::String, std::move(value), 0, range(start, pos_)};
}

Token Lexer::lex_operator(std::uint32_t start, std::vector<Diagnostic>& errors, bool& recognised) {
  char c = peek();
  char n = peek(1);
  auto make = [&](TokenKind kind, std::uint32_t length) {
    pos_ = start + length;
    return Token{kind, std::string(token_spelling(kind)), 0, range(start, pos_)};
  };
  switch (c) {
    case '=': return n == '=' ? make(TokenKind::EqEq, 2) : make(TokenKind::Assign, 1);
    case '<': return n == '=' ? make(TokenKind::LessEq, 2) : make(TokenKind::Less, 1);
    case '>': return n == '=' ? make(TokenKind::GreaterEq, 2) : make(TokenKind::Greater, 1);
    case '!':
      if (n == '=') return make(TokenKind::NotEq, 2);
      return foreign_operator(start, 1, "not", errors);
    case '&':
      if (n == '&') return foreign_operator(start, 2, "and", errors);
      break;
    case '+': return make(TokenKind::Plus, 1);
    case '-': return make(TokenKind::Minus, 1);
    case '.': return make(TokenKind::Dot, 1);
    case ',': return make(TokenKind::Comma, 1);
    case ':': return make(TokenKind::Colon, 1);
    case '|':
      if (n == '|') return foreign_operator(start, 2, "or", errors);
      return make(TokenKind::Pipe, 1);
    case '(': return make(TokenKind::LParen, 1);
    case ')': return make(TokenKind::RParen, 1);
    case '{': return make(TokenKind::LBrace, 1);
    case '}': return make(TokenKind::RBrace, 1);
    case '^': return make(TokenKind::Caret, 1);
    case '*': return make(TokenKind::Star, 1);
    case '?': return make(TokenKind::Question, 1);
    default: break;
  }
  recognised = false;
  if (utf8_sequence_length(text_, start) == 0) {
    pos_ = start + 1;
    errors.push_back(make_error(range(start, pos_),
                                fmt::format("invalid UTF-8 byte 0x{:02X}", static_cast<unsigned char>(c)), kUtf8Help));
    return Token{};
  }
  std::uint32_t length = utf8_length(static_cast<unsigned char>(c));
  if (start + length > text_.size()) length = static_cast<std::uint32_t>(text_.size()) - start;
  pos_ = start + length;
  std::string help;
  if (c == '&') help = "use `and`";
  if (c == ';') help = "declarations and formulas need no `;`";
  errors.push_back(make_error(range(start, pos_),
                              fmt::format("unexpected character `{}`", text_.substr(start, length)),
                              std::move(help)));
  return Token{};
}

// `&&`, `||` and `!` from other languages: reported, then read as the keyword
// they stand for so the parser does not pile up follow-on errors.
Token Lexer::foreign_operator(std::uint32_t start, std::uint32_t length, std::string_view keyword,
                              std::vector<Diagnostic>& errors) {
  pos_ = start + length;
  errors.push_back(make_error(range(start, pos_),
                              fmt::format("`{}` is not an operator", text_.substr(start, length)),
                              fmt::format("use `{}`", keyword)));
  return Token{TokenKind::Keyword, std::string(keyword), 0, range(start, pos_)};
}

LexResult tokenize(std::string_view text, int file) {
  LexResult result;
  Lexer lexer(text, file);
  for (;;) {
    result.tokens.push_back(lexer.next(result.errors));
    if (result.tokens.back().is(TokenKind::End)) return result;
  }
}

}  // namespace csp::model
