// The reports checked by the tools that consume them: SARIF against the
// SARIF 2.1.0 schema (python3 jsonschema), JUnit against the Ant JUnit
// schema (xmllint), JSON against the key list of docs/json.md. A missing
// tool fails the test: a report nobody validated must not pass.
#include <catch2/catch.hpp>

#include "tests/reports_support.h"

using csp::reports::Format;
using namespace csp::test;

namespace {

constexpr const char* kValidateSarif = R"(import json, sys, jsonschema
schema = json.load(open(sys.argv[1], encoding="utf-8"))
jsonschema.validate(json.load(open(sys.argv[2], encoding="utf-8")), schema)
)";

// The promises of docs/json.md, checked key by key.
constexpr const char* kCheckJson = R"(import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
assert set(doc) == {"format_version", "command", "tool", "inputs", "results", "summary"}, sorted(doc)
assert doc["format_version"] == 1 and doc["tool"]["name"] == "cspverify"
statuses = {"proved", "violated", "unknown", "vacuous", "consistent", "inconsistent", "allowed", "forbidden"}
common = {"kind", "name", "file", "line", "column", "description", "source", "status", "expected",
          "expected_by", "as_expected", "scope", "minimal", "explanation", "core", "repair", "unknown_reason"}
for r in doc["results"]:
    graph = "counterexample" if r["kind"] == "property" else "instance"
    assert set(r) == common | {graph}, (r["name"], sorted(set(r) ^ (common | {graph})))
    assert r["kind"] in {"property", "scenario", "consistency"}
    assert r["status"] in statuses and (r["expected"] is None or r["expected"] in statuses)
    assert isinstance(r["as_expected"], bool) and isinstance(r["minimal"], bool)
    assert all(isinstance(v, int) for v in r["scope"].values())
    if r[graph] is not None:
        ids = {e["id"] for e in r[graph]["entities"]}
        for e in r[graph]["entities"]:
            for v in e["attributes"].values():
                assert v is None or isinstance(v, (bool, int, str)), v
        for t in r[graph]["relations"]:
            assert all(a in ids or isinstance(a, str) for a in t["args"])
    for c in r["core"]:
        assert set(c) == {"rule", "description", "source", "file", "line", "column"}, sorted(c)
assert set(doc["summary"]) == {"proved", "violated", "unknown", "vacuous", "consistent", "inconsistent",
                               "scenarios", "allowed", "forbidden", "failed", "exit_code"}
)";

std::vector<ReportCase> all_cases() {
  std::vector<ReportCase> cases;
  cases.push_back(basic_case());
  cases.push_back(failures_case());
  return cases;
}

}  // namespace

TEST_CASE("SARIF reports are valid SARIF 2.1.0", "[reports]") {
  require_tool("python3 -c 'import jsonschema'", "python3-jsonschema");
  std::string script = write_output("validate_sarif.py", kValidateSarif);
  std::string schema = std::string(CSP_SHARED_DIR) + "/formats/sarif-schema-2.1.0.json";
  for (const auto& c : all_cases()) {
    std::string report = write_output(c.name + ".sarif", c.render(Format::Sarif));
    Run check = run("python3 " + script + " " + schema + " " + report);
    INFO(c.name << ":\n" << check.output);
    CHECK(check.status == 0);
  }
}

TEST_CASE("JUnit reports are valid against the Ant JUnit schema", "[reports]") {
  require_tool("xmllint --version", "libxml2-utils");
  std::string schema = std::string(CSP_SHARED_DIR) + "/formats/junit.xsd";
  for (const auto& c : all_cases()) {
    std::string report = write_output(c.name + ".junit.xml", c.render(Format::Junit));
    Run check = run("xmllint --noout --schema " + schema + " " + report);
    INFO(c.name << ":\n" << check.output);
    CHECK(check.status == 0);
  }
}

TEST_CASE("JSON reports parse and keep every key docs/json.md promises", "[reports]") {
  require_tool("python3 --version", "python3");
  std::string script = write_output("check_json.py", kCheckJson);
  for (const auto& c : all_cases()) {
    std::string report = write_output(c.name + ".json", c.render(Format::Json));
    Run check = run("python3 " + script + " " + report);
    INFO(c.name << ":\n" << check.output);
    CHECK(check.status == 0);
  }
}

TEST_CASE("a schema check fails on an invalid report", "[reports]") {
  require_tool("xmllint --version", "libxml2-utils");
  std::string schema = std::string(CSP_SHARED_DIR) + "/formats/junit.xsd";
  std::string report = write_output("invalid.junit.xml", "<testsuites><testsuite name=\"x\"/></testsuites>\n");
  CHECK(run("xmllint --noout --schema " + schema + " " + report).status != 0);
}
