// Reports a policy owner can read (issue 12): known gaps with a status,
// colour and count of their own; summaries that count what each command
// checked; a graph for a forbidden scenario with the blamed facts in red;
// graphs laid out as a sale chain with organisations as boxes.
#include <catch2/catch.hpp>

#include <algorithm>

#include "reports/graph.h"
#include "reports/report.h"
#include "reports/view.h"
#include "reports/writers.h"
#include "tests/reports_support.h"

using csp::reports::Format;
using csp::reports::ReportOptions;
using csp::reports::InstanceGraph;
using namespace csp::test;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const csp::model::CheckResult& result_named(const ReportCase& c, const std::string& name) {
  for (const auto& result : c.run.results) {
    if (result.name == name) return result;
  }
  throw std::runtime_error("no result " + name);
}

const csp::reports::GraphNode& node_named(const InstanceGraph& graph, const std::string& id) {
  for (const auto& node : graph.nodes) {
    if (node.id == id) return node;
  }
  throw std::runtime_error("no node " + id);
}

const csp::reports::GraphEdge& edge_labelled(const InstanceGraph& graph, const std::string& label) {
  for (const auto& edge : graph.edges) {
    if (edge.label == label) return edge;
  }
  throw std::runtime_error("no edge " + label);
}

std::vector<std::string> blamed_lines(const csp::reports::GraphNode& node) {
  std::vector<std::string> lines;
  for (const auto& line : node.lines) {
    if (line.blamed) lines.push_back(line.text);
  }
  return lines;
}

// The CSP vocabulary in small: organisations, partners by role, customers and sales.
constexpr const char* kSaleChain = R"(
enum Role { indirect_provider, indirect_reseller, direct_bill }
entity Org {}
entity Partner { org: Org, role: Role }
entity Customer { org: Org }
entity Sale { seller: Partner, reseller: Partner?, customer: Customer }
relation partnered(provider: Partner, reseller: Partner)
relation affiliated(a: Org, b: Org)
)";

}  // namespace

TEST_CASE("a documented gap is a known gap, not a proof nor a new violation", "[reports][known-gap]") {
  ReportCase c = failures_case();
  const auto& gap = result_named(c, "resellers_signed");
  CHECK(csp::reports::is_known_gap(gap));
  CHECK(csp::reports::status_label(gap) == "known gap");
  CHECK_FALSE(csp::reports::is_known_gap(result_named(c, "vip_seats")));
  // Violated without `expect violated` is no known gap.
  auto plain = gap;
  plain.expected.reset();
  CHECK_FALSE(csp::reports::is_known_gap(plain));
  CHECK(csp::reports::status_label(plain) == "violated");

  auto summary = csp::reports::summarize(c.run);
  CHECK(summary.known_gaps == 1);
  CHECK(summary.violated == 0);
  CHECK(csp::reports::summary_text(summary) ==
        "3 properties: 0 proved, 0 violated, 1 known gap, 1 unknown, 1 vacuous; "
        "2 scenarios: 0 allowed as expected, 0 forbidden as expected, 2 mismatched; rules inconsistent; 4 failed");
}

TEST_CASE("every format gives a known gap its own status, colour and count", "[reports][known-gap]") {
  ReportCase c = failures_case();
  std::string text = c.render(Format::Text);
  CHECK(has(text, "KNOWN GAP resellers_signed ("));
  CHECK(has(text, "1 known gap"));
  ReportOptions coloured = ReportCase::golden_options();
  coloured.color = true;
  CHECK(has(c.render(Format::Text, coloured), "\x1b[36mKNOWN GAP"));  // cyan, not the green of a proof

  std::string html = c.render(Format::Html);
  CHECK(has(html, "<span class=\"status gap\">KNOWN GAP</span>"));
  CHECK(has(html, ".gap{background:#8250df}"));
  CHECK(has(html, "property <code>resellers_signed</code> is a known gap: violated within scope"));

  std::string markdown = c.render(Format::Markdown);
  CHECK(has(markdown, "| 🟣 known gap | `resellers_signed` |"));
  CHECK(has(markdown, "### Known gaps"));
  CHECK_FALSE(has(markdown, "✅ violated"));

  std::string json = c.render(Format::Json);
  CHECK(has(json, "\"known_gap\": true"));
  CHECK(has(json, "\"violated\": 0,\n    \"known_gaps\": 1,"));

  std::string sarif = c.render(Format::Sarif);
  CHECK(has(sarif, "\"ruleId\": \"known-gap\""));
  CHECK(has(sarif, "\"knownGap\": true"));
  CHECK(has(sarif, "\"knownGaps\": 1"));

  std::string junit = c.render(Format::Junit);
  CHECK(has(junit, "<property name=\"known_gaps\" value=\"1\"/>"));
  // Passing, with its counterexample in the suite's output.
  CHECK(has(junit, "<testcase name=\"property resellers_signed\" classname=\"tests/golden/reports/failures/fixture.cspv\" time=\"0\"/>"));
  CHECK(has(junit, "property `resellers_signed` is a known gap"));
}

TEST_CASE("each command's summary counts what it checked", "[reports][summary]") {
  ReportCase c = basic_case();
  csp::model::RunReport check = c.run;
  check.command = "check";
  std::erase_if(check.results, [](const auto& r) { return r.kind != csp::model::CheckResult::Kind::Scenario; });
  CHECK(csp::reports::summary_line(check) ==
        "summary: 2 scenarios: 0 allowed as expected, 2 forbidden as expected, 0 mismatched\n");

  csp::model::RunReport prove = c.run;
  std::erase_if(prove.results, [](const auto& r) { return r.kind != csp::model::CheckResult::Kind::Property; });
  CHECK(csp::reports::summary_line(prove) ==
        "summary: 3 properties: 2 proved, 1 violated, 0 known gaps, 0 unknown, 0 vacuous; 1 failed\n");

  // A scenario without `expect` is counted as such, never as expected.
  auto free = check.results[0];
  free.expected.reset();
  free.expected_by.clear();
  check.results.push_back(free);
  CHECK(has(csp::reports::summary_line(check), "3 scenarios: 0 allowed as expected, 2 forbidden as expected, "
                                               "0 mismatched, 1 without expectation"));
}

TEST_CASE("a forbidden scenario's graph is its facts, the blamed ones in red", "[reports][graph]") {
  ReportCase c = basic_case();
  const auto& forbidden = result_named(c, "cross_region_sale");
  REQUIRE_FALSE(forbidden.instance);
  auto graph = csp::reports::result_graph(c.model(), forbidden);
  REQUIRE(graph);
  const auto& reseller = node_named(*graph, "R1");
  CHECK(reseller.highlighted);
  CHECK(blamed_lines(reseller) == std::vector<std::string>{"country = FR"});
  CHECK(blamed_lines(node_named(*graph, "C1")) == std::vector<std::string>{"country = US"});
  // Written facts only: the sale's date is shown, unblamed; nothing the scenario leaves free.
  const auto& sale = node_named(*graph, "S1");
  CHECK_FALSE(sale.highlighted);
  REQUIRE(sale.lines.size() == 1);
  CHECK(sale.lines[0].text == "date = 2021-03-01");
  CHECK(edge_labelled(*graph, "seller").to == "R1");

  std::string dot = csp::reports::dot_graph(forbidden, c.context());
  CHECK(has(dot, "digraph \"cross_region_sale\""));
  CHECK(has(dot, "<font color=\"#d62728\"><b>country = FR</b></font>"));
  CHECK(has(dot, "\"R1\" [label=<R1: Partner<br/>role = indirect_reseller<br/>"));
  // The DOT report now has a graph for it, and the HTML report draws it.
  CHECK(has(c.render(Format::Dot), "digraph \"cross_region_sale\""));
  CHECK(has(c.render(Format::Html), "the scenario&#39;s facts (in red: those the forbidding rules need)"));
}

TEST_CASE("a blamed absent tuple is drawn as missing", "[reports][graph]") {
  auto checked = check_text(std::string(kSaleChain) + R"(
scenario unpartnered {
  O1: Org {}
  P1: Partner { org = O1, role = indirect_provider }
  R1: Partner { org = O1, role = indirect_reseller }
  expect forbidden
}
)");
  REQUIRE(checked.model);
  const auto& scenario = checked.model->scenarios[0];
  auto graph = csp::reports::scenario_graph(*checked.model, scenario, {"not partnered(P1, R1)", "R1.role = indirect_reseller"});
  const auto& missing = edge_labelled(graph, "no partnered");
  CHECK(missing.absent);
  CHECK(missing.blamed);
  CHECK(missing.from == "P1");
  CHECK(missing.to == "R1");
  CHECK(blamed_lines(node_named(graph, "R1")) == std::vector<std::string>{"role = indirect_reseller"});
}

TEST_CASE("graphs read as a sale chain: Microsoft, provider, reseller, customer; organisations as boxes",
          "[reports][graph]") {
  auto checked = check_text(kSaleChain);
  REQUIRE(checked.model);
  const auto& model = *checked.model;
  InstanceBuilder b(model);
  b.entity("Org1", "Org", {}).entity("Org2", "Org", {});
  b.entity("Partner1", "Partner", {b.ref("Org1"), b.enum_value("Role", "indirect_provider")});
  b.entity("Partner2", "Partner", {b.ref("Org2"), b.enum_value("Role", "indirect_reseller")});
  b.entity("Customer1", "Customer", {b.ref("Org1")});
  b.entity("Sale1", "Sale", {b.ref("Partner1"), b.ref("Partner2"), b.ref("Customer1")});
  b.tuple("partnered", {"Partner1", "Partner2"});
  b.tuple("affiliated", {"Org1", "Org2"});
  auto graph = csp::reports::build_graph(model, b.build(), {"Partner1"});

  CHECK(node_named(graph, "Microsoft").column == csp::reports::kMicrosoft);
  CHECK(node_named(graph, "Partner1").column == csp::reports::kSeller);
  CHECK(node_named(graph, "Partner2").column == csp::reports::kReseller);
  CHECK(node_named(graph, "Customer1").column == csp::reports::kCustomer);
  CHECK(node_named(graph, "Sale1").column == csp::reports::kFree);
  CHECK(edge_labelled(graph, "bills").to == "Partner1");
  // The sale sits after its seller and before its reseller and customer.
  CHECK(edge_labelled(graph, "seller").backward);
  CHECK_FALSE(edge_labelled(graph, "reseller").backward);
  CHECK_FALSE(edge_labelled(graph, "customer").backward);
  // Organisations are boxes around their members, not nodes with `org` edges.
  REQUIRE(graph.clusters.size() == 2);
  CHECK(graph.clusters[0].id == "org_Org1");
  CHECK(graph.clusters[0].members == std::vector<std::string>{"Partner1", "Customer1"});
  CHECK(graph.clusters[1].members == std::vector<std::string>{"Partner2"});
  CHECK(std::none_of(graph.nodes.begin(), graph.nodes.end(), [](const auto& n) { return n.id == "Org1"; }));
  CHECK(std::none_of(graph.edges.begin(), graph.edges.end(), [](const auto& e) { return e.label == "org"; }));

  csp::model::CheckResult result;
  result.kind = csp::model::CheckResult::Kind::Property;
  result.name = "no_self_sale";
  result.status = csp::model::Status::Violated;
  result.instance = b.build();
  ReportOptions options = ReportCase::golden_options();
  std::string dot = csp::reports::dot_graph(result, {model, checked.sources, options});
  CHECK(has(dot, "rankdir=LR;"));
  CHECK(has(dot, "subgraph \"cluster_org_Org1\" {\n    label=\"Org1: Org\";"));
  CHECK(has(dot, "{ rank=same; \"Partner1\"; }"));
  CHECK(has(dot, "\"Microsoft\" -> \"Partner1\" [style=invis, minlen=2];"));
  CHECK(has(dot, "\"Partner1\" -> \"Sale1\" [label=\"seller\", dir=back];"));
  // An edge between organisations joins their boxes.
  CHECK(has(dot, "\"Partner1\" -> \"Partner2\" [label=\"affiliated\", ltail=\"cluster_org_Org1\", "
                 "lhead=\"cluster_org_Org2\", constraint=false];"));
}

TEST_CASE("every graph is a file of its own", "[reports][graph]") {
  ReportCase c = basic_case();
  auto files = csp::reports::dot_files(c.run, c.context());
  std::vector<std::string> names;
  for (const auto& file : files) names.push_back(file.name);
  CHECK(names == std::vector<std::string>{"property-no_direct_bill_resellers.dot", "scenario-cross_region_sale.dot",
                                          "scenario-late_cross_region_sale.dot"});
  for (const auto& file : files) {
    CHECK(file.contents.starts_with("digraph "));
    CHECK(std::count(file.contents.begin(), file.contents.end(), '\n') > 5);
  }
}
