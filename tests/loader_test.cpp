// Loader tests: directory walks and skip rules, includes (once, first,
// cycles, missing), CSV import into enums and tables, and CSV errors that
// point into the CSV file. Fixtures live in tests/specs/loader/.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "model/csv.h"
#include "model/frontend.h"
#include "tests/support/fixture.h"

using namespace csp::model;
using csp::test::source_path;

namespace {

struct Loaded {
  SourceManager sources;
  DiagnosticSink sink;
  std::vector<SpecFile> files;
  std::string diagnostics() const { return render_all(sink, sources); }
  std::string text_of(SourceRange r) const { return std::string(sources.text(r.file).substr(r.begin, r.end - r.begin)); }

  // Each loaded file's path relative to tests/specs/loader/, in load order.
  std::vector<std::string> order() const {
    std::string prefix = source_path("tests/specs/loader/");
    std::vector<std::string> out;
    for (const auto& f : files) {
      std::string path = sources.path(f.file);
      out.push_back(path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path);
    }
    return out;
  }
};

std::unique_ptr<Loaded> load_paths(const std::vector<std::string>& relative) {
  auto out = std::make_unique<Loaded>();
  std::vector<std::string> paths;
  for (const auto& r : relative) paths.push_back(source_path("tests/specs/loader/" + r));
  out->files = load(paths, out->sources, out->sink);
  return out;
}

std::string fixture(const std::string& relative) { return source_path("tests/specs/loader/" + relative); }

const EnumDecl* find_enum(const std::vector<SpecFile>& files, const std::string& name) {
  for (const auto& f : files) {
    for (const auto& e : f.enums) {
      if (e.name == name) return &e;
    }
  }
  return nullptr;
}

using V = std::vector<std::string>;

}  // namespace

TEST_CASE("a directory walk loads .cspv files in sorted path order and skips _, . and .cspvskip folders",
          "[loader]") {
  auto l = load_paths({"walk"});
  INFO(l->diagnostics());
  CHECK_FALSE(l->sink.has_errors());
  CHECK(l->order() == V{"walk/a.cspv", "walk/b.cspv", "walk/nested/c.cspv"});
}

TEST_CASE("a path given explicitly is always loaded", "[loader]") {
  auto l = load_paths({"walk/changes", "walk/_drafts/draft.cspv", "walk/b.cspv", "walk/.hidden"});
  INFO(l->diagnostics());
  CHECK_FALSE(l->sink.has_errors());
  CHECK(l->order() == V{"walk/changes/proposal.cspv", "walk/_drafts/draft.cspv", "walk/b.cspv",
                        "walk/.hidden/hidden.cspv"});
}

TEST_CASE("every file is loaded once, after the files it includes", "[loader]") {
  auto l = load_paths({"includes/main.cspv"});
  INFO(l->diagnostics());
  CHECK_FALSE(l->sink.has_errors());
  CHECK(l->order() == V{"includes/lib/common.cspv", "includes/other.cspv", "includes/main.cspv"});

  // Walking the folder and naming a file again still loads each file once.
  auto walked = load_paths({"includes", "includes/other.cspv"});
  CHECK_FALSE(walked->sink.has_errors());
  CHECK(walked->order() == V{"includes/lib/common.cspv", "includes/other.cspv", "includes/main.cspv"});
}

TEST_CASE("an include cycle is reported at the include that closes it", "[loader]") {
  auto l = load_paths({"cycle/a.cspv"});
  std::string a = fixture("cycle/a.cspv");
  std::string b = fixture("cycle/b.cspv");
  CHECK(l->diagnostics() == fmt::format("{}:1:9: error: include cycle: `{}` -> `{}` -> `{}`\n"
                                        "include \"a.cspv\"\n"
                                        "        ^~~~~~~~\n"
                                        "1 error generated\n",
                                        b, a, b, a));
  CHECK(l->order() == V{"cycle/b.cspv", "cycle/a.cspv"});
}

TEST_CASE("missing paths and includes", "[loader]") {
  auto l = load_paths({"no/such/dir", "errors/missing_include.cspv"});
  std::string missing = fixture("no/such/dir");
  std::string includer = fixture("errors/missing_include.cspv");
  CHECK(l->diagnostics() ==
        fmt::format("cspverify: error: cannot read `{}`: no such file or directory\n"
                    "{}:1:9: error: cannot read `{}`: no such file or directory\n"
                    "include \"nowhere/nope.cspv\"\n"
                    "        ^~~~~~~~~~~~~~~~~~~\n"
                    "2 errors generated\n",
                    missing, includer, fixture("errors/nowhere/nope.cspv")));
  // The including file itself still loads.
  CHECK(l->order() == V{"errors/missing_include.cspv"});
}

TEST_CASE("CSV import: the CSP regions file fills enums and a table", "[loader]") {
  auto l = load_paths({"csv/regions.cspv"});
  INFO(l->diagnostics());
  REQUIRE_FALSE(l->sink.has_errors());
  REQUIRE(l->files.size() == 1);
  const SpecFile& f = l->files[0];
  // The spec and the CSV, once although three declarations read it.
  CHECK(l->sources.size() == 2);

  const EnumDecl* country = find_enum(l->files, "Country");
  REQUIRE(country);
  CHECK(country->values.size() == 244);
  CHECK(country->values.front() == "AO");
  CHECK(country->value_ranges.size() == 244);
  CHECK(l->text_of(country->value_ranges[0]) == "\"csp-regions.csv\"");
  REQUIRE(country->csv);
  CHECK(country->csv->path == "csp-regions.csv");
  CHECK(country->csv->resolved_path == fixture("csv/csp-regions.csv"));
  CHECK(country->csv->columns == V{"country_code"});

  const EnumDecl* region = find_enum(l->files, "Region");
  REQUIRE(region);
  CHECK(region->values.size() == 15);
  CHECK(region->values.front() == "africa");

  REQUIRE(f.tables.size() == 1);
  const TableDecl& table = f.tables[0];
  CHECK(table.csv->columns == V{"country_code", "region"});
  REQUIRE(table.rows.size() == 244);
  const auto& ivory_coast = table.rows[12];  // line 14: `Côte d'Ivoire` in an ignored column
  CHECK(l->text_of(ivory_coast.range) == "africa,CI,Côte d'Ivoire");
  CHECK(l->sources.where(ivory_coast.range) == fixture("csv/csp-regions.csv") + ":14:1");
  REQUIRE(ivory_coast.cells.size() == 2);
  CHECK(ivory_coast.cells[0]->kind == ExprKind::Name);
  CHECK(ivory_coast.cells[0]->name == "CI");
  CHECK(ivory_coast.cells[1]->name == "africa");
  CHECK(l->sources.where(ivory_coast.cells[0]->range) == fixture("csv/csp-regions.csv") + ":14:8");
  // A quoted name with a comma in it does not shift the columns.
  CHECK(table.rows[137].cells[0]->name == "KR");
  CHECK(table.rows[137].cells[1]->name == "korea");
}

TEST_CASE("CSV import: typed cells, quoted fields and CRLF line ends", "[loader]") {
  auto l = load_paths({"csv/typed.cspv"});
  INFO(l->diagnostics());
  REQUIRE_FALSE(l->sink.has_errors());
  const TableDecl& table = l->files.at(0).tables.at(0);
  REQUIRE(table.rows.size() == 2);
  const auto& first = table.rows[0].cells;
  CHECK(first[0]->kind == ExprKind::Name);
  CHECK(first[0]->name == "a");
  CHECK(first[1]->kind == ExprKind::DateLit);
  CHECK(format_date(first[1]->value) == "2020-01-31");
  CHECK(first[2]->kind == ExprKind::BoolLit);
  CHECK(first[2]->value == 1);
  CHECK(first[3]->kind == ExprKind::IntLit);
  CHECK(first[3]->value == 3);
  const auto& second = table.rows[1].cells;
  CHECK(second[0]->name == "b");  // quoted in the file
  CHECK(l->text_of(second[0]->range) == "\"b\"");
  CHECK(second[1]->kind == ExprKind::NoneLit);
  CHECK(second[2]->value == 0);
  CHECK(second[3]->kind == ExprKind::NoneLit);
  CHECK(l->text_of(table.rows[1].range) == "\"b\",\"say \"\"hi\"\"\",,false,");
}

TEST_CASE("CSV errors point into the CSV file or at the spec", "[loader]") {
  auto l = load_paths({"errors/bad_csv.cspv"});
  std::string spec = fixture("errors/bad_csv.cspv");
  CHECK(l->diagnostics() == fmt::format(
      "{spec}:2:39: error: `regions.csv` has no column `regoin`\n"
      "enum Region from \"regions.csv\" column regoin\n"
      "                                      ^~~~~~\n"
      "  = help: did you mean `region`? the header has `region`, `country_code`, `name_label`\n"
      "{spec}:3:35: error: `regions.csv` has no column `regin`\n"
      "table by_code(country_code: Code, regin: Region) from \"regions.csv\"\n"
      "                                  ^~~~~\n"
      "  = help: did you mean `region`? the header has `region`, `country_code`, `name_label`\n"
      "{spec}:6:23: error: cannot read `{missing}`: no such file or directory\n"
      "table gone(a: A) from \"missing.csv\"\n"
      "                      ^~~~~~~~~~~~~\n"
      "{regions}:3:11: error: value `Côte d'Ivoire` in column `name_label` cannot be an enum value\n"
      "africa,CI,Côte d'Ivoire\n"
      "          ^~~~~~~~~~~~~\n"
      "  = help: an enum value is an identifier: letters, digits and `_`\n"
      "{broken}:3:1: error: CSV row has 1 field, the header has 2\n"
      "3\n"
      "^\n"
      "{dates}:3:5: error: invalid date `2021-02-30`\n"
      "bad,2021-02-30\n"
      "    ^~~~~~~~~~\n"
      "6 errors generated\n",
      fmt::arg("spec", spec), fmt::arg("missing", fixture("errors/missing.csv")),
      fmt::arg("regions", fixture("errors/regions.csv")), fmt::arg("dates", fixture("errors/dates.csv")),
      fmt::arg("broken", fixture("errors/broken.csv"))));
  // The good rows and values are still imported.
  const EnumDecl* label = find_enum(l->files, "Label");
  REQUIRE(label);
  CHECK(label->values == V{"France"});
  CHECK(l->files.at(0).tables.at(1).rows.size() == 1);
}

TEST_CASE("CSV reading: quoted commas, escaped quotes, newlines in quotes, blank lines", "[loader]") {
  SourceManager sources;
  DiagnosticSink sink;
  int file = sources.add("t.csv", "\xEF\xBB\xBFname,note\n\"a, b\",\"he said \"\"no\"\"\"\n\nc,\"two\nlines\"\nd,\n");
  auto table = parse_csv(sources, file, sink);
  REQUIRE(table);
  CHECK(sink.all().empty());
  CHECK(table->column_names() == V{"name", "note"});
  REQUIRE(table->rows.size() == 3);
  CHECK(table->rows[0].fields[0].text == "a, b");
  CHECK(table->rows[0].fields[1].text == "he said \"no\"");
  CHECK(table->rows[1].fields[1].text == "two\nlines");
  CHECK(table->rows[2].fields[1].text.empty());
  CHECK(sources.where(table->rows[2].range) == "t.csv:6:1");
}

TEST_CASE("CSV reading: an unterminated quote is an error at its line", "[loader]") {
  SourceManager sources;
  DiagnosticSink sink;
  int file = sources.add("t.csv", "a,b\n1,\"open\n2,3\n");
  CHECK_FALSE(parse_csv(sources, file, sink));
  CHECK(render_all(sink, sources) ==
        "t.csv:2:3: error: unterminated quoted field in CSV\n"
        "1,\"open\n"
        "  ^~~~~\n"
        "1 error generated\n");
}

TEST_CASE("load_model stops before checking when loading failed", "[loader]") {
  SourceManager sources;
  DiagnosticSink sink;
  CHECK_FALSE(load_model({fixture("cycle/a.cspv")}, sources, sink));
  CHECK(sink.error_count() == 1);
}

// Issue #9: a 100,000-row CSV enum took 95 s and 1 GB, each row searched the
// values so far. The result is what matters here; the old code would run for
// minutes (the test stays well under 2 s).
TEST_CASE("CSV import: a 100,000-row enum keeps each distinct value once, in order", "[loader]") {
  csp::test::TempDir dir;
  std::string csv = "id,name\n";
  for (int i = 0; i < 100000; ++i) csv += fmt::format("v{},Name {}\n", i, i);
  csv += "v7,again\n,empty\nv99999,last again\n";
  dir.write("ids.csv", csv);
  std::string spec = dir.write("ids.cspv", "enum Id from \"ids.csv\" column id\n"
                                           "entity P { id: Id }\n"
                                           "rule r { forall p: P | p.id != v99999 }\n");
  SourceManager sources;
  DiagnosticSink sink;
  auto model = load_model({spec}, sources, sink);
  INFO(render_all(sink, sources));
  REQUIRE(model);
  REQUIRE(model->enums.size() == 1);
  const EnumDecl& ids = model->enums[0];
  REQUIRE(ids.values.size() == 100000);
  CHECK(ids.values.front() == "v0");
  CHECK(ids.values[54321] == "v54321");
  CHECK(ids.values.back() == "v99999");
  CHECK(ids.value_ranges.size() == 100000);
}

TEST_CASE("a UTF-8 byte order mark is skipped in .cspv and CSV files alike, columns included", "[loader]") {
  csp::test::TempDir dir;
  dir.write("regions.csv", "\xEF\xBB\xBFregion\neurope\n");
  std::string spec = dir.write("bom.cspv", "\xEF\xBB\xBF" "enum Region from \"regions.csv\" column regoin\n");
  SourceManager sources;
  DiagnosticSink sink;
  load(std::vector<std::string>{spec}, sources, sink);
  CHECK(render_all(sink, sources) ==
        fmt::format("{}:1:39: error: `regions.csv` has no column `regoin`\n"
                    "enum Region from \"regions.csv\" column regoin\n"
                    "                                      ^~~~~~\n"
                    "  = help: did you mean `region`? the header has `region`\n"
                    "1 error generated\n",
                    spec));
  SourceManager csv_sources;
  int file = csv_sources.add("t.csv", "\xEF\xBB\xBFid,name\nv1,x\n");
  auto table = parse_csv(csv_sources, file, sink);
  REQUIRE(table);
  CHECK(table->column_names() == V{"id", "name"});
  CHECK(csv_sources.where(table->header.fields[0].range) == "t.csv:1:1");
}
