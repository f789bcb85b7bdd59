// The plain evaluator: operators and the `none` rules, quantifiers, closure,
// tables, defines, rule verdicts, well-formedness, explanations and printing.
// The hand-built model below keeps these independent of the front end.
#include <limits>

#include <catch2/catch.hpp>

#include "model/evaluator.h"
#include "tests/support/fixture.h"

using namespace csp::model;

namespace {

// ------------------------------------------------------------ a tiny model
// enum Role { indirect_provider, indirect_reseller }  enum Country { FR, US, IN }
// enum Region { europe, americas }
// entity Partner { role: Role, mpa_signed: Date?, parent: Partner? }
// entity Customer { country: Country }
// entity Sale { seller: Partner, customer: Customer, date: Date }
// relation partnership(provider: Partner, reseller: Partner)
// relation route(from: Country, to: Country)
// table region_of(country: Country, region: Region) { (FR, europe), (US, americas) }
// define signed(p: Partner) = p.mpa_signed != none
// define parent_of(c: Partner, p: Partner) = c.parent == p
enum Kind { kPartner, kCustomer, kSale };
enum EnumId { kRole, kCountry, kRegion };
enum Attr { kRole_ = 0, kMpa = 1, kParent = 2, kCountry_ = 0, kSeller = 0, kCustomer_ = 1, kDate = 2 };

Type plain(TypeKind kind, int id = -1) { return {kind, id, false}; }
Type optional(TypeKind kind, int id = -1) { return {kind, id, true}; }

Param param(std::string name, Type type) {
  Param p;
  p.name = std::move(name);
  p.type.type = type;
  return p;
}

Attribute attribute(std::string name, Type type) {
  Attribute a;
  a.name = std::move(name);
  a.type.type = type;
  return a;
}

template <typename... Args>
ExprPtr node(ExprKind kind, Args&&... args) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  (e->args.push_back(std::forward<Args>(args)), ...);
  return e;
}

ExprPtr int_lit(std::int64_t n) { auto e = node(ExprKind::IntLit); e->value = n; return e; }
ExprPtr bool_lit(bool b) { auto e = node(ExprKind::BoolLit); e->value = b; return e; }
ExprPtr none_lit() { return node(ExprKind::NoneLit); }
std::int64_t days(int y, int m, int d) { return *days_from_date(y, m, d); }
ExprPtr date_lit(int y, int m, int d) { auto e = node(ExprKind::DateLit); e->value = days(y, m, d); return e; }

ExprPtr enum_lit(int enum_id, int ordinal, std::string name) {
  auto e = node(ExprKind::EnumValue);
  e->id = enum_id;
  e->value = ordinal;
  e->name = std::move(name);
  return e;
}

ExprPtr var(int slot, std::string name) {
  auto e = node(ExprKind::Var);
  e->id = slot;
  e->name = std::move(name);
  return e;
}

ExprPtr attr(ExprPtr owner, int kind, int attribute, std::string name) {
  auto e = node(ExprKind::Attr, std::move(owner));
  e->kind_id = kind;
  e->id = attribute;
  e->name = std::move(name);
  return e;
}

template <typename... Args>
ExprPtr call(ExprKind kind, int id, std::string name, Args&&... args) {
  auto e = node(kind, std::forward<Args>(args)...);
  e->id = id;
  e->name = std::move(name);
  return e;
}

ExprPtr closure(int id, std::string name, bool reflexive, bool of_define, ExprPtr a, ExprPtr b) {
  auto e = call(ExprKind::Closure, id, std::move(name), std::move(a), std::move(b));
  e->reflexive = reflexive;
  e->closure_of_define = of_define;
  return e;
}

Binding binding(std::string name, std::string kind_name, int kind, int slot) {
  Binding b;
  b.name = std::move(name);
  b.kind.name = std::move(kind_name);
  b.kind.type = plain(TypeKind::Entity, kind);
  b.slot = slot;
  return b;
}

ExprPtr quant(ExprKind kind, std::vector<Binding> bindings, ExprPtr body) {
  auto e = node(kind, std::move(body));
  e->bindings = std::move(bindings);
  return e;
}

FormulaDecl formula(std::string name, ExprPtr body, int slot_count = 2) {
  FormulaDecl f;
  f.name = std::move(name);
  f.body = std::move(body);
  f.slot_count = slot_count;
  return f;
}

// `s.seller.mpa_signed <= s.date` over slot 0
ExprPtr mpa_before_sale_body() {
  return node(ExprKind::Le, attr(attr(var(0, "s"), kSale, kSeller, "seller"), kPartner, kMpa, "mpa_signed"),
              attr(var(0, "s"), kSale, kDate, "date"));
}

Model make_model() {
  Model m;
  m.enums.push_back({"Role", {}, {"indirect_provider", "indirect_reseller"}, {}, {}});
  m.enums.push_back({"Country", {}, {"FR", "US", "IN"}, {}, {}});
  m.enums.push_back({"Region", {}, {"europe", "americas"}, {}, {}});
  m.kinds.push_back({"Partner", {}, {attribute("role", plain(TypeKind::Enum, kRole)),
                                     attribute("mpa_signed", optional(TypeKind::Date)),
                                     attribute("parent", optional(TypeKind::Entity, kPartner))}});
  m.kinds.push_back({"Customer", {}, {attribute("country", plain(TypeKind::Enum, kCountry))}});
  m.kinds.push_back({"Sale", {}, {attribute("seller", plain(TypeKind::Entity, kPartner)),
                                  attribute("customer", plain(TypeKind::Entity, kCustomer)),
                                  attribute("date", plain(TypeKind::Date))}});
  m.relations.push_back({"partnership", {}, {param("provider", plain(TypeKind::Entity, kPartner)),
                                             param("reseller", plain(TypeKind::Entity, kPartner))}});
  m.relations.push_back({"route", {}, {param("from", plain(TypeKind::Enum, kCountry)),
                                       param("to", plain(TypeKind::Enum, kCountry))}});
  TableDecl region_of;
  region_of.name = "region_of";
  region_of.params = {param("country", plain(TypeKind::Enum, kCountry)), param("region", plain(TypeKind::Enum, kRegion))};
  TableDecl::Row fr, us;
  fr.cells.push_back(enum_lit(kCountry, 0, "FR"));
  fr.cells.push_back(enum_lit(kRegion, 0, "europe"));
  us.cells.push_back(enum_lit(kCountry, 1, "US"));
  us.cells.push_back(enum_lit(kRegion, 1, "americas"));
  region_of.rows.push_back(std::move(fr));
  region_of.rows.push_back(std::move(us));
  region_of.functional = true;
  m.tables.push_back(std::move(region_of));
  DefineDecl signed_define;
  signed_define.name = "signed";
  signed_define.params = {param("p", plain(TypeKind::Entity, kPartner))};
  signed_define.body = node(ExprKind::Ne, attr(var(0, "p"), kPartner, kMpa, "mpa_signed"), none_lit());
  signed_define.slot_count = 1;
  m.defines.push_back(std::move(signed_define));
  DefineDecl parent_of;
  parent_of.name = "parent_of";
  parent_of.params = {param("c", plain(TypeKind::Entity, kPartner)), param("p", plain(TypeKind::Entity, kPartner))};
  parent_of.body = node(ExprKind::Eq, attr(var(0, "c"), kPartner, kParent, "parent"), var(1, "p"));
  parent_of.slot_count = 2;
  m.defines.push_back(std::move(parent_of));
  return m;
}

Value partner(int index) { return Value::entity(kPartner, index); }

// Partner1 (0, never signed), Partner2 (1, signed 2019-06-01, parent Partner1),
// Customer1 (2, FR), Sale1 (3: Partner1 -> Customer1 on 2021-03-01)
Instance make_instance() {
  Instance i;
  i.entities = {
      {"Partner1", kPartner, {Value::enum_value(kRole, 1), Value::none(), Value::none()}},
      {"Partner2", kPartner, {Value::enum_value(kRole, 0), Value::date(days(2019, 6, 1)), partner(0)}},
      {"Customer1", kCustomer, {Value::enum_value(kCountry, 0)}},
      {"Sale1", kSale, {partner(0), Value::entity(kCustomer, 2), Value::date(days(2021, 3, 1))}},
  };
  i.relations.resize(2);
  i.relations[0].insert({partner(1), partner(0)});
  return i;
}

struct Fixture {
  Model model = make_model();
  Instance instance = make_instance();
  std::vector<Value> slots = std::vector<Value>(4);

  Value eval(const ExprPtr& expr) { return Evaluator(model, instance).eval(*expr, slots); }
  bool truth(const ExprPtr& expr) {
    Value v = eval(expr);
    REQUIRE(v.tag == Value::Tag::Bool);
    return v.v != 0;
  }
};

}  // namespace

TEST_CASE_METHOD(Fixture, "literals and variables evaluate to their values", "[evaluator]") {
  slots[1] = partner(1);
  CHECK(eval(int_lit(42)) == Value::integer(42));
  CHECK(eval(bool_lit(true)) == Value::boolean(true));
  CHECK(eval(date_lit(2021, 3, 1)) == Value::date(days(2021, 3, 1)));
  CHECK(eval(none_lit()) == Value::none());
  CHECK(eval(enum_lit(kRegion, 1, "americas")) == Value::enum_value(kRegion, 1));
  CHECK(eval(var(1, "p")) == partner(1));
  auto name = node(ExprKind::EntityName);
  name->name = "Sale1";
  CHECK(eval(name) == Value::entity(kSale, 3));
  name->name = "Nobody";
  CHECK(eval(name) == Value::none());
}

TEST_CASE_METHOD(Fixture, "attributes navigate references and yield none through none", "[evaluator]") {
  slots[0] = Value::entity(kSale, 3);
  CHECK(eval(attr(attr(var(0, "s"), kSale, kSeller, "seller"), kPartner, kRole_, "role")) ==
        Value::enum_value(kRole, 1));
  slots[1] = partner(1);
  CHECK(eval(attr(attr(var(1, "p"), kPartner, kParent, "parent"), kPartner, kRole_, "role")) ==
        Value::enum_value(kRole, 1));
  slots[1] = partner(0);  // Partner1 has no parent
  CHECK(eval(attr(attr(var(1, "p"), kPartner, kParent, "parent"), kPartner, kRole_, "role")) == Value::none());
}

TEST_CASE_METHOD(Fixture, "equality treats none as a value", "[evaluator]") {
  CHECK(truth(node(ExprKind::Eq, none_lit(), none_lit())));
  CHECK_FALSE(truth(node(ExprKind::Ne, none_lit(), none_lit())));
  CHECK_FALSE(truth(node(ExprKind::Eq, date_lit(2021, 3, 1), none_lit())));
  CHECK(truth(node(ExprKind::Ne, int_lit(1), none_lit())));
  CHECK(truth(node(ExprKind::Eq, enum_lit(kCountry, 2, "IN"), enum_lit(kCountry, 2, "IN"))));
  CHECK_FALSE(truth(node(ExprKind::Eq, enum_lit(kCountry, 2, "IN"), enum_lit(kCountry, 1, "US"))));
}

TEST_CASE_METHOD(Fixture, "ordering compares Int and Date and is false on none", "[evaluator]") {
  CHECK(truth(node(ExprKind::Lt, int_lit(1), int_lit(2))));
  CHECK_FALSE(truth(node(ExprKind::Lt, int_lit(2), int_lit(2))));
  CHECK(truth(node(ExprKind::Le, int_lit(2), int_lit(2))));
  CHECK(truth(node(ExprKind::Gt, date_lit(2021, 3, 2), date_lit(2021, 3, 1))));
  CHECK_FALSE(truth(node(ExprKind::Ge, date_lit(2021, 2, 28), date_lit(2021, 3, 1))));
  for (ExprKind op : {ExprKind::Lt, ExprKind::Le, ExprKind::Gt, ExprKind::Ge}) {
    CHECK_FALSE(truth(node(op, none_lit(), date_lit(2021, 3, 1))));
    CHECK_FALSE(truth(node(op, date_lit(2021, 3, 1), none_lit())));
    CHECK_FALSE(truth(node(op, none_lit(), none_lit())));
  }
}

TEST_CASE_METHOD(Fixture, "arithmetic on dates and integers, none on a none operand", "[evaluator]") {
  CHECK(eval(node(ExprKind::Add, date_lit(2021, 2, 28), int_lit(1))) == Value::date(days(2021, 3, 1)));
  CHECK(eval(node(ExprKind::Sub, date_lit(2021, 3, 1), int_lit(1))) == Value::date(days(2021, 2, 28)));
  CHECK(eval(node(ExprKind::Sub, date_lit(2021, 3, 1), date_lit(2020, 3, 1))) == Value::integer(365));
  CHECK(eval(node(ExprKind::Sub, int_lit(3), int_lit(5))) == Value::integer(-2));
  CHECK(eval(node(ExprKind::Add, int_lit(3), int_lit(5))) == Value::integer(8));
  CHECK(eval(node(ExprKind::Add, none_lit(), int_lit(5))) == Value::none());
  CHECK(eval(node(ExprKind::Sub, date_lit(2021, 3, 1), none_lit())) == Value::none());
}

// Int is unbounded in the language and 64-bit here: a result that does not
// fit is an error at the operator, never a value (an overflow used to give
// `none`, which made `n + 1 == none` true).
TEST_CASE_METHOD(Fixture, "arithmetic beyond 64 bits throws IntOutOfRange at the operator", "[evaluator]") {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  CHECK(eval(node(ExprKind::Add, int_lit(max - 1), int_lit(1))) == Value::integer(max));
  CHECK(eval(node(ExprKind::Sub, int_lit(min + 1), int_lit(1))) == Value::integer(min));
  auto sum = node(ExprKind::Add, int_lit(max), int_lit(1));
  sum->range = SourceRange{0, 7, 18};
  try {
    eval(sum);
    FAIL("no IntOutOfRange");
  } catch (const IntOutOfRange& e) {
    CHECK(e.where().file == 0);
    CHECK(e.where().begin == 7);
    CHECK(std::string(e.what()) == "an Int value outside the 64-bit range the evaluator supports");
  }
  CHECK_THROWS_AS(eval(node(ExprKind::Sub, int_lit(min + 1), int_lit(2))), IntOutOfRange);
  CHECK_THROWS_AS(eval(node(ExprKind::Sub, int_lit(0), int_lit(min))), IntOutOfRange);
  // One step of a chain overflowing is enough, even when the end result would fit.
  CHECK_THROWS_AS(eval(node(ExprKind::Add, int_lit(max), int_lit(1), int_lit(-1))), IntOutOfRange);
  // Dates are day numbers: `d + n`, `d - n` and `d1 - d2` are checked alike.
  CHECK_THROWS_AS(eval(node(ExprKind::Add, date_lit(2021, 3, 1), int_lit(max))), IntOutOfRange);
  auto far_past = node(ExprKind::DateLit);
  far_past->value = min;
  CHECK_THROWS_AS(eval(node(ExprKind::Sub, date_lit(2021, 3, 1), std::move(far_past))), IntOutOfRange);
  // A `none` operand still gives `none` before any arithmetic happens.
  CHECK(eval(node(ExprKind::Add, none_lit(), int_lit(max))) == Value::none());
}

TEST_CASE_METHOD(Fixture, "a formula whose arithmetic leaves 64 bits has no verdict", "[evaluator]") {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  model.rules.push_back(formula("grows", node(ExprKind::Gt, node(ExprKind::Add, int_lit(max), int_lit(1)), int_lit(max))));
  Evaluator evaluator(model, instance);
  CHECK_THROWS_AS(evaluator.holds(model.rules.back()), IntOutOfRange);
  CHECK_THROWS_AS(evaluator.violated_rules(), IntOutOfRange);
  CHECK_THROWS_AS(evaluator.explain_failure(model.rules.back()), IntOutOfRange);
}

TEST_CASE_METHOD(Fixture, "in is equality with some member, none included", "[evaluator]") {
  CHECK(truth(node(ExprKind::In, enum_lit(kCountry, 1, "US"), enum_lit(kCountry, 0, "FR"), enum_lit(kCountry, 1, "US"))));
  CHECK_FALSE(truth(node(ExprKind::In, enum_lit(kCountry, 2, "IN"), enum_lit(kCountry, 0, "FR"))));
  CHECK(truth(node(ExprKind::In, none_lit(), int_lit(1), none_lit())));
  CHECK_FALSE(truth(node(ExprKind::In, none_lit(), int_lit(1))));
}

TEST_CASE_METHOD(Fixture, "logical connectives", "[evaluator]") {
  auto t = [] { return bool_lit(true); };
  auto f = [] { return bool_lit(false); };
  CHECK(truth(node(ExprKind::Not, f())));
  CHECK_FALSE(truth(node(ExprKind::Not, t())));
  CHECK(truth(node(ExprKind::And, t(), t(), t())));
  CHECK_FALSE(truth(node(ExprKind::And, t(), f(), t())));
  CHECK(truth(node(ExprKind::Or, f(), f(), t())));
  CHECK_FALSE(truth(node(ExprKind::Or, f(), f())));
  CHECK(truth(node(ExprKind::Implies, f(), f())));
  CHECK(truth(node(ExprKind::Implies, t(), t())));
  CHECK_FALSE(truth(node(ExprKind::Implies, t(), f())));
  CHECK(truth(node(ExprKind::Iff, f(), f())));
  CHECK_FALSE(truth(node(ExprKind::Iff, t(), f())));
}

TEST_CASE_METHOD(Fixture, "quantifiers range over existing entities of the kind", "[evaluator]") {
  // forall p: Partner | p.role == indirect_reseller  (Partner2 is a provider)
  auto is_reseller = [] {
    return node(ExprKind::Eq, attr(var(0, "p"), kPartner, kRole_, "role"), enum_lit(kRole, 1, "indirect_reseller"));
  };
  CHECK_FALSE(truth(quant(ExprKind::Forall, {binding("p", "Partner", kPartner, 0)}, is_reseller())));
  CHECK(truth(quant(ExprKind::Exists, {binding("p", "Partner", kPartner, 0)}, is_reseller())));
  // exists a, b: Partner | partnership(a, b): only (Partner2, Partner1)
  auto pair = [] {
    return quant(ExprKind::Exists, {binding("a", "Partner", kPartner, 0), binding("b", "Partner", kPartner, 1)},
                 call(ExprKind::RelationCall, 0, "partnership", var(1, "b"), var(0, "a")));
  };
  CHECK(truth(pair()));
  instance.relations[0].clear();
  CHECK_FALSE(truth(pair()));
}

TEST_CASE_METHOD(Fixture, "quantifiers over a kind with no entities", "[evaluator]") {
  instance.entities.pop_back();  // no Sale left
  CHECK(truth(quant(ExprKind::Forall, {binding("s", "Sale", kSale, 0)}, bool_lit(false))));
  CHECK_FALSE(truth(quant(ExprKind::Exists, {binding("s", "Sale", kSale, 0)}, bool_lit(true))));
}

TEST_CASE_METHOD(Fixture, "relation membership, false with a none argument", "[evaluator]") {
  slots[0] = partner(0);
  slots[1] = partner(1);
  CHECK(truth(call(ExprKind::RelationCall, 0, "partnership", var(1, "a"), var(0, "b"))));
  CHECK_FALSE(truth(call(ExprKind::RelationCall, 0, "partnership", var(0, "b"), var(1, "a"))));
  instance.relations[0].insert({partner(1), Value::none()});  // even a stored none never matches
  CHECK_FALSE(truth(call(ExprKind::RelationCall, 0, "partnership", var(1, "a"),
                        attr(var(0, "b"), kPartner, kParent, "parent"))));
}

TEST_CASE_METHOD(Fixture, "table membership and lookup, none for a missing key", "[evaluator]") {
  CHECK(truth(call(ExprKind::TableCall, 0, "region_of", enum_lit(kCountry, 0, "FR"), enum_lit(kRegion, 0, "europe"))));
  CHECK_FALSE(truth(call(ExprKind::TableCall, 0, "region_of", enum_lit(kCountry, 0, "FR"),
                        enum_lit(kRegion, 1, "americas"))));
  CHECK_FALSE(truth(call(ExprKind::TableCall, 0, "region_of", none_lit(), enum_lit(kRegion, 0, "europe"))));
  auto lookup = [](ExprPtr key) {
    auto e = call(ExprKind::TableCall, 0, "region_of", std::move(key));
    e->table_lookup = true;
    return e;
  };
  CHECK(eval(lookup(enum_lit(kCountry, 1, "US"))) == Value::enum_value(kRegion, 1));
  CHECK(eval(lookup(enum_lit(kCountry, 2, "IN"))) == Value::none());
  CHECK(eval(lookup(none_lit())) == Value::none());
}

TEST_CASE_METHOD(Fixture, "defines evaluate their body with the arguments bound", "[evaluator]") {
  slots[2] = partner(0);
  slots[3] = partner(1);
  CHECK_FALSE(truth(call(ExprKind::DefineCall, 0, "signed", var(2, "x"))));
  CHECK(truth(call(ExprKind::DefineCall, 0, "signed", var(3, "y"))));
  CHECK(truth(call(ExprKind::DefineCall, 1, "parent_of", var(3, "y"), var(2, "x"))));
  CHECK_FALSE(truth(call(ExprKind::DefineCall, 1, "parent_of", var(2, "x"), var(3, "y"))));
  CHECK(slots[2] == partner(0));  // the caller's slots are untouched
}

TEST_CASE_METHOD(Fixture, "transitive closure follows chains and cycles", "[evaluator]") {
  instance.entities.push_back({"Partner3", kPartner, {Value::enum_value(kRole, 1), Value::none(), Value::none()}});
  // Partner2 -> Partner1 -> Partner3 (index 4)
  instance.relations[0].insert({partner(0), partner(4)});
  auto reaches = [&](int from, int to, bool reflexive) {
    slots[0] = partner(from);
    slots[1] = partner(to);
    return truth(closure(0, "partnership", reflexive, false, var(0, "a"), var(1, "b")));
  };
  CHECK(reaches(1, 4, false));
  CHECK(reaches(1, 0, false));
  CHECK_FALSE(reaches(4, 1, false));
  CHECK_FALSE(reaches(1, 1, false));  // no cycle through Partner2 yet
  CHECK(reaches(1, 1, true));
  instance.relations[0].insert({partner(4), partner(1)});  // close the cycle
  CHECK(reaches(1, 1, false));
  CHECK(reaches(4, 0, false));
}

TEST_CASE_METHOD(Fixture, "closure is false with a none argument, even reflexive", "[evaluator]") {
  CHECK_FALSE(truth(closure(0, "partnership", true, false, none_lit(), none_lit())));
  slots[0] = partner(1);
  CHECK_FALSE(truth(closure(0, "partnership", false, false, var(0, "a"), none_lit())));
}

TEST_CASE_METHOD(Fixture, "closure over a define and over an enum relation", "[evaluator]") {
  // Partner2's parent is Partner1: ^parent_of(Partner2, Partner1), not the reverse
  slots[0] = partner(1);
  slots[1] = partner(0);
  CHECK(truth(closure(1, "parent_of", false, true, var(0, "a"), var(1, "b"))));
  CHECK_FALSE(truth(closure(1, "parent_of", false, true, var(1, "b"), var(0, "a"))));
  CHECK(truth(closure(1, "parent_of", true, true, var(1, "b"), var(1, "b"))));
  // route: FR -> US -> IN
  instance.relations[1].insert({Value::enum_value(kCountry, 0), Value::enum_value(kCountry, 1)});
  instance.relations[1].insert({Value::enum_value(kCountry, 1), Value::enum_value(kCountry, 2)});
  CHECK(truth(closure(1, "route", false, false, enum_lit(kCountry, 0, "FR"), enum_lit(kCountry, 2, "IN"))));
  CHECK_FALSE(truth(closure(1, "route", false, false, enum_lit(kCountry, 2, "IN"), enum_lit(kCountry, 0, "FR"))));
}

TEST_CASE_METHOD(Fixture, "holds and violated_rules report rules in rule order", "[evaluator]") {
  model.rules.push_back(formula("always", bool_lit(true)));
  model.rules.push_back(formula("mpa_before_sale",
                                quant(ExprKind::Forall, {binding("s", "Sale", kSale, 0)}, mpa_before_sale_body()), 1));
  model.rules.push_back(formula("never", bool_lit(false)));
  Evaluator evaluator(model, instance);
  CHECK(evaluator.holds(model.rules[0]));
  CHECK_FALSE(evaluator.holds(model.rules[1]));
  CHECK(evaluator.violated_rules() == std::vector<int>{1, 2});
  instance.entities[0].attributes[kMpa] = Value::date(days(2021, 3, 1));  // signed on the day of the sale
  CHECK(Evaluator(model, instance).violated_rules() == std::vector<int>{2});
}

TEST_CASE_METHOD(Fixture, "well_formed accepts a well-typed instance", "[evaluator]") {
  std::string why = "unchanged";
  CHECK(Evaluator(model, instance).well_formed(&why));
  CHECK(why.empty());
  CHECK(Evaluator(model, instance).well_formed());
}

TEST_CASE_METHOD(Fixture, "well_formed reports the first shape problem", "[evaluator]") {
  std::string why;
  auto broken = [&] { return !Evaluator(model, instance).well_formed(&why); };
  SECTION("a reference to a missing entity") {
    instance.entities[3].attributes[kSeller] = partner(9);
    CHECK(broken());
    CHECK(why == "attribute `Sale1.seller` points at entity #9, which does not exist");
  }
  SECTION("a reference to an entity of another kind") {
    instance.entities[3].attributes[kSeller] = partner(2);
    CHECK(broken());
    CHECK(why == "attribute `Sale1.seller` points at `Customer1`, which is not a `Partner`");
  }
  SECTION("none in a non-optional attribute") {
    instance.entities[3].attributes[kDate] = Value::none();
    CHECK(broken());
    CHECK(why == "attribute `Sale1.date` is none but has type `Date`");
  }
  SECTION("a value of the wrong type") {
    instance.entities[3].attributes[kDate] = Value::integer(3);
    CHECK(broken());
    CHECK(why == "attribute `Sale1.date` is not a `Date` value");
  }
  SECTION("an enum ordinal out of range") {
    instance.entities[2].attributes[kCountry_] = Value::enum_value(kCountry, 3);
    CHECK(broken());
    CHECK(why == "attribute `Customer1.country` has ordinal 3, out of range for `Country`");
  }
  SECTION("a missing attribute value") {
    instance.entities[2].attributes.clear();
    CHECK(broken());
    CHECK(why == "entity `Customer1` has 0 attribute values, expected 1");
  }
  SECTION("a tuple of the wrong arity") {
    instance.relations[0].insert({partner(0)});
    CHECK(broken());
    CHECK(why == "a tuple of `partnership` has 1 members, expected 2");
  }
  SECTION("a tuple member of the wrong kind") {
    instance.relations[0].insert({partner(0), Value::entity(kCustomer, 2)});
    CHECK(broken());
    CHECK(why == "argument `reseller` of a `partnership` tuple is not a `Partner` value");
  }
  SECTION("a tuple with none") {
    instance.relations[0].insert({partner(0), Value::none()});
    CHECK(broken());
    CHECK(why == "argument `reseller` of a `partnership` tuple is none but has type `Partner`");
  }
}

TEST_CASE_METHOD(Fixture, "explain_failure names the binding and the failing comparison", "[evaluator]") {
  auto rule = formula("mpa_before_sale",
                      quant(ExprKind::Forall, {binding("s", "Sale", kSale, 0)}, mpa_before_sale_body()), 1);
  CHECK(Evaluator(model, instance).explain_failure(rule) ==
        std::vector<std::string>{"for s = Sale1:", "  s.seller.mpa_signed <= s.date is false: not signed <= 2021-03-01"});
  instance.entities[0].attributes[kMpa] = Value::date(days(2021, 3, 1));
  CHECK(Evaluator(model, instance).explain_failure(rule).empty());
}

TEST_CASE_METHOD(Fixture, "explain_failure walks implications, conjunctions and exists", "[evaluator]") {
  // forall p: Partner | p.role == indirect_provider implies
  //   (p.parent == none and exists s: Sale | s.seller == p)
  auto body = node(ExprKind::Implies,
                   node(ExprKind::Eq, attr(var(0, "p"), kPartner, kRole_, "role"), enum_lit(kRole, 0, "indirect_provider")),
                   node(ExprKind::And, node(ExprKind::Eq, attr(var(0, "p"), kPartner, kParent, "parent"), none_lit()),
                        quant(ExprKind::Exists, {binding("s", "Sale", kSale, 1)},
                              node(ExprKind::Eq, attr(var(1, "s"), kSale, kSeller, "seller"), var(0, "p")))));
  auto rule = formula("providers", quant(ExprKind::Forall, {binding("p", "Partner", kPartner, 0)}, std::move(body)));
  CHECK(Evaluator(model, instance).explain_failure(rule) ==
        std::vector<std::string>{"for p = Partner2:", "  p.role == indirect_provider holds",
                                 "  p.parent == none is false: Partner1 == none"});
  instance.entities[1].attributes[kParent] = Value::none();
  CHECK(Evaluator(model, instance).explain_failure(rule) ==
        std::vector<std::string>{"for p = Partner2:", "  p.role == indirect_provider holds",
                                 "  no s: Sale satisfies s.seller == p"});
}

TEST_CASE_METHOD(Fixture, "explain_failure shows calls, disjunctions, negations and defines", "[evaluator]") {
  auto forall_pair = [](ExprPtr body) {
    return formula("r", quant(ExprKind::Forall, {binding("a", "Partner", kPartner, 0), binding("b", "Partner", kPartner, 1)},
                              std::move(body)));
  };
  Evaluator evaluator(model, instance);
  auto related = forall_pair(call(ExprKind::RelationCall, 0, "partnership", var(0, "a"), var(1, "b")));
  CHECK(evaluator.explain_failure(related) ==
        std::vector<std::string>{"for a = Partner1, b = Partner1:",
                                 "  partnership(a, b) is false: partnership(Partner1, Partner1)"});
  auto either = forall_pair(node(ExprKind::Or, node(ExprKind::Eq, var(0, "a"), var(1, "b")),
                                 call(ExprKind::RelationCall, 0, "partnership", var(0, "a"), var(1, "b"))));
  CHECK(evaluator.explain_failure(either) ==
        std::vector<std::string>{"for a = Partner1, b = Partner2:",
                                 "  a == b or partnership(a, b) is false:",
                                 "    a == b is false: Partner1 == Partner2",
                                 "    partnership(a, b) is false: partnership(Partner1, Partner2)"});
  auto never = forall_pair(node(ExprKind::Not, call(ExprKind::RelationCall, 0, "partnership", var(0, "a"), var(1, "b"))));
  CHECK(evaluator.explain_failure(never) ==
        std::vector<std::string>{"for a = Partner2, b = Partner1:",
                                 "  not partnership(a, b) is false: partnership(Partner2, Partner1) holds"});
  auto all_signed = formula("s", quant(ExprKind::Forall, {binding("x", "Partner", kPartner, 0)},
                                       call(ExprKind::DefineCall, 0, "signed", var(0, "x"))), 1);
  CHECK(evaluator.explain_failure(all_signed) ==
        std::vector<std::string>{"for x = Partner1:", "  signed(x) is false with p = Partner1:",
                                 "    p.mpa_signed != none is false: none != none"});
  auto none_signed = formula("n", quant(ExprKind::Forall, {binding("x", "Partner", kPartner, 0)},
                                        node(ExprKind::Not, call(ExprKind::DefineCall, 0, "signed", var(0, "x")))), 1);
  CHECK(evaluator.explain_failure(none_signed) ==
        std::vector<std::string>{"for x = Partner2:", "  not signed(x) is false: signed(Partner2) holds"});
}

// ------------------------------------------------ through the front end

namespace {

const char* kSalesSpec = R"(
enum Role { indirect_provider, indirect_reseller, direct_bill }
enum Country { FR, US, IN }
enum Market { US, EMEA }
enum Region { europe, americas }
entity Partner { role: Role, mpa_signed: Date? }
entity Customer { country: Country }
entity Sale { seller: Partner, customer: Customer, date: Date }
relation partnership(provider: Partner, reseller: Partner)
table region_of(country: Country, region: Region) { (FR, europe), (Country.US, americas) }
define signed(p: Partner) = p.mpa_signed != none
)";

// The checked body of `rule r { <formula> }` printed back.
std::string round_trip(const std::string& formula) {
  auto checked = csp::test::check_text(std::string(kSalesSpec) + "rule r {\n  " + formula + "\n}\n");
  if (!checked.model) return checked.diagnostics();
  return to_string(*checked.model, *checked.model->rules.at(0).body);
}

}  // namespace

TEST_CASE("to_string reads back as the formula it was parsed from", "[evaluator]") {
  for (std::string formula : {
           "forall s: Sale | s.seller.mpa_signed <= s.date",
           "forall p, r: Partner | partnership(p, r) implies p != r",
           "forall a, b: Partner, s: Sale | ^partnership(a, b) and *partnership(b, a) implies s.seller == a",
           "forall c: Customer | region_of(c.country) == europe",
           "forall c: Customer | c.country in {FR, Country.US}",
           "forall s: Sale | (s.date < 2021-01-01 or s.date > 2022-01-01) and signed(s.seller)",
           "forall s: Sale | s.date < 2021-01-01 or s.date > 2022-01-01 and signed(s.seller)",
           "forall s: Sale | s.date + 30 < 2021-04-01 - 1",
           "forall s: Sale | s.date - (s.date - 1) == 1",
           "forall p: Partner | p.mpa_signed == none iff not signed(p)",
           "forall p: Partner | p.role == indirect_reseller implies p.role != direct_bill implies signed(p)",
           "forall p: Partner | (p.role == indirect_reseller implies p.role != direct_bill) implies signed(p)",
           "forall p: Partner | not (signed(p) and p.role == direct_bill)",
           "(exists s: Sale | signed(s.seller)) implies (forall c: Customer | c.country != IN)",
           "forall p: Partner | true and (false or p.mpa_signed >= 2020-02-29)",
           "forall p: Partner | signed(p) and p.role != direct_bill and (p.role == indirect_provider and true)",
       }) {
    CHECK(round_trip(formula) == formula);
  }
}

TEST_CASE("to_string prints `not in` sets after the operand", "[evaluator]") {
  CHECK(round_trip("forall c: Customer | c.country not in {IN}") == "forall c: Customer | c.country not in {IN}");
}

TEST_CASE("explain_failure on a checked rule and a hand-built instance", "[evaluator]") {
  auto checked = csp::test::check_text(std::string(kSalesSpec) + R"(
rule mpa_before_sale "a partner transacts only after signing the MPA" source "CSP-R04" {
  forall s: Sale | s.seller.mpa_signed <= s.date
}
rule eu_customers {
  forall c: Customer | region_of(c.country) == europe iff c.country != Country.US
}
)");
  REQUIRE(checked.model);
  const Model& m = *checked.model;
  Instance i;
  i.entities = {
      {"Partner1", m.find_kind("Partner"), {Value::enum_value(m.find_enum("Role"), 1), Value::none()}},
      {"Customer1", m.find_kind("Customer"), {Value::enum_value(m.find_enum("Country"), 2)}},
      {"Sale1", m.find_kind("Sale"), {partner(0), Value::entity(m.find_kind("Customer"), 1),
                                      Value::date(days(2021, 3, 1))}},
  };
  i.relations.resize(m.relations.size());
  Evaluator evaluator(m, i);
  REQUIRE(evaluator.well_formed());
  CHECK(evaluator.violated_rules() == std::vector<int>{0, 1});
  CHECK(evaluator.explain_failure(m.rules[0]) ==
        std::vector<std::string>{"for s = Sale1:", "  s.seller.mpa_signed <= s.date is false: not signed <= 2021-03-01"});
  CHECK(evaluator.explain_failure(m.rules[1]) ==
        std::vector<std::string>{"for c = Customer1:",
                                 "  region_of(c.country) == europe iff c.country != Country.US is false: "
                                 "region_of(c.country) == europe does not hold but c.country != Country.US does"});
}

TEST_CASE("to_string qualifies an enum value that two enums share", "[evaluator]") {
  Model m = make_model();
  m.enums.push_back({"Market", {}, {"US", "EU"}, {}, {}});
  CHECK(to_string(m, *enum_lit(kCountry, 1, "US")) == "Country.US");
  CHECK(to_string(m, *enum_lit(kCountry, 0, "FR")) == "FR");
}
