// cspverify fmt (model/format.h): the canonical layout, comments kept in
// place, idempotence, and on every shipped spec a checked model identical to
// the original's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "model/format.h"
#include "model/frontend.h"
#include "model/lexer.h"
#include "tests/support/fixture.h"

using namespace csp::model;
using csp::test::source_path;
using csp::test::TempDir;

namespace fs = std::filesystem;

namespace {

std::string format_text(const std::string& text) {
  SourceManager sources;
  DiagnosticSink sink;
  int file = sources.add("test.cspv", text);
  std::optional<std::string> formatted = format_file(sources, file, sink);
  INFO(render_all(sink, sources));
  REQUIRE(formatted);
  return *formatted;
}

// Every comment of a text, in order (the text the lexer skips that is not whitespace).
std::vector<std::string> comments_of(const std::string& text) {
  std::vector<std::string> out;
  LexResult lexed = tokenize(text, 0);
  std::uint32_t from = 0;
  for (const Token& token : lexed.tokens) {
    std::uint32_t to = token.is(TokenKind::End) ? static_cast<std::uint32_t>(text.size()) : token.range.begin;
    for (std::uint32_t pos = from; pos < to;) {
      if (text.compare(pos, 2, "//") == 0) {
        std::size_t end = text.find('\n', pos);
        end = end == std::string::npos || end > to ? to : end;
        out.push_back(text.substr(pos, end - pos));
        pos = static_cast<std::uint32_t>(end);
      } else if (text.compare(pos, 2, "/*") == 0) {
        std::size_t end = text.find("*/", pos) + 2;
        out.push_back(text.substr(pos, end - pos));
        pos = static_cast<std::uint32_t>(end);
      } else {
        ++pos;
      }
    }
    from = token.range.end;
  }
  return out;
}

std::vector<fs::path> shipped_spec_files() {
  std::vector<fs::path> files;
  for (const char* root : {"specs", "tests/specs"}) {
    for (const auto& entry : fs::recursive_directory_iterator(source_path(root))) {
      if (entry.path().extension() == ".cspv") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The checked model of `paths`, dumped without locations; "" when it does not check.
std::string model_dump(const std::vector<std::string>& paths) {
  SourceManager sources;
  DiagnosticSink sink;
  std::optional<Model> model = load_model(paths, sources, sink);
  return model ? dump_model(*model) : "";
}

}  // namespace

TEST_CASE("fmt lays a spec out canonically", "[format]") {
  std::string messy =
      "enum Role{provider,reseller}\n"
      "entity Partner{role:Role,signed:Date?}\n"
      "relation partnership(p:Partner,r:Partner)\n"
      "rule signed_partners \"partners sign\" source CSP-R04 {forall p:Partner|p.signed!=none}\n"
      "property p {forall a,b:Partner|partnership(a,b)implies a.role==provider}expect violated\n"
      "scenario s{P1:Partner{role=provider,signed=2020-01-01}partnership(P1,P1) expect forbidden by CSP-R04}\n"
      "scope Partner 4\n";
  CHECK(format_text(messy) ==
        "enum Role { provider, reseller }\n"
        "entity Partner {\n"
        "  role: Role\n"
        "  signed: Date?\n"
        "}\n"
        "relation partnership(p: Partner, r: Partner)\n"
        "rule signed_partners \"partners sign\" source \"CSP-R04\" {\n"
        "  forall p: Partner | p.signed != none\n"
        "}\n"
        "property p {\n"
        "  forall a, b: Partner | partnership(a, b) implies a.role == provider\n"
        "}\n"
        "expect violated\n"
        "scenario s {\n"
        "  P1: Partner { role = provider, signed = 2020-01-01 }\n"
        "  partnership(P1, P1)\n"
        "  expect forbidden by CSP-R04\n"
        "}\n"
        "scope Partner 4\n");
}

TEST_CASE("fmt keeps the parentheses the tree needs, and around an `and` in an `or`", "[format]") {
  std::string text =
      "entity K { n: Int, b: Bool }\n"
      "rule r { ((forall x: K | x.b) and (exists y: K | y.n > 1)) or ((1 + 2) - (3 - 4) == 0) }\n"
      "rule q { forall x: K | (x.b implies x.n > 0) implies (x.b iff (x.b iff x.b)) }\n"
      "rule s { forall x: K | not (x.n in {1, 2}) and not x.b and x.b implies forall y: K | y.b }\n";
  CHECK(format_text(text) ==
        "entity K {\n"
        "  n: Int\n"
        "  b: Bool\n"
        "}\n"
        "rule r {\n"
        "  ((forall x: K | x.b) and exists y: K | y.n > 1) or 1 + 2 - (3 - 4) == 0\n"
        "}\n"
        "rule q {\n"
        "  forall x: K | (x.b implies x.n > 0) implies (x.b iff (x.b iff x.b))\n"
        "}\n"
        "rule s {\n"
        "  forall x: K | x.n not in {1, 2} and not x.b and x.b implies forall y: K | y.b\n"
        "}\n");
}

TEST_CASE("fmt breaks long formulas at their operators", "[format]") {
  std::string text =
      "entity Sale { seller: Partner, reseller: Partner?, date: Date }\n"
      "entity Partner { signed: Date?, since: Date }\n"
      "rule r {\n"
      "  forall s: Sale | s.reseller == none or s.reseller.signed <= s.date and s.reseller.since <= s.date and "
      "s.seller.signed <= s.date implies s.seller.since <= s.date\n"
      "}\n";
  CHECK(format_text(text) ==
        "entity Sale {\n"
        "  seller: Partner\n"
        "  reseller: Partner?\n"
        "  date: Date\n"
        "}\n"
        "entity Partner {\n"
        "  signed: Date?\n"
        "  since: Date\n"
        "}\n"
        "rule r {\n"
        "  forall s: Sale |\n"
        "    s.reseller == none\n"
        "    or (s.reseller.signed <= s.date and s.reseller.since <= s.date and s.seller.signed <= s.date) implies\n"
        "      s.seller.since <= s.date\n"
        "}\n");
}

TEST_CASE("fmt keeps every comment where it was", "[format]") {
  std::string text =
      "// Header comment.\n"
      "\n"
      "\n"
      "entity Partner {   // trailing after the brace\n"
      "  // own line inside\n"
      "  signed: Date?  // trailing after an attribute\n"
      "  since: Date /* block */\n"
      "  // before the closing brace\n"
      "}\n"
      "rule r \"d\" {\n"
      "  forall p: Partner | // after the bar\n"
      "    p.signed == none // first operand\n"
      "    or p.since <= p.signed\n"
      "}\n"
      "// At the end.\n";
  std::string formatted = format_text(text);
  CHECK(formatted ==
        "// Header comment.\n"
        "\n"
        "entity Partner {  // trailing after the brace\n"
        "  // own line inside\n"
        "  signed: Date?  // trailing after an attribute\n"
        "  since: Date    /* block */\n"
        "  // before the closing brace\n"
        "}\n"
        "rule r \"d\" {\n"
        "  forall p: Partner |  // after the bar\n"
        "    p.signed == none   // first operand\n"
        "    or p.since <= p.signed\n"
        "}\n"
        "// At the end.\n");
  CHECK(comments_of(formatted).size() == comments_of(text).size());
}

TEST_CASE("fmt leaves a file with a syntax error alone and reports the error", "[format]") {
  SourceManager sources;
  DiagnosticSink sink;
  int file = sources.add("bad.cspv", "entity Partner { role: }\n");
  CHECK_FALSE(format_file(sources, file, sink));
  CHECK(render_all(sink, sources).find("bad.cspv:1:24: error: expected type") != std::string::npos);
}

// Every shipped and test spec: formatting is idempotent, keeps every
// comment (same texts, same order), and every file checks to the same model
// before and after (each file loaded with its includes; a patch file with
// the policy it patches).
TEST_CASE("fmt on every shipped spec keeps the checked model and every comment", "[format]") {
  TempDir formatted_tree;
  fs::path root = source_path("");
  std::vector<std::pair<std::string, std::string>> pairs;  // original, formatted copy
  // The copy has the CSV files and every other file too, so includes and `from` resolve alike.
  for (const char* top : {"specs", "tests/specs"}) {
    fs::create_directories((formatted_tree.path / top).parent_path());
    fs::copy(root / top, formatted_tree.path / top, fs::copy_options::recursive);
  }
  int formatted_files = 0;
  for (const fs::path& path : shipped_spec_files()) {
    fs::path relative = path.lexically_relative(root);
    SourceManager sources;
    DiagnosticSink sink;
    int file = *sources.load(path.string());
    std::optional<std::string> formatted = format_file(sources, file, sink);
    if (!formatted) continue;  // a fixture with a syntax error on purpose
    ++formatted_files;
    INFO(relative.string());
    std::string original(sources.text(file));
    CHECK(format_text(*formatted) == *formatted);
    CHECK(comments_of(*formatted) == comments_of(original));
    std::ofstream(formatted_tree.path / relative, std::ios::binary) << *formatted;
    pairs.emplace_back(path.string(), (formatted_tree.path / relative).string());
  }
  CHECK(formatted_files >= 55);
  int checked = 0;
  std::string policy = "specs/csp/policy.cspv";
  for (const auto& [original, copy] : pairs) {
    INFO(original);
    std::string before = model_dump({original});
    std::string after = model_dump({copy});
    if (before.empty()) {  // a patch, checked over the policy
      before = model_dump({(root / policy).string(), original});
      after = model_dump({(formatted_tree.path / policy).string(), copy});
    }
    CHECK(before == after);
    checked += !before.empty();
  }
  CHECK(checked >= 50);
}
