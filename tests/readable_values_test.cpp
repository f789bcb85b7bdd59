// Readable values (issue 12): `none` by its meaning, atoms named by role, and
// a counterexample that shows what the property reads, marks the facts that
// break it and folds the rest, in text, JSON and HTML.
#include <catch2/catch.hpp>


#include "model/readable.h"
#include "reports/report.h"
#include "tests/reports_support.h"
#include "tests/support/fixture.h"
#include "tests/support/prove.h"

using namespace csp;

namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

constexpr const char* kSpec = R"(
enum Role { indirect_provider, indirect_reseller, direct_bill }
entity Org {}
entity Partner { org: Org, role: Role, country_code: Int, mpa_signed: Date?, enrolled_on: Date?, parent: Partner? }
entity Sale { seller: Partner, reseller: Partner?, date: Date }
rule chain {
  forall s: Sale | s.seller.role == indirect_provider and (s.reseller == none or s.reseller.role == indirect_reseller)
}
property resellers_signed "every reseller of record has signed by the sale" {
  forall s: Sale | s.reseller == none or s.reseller.mpa_signed <= s.date
}
)";

// The one line of `text` that starts (after its indent) with `start`.
std::string line_starting(const std::string& text, const std::string& start) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(' ') != std::string::npos && line.substr(line.find_first_not_of(' ')).starts_with(start)) {
      return line;
    }
  }
  return "";
}

}  // namespace

TEST_CASE("none reads by its meaning for the attribute", "[readable]") {
  auto checked = test::check_text(kSpec);
  REQUIRE(checked.model);
  const model::Model& m = *checked.model;
  int partner = m.find_kind("Partner");
  const auto& kind = m.kinds[partner];
  CHECK(model::none_meaning(m, partner, kind.attribute_index("mpa_signed")) == "not signed");
  CHECK(model::none_meaning(m, partner, kind.attribute_index("enrolled_on")) == "never");
  CHECK(model::none_meaning(m, partner, kind.attribute_index("parent")) == "not set");
}

TEST_CASE("atoms are named by role, numbered per role in entity order", "[readable]") {
  auto checked = test::check_text(kSpec);
  REQUIRE(checked.model);
  const model::Model& m = *checked.model;
  int partner = m.find_kind("Partner"), org = m.find_kind("Org");
  model::Instance instance;
  instance.relations.resize(m.relations.size());
  auto role = [&](int ordinal) { return model::Value::enum_value(m.find_enum("Role"), ordinal); };
  auto partner_with = [&](int ordinal) {
    return model::Entity{"x", partner, {model::Value::entity(org, 0), role(ordinal), model::Value::integer(0),
                                        model::Value::none(), model::Value::none(), model::Value::none()}};
  };
  instance.entities = {{"x", org, {}}, partner_with(1), partner_with(0), partner_with(1), partner_with(2),
                       {"Kept", partner, partner_with(0).attributes}};
  model::name_by_role(m, instance, {true, true, true, true, true, false});
  std::vector<std::string> names;
  for (const auto& e : instance.entities) names.push_back(e.name);
  // The shared first word `indirect` is dropped; `direct_bill` keeps both of its words.
  CHECK(names == std::vector<std::string>{"Org1", "Reseller1", "Provider1", "Reseller2", "DirectBill1", "Kept"});
}

TEST_CASE("a counterexample shows what the property reads, marks what breaks it, folds the rest",
          "[readable][reports]") {
  auto checked = test::check_text(kSpec);
  REQUIRE(checked.model);
  const model::Model& m = *checked.model;
  model::CheckResult result = test::prove_property(m, "resellers_signed");
  REQUIRE(result.status == model::Status::Violated);
  REQUIRE(result.instance);
  // Named by role: the seller is a provider, the reseller of record a reseller.
  CHECK(result.instance->find("Provider1") >= 0);
  CHECK(result.instance->find("Reseller1") >= 0);
  CHECK(result.instance->find("Partner1") < 0);

  // The facts that break it: the reseller's MPA date and the sale's date (and the reference between them).
  auto broken = model::broken_facts(m, *result.instance, m.properties[0]);
  int reseller = result.instance->find("Reseller1"), sale = result.instance->find("Sale1");
  int mpa = m.kinds[m.find_kind("Partner")].attribute_index("mpa_signed");
  int date = m.kinds[m.find_kind("Sale")].attribute_index("date");
  int seller = m.kinds[m.find_kind("Sale")].attribute_index("seller");
  CHECK(broken.count({reseller, mpa}) == 1);
  CHECK(broken.count({sale, date}) == 1);
  CHECK(broken.count({sale, seller}) == 0);  // the property never reads the seller

  auto render = [&](reports::Format format) { return test::render_result(format, checked, result); };
  std::string text = render(reports::Format::Text);
  INFO(text);
  std::string reseller_line = line_starting(text, "Reseller1: Partner");
  CHECK(has(reseller_line, "mpa_signed = "));
  CHECK(has(reseller_line, "(breaks it)"));
  CHECK(has(reseller_line, "} + 5 other attributes"));  // org, role, country_code, enrolled_on, parent
  CHECK_FALSE(has(reseller_line, "country_code"));
  std::string sale_line = line_starting(text, "Sale1: Sale");
  CHECK(has(sale_line, "date = "));
  CHECK(has(sale_line, "+ 1 other attribute"));  // the seller
  CHECK(has(text, "Sale1 --reseller--> Reseller1"));
  CHECK_FALSE(has(text, "Sale1 --seller--> Provider1"));
  CHECK(has(text, "other edge"));

  std::string json = render(reports::Format::Json);
  CHECK(has(json, "\"Reseller1.mpa_signed\""));
  CHECK(has(json, "\"Sale1.date\""));
  std::string html = render(reports::Format::Html);
  CHECK(has(html, "<td class=\"broken\" title=\"breaks it\">"));
  CHECK(has(html, "<details class=\"folded\"><summary>+ "));
}
