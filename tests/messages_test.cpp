// Message templates (issue 12): `message "{s.seller} sold to {s.buyer}"` on a
// rule or property is parsed and type-checked hole by hole, with errors
// inside the string; kept by the formatter; filled in for a counterexample's
// violating binding and shown by every report format above the explanation.
#include <catch2/catch.hpp>


#include <fmt/format.h>

#include "model/diagnostics.h"
#include "model/evaluator.h"
#include "model/format.h"
#include "model/instance.h"
#include "model/readable.h"
#include "reports/report.h"
#include "tests/reports_support.h"
#include "tests/support/fixture.h"
#include "tests/support/prove.h"

using namespace csp;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string spec_with_message(const std::string& message) {
  return R"(entity Org {}
entity Partner { org: Org, signed: Date? }
entity Sale { seller: Partner, buyer: Org, date: Date }
rule no_self_sale { forall s: Sale | s.seller.org != s.buyer }
property sellers_signed
  "every seller has signed the MPA by the sale"
  message ")" + message + R"("
{
  forall s: Sale | s.seller.signed <= s.date
}
)";
}

const char* kMessage = "{s.seller} sold to {s.buyer} on {s.date}; MPA signed: {s.seller.signed} {{sic}}";

}  // namespace

TEST_CASE("a message's holes are type-checked over the formula's variables, errors inside the string",
          "[messages]") {
  SECTION("a well-typed message checks, its holes resolved") {
    auto checked = test::check_text(spec_with_message(kMessage));
    INFO(checked.diagnostics());
    REQUIRE(checked.model);
    const auto& message = *checked.model->properties[0].message;
    int holes = 0;
    for (const auto& part : message.parts) holes += part.expr ? 1 : 0;
    CHECK(holes == 4);
    CHECK(message.parts.back().text == " {sic}");
  }
  SECTION("an unknown attribute points at the hole's column, inside the string") {
    auto checked = test::check_text(spec_with_message("{s.seller} sold to {s.buyr}"));
    CHECK_FALSE(checked.model);
    // Line 7 is `  message "{s.seller} sold to {s.buyr}"`: `buyr` starts at column 34.
    CHECK(has(checked.diagnostics(), "test.cspv:7:34: error: entity `Sale` has no attribute `buyr`"));
    CHECK(has(checked.diagnostics(), "did you mean `buyer`?"));
  }
  SECTION("a variable the formula does not bind is an unknown name") {
    auto checked = test::check_text(spec_with_message("sold by {t.seller}"));
    CHECK_FALSE(checked.model);
    CHECK(has(checked.diagnostics(), "test.cspv:7:21: error:"));
    CHECK(has(checked.diagnostics(), "`t`"));
  }
  SECTION("a syntax error in a hole is reported at the brace that ends it") {
    auto checked = test::check_text(spec_with_message("{s.seller.}"));
    CHECK_FALSE(checked.model);
    CHECK(has(checked.diagnostics(), "test.cspv:7:22: error: expected"));
    CHECK(has(checked.diagnostics(), "got `}`"));
  }
  SECTION("an unclosed brace and an empty hole are errors") {
    auto unclosed = test::check_text(spec_with_message("sold {s.date"));
    CHECK(has(unclosed.diagnostics(), "test.cspv:7:17: error: unclosed `{` in message"));
    auto empty = test::check_text(spec_with_message("sold {}"));
    CHECK(has(empty.diagnostics(), "test.cspv:7:17: error: empty `{}` in message"));
  }
}

TEST_CASE("the formatter keeps a message as written", "[messages][fmt]") {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  int file = sources.add("test.cspv", spec_with_message(kMessage));
  auto formatted = model::format_file(sources, file, sink);
  INFO(model::render_all(sink, sources));
  REQUIRE(formatted);
  CHECK(has(*formatted, std::string("  message \"") + kMessage + "\"\n{"));
}

TEST_CASE("a counterexample carries its message, filled in for the violating binding, in every format",
          "[messages][reports]") {
  auto checked = test::check_text(spec_with_message(kMessage));
  REQUIRE(checked.model);
  const model::Model& m = *checked.model;
  model::CheckResult result = test::prove_property(m, "sellers_signed");
  REQUIRE(result.status == model::Status::Violated);
  REQUIRE(result.instance);

  // The same sentence, built by hand from the counterexample's one sale.
  const model::Instance& instance = *result.instance;
  int sale_kind = m.find_kind("Sale"), partner_kind = m.find_kind("Partner");
  REQUIRE(instance.of_kind(sale_kind).size() == 1);
  const auto& sale = instance.entities[instance.of_kind(sale_kind)[0]];
  const auto& seller = instance.entities[sale.attributes[0].v];
  auto value = [&](const model::Value& v) { return model::format_value(m, instance, v); };
  int signed_attribute = m.kinds[partner_kind].attribute_index("signed");
  // An unset date reads by its meaning ("not signed"), as the reports print it.
  std::string signed_text = model::format_attribute_value(m, instance, partner_kind, signed_attribute,
                                                          seller.attributes[signed_attribute]);
  std::string expected = fmt::format("{} sold to {} on {}; MPA signed: {} {{sic}}", value(sale.attributes[0]),
                                     value(sale.attributes[1]), value(sale.attributes[2]), signed_text);
  CHECK(result.message == expected);
  CHECK_FALSE(result.explanation.empty());

  auto render = [&](reports::Format format) { return test::render_result(format, checked, result); };
  std::string text = render(reports::Format::Text);
  CHECK(has(text, "  in words: " + expected + "\n"));
  CHECK(text.find("in words:") < text.find("why it fails:"));  // the logic stays, beneath
  CHECK(has(render(reports::Format::Json), "\"message\": \"" + expected + "\""));
  CHECK(has(render(reports::Format::Markdown), "> " + expected));
  CHECK(has(render(reports::Format::Html), "<p class=\"message\">" + expected + "</p>"));
  CHECK(has(render(reports::Format::Sarif), "\"text\": \"" + expected + "\\n"));
  CHECK(has(render(reports::Format::Junit), "in words: " + expected));
}

TEST_CASE("a formula without a message, or one that holds, renders none", "[messages]") {
  auto checked = test::check_text(spec_with_message(kMessage));
  REQUIRE(checked.model);
  const model::Model& m = *checked.model;
  model::Instance empty;
  empty.relations.resize(m.relations.size());
  model::Evaluator evaluator(m, empty);
  CHECK(evaluator.violation_message(m.properties[0]).empty());  // no sale: it holds
  CHECK(evaluator.violation_message(m.rules[0]).empty());       // no message
}
