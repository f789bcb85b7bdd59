// The audit's front half: `import` declarations parsed and type-checked like
// any declaration, the strict JSON reader, and the loader turning records
// into facts (values, references by key, joins, filters, shards) with a
// diagnostic at file:line:col for every record it skips.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "audit/json.h"
#include "audit/evaluate.h"
#include "audit/loader.h"
#include "reports/audit.h"
#include "model/frontend.h"
#include "tests/support/fixture.h"

using namespace csp;

namespace {

const char* kVocabulary = R"(
enum Color { red, green }
entity Org {}
entity P { org: Org, color: Color, since: Date?, n: Int, ok: Bool, boss: P? }
relation likes(a: P, b: P)
)";

std::string diagnostics_of(const std::string& mapping) {
  return test::check_text(std::string(kVocabulary) + mapping).diagnostics();
}

// Parses one JSON record, capturing `paths`; "" when it is well formed, else the error.
std::string json_error(const std::string& text, std::vector<audit::JsonField>* out = nullptr,
                       const std::vector<std::string>& paths = {}) {
  audit::FieldPaths trie;
  for (const auto& p : paths) trie.add(p);
  std::vector<audit::JsonField> fields;
  audit::JsonError error;
  audit::JsonReader reader(text, 0, static_cast<std::uint32_t>(text.size()));
  bool ok = reader.read_single_record(trie, fields, error);
  if (out) *out = fields;
  return ok ? "" : fmt::format("{}@{}", error.message, error.offset);
}

struct Loaded {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::Model> model;
  audit::DataSet data;
  std::string errors() const { return model::render_all(sink, sources); }
};

std::unique_ptr<Loaded> load(const std::string& spec, const std::vector<std::pair<std::string, std::string>>& files,
                             const audit::LoadOptions& base = {}) {
  auto loaded = std::make_unique<Loaded>();
  test::TempDir dir;
  for (const auto& [name, text] : files) dir.write(name, text);
  int id = loaded->sources.add("spec.cspv", std::string(kVocabulary) + spec);
  auto parsed = model::parse(loaded->sources, id, loaded->sink);
  std::vector<model::SpecFile> all;
  all.push_back(std::move(parsed));
  loaded->model = model::check(std::move(all), loaded->sources, loaded->sink);
  REQUIRE(loaded->model);
  audit::LoadOptions options = base;
  options.data_dir = dir.path.string();
  loaded->data = audit::load_data(*loaded->model, options, loaded->sources, loaded->sink);
  return loaded;
}

std::string value_of(const Loaded& l, const std::string& key, const std::string& attribute) {
  const auto& instance = l.data.instance;
  int entity = instance.find(key);
  REQUIRE(entity >= 0);
  int kind = instance.entities[entity].kind;
  int a = l.model->kinds[kind].attribute_index(attribute);
  return model::format_value(*l.model, instance, instance.entities[entity].attributes[a]);
}

const char* kPMapping = R"(
import Org from "orgs.csv" key "id" {}
import P from "p.ndjson" key "id" {
  org = "org"
  color = "color"
  since = "since"
  n = "n"
  ok = "flags.ok" else "ok"
  boss = "boss"
}
)";

}  // namespace

TEST_CASE("imports are type-checked like declarations", "[audit]") {
  CHECK(diagnostics_of(R"(import Q from "q.csv" key "id" {})").find(
            "unknown entity kind or relation `Q`") != std::string::npos);
  CHECK(diagnostics_of(R"(import P from "p.csv" key "id" { org = "o", colour = "c", n = "n", ok = "k" })")
            .find("entity `P` has no attribute `colour`") != std::string::npos);
  CHECK(diagnostics_of(R"(import Org from "o.csv" key "id" {} import P from "p.csv" key "id" { org = "o", color = 3, n = "n", ok = "k" })")
            .find("value of `P.color` must be `Color`, got `Int`") != std::string::npos);
  CHECK(diagnostics_of(R"(import Org from "o.csv" key "id" {} import P from "p.csv" key "id" { org = "o" })")
            .find("import of `P` leaves required attributes `color`, `n`, `ok` without a value") != std::string::npos);
  CHECK(diagnostics_of(R"(import P from "p.csv" key "id" { org = "o", color = red, n = "n", ok = "k" })")
            .find("`org` refers to a `Org` by its key, but no import creates `Org` entities with `key`") !=
        std::string::npos);
  CHECK(diagnostics_of(R"(import Org from "o.txt" key "id" {})").find("cannot tell the data format of `o.txt`") !=
        std::string::npos);
  CHECK(diagnostics_of(R"(import Org from "o.csv" items "items" key "id" {})")
            .find("`items` applies to a `.json` document only") != std::string::npos);
  CHECK(diagnostics_of(R"(import Org from "o.csv" {})").find("needs a `key \"field\"`") != std::string::npos);
  CHECK(diagnostics_of(R"(import Org from "o.csv" key "id" {} import likes from "l.csv" key "x" { a = "a", b = "b" })")
            .find("relation `likes` has no key") != std::string::npos);
  CHECK(diagnostics_of(R"(import Org from "o.csv" join "id" {})").find("no import creates them with `key`") !=
        std::string::npos);
  CHECK(diagnostics_of(R"(import Org from "o.csv" key "id" {} import P from "p.csv" key "id" { org = "o", color = "c" { "r": red, "r": green }, n = "n", ok = "k" })")
            .find("\"r\" is listed twice in the value table") != std::string::npos);
  // A well-formed mapping checks clean, and the error points at the caret.
  INFO(diagnostics_of(kPMapping));
  CHECK(diagnostics_of(kPMapping).find("error") == std::string::npos);
  CHECK(diagnostics_of(R"(import P from "p.csv" key "id" { org = "o", colour = "c", n = "n", ok = "k" })")
            .find("^~~~~~") != std::string::npos);
}

TEST_CASE("the shipped Partner Center mapping checks and leaves prove's model unchanged", "[audit]") {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  auto with = model::load_model({test::source_path("specs")}, sources, sink);
  REQUIRE(with);
  CHECK_FALSE(with->imports.empty());
  model::SourceManager sources2;
  model::DiagnosticSink sink2;
  auto without = model::load_model({test::source_path("specs/csp"), test::source_path("specs/scenarios")}, sources2, sink2);
  REQUIRE(without);
  CHECK(with->rules.size() == without->rules.size());
  CHECK(with->properties.size() == without->properties.size());
  CHECK(with->kinds.size() == without->kinds.size());
}

TEST_CASE("the JSON reader is strict and says where", "[audit]") {
  CHECK(json_error(R"({"a": 1, "b": [true, false, null], "c": {"d": "x\u00e9\ud83d\ude00"}})").empty());
  CHECK(json_error(R"({"a": 1,})") == "expected a string key, got `}`@8");
  CHECK(json_error(R"({"a": 01})") == "malformed number: a leading zero@6");
  CHECK(json_error(R"({"a": "x)") == "unterminated string@6");
  CHECK(json_error("{\"a\": \"x\ty\"}") == "control character U+0009 in a string (escape it)@8");
  CHECK(json_error(R"({"a": "\ud83d"})") == "a high surrogate without its low half@7");
  CHECK(json_error(R"({"a": "\x"})") == "invalid escape `\\x` in a string@7");
  CHECK(json_error(R"({"a": tru})") == "expected a JSON value, got `t`@6");
  CHECK(json_error(R"({"a": 1} x)") == "text after the record's closing `}`: `x`@9");
  CHECK(json_error(R"([1, 2])") == "a record must be a JSON object, got `[`@0");
  CHECK(json_error("{\"a\": \"\xff\"}") == "bytes that are not UTF-8 in a string@7");
  std::string deep = "{\"a\": " + std::string(70, '[') + std::string(70, ']') + "}";
  CHECK(json_error(deep).rfind("JSON nested deeper than 64 levels", 0) == 0);
  std::vector<audit::JsonField> fields;
  REQUIRE(json_error(R"({"id": "k\"1", "p": {"q": 7}, "id2": null})", &fields, {"id", "p.q", "id2", "nope"}).empty());
  CHECK(fields[0].text == "k\"1");
  CHECK((fields[1].kind == audit::JsonField::Kind::Number && fields[1].text == "7"));
  CHECK(fields[2].kind == audit::JsonField::Kind::Null);
  CHECK(fields[3].kind == audit::JsonField::Kind::Missing);
  CHECK(json_error(R"({"id": 1, "id": 2})", nullptr, {"id"}) == "the same key twice in one object@16");
}

TEST_CASE("the JSON reader walks a REST response down to its record array", "[audit]") {
  std::string doc = R"({"totalCount": 2, "items": [{"id": "a"}, {"id": "b"}], "attributes": {"objectType": "Collection"}})";
  audit::FieldPaths paths;
  paths.add("id");
  audit::JsonReader reader(doc, 0, static_cast<std::uint32_t>(doc.size()));
  audit::JsonError error;
  REQUIRE(reader.enter_array("items", error));
  std::vector<audit::JsonField> fields;
  std::uint32_t begin = 0;
  std::vector<std::string> ids;
  audit::JsonReader::Next next;
  while ((next = reader.next_record(paths, fields, begin, error)) == audit::JsonReader::Next::Record) {
    ids.emplace_back(fields[0].text);
  }
  CHECK(next == audit::JsonReader::Next::End);
  CHECK(ids == std::vector<std::string>{"a", "b"});
  audit::JsonReader missing(doc, 0, static_cast<std::uint32_t>(doc.size()));
  CHECK_FALSE(missing.enter_array("value", error));
  CHECK(error.message == "the document has no field `value`");
  std::string trailing = R"({"items": [{"id": "a"},]})";
  audit::JsonReader bad(trailing, 0, static_cast<std::uint32_t>(trailing.size()));
  REQUIRE(bad.enter_array("items", error));
  CHECK(bad.next_record(paths, fields, begin, error) == audit::JsonReader::Next::Record);
  CHECK(bad.next_record(paths, fields, begin, error) == audit::JsonReader::Next::Error);
  CHECK(error.message == "a record must be a JSON object, got `]`");
}

TEST_CASE("the loader converts fields, resolves references by key and defaults empty optionals to none", "[audit]") {
  auto l = load(kPMapping, {{"orgs.csv", "id\no1\n"},
                            {"p.ndjson",
                             R"({"id": "a", "org": "o1", "color": "red", "since": "2021-03-01T10:00:00Z", "n": 3, "flags": {"ok": true}, "boss": "b"}
{"id": "b", "org": "o1", "color": "green", "since": "", "n": "-4", "ok": "FALSE", "boss": ""}
)"}});
  INFO(l->errors());
  CHECK_FALSE(l->sink.has_errors());
  CHECK(value_of(*l, "a", "since") == "2021-03-01");
  CHECK(value_of(*l, "a", "boss") == "b");  // a reference to a later record
  CHECK(value_of(*l, "a", "ok") == "true");  // the first field present
  CHECK(value_of(*l, "b", "ok") == "false");  // `else`: flags.ok is missing
  CHECK(value_of(*l, "b", "since") == "none");
  CHECK(value_of(*l, "b", "boss") == "none");
  CHECK(value_of(*l, "b", "n") == "-4");
  CHECK(l->data.records_checked() == 3);
}

TEST_CASE("the loader skips bad records, says why, and skips what refers to them", "[audit]") {
  auto l = load(kPMapping, {{"orgs.csv", "id\no1\no1\n"},
                            {"p.ndjson",
                             R"({"id": "a", "org": "o1", "color": "blue", "n": 1, "ok": true}
{"id": "b", "org": "o2", "color": "red", "n": 1, "ok": true}
{"id": "c", "org": "o1", "color": "red", "n": 1.5, "ok": true}
{"id": "d", "org": "o1", "color": "red", "n": 1, "ok": true, "boss": "a"}
{"id": "e", "org": "o1", "color": "red", "n": 1, "ok": true, "boss": "d"}
{"id": "f", "org": "o1", "color": "red", "n": 1, "ok": true}
)"}});
  std::string errors = l->errors();
  INFO(errors);
  CHECK(errors.find("orgs.csv:3:1: error: `Org` key `o1` is given twice") != std::string::npos);
  CHECK(errors.find("p.ndjson:1:35: error: `color` is `blue`: `P.color` needs a value of enum `Color`") != std::string::npos);
  CHECK(errors.find("p.ndjson:2:20: error: `P` `b` refers to `Org` `o2`, which no record defines") != std::string::npos);
  CHECK(errors.find("p.ndjson:3:47: error: `n` is `1.5`: `P.n` needs a whole number") != std::string::npos);
  CHECK(errors.find("p.ndjson:4:70: error: `P` `d` refers to `P` `a`, whose record was skipped") != std::string::npos);
  CHECK(errors.find("p.ndjson:5:70: error: `P` `e` refers to `P` `d`, whose record was skipped") != std::string::npos);
  CHECK(l->data.instance.find("f") >= 0);
  CHECK(l->data.instance.find("e") < 0);
  CHECK(l->data.records_read() == 8);
  CHECK(l->data.records_skipped() == 6);
  CHECK(l->data.records_checked() == 2);
  CHECK_FALSE(l->data.complete == false);
}

TEST_CASE("joins, filters, value tables and tuples", "[audit]") {
  auto l = load(R"(
import Org from "orgs.csv" key "id" {}
import P from "p.csv" key "id" { org = "org", color = "c" { "R": red, "G": green }, n = "n", ok = "ok" }
import P from "dates.csv" join "id" where "signed" == "true" { since = "when" }
import likes from "likes.json" items "value" where "kind" != "ignored" { a = "from", b = "to" }
)",
                {{"orgs.csv", "id\no1\n"},
                 {"p.csv", "id,org,c,n,ok\na,o1,R,1,true\nb,o1,G,2,false\n"},
                 {"dates.csv", "id,signed,when\na,true,2020-01-01\nb,false,2021-01-01\nzz,true,2020-01-01\n"},
                 {"likes.json", R"({"value": [{"from": "a", "to": "b"}, {"from": "b", "to": "a", "kind": "ignored"}, {"from": "a", "to": "q"}]})"}});
  std::string errors = l->errors();
  INFO(errors);
  CHECK(value_of(*l, "a", "since") == "2020-01-01");
  CHECK(value_of(*l, "b", "since") == "none");  // filtered out
  CHECK(value_of(*l, "b", "color") == "green");
  CHECK(errors.find("dates.csv:4:1: error: no `P` has key `zz` to join") != std::string::npos);
  CHECK(errors.find("likes.json:1:103: error: `likes` tuple refers to `P` `q`, which no record defines") !=
        std::string::npos);
  int likes = l->model->find_relation("likes");
  CHECK(l->data.instance.relations[likes].size() == 1);
  CHECK(l->data.records_filtered() == 2);
}

TEST_CASE("a mapped CSV column the header lacks is an error at the mapping", "[audit]") {
  auto l = load(R"(import Org from "orgs.csv" key "idd" {})", {{"orgs.csv", "id\no1\n"}});
  INFO(l->errors());
  CHECK(l->errors().find("spec.cspv:6:32: error: `") != std::string::npos);
  CHECK(l->errors().find("has no column `idd`") != std::string::npos);
  CHECK(l->errors().find("did you mean `id`?") != std::string::npos);
  CHECK_FALSE(l->data.complete);
}

TEST_CASE("shards split the partitioned records and nothing else", "[audit]") {
  std::string spec = R"(
import Org from "orgs.csv" key "id" partition "id" {}
import P from "p.csv" key "id" { org = "org", color = red, n = "n", ok = "ok" }
)";
  std::vector<std::pair<std::string, std::string>> files = {
      {"orgs.csv", "id\no1\no2\no3\no4\no5\no6\no7\no8\n"},
      {"p.csv", "id,org,n,ok\na,o1,1,true\n"}};
  std::size_t orgs = 0;
  for (std::uint32_t k = 0; k < 3; ++k) {
    audit::LoadOptions options;
    options.shard = audit::Shard{k, 3};
    auto l = load(spec, files, options);
    auto counts = model::count_by_kind(*l->model, l->data.instance);
    orgs += counts[l->model->find_kind("Org")];
  }
  CHECK(orgs == 8);
  CHECK(audit::shard_of("o1", 3) == audit::shard_of("o1", 3));
  CHECK(audit::shard_of("anything", 1) == 0);
}

TEST_CASE("a file every shard reads leaves tuples naming another shard's records to that shard", "[audit]") {
  std::string spec = R"(
import Org from "orgs.csv" key "id" {}
import P from "p.csv" key "id" partition "id" { org = "org", color = red, n = "n", ok = "ok" }
import likes from "likes.csv" { a = "a", b = "b" }
)";
  std::vector<std::pair<std::string, std::string>> files = {
      {"orgs.csv", "id\no1\n"},
      {"p.csv", "id,org,n,ok\np1,o1,1,true\np2,o1,2,true\np3,o1,3,true\np4,o1,4,true\np5,o1,5,true\n"},
      {"likes.csv", "a,b\np1,p1\np2,p3\np4,p5\np1,ghost\n"}};
  std::uint64_t held = 0, skipped_everywhere = 0;
  for (std::uint32_t k = 0; k < 2; ++k) {
    audit::LoadOptions options;
    options.shard = audit::Shard{k, 2};
    auto l = load(spec, files, options);
    INFO(l->errors());
    // Only the key no record defines is an error, and every shard reports it (the merge keeps one).
    CHECK(l->errors().find("refers to `P` `ghost`, which no record defines") != std::string::npos);
    CHECK(l->sink.error_count() == 1);
    held += l->data.shard_tuples[0] + l->data.cross_shard_tuples[0];
    const audit::ImportStats& likes = l->data.imports[2];
    CHECK(likes.read == 4);
    CHECK(likes.loaded + likes.other_shard + likes.skipped == 4);
    skipped_everywhere += likes.skipped_at.size();
  }
  CHECK(held == 3);  // each of the three good tuples in one shard, or counted once as across two
  CHECK(skipped_everywhere >= 1);
}

TEST_CASE("an NDJSON file read in parallel blocks gives the same facts and diagnostics as one pass", "[audit]") {
  std::string lines;
  for (int i = 0; i < 300; ++i) {
    std::string boss = i % 7 == 0 ? "" : fmt::format("p{}", (i * 13) % 300);
    if (i % 50 == 3) boss = "nobody";  // dangling: reported and skipped
    if (i % 60 == 5) {
      lines += fmt::format("{{\"id\": \"p{}\", \"org\": \"o1\", \"color\": \"red\", \"n\": oops}}\n", i);  // malformed
      continue;
    }
    lines += fmt::format(R"({{"id": "p{}", "org": "o{}", "color": "{}", "n": {}, "ok": true, "boss": "{}"}})", i % 290,
                         i % 3, i % 2 ? "red" : "green", i, boss) +
             "\n";
  }
  std::vector<std::pair<std::string, std::string>> files = {{"orgs.csv", "id\no0\no1\no2\n"}, {"p.ndjson", lines}};
  audit::LoadOptions one;
  one.jobs = 1;
  audit::LoadOptions blocks;
  blocks.jobs = 3;
  blocks.parallel_bytes = 1;
  blocks.block_bytes = 500;
  auto a = load(kPMapping, files, one);
  auto b = load(kPMapping, files, blocks);
  auto strip = [](std::string text) {  // the temporary directories differ
    std::string out;
    for (std::size_t at = 0; at < text.size();) {
      std::size_t tmp = text.find("/tmp/", at);
      if (tmp == std::string::npos) {
        out += text.substr(at);
        break;
      }
      out += text.substr(at, tmp - at);
      at = text.find('/', text.find("csp-test", tmp)) + 1;
    }
    return out;
  };
  CHECK(a->sink.error_count() > 10);
  CHECK(strip(a->errors()) == strip(b->errors()));
  CHECK(model::format_instance(*a->model, a->data.instance) == model::format_instance(*b->model, b->data.instance));
  CHECK(a->data.records_skipped() == b->data.records_skipped());
  CHECK(a->data.records_read() == b->data.records_read());
}

TEST_CASE("rules searched in slices on several threads give what one pass gives", "[audit]") {
  std::string lines;
  for (int i = 0; i < 200; ++i) {
    lines += fmt::format(R"({{"id": "p{}", "org": "o{}", "color": "{}", "n": {}, "ok": true}})", i, i % 3,
                         i % 3 ? "red" : "green", i % 11 == 0 ? 9223372036854775800 : i) +
             "\n";
  }
  auto l = load(std::string(kPMapping) + R"(
rule colored { forall p: P | p.color == red }
rule same_org_same_color { forall p: P, q: P | p.org == q.org implies p.color == q.color }
rule small_n { forall p: P | p.n + 10 > 0 }
rule two { (forall p: P | p.n != 7) and (forall p: P | p.n != 150) }
)",
                {{"orgs.csv", "id\no0\no1\no2\n"}, {"p.ndjson", lines}});
  REQUIRE_FALSE(l->sink.has_errors());
  audit::EvaluateOptions whole;
  whole.jobs = 1;
  audit::EvaluateOptions sliced;
  sliced.jobs = 3;
  sliced.slice_bindings = 7;
  audit::AuditResult a = audit::evaluate_rules(*l->model, l->data, whole);
  audit::AuditResult b = audit::evaluate_rules(*l->model, l->data, sliced);
  REQUIRE(a.rules.size() == b.rules.size());
  for (std::size_t r = 0; r < a.rules.size(); ++r) {
    INFO(l->model->rules[r].name);
    CHECK(a.rules[r].candidates == b.rules[r].candidates);
    CHECK(a.rules[r].violations == b.rules[r].violations);
    CHECK(a.rules[r].listed == b.rules[r].listed);
    CHECK(a.rules[r].complete == b.rules[r].complete);
    CHECK(a.rules[r].plans == b.rules[r].plans);
    CHECK(a.rules[r].unknown_reason == b.rules[r].unknown_reason);
  }
  CHECK(a.rules[l->model->find_rule("colored")].violations == 67);
  CHECK(a.rules[l->model->find_rule("two")].violations == 2);
  CHECK(a.rules[l->model->find_rule("small_n")].unknown_reason != "");
  REQUIRE(a.violations.size() == b.violations.size());
  for (std::size_t v = 0; v < a.violations.size(); ++v) {
    CHECK(a.violations[v].rule == b.violations[v].rule);
    CHECK(a.violations[v].formula == b.violations[v].formula);
    CHECK(a.violations[v].explanation == b.violations[v].explanation);
    REQUIRE(a.violations[v].bindings.size() == b.violations[v].bindings.size());
    for (std::size_t i = 0; i < a.violations[v].bindings.size(); ++i) {
      CHECK(a.violations[v].bindings[i].entity == b.violations[v].bindings[i].entity);
    }
  }
}

TEST_CASE("a rule whose Int arithmetic leaves 64 bits on the data is unknown, never a verdict", "[audit]") {
  auto l = load(std::string(kPMapping) + R"(
rule small_n { forall p: P | p.n + 9223372036854775807 > 0 }
rule colored { forall p: P | p.color == red }
)",
                {{"orgs.csv", "id\no1\n"},
                 {"p.ndjson", R"({"id": "a", "org": "o1", "color": "green", "n": 5, "ok": true}
)"}});
  REQUIRE_FALSE(l->sink.has_errors());
  audit::AuditResult result = audit::evaluate_rules(*l->model, l->data, {});
  const auto& unknown = result.rules[l->model->find_rule("small_n")];
  CHECK(unknown.unknown_reason == "an Int value outside the 64-bit range the evaluator supports");
  CHECK(l->sources.where(unknown.unknown_at).find("spec.cspv:") == 0);
  CHECK(unknown.violations == 0);
  CHECK(result.rules[l->model->find_rule("colored")].violations == 1);
  CHECK(reports::audit_exit_code(&l->data, &result, {}) == 1);  // a violation elsewhere decides
  audit::EvaluateOptions only;
  only.rules = {"small_n"};
  audit::AuditResult alone = audit::evaluate_rules(*l->model, l->data, only);
  CHECK(reports::audit_exit_code(&l->data, &alone, {}) == 3);
}
