// Escaping for every output language, and the JSON emitter's exact layout.
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include "reports/escape.h"
#include "reports/json_emitter.h"

using namespace csp::reports;

TEST_CASE("json_quote escapes quotes, backslashes and control characters, keeps UTF-8", "[reports]") {
  CHECK(json_quote("say \"hi\"\\") == R"("say \"hi\"\\")");
  CHECK(json_quote("a\nb\tc\rd\be\ff") == R"("a\nb\tc\rd\be\ff")");
  CHECK(json_quote(std::string("x\x01y\x1f", 4)) == R"("x\u0001y\u001f")");
  CHECK(json_quote("Ärger — ok") == "\"Ärger — ok\"");
  CHECK(json_quote("bad \xff byte") == "\"bad \xEF\xBF\xBD byte\"");
  CHECK(json_quote("cut \xE2\x82") == "\"cut \xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST_CASE("valid_utf8 rejects overlongs and surrogates", "[reports]") {
  CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(valid_utf8("\xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
}

TEST_CASE("xml_escape escapes markup and replaces characters XML cannot hold", "[reports]") {
  CHECK(xml_escape(R"(<a href="x">Tom & Jerry's</a>)") ==
        "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
  CHECK(xml_escape("line\nnext\tcol") == "line\nnext\tcol");
  CHECK(xml_escape("bell\x07") == "bell\xEF\xBF\xBD");
}

TEST_CASE("dot_quote escapes quotes and backslashes and turns newlines into line breaks", "[reports]") {
  CHECK(dot_quote("a\"b\\c\nd") == R"("a\"b\\c\nd")");
  CHECK(dot_quote("esc\x1b") == "\"esc\"");
}

TEST_CASE("markdown_escape neutralises markup and keeps table cells on one line", "[reports]") {
  CHECK(markdown_escape("a|b*c_d\ne") == "a\\|b\\*c\\_d e");
  CHECK(markdown_escape("<script> & `x` [l](u) #h ~s~ !i") ==
        "\\<script\\> \\& \\`x\\` \\[l\\](u) \\#h \\~s\\~ \\!i");
}

TEST_CASE("mermaid_label uses entity codes for quotes and markup", "[reports]") {
  CHECK(mermaid_label("\"x\" #1 <b>&\ny|`z`") == "#quot;x#quot; #35;1 #lt;b#gt;#amp;<br>y#124;#96;z#96;");
}

TEST_CASE("identifier_safe keeps word characters only", "[reports]") {
  CHECK(identifier_safe("supplies#0") == "supplies_0");
  CHECK(identifier_safe("9lives") == "_9lives");
  CHECK(identifier_safe("") == "_");
  CHECK(identifier_safe("Ä") == "__");
}

TEST_CASE("uri_from_path percent-encodes and marks absolute paths as file URIs", "[reports]") {
  CHECK(uri_from_path("specs/a b.cspv") == "specs/a%20b.cspv");
  CHECK(uri_from_path("/abs/ä.cspv") == "file:///abs/%C3%A4.cspv");
  CHECK(uri_from_path("c:x#y") == "c%3Ax%23y");
}

TEST_CASE("terminal_safe removes escape sequences but keeps layout and UTF-8", "[reports]") {
  CHECK(terminal_safe("a\x1b[31mb\tc\n") == "a\xEF\xBF\xBD[31mb\tc\n");
  CHECK(terminal_safe("csi\xC2\x9B!") == "csi\xEF\xBF\xBD!");
  CHECK(terminal_safe("Ärger\x7f") == "Ärger\xEF\xBF\xBD");
}

TEST_CASE("split_code_spans separates backtick-quoted names", "[reports]") {
  using Pieces = std::vector<std::pair<std::string_view, bool>>;
  CHECK(split_code_spans("property `p` is violated") ==
        Pieces{{"property ", false}, {"p", true}, {" is violated", false}});
  CHECK(split_code_spans("`a``b`") == Pieces{{"a", true}, {"b", true}});
  CHECK(split_code_spans("open `end") == Pieces{{"open ", false}, {"end", true}});
}

TEST_CASE("the JSON emitter indents, separates and prints empty containers inline", "[reports]") {
  std::ostringstream out;
  JsonEmitter json(out);
  json.begin_object();
  json.key("name").string("a\"b");
  json.key("list").begin_array().integer(-3).real(12.5).boolean(false).null().end_array();
  json.key("empty").begin_object().end_object();
  json.key("none").begin_array().end_array();
  json.key("nan").real(std::nan(""));
  json.end_object();
  json.finish();
  CHECK(out.str() ==
        "{\n"
        "  \"name\": \"a\\\"b\",\n"
        "  \"list\": [\n"
        "    -3,\n"
        "    12.5,\n"
        "    false,\n"
        "    null\n"
        "  ],\n"
        "  \"empty\": {},\n"
        "  \"none\": [],\n"
        "  \"nan\": null\n"
        "}\n");
}
