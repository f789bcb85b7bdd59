// Instances: entity lookup, value formatting and the exact text of
// format_instance, on a hand-built model so they do not depend on the parser.
#include <catch2/catch.hpp>

#include "model/instance.h"

using namespace csp::model;

namespace {

Type plain(TypeKind kind, int id = -1) { return {kind, id, false}; }
Type optional(TypeKind kind, int id = -1) { return {kind, id, true}; }

Attribute attribute(std::string name, Type type) {
  Attribute a;
  a.name = std::move(name);
  a.type.type = type;
  return a;
}

Param param(std::string name, Type type) {
  Param p;
  p.name = std::move(name);
  p.type.type = type;
  return p;
}

// enum Role, enum Country; Partner, Customer, Sale, Org;
// partnership(provider: Partner, reseller: Partner); affiliated(a, b, c: Org)
Model sales_model() {
  Model m;
  m.enums.push_back({"Role", {}, {"indirect_provider", "indirect_reseller", "direct_bill"}, {}, {}});
  m.enums.push_back({"Country", {}, {"FR", "US"}, {}, {}});
  EntityKind partner{"Partner", {}, {}};
  partner.attributes = {attribute("role", plain(TypeKind::Enum, 0)), attribute("country", plain(TypeKind::Enum, 1)),
                        attribute("mpa_signed", optional(TypeKind::Date))};
  EntityKind customer{"Customer", {}, {attribute("country", plain(TypeKind::Enum, 1))}};
  EntityKind sale{"Sale", {}, {}};
  sale.attributes = {attribute("seller", plain(TypeKind::Entity, 0)), attribute("customer", plain(TypeKind::Entity, 1)),
                     attribute("date", plain(TypeKind::Date))};
  EntityKind org{"Org", {}, {}};
  m.kinds = {partner, customer, sale, org};
  RelationDecl partnership{"partnership", {}, {}};
  partnership.params = {param("provider", plain(TypeKind::Entity, 0)), param("reseller", plain(TypeKind::Entity, 0))};
  RelationDecl affiliated{"affiliated", {}, {}};
  affiliated.params = {param("a", plain(TypeKind::Entity, 3)), param("b", plain(TypeKind::Entity, 3)),
                       param("c", plain(TypeKind::Entity, 3))};
  m.relations = {partnership, affiliated};
  return m;
}

Value day(int y, int m, int d) { return Value::date(*days_from_date(y, m, d)); }

// Partner1 (0), Partner2 (1), Customer1 (2), Sale1 (3), Org1..Org3 (4..6)
Instance sales_instance() {
  Instance i;
  i.entities = {
      {"Partner1", 0, {Value::enum_value(0, 1), Value::enum_value(1, 0), Value::none()}},
      {"Partner2", 0, {Value::enum_value(0, 0), Value::enum_value(1, 1), day(2019, 6, 1)}},
      {"Customer1", 1, {Value::enum_value(1, 1)}},
      {"Sale1", 2, {Value::entity(0, 0), Value::entity(1, 2), day(2021, 3, 1)}},
      {"Org1", 3, {}},
      {"Org2", 3, {}},
      {"Org3", 3, {}},
  };
  i.relations.resize(2);
  i.relations[0].insert({Value::entity(0, 1), Value::entity(0, 0)});
  i.relations[1].insert({Value::entity(3, 4), Value::entity(3, 5), Value::entity(3, 6)});
  return i;
}

}  // namespace

TEST_CASE("of_kind and find locate entities by kind and by name", "[instance]") {
  Instance i = sales_instance();
  CHECK(i.of_kind(0) == std::vector<int>{0, 1});
  CHECK(i.of_kind(3) == std::vector<int>{4, 5, 6});
  CHECK(i.of_kind(7).empty());
  CHECK(i.find("Sale1") == 3);
  CHECK(i.find("Partner2") == 1);
  CHECK(i.find("Sale9") == -1);
}

TEST_CASE("format_value prints every kind of value as people read it", "[instance]") {
  Model m = sales_model();
  Instance i = sales_instance();
  CHECK(format_value(m, i, Value::boolean(true)) == "true");
  CHECK(format_value(m, i, Value::boolean(false)) == "false");
  CHECK(format_value(m, i, Value::integer(42)) == "42");
  CHECK(format_value(m, i, Value::integer(-3)) == "-3");
  CHECK(format_value(m, i, day(2021, 3, 1)) == "2021-03-01");
  CHECK(format_value(m, i, Value::enum_value(0, 2)) == "direct_bill");
  CHECK(format_value(m, i, Value::entity(2, 3)) == "Sale1");
  CHECK(format_value(m, i, Value::none()) == "none");
}

TEST_CASE("format_value survives malformed values instead of crashing", "[instance]") {
  Model m = sales_model();
  Instance i = sales_instance();
  CHECK(format_value(m, i, Value::enum_value(0, 9)) == "<enum 0#9>");
  CHECK(format_value(m, i, Value::entity(0, 99)) == "<entity #99>");
}

TEST_CASE("count_by_kind counts entities per kind, zero for absent kinds", "[instance]") {
  Model m = sales_model();
  Instance i = sales_instance();
  CHECK(count_by_kind(m, i) == std::vector<int>{2, 1, 1, 3});
  CHECK(count_by_kind(m, Instance{}) == std::vector<int>{0, 0, 0, 0});
}

TEST_CASE("format_instance lists entities, reference edges and tuples", "[instance]") {
  Model m = sales_model();
  Instance i = sales_instance();
  CHECK(format_instance(m, i) ==
        "entities:\n"
        "  Partner1: Partner { role = indirect_reseller, country = FR, mpa_signed = not signed }\n"
        "  Partner2: Partner { role = indirect_provider, country = US, mpa_signed = 2019-06-01 }\n"
        "  Customer1: Customer { country = US }\n"
        "  Sale1: Sale { seller = Partner1, customer = Customer1, date = 2021-03-01 }\n"
        "  Org1: Org\n"
        "  Org2: Org\n"
        "  Org3: Org\n"
        "edges:\n"
        "  Sale1 --seller--> Partner1\n"
        "  Sale1 --customer--> Customer1\n"
        "  provider Partner2 --partnership--> reseller Partner1\n"
        "  affiliated(a = Org1, b = Org2, c = Org3)\n");
}

TEST_CASE("format_instance sorts tuples and is deterministic", "[instance]") {
  Model m = sales_model();
  Instance i = sales_instance();
  i.relations[0].insert({Value::entity(0, 0), Value::entity(0, 1)});
  i.relations[0].insert({Value::entity(0, 0), Value::entity(0, 0)});
  std::string text = format_instance(m, i);
  CHECK(text.find("  provider Partner1 --partnership--> reseller Partner1\n"
                  "  provider Partner1 --partnership--> reseller Partner2\n"
                  "  provider Partner2 --partnership--> reseller Partner1\n") != std::string::npos);
  CHECK(format_instance(m, i) == text);
}

TEST_CASE("format_instance omits the edges header when there are no edges", "[instance]") {
  Model m = sales_model();
  Instance i;
  i.entities = {{"Customer1", 1, {Value::enum_value(1, 0)}}};
  i.relations.resize(2);
  CHECK(format_instance(m, i) == "entities:\n  Customer1: Customer { country = FR }\n");
  CHECK(format_instance(m, Instance{}) == "entities:\n  (none)\n");
}

TEST_CASE("format_instance prints enum members of tuples by value name", "[instance]") {
  Model m = sales_model();
  RelationDecl operates{"operates_in", {}, {}};
  operates.params = {param("partner", plain(TypeKind::Entity, 0)), param("country", plain(TypeKind::Enum, 1))};
  m.relations.push_back(operates);
  Instance i;
  i.entities = {{"Partner1", 0, {Value::enum_value(0, 1), Value::enum_value(1, 0), Value::none()}}};
  i.relations.resize(3);
  i.relations[2].insert({Value::entity(0, 0), Value::enum_value(1, 1)});
  CHECK(format_instance(m, i) ==
        "entities:\n"
        "  Partner1: Partner { role = indirect_reseller, country = FR, mpa_signed = not signed }\n"
        "edges:\n"
        "  partner Partner1 --operates_in--> country US\n");
}
