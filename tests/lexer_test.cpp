// Lexer tests: token kinds, spellings, values and ranges, and the exact text
// of lexical errors.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "model/diagnostics.h"
#include "model/lexer.h"

using namespace csp::model;

namespace {

std::string kind_tag(TokenKind kind) {
  switch (kind) {
    case TokenKind::Ident: return "id";
    case TokenKind::Keyword: return "kw";
    case TokenKind::Int: return "int";
    case TokenKind::Date: return "date";
    case TokenKind::String: return "str";
    case TokenKind::End: return "end";
    default: return "op";
  }
}

// "kind:text" for every token, End included.
std::vector<std::string> tokens(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& t : tokenize(text, 0).tokens) out.push_back(fmt::format("{}:{}", kind_tag(t.kind), t.text));
  return out;
}

// Lexical errors rendered as the CLI prints them.
std::string lex_errors(const std::string& text) {
  SourceManager sources;
  int file = sources.add("t.cspv", text);
  DiagnosticSink sink;
  for (auto& d : tokenize(sources.text(file), file).errors) sink.add(d);
  return render_all(sink, sources);
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("identifiers and keywords are case-sensitive", "[lexer]") {
  CHECK(tokens("rule IN in NO none Bool bool _x9") ==
        V{"kw:rule", "id:IN", "kw:in", "id:NO", "kw:none", "kw:Bool", "id:bool", "id:_x9", "end:"});
}

TEST_CASE("every operator and punctuation token", "[lexer]") {
  CHECK(tokens("== != < <= > >= + - . , : | ( ) { } ^ * = ?") ==
        V{"op:==", "op:!=", "op:<", "op:<=", "op:>", "op:>=", "op:+", "op:-", "op:.", "op:,", "op::",
          "op:|", "op:(", "op:)", "op:{", "op:}", "op:^", "op:*", "op:=", "op:?", "end:"});
  CHECK(tokens("a<=b==c") == V{"id:a", "op:<=", "id:b", "op:==", "id:c", "end:"});
}

TEST_CASE("integers and dates carry their values", "[lexer]") {
  auto lexed = tokenize("42 2020-02-01 2020-1 d-30", 0);
  REQUIRE(lexed.errors.empty());
  const auto& t = lexed.tokens;
  REQUIRE(t.size() == 9);
  CHECK(t[0].kind == TokenKind::Int);
  CHECK(t[0].value == 42);
  CHECK(t[1].kind == TokenKind::Date);
  CHECK(t[1].value == 18293);  // days since 1970-01-01
  CHECK(t[1].text == "2020-02-01");
  // Not date-shaped: an integer, a minus and an integer.
  CHECK(t[2].kind == TokenKind::Int);
  CHECK(t[3].kind == TokenKind::Minus);
  CHECK(t[4].value == 1);
  CHECK(t[5].text == "d");
  CHECK(t[6].kind == TokenKind::Minus);
  CHECK(t[7].value == 30);
}

TEST_CASE("strings unescape \\\" and \\\\", "[lexer]") {
  auto lexed = tokenize(R"("CSP-R04" "say \"hi\" \\ ok")", 0);
  REQUIRE(lexed.errors.empty());
  CHECK(lexed.tokens[0].text == "CSP-R04");
  CHECK(lexed.tokens[1].text == R"(say "hi" \ ok)");
}

TEST_CASE("comments are skipped", "[lexer]") {
  CHECK(tokens("a // line comment\n/* block\n comment */ b /**/c") == V{"id:a", "id:b", "id:c", "end:"});
}

TEST_CASE("token ranges are byte offsets; End sits after the last token", "[lexer]") {
  auto lexed = tokenize("rule  r\n\n// trailing\n", 3);
  const auto& t = lexed.tokens;
  REQUIRE(t.size() == 3);
  CHECK(t[0].range.file == 3);
  CHECK(t[0].range.begin == 0);
  CHECK(t[0].range.end == 4);
  CHECK(t[1].range.begin == 6);
  CHECK(t[1].range.end == 7);
  CHECK(t[2].kind == TokenKind::End);
  CHECK(t[2].range.begin == 7);
  CHECK(t[2].range.end == 7);
}

TEST_CASE("describe names tokens for error messages", "[lexer]") {
  auto t = tokenize("foo rule 42 2020-01-01 \"s\" ==", 0).tokens;
  CHECK(describe(t[0]) == "identifier `foo`");
  CHECK(describe(t[1]) == "`rule`");
  CHECK(describe(t[2]) == "integer `42`");
  CHECK(describe(t[3]) == "date `2020-01-01`");
  CHECK(describe(t[4]) == "string \"s\"");
  CHECK(describe(t[5]) == "`==`");
  CHECK(describe(t[6]) == "end of file");
}

TEST_CASE("an invalid date is an error at the literal", "[lexer]") {
  CHECK(lex_errors("scope 3\nrule r { d < 2021-02-29 }\n") ==
        "t.cspv:2:14: error: invalid date `2021-02-29`\n"
        "rule r { d < 2021-02-29 }\n"
        "             ^~~~~~~~~~\n"
        "1 error generated\n");
  CHECK(lex_errors("2024-02-29 2000-02-29") == "");
}

TEST_CASE("an unterminated block comment is an error at its start", "[lexer]") {
  CHECK(lex_errors("enum E { a }\n  /* never closed\nrule r { true }\n") ==
        "t.cspv:2:3: error: unterminated block comment\n"
        "  /* never closed\n"
        "  ^~\n"
        "1 error generated\n");
}

TEST_CASE("an unterminated string is an error at its start", "[lexer]") {
  CHECK(lex_errors("include \"a.cspv\ninclude \"b.cspv\"\n") ==
        "t.cspv:1:9: error: unterminated string\n"
        "include \"a.cspv\n"
        "        ^\n"
        "  = help: strings end with `\"` on the same line\n"
        "1 error generated\n");
  // The string stops at the end of the line, so the next line lexes normally.
  CHECK(tokens("\"a\nb") == V{"str:a", "id:b", "end:"});
}

TEST_CASE("unknown escapes, stray characters and huge integers", "[lexer]") {
  CHECK(lex_errors("\"a\\nb\" @ 99999999999999999999 é") ==
        "t.cspv:1:3: error: unknown escape `\\n` in string\n"
        "\"a\\nb\" @ 99999999999999999999 é\n"
        "  ^~\n"
        "  = help: strings allow only the escapes `\\\"` and `\\\\`\n"
        "t.cspv:1:8: error: unexpected character `@`\n"
        "\"a\\nb\" @ 99999999999999999999 é\n"
        "       ^\n"
        "t.cspv:1:10: error: integer `99999999999999999999` is too large\n"
        "\"a\\nb\" @ 99999999999999999999 é\n"
        "         ^~~~~~~~~~~~~~~~~~~~\n"
        "t.cspv:1:31: error: unexpected character `é`\n"
        "\"a\\nb\" @ 99999999999999999999 é\n"
        "                              ^\n"
        "4 errors generated\n");
}

TEST_CASE("lexing can start mid-buffer", "[lexer]") {
  std::vector<Diagnostic> errors;
  std::string text = "enum E from \"f.csv\" column code";
  Lexer lexer(text, 0, 19);
  CHECK(lexer.next(errors).is_keyword("column"));
  Token name = lexer.next(errors);
  CHECK(name.text == "code");
  CHECK(name.range.begin == 27);
  CHECK(errors.empty());
}

// Issue #9: a Latin-1 file passed silently. Strings reach the reports
// (descriptions, sources), so a byte that is not UTF-8 is an error where it is.
TEST_CASE("bytes that are not UTF-8 in comments and strings are errors at the byte", "[lexer]") {
  // "caf\xE9" is Latin-1 for café; UTF-8 text (é, ✓, 😀) is fine.
  CHECK(lex_errors("// caf\xE9 ok\nrule r \"caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80\" {\n"
                   "  true } /* \xC0\xAF */ \"x\xED\xA0\x80\"\n") ==
        "t.cspv:1:7: error: invalid UTF-8 byte 0xE9 in comment\n"
        "// caf\xE9 ok\n"
        "      ^\n"
        "  = help: cspverify reads UTF-8; convert the file (e.g. `iconv -f latin1 -t utf-8`)\n"
        // an overlong encoding of `/`
        "t.cspv:3:13: error: invalid UTF-8 byte 0xC0 in comment\n"
        "  true } /* \xC0\xAF */ \"x\xED\xA0\x80\"\n"
        "            ^\n"
        "  = help: cspverify reads UTF-8; convert the file (e.g. `iconv -f latin1 -t utf-8`)\n"
        // a UTF-16 surrogate
        "t.cspv:3:20: error: invalid UTF-8 byte 0xED in string\n"
        "  true } /* \xC0\xAF */ \"x\xED\xA0\x80\"\n"
        "                   ^\n"
        "  = help: cspverify reads UTF-8; convert the file (e.g. `iconv -f latin1 -t utf-8`)\n"
        "3 errors generated\n");
  CHECK(lex_errors("a \xFF b") ==
        "t.cspv:1:3: error: invalid UTF-8 byte 0xFF\n"
        "a \xFF b\n"
        "  ^\n"
        "  = help: cspverify reads UTF-8; convert the file (e.g. `iconv -f latin1 -t utf-8`)\n"
        "1 error generated\n");
}

// Like the CSV reader: a UTF-8 byte order mark at the start of a file is skipped,
// and columns on line 1 do not count it.
TEST_CASE("a UTF-8 byte order mark at the start is skipped", "[lexer]") {
  CHECK(tokens("\xEF\xBB\xBFrule r") == V{"kw:rule", "id:r", "end:"});
  CHECK(lex_errors("\xEF\xBB\xBF@ rule") ==
        "t.cspv:1:1: error: unexpected character `@`\n"
        "@ rule\n"
        "^\n"
        "1 error generated\n");
  // Only at the start of the file.
  CHECK(lex_errors("rule \xEF\xBB\xBF") ==
        "t.cspv:1:6: error: unexpected character `\xEF\xBB\xBF`\n"
        "rule \xEF\xBB\xBF\n"
        "     ^\n"
        "1 error generated\n");
}
