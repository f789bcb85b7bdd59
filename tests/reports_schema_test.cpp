// The reports checked by the tools that consume them: SARIF against the
// SARIF 2.1.0 schema (python3 jsonschema), JUnit against the Ant JUnit
// schema (xmllint), JSON against the key list of docs/json.md, DOT by
// Graphviz itself. A missing tool fails the test: a report nobody validated
// must not pass.
#include <csignal>
#include <catch2/catch.hpp>

#include <random>

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
assert set(doc) == {"format_version", "command", "tool", "inputs", "results", "summary", "interrupted",
                    "lint"}, sorted(doc)
assert doc["format_version"] == 1 and doc["tool"]["name"] == "cspverify"
assert doc["interrupted"] is None or set(doc["interrupted"]) == {"signal", "not_run"}
statuses = {"proved", "violated", "unknown", "vacuous", "consistent", "inconsistent", "allowed", "forbidden"}
common = {"kind", "name", "file", "line", "column", "description", "source", "status", "expected",
          "expected_by", "as_expected", "known_gap", "scope", "minimal", "message", "broken_facts", "explanation", "core", "core_minimal", "core_search",
          "all_cores", "core_facts", "repair", "repair_violates", "repair_missing", "unknown_reason", "bound", "for_every_size"}
for r in doc["results"]:
    graph = "counterexample" if r["kind"] == "property" else "instance"
    assert set(r) == common | {graph}, (r["name"], sorted(set(r) ^ (common | {graph})))
    assert r["kind"] in {"property", "scenario", "consistency"}
    assert r["status"] in statuses and (r["expected"] is None or r["expected"] in statuses)
    assert isinstance(r["as_expected"], bool) and isinstance(r["minimal"], bool)
    # A known gap is a property violated as its `expect violated` documents, and nothing else.
    assert r["known_gap"] == (r["kind"] == "property" and r["status"] == "violated" and r["expected"] == "violated"
                              and r["as_expected"]), r["name"]
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
    assert r["core_minimal"] is None or isinstance(r["core_minimal"], bool)
    if r["core_search"] is not None:
        assert set(r["core_search"]) == {"first_core", "found", "complete", "stopped"}, sorted(r["core_search"])
        assert all(isinstance(n, str) for n in r["core_search"]["first_core"])
    if r["all_cores"] is not None:
        assert set(r["all_cores"]) == {"cores", "complete", "incomplete_reason"}, sorted(r["all_cores"])
        assert all(isinstance(n, str) for core in r["all_cores"]["cores"] for n in core)
assert set(doc["summary"]) == {"proved", "violated", "known_gaps", "unknown", "vacuous", "consistent",
                               "inconsistent", "scenarios", "allowed", "forbidden", "failed", "exit_code"}
# The summary's counts partition the results: a known gap is not also counted as violated.
counted = sum(doc["summary"][k] for k in ("proved", "violated", "known_gaps", "unknown", "vacuous", "consistent",
                                          "inconsistent", "allowed", "forbidden"))
assert counted == len(doc["results"]), (counted, len(doc["results"]))
assert doc["summary"]["known_gaps"] == sum(1 for r in doc["results"] if r["known_gap"])
lint = doc["lint"]
if lint is not None:
    assert set(lint) == {"strict", "findings", "undecided", "coverage", "solver_checks_skipped"}, sorted(lint)
    for f in lint["findings"]:
        assert set(f) == {"id", "severity", "subject", "message", "file", "line", "column", "rules", "bound"}, sorted(f)
        assert f["severity"] == ("error" if lint["strict"] else "warning")
        for c in f["rules"]:
            assert set(c) == {"rule", "source", "file", "line", "column"}, sorted(c)
    for u in lint["undecided"]:
        assert set(u) == {"check", "subject", "file", "line", "column", "reason"}, sorted(u)
    assert set(lint["coverage"]) == {"rules", "covered", "scenarios_unknown", "per_rule"}, sorted(lint["coverage"])
    assert lint["coverage"]["covered"] == sum(1 for c in lint["coverage"]["per_rule"] if c["covered"])
    for c in lint["coverage"]["per_rule"]:
        assert set(c) == {"rule", "covered", "forbids", "applies_in"}, sorted(c)
)";

// Many pseudo-random counterexamples over the basic fixture's model: partners
// and customers spread over both regions, sales and partnerships across them.
ReportCase random_instances_case(int count) {
  ReportCase c = basic_case();
  c.name = "random";
  const auto& model = c.model();
  csp::model::CheckResult pattern = c.run.results[1];
  c.run.results.clear();
  std::minstd_rand random(7);  // fully specified by the standard: same graphs everywhere
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  const char* countries[] = {"FR", "DE", "US"};
  const char* roles[] = {"indirect_provider", "indirect_reseller", "direct_bill"};
  for (int i = 0; i < count; ++i) {
    InstanceBuilder b(model);
    int partners = 2 + pick(4), customers = 1 + pick(3), sales = pick(4);
    for (int p = 0; p < partners; ++p) {
      b.entity("P" + std::to_string(p), "Partner",
               {b.enum_value("Role", roles[pick(3)]), b.enum_value("Country", countries[pick(3)]),
                csp::model::Value::none()});
    }
    for (int k = 0; k < customers; ++k) {
      b.entity("C" + std::to_string(k), "Customer", {b.enum_value("Country", countries[pick(3)])});
    }
    for (int s = 0; s < sales; ++s) {
      b.entity("S" + std::to_string(s), "Sale",
               {b.ref("P" + std::to_string(pick(partners))), b.ref("C" + std::to_string(pick(customers))),
                InstanceBuilder::date(2021, 1 + pick(12), 1)});
    }
    for (int t = pick(2 * partners); t > 0; --t) {
      b.tuple("partnership", {"P" + std::to_string(pick(partners)), "P" + std::to_string(pick(partners))});
    }
    csp::model::CheckResult result = pattern;
    result.name = "random" + std::to_string(i);
    result.instance = b.build();
    result.explanation = {"for p = P0, r = P1:"};
    c.run.results.push_back(result);
  }
  return c;
}

// A run stopped by Ctrl-C: the last result unknown ("interrupted by SIGINT"),
// a property and a scenario never reached.
ReportCase interrupted_case() {
  ReportCase c = basic_case();
  c.name = "interrupted";
  const auto& model = c.model();
  c.run.results.back().status = csp::model::Status::Unknown;
  c.run.results.back().unknown_reason = "interrupted by SIGINT";
  c.run.interrupted_by = SIGINT;
  const auto& property = model.properties[model.find_property("sellers_signed")];
  c.run.not_run.push_back({csp::model::CheckResult::Kind::Property, property.name, property.range});
  c.run.not_run.push_back({csp::model::CheckResult::Kind::Scenario, "cross_region_sale", {}});
  return c;
}

// `verify` with lint: one finding with an implying rule, one without rules,
// an undecided check and the coverage of both rules.
ReportCase lint_case() {
  ReportCase c = basic_case();
  c.name = "lint";
  const auto& model = c.model();
  int mpa = model.find_rule("mpa_before_sale"), region = model.find_rule("same_region");
  csp::model::LintReport lint;
  lint.findings.push_back({"redundant-rule", "same_region", model.rules[region].range,
                           "rule `same_region` is redundant: implied by `mpa_before_sale` (CSP-R04), for every "
                           "instance, of any size", {mpa}, "for every instance, of any size"});
  lint.findings.push_back({"unused-relation", "partnership", model.relations[0].range,
                           "relation `partnership` is never read", {}, ""});
  lint.undecided.push_back({"vacuous-rule", "mpa_before_sale", model.rules[mpa].range, "timeout after 10 s"});
  lint.coverage.push_back({mpa, {}, {}});
  lint.coverage.push_back({region, {"cross_region_sale"}, {}});
  c.run.lint = lint;
  return c;
}

std::vector<ReportCase> all_cases() {
  std::vector<ReportCase> cases;
  cases.push_back(basic_case());
  cases.push_back(failures_case());
  cases.push_back(interrupted_case());
  cases.push_back(lint_case());
  ReportCase strict = lint_case();
  strict.name = "lint_strict";
  strict.run.lint->strict = true;
  cases.push_back(std::move(strict));
  return cases;
}

}  // namespace

TEST_CASE("SARIF reports are valid SARIF 2.1.0", "[reports]") {
  require_tool("python3 -c 'import jsonschema'", "python3-jsonschema");
  std::string script = write_output("validate_sarif.py", kValidateSarif);
  std::string schema = std::string(CSP_SOURCE_DIR) + "/tests/schemas/sarif-schema-2.1.0.json";
  for (const auto& c : all_cases()) {
    std::string report = write_output(c.name + ".sarif", c.render(Format::Sarif));
    Run check = run("python3 " + script + " " + schema + " " + report);
    INFO(c.name << ":\n" << check.output);
    CHECK(check.status == 0);
  }
}

TEST_CASE("JUnit reports are valid against the Ant JUnit schema", "[reports]") {
  require_tool("xmllint --version", "libxml2-utils");
  std::string schema = std::string(CSP_SOURCE_DIR) + "/tests/schemas/junit.xsd";
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
  std::string schema = std::string(CSP_SOURCE_DIR) + "/tests/schemas/junit.xsd";
  std::string report = write_output("invalid.junit.xml", "<testsuites><testsuite name=\"x\"/></testsuites>\n");
  CHECK(run("xmllint --noout --schema " + schema + " " + report).status != 0);
}

TEST_CASE("Graphviz draws every graph of a DOT report, many clustered graphs in one file included",
          "[reports]") {
  require_tool("command -v dot", "graphviz");
  std::vector<ReportCase> cases = all_cases();
  cases.push_back(random_instances_case(40));
  for (const auto& c : cases) {
    std::string report = write_output(c.name + ".dot", c.render(Format::Dot));
    Run draw = run("{ dot -Tsvg " + report + " > " + report + ".svg; }");
    INFO(c.name << " (" << c.run.results.size() << " results):\n" << draw.output);
    CHECK(draw.status == 0);
    CHECK(draw.output.empty());
  }
}
