// Behaviour of the report writers beyond the golden files: the format table,
// colour and timings options, region grouping, the failing binding, and
// drawing graphs with (or without) Graphviz.
#include <catch2/catch.hpp>

#include "reports/graph.h"
#include "reports/report.h"
#include "reports/svg.h"
#include "reports/view.h"
#include "tests/reports_support.h"

using csp::reports::Format;
using csp::reports::ReportOptions;
using namespace csp::test;

TEST_CASE("formats are found by name or file extension", "[reports]") {
  CHECK(csp::reports::format_names() ==
        std::vector<std::string>{"text", "json", "dot", "html", "markdown", "junit", "sarif"});
  for (const auto& name : csp::reports::format_names()) {
    auto format = csp::reports::parse_format(name);
    REQUIRE(format);
    CHECK(csp::reports::format_name(*format) == name);
    CHECK(csp::reports::parse_format(csp::reports::format_extension(*format)) == format);
  }
  CHECK(csp::reports::parse_format("md") == Format::Markdown);
  CHECK(csp::reports::format_extension(Format::Junit) == "junit.xml");
  CHECK_FALSE(csp::reports::parse_format("xml"));
  CHECK_FALSE(csp::reports::parse_format("JSON"));
}

TEST_CASE("the text report is coloured only on request", "[reports]") {
  ReportCase c = basic_case();
  ReportOptions options = ReportCase::golden_options();
  CHECK(c.render(Format::Text, options).find('\x1b') == std::string::npos);
  options.color = true;
  std::string coloured = c.render(Format::Text, options);
  CHECK(coloured.find("\x1b[32mPROVED   \x1b[0m sellers_signed") != std::string::npos);
  CHECK(coloured.find("\x1b[31mVIOLATED \x1b[0m no_direct_bill_resellers") != std::string::npos);
  CHECK(coloured.find("\x1b[31msummary: 3 properties: 2 proved") != std::string::npos);
}

TEST_CASE("the text report never passes control characters from the spec or solver to the terminal",
          "[reports]") {
  ReportCase c = failures_case();
  std::string text = c.render(Format::Text);
  CHECK(text.find('\x07') == std::string::npos);
  CHECK(text.find("(timeout after 60 s\xEF\xBF\xBD)") != std::string::npos);
}

TEST_CASE("timings are printed only when asked for", "[reports]") {
  ReportCase c = basic_case();
  ReportOptions options = ReportCase::golden_options();
  for (Format format : {Format::Text, Format::Json, Format::Html, Format::Markdown}) {
    INFO(csp::reports::format_name(format));
    CHECK(c.render(format, options).find(" ms") == std::string::npos);
  }
  CHECK(c.render(Format::Json, options).find("time_ms") == std::string::npos);
  options.timings = true;
  CHECK(c.render(Format::Text, options).find("sellers_signed (tests/golden/reports/basic/fixture.cspv:35:10) "
                                             "for every instance, of any size [12.5 ms]") !=
        std::string::npos);
  CHECK(c.render(Format::Json, options).find("\"time_ms\": 40.25") != std::string::npos);
  std::string junit = c.render(Format::Junit, options);
  CHECK(junit.find("name=\"property no_direct_bill_resellers\" "
                   "classname=\"tests/golden/reports/basic/fixture.cspv\" time=\"0.040\"") != std::string::npos);
  CHECK(junit.find("failures=\"1\" errors=\"0\" skipped=\"0\" time=\"0.060\"") != std::string::npos);
}

TEST_CASE("JUnit carries the run's time stamp from the options", "[reports]") {
  ReportCase c = basic_case();
  ReportOptions options = ReportCase::golden_options();
  CHECK(c.render(Format::Junit, options).find("timestamp=\"1970-01-01T00:00:00\"") != std::string::npos);
  options.timestamp = "2024-05-06T07:08:09";
  CHECK(c.render(Format::Junit, options).find("timestamp=\"2024-05-06T07:08:09\"") != std::string::npos);
}

TEST_CASE("the failing binding is read from the evaluator's explanation", "[reports]") {
  csp::model::CheckResult result;
  result.explanation = {"for p = Partner1, r = Partner2:", "  p.role holds", "  for s = Sale3:", "  no x"};
  CHECK(csp::reports::failing_binding(result) == std::vector<std::string>{"Partner1", "Partner2", "Sale3"});
}

TEST_CASE("graph nodes are grouped by the region a functional table gives their country", "[reports]") {
  ReportCase c = basic_case();
  const auto& violated = c.run.results[1];
  auto graph = csp::reports::build_graph(c.model(), *violated.instance, {"Partner2"});
  CHECK(graph.region_names == std::vector<std::string>{"europe", "north_america"});
  // Microsoft first: Partner1, an indirect provider, is a partner it bills.
  REQUIRE(graph.nodes.size() == 3);
  CHECK(graph.nodes[0].id == "Microsoft");
  CHECK(graph.nodes[1].region == 0);
  CHECK(graph.nodes[2].region == 1);
  CHECK_FALSE(graph.nodes[1].highlighted);
  CHECK(graph.nodes[2].highlighted);
  REQUIRE(graph.clusters.size() == 2);
  CHECK(graph.clusters[0].label == "region europe");
  CHECK(graph.clusters[0].members == std::vector<std::string>{"Partner1"});
  // Microsoft bills both: an indirect provider and a direct-bill partner.
  REQUIRE(graph.edges.size() == 3);
  CHECK(graph.edges[0].label == "bills");
  CHECK(graph.edges[1].label == "bills");
  CHECK(graph.edges[2].from == "Partner1");
  CHECK(graph.edges[2].to == "Partner2");
  CHECK(graph.edges[2].label == "partnership");
  CHECK(graph.edges[2].flat);  // both partners Microsoft bills: one column
}

TEST_CASE("a Region-typed attribute places an entity directly; no Region means no groups", "[reports]") {
  auto checked = check_text(
      "enum Region { emea, apac }\n"
      "entity Office { region: Region, head: Office? }\n");
  REQUIRE(checked.model);
  const auto& model = *checked.model;
  InstanceBuilder b(model);
  b.entity("O1", "Office", {b.enum_value("Region", "apac"), csp::model::Value::none()});
  b.entity("O2", "Office", {b.enum_value("Region", "emea"), b.ref("O1")});
  auto graph = csp::reports::build_graph(model, b.build(), {});
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].region == 1);
  CHECK(graph.nodes[1].region == 0);
  REQUIRE(graph.nodes[1].lines.size() == 1);
  CHECK(graph.nodes[1].lines[0].text == "region = emea");
  CHECK(graph.nodes[1].lines[0].fact == "O2.region = emea");
  REQUIRE(graph.edges.size() == 1);
  CHECK(graph.edges[0].label == "head");

  auto plain = check_text("enum Country { FR }\nentity Shop { country: Country }\n");
  REQUIRE(plain.model);
  InstanceBuilder p(*plain.model);
  p.entity("S1", "Shop", {p.enum_value("Country", "FR")});
  auto ungrouped = csp::reports::build_graph(*plain.model, p.build(), {});
  CHECK(ungrouped.region_names.empty());
  CHECK(ungrouped.nodes[0].region == -1);
}

TEST_CASE("the HTML report inlines Graphviz's SVG without its XML prolog", "[reports]") {
  ReportCase c = basic_case();
  ReportOptions options = ReportCase::golden_options();
  options.dot_program = "dot";
  std::string html = c.render(Format::Html, options);
  INFO("needs graphviz (`dot`) installed");
  CHECK(html.find("<div class=\"graph\">\n<svg") != std::string::npos);
  CHECK(html.find("<?xml") == std::string::npos);
  CHECK(html.find("<!DOCTYPE svg") == std::string::npos);
  CHECK(html.find("graph not drawn") == std::string::npos);
}

TEST_CASE("without Graphviz the HTML report embeds the DOT source and says why", "[reports]") {
  ReportCase c = basic_case();
  ReportOptions options = ReportCase::golden_options();
  options.dot_program = "cspverify-no-such-dot";
  std::string html = c.render(Format::Html, options);
  CHECK(html.find("<p class=\"note\">graph not drawn (cannot run `cspverify-no-such-dot`: No such file or "
                  "directory); its Graphviz source:</p>\n"
                  "<pre class=\"dot\">digraph &quot;no_direct_bill_resellers&quot; {") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
}

TEST_CASE("render_svg reports Graphviz errors and survives a child that stops reading", "[reports]") {
  std::string error;
  auto svg = csp::reports::render_svg("dot", "digraph { a -> }", error);
  CHECK_FALSE(svg);
  CHECK(error.rfind("`dot -Tsvg` failed (exit 1): Error: <stdin>: syntax error in line 1", 0) == 0);

  // `true` reads nothing: writing a large graph to it must not raise SIGPIPE.
  std::string big = "digraph {\n" + std::string(1 << 20, ' ') + "}\n";
  auto nothing = csp::reports::render_svg("true", big, error);
  REQUIRE(nothing);
  CHECK(nothing->empty());

  auto drawn = csp::reports::render_svg("dot", "digraph { \"a\" -> \"b\" }", error);
  REQUIRE(drawn);
  CHECK(drawn->find("<svg") != std::string::npos);
}
