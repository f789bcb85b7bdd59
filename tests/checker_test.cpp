// The type checker: how names resolve (slots, enum ordinals, attribute ids,
// table lookups), the exact diagnostics it renders, scenarios and scope lines.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "model/frontend.h"
#include "tests/support/fixture.h"

using namespace csp::model;
using csp::test::check_text;

namespace {

const FormulaDecl& rule_named(const Model& model, const std::string& name) {
  int id = model.find_rule(name);
  REQUIRE(id >= 0);
  return model.rules[id];
}

// The formula under a chain of quantifiers.
const Expr& under_quantifiers(const Expr& expr) {
  const Expr* e = &expr;
  while (e->kind == ExprKind::Forall || e->kind == ExprKind::Exists) e = e->args[0].get();
  return *e;
}

Type optional(Type type) {
  type.optional = true;
  return type;
}

const char* const kPartners = R"(enum Role { provider, reseller }
enum Country { FR, DE, US }
entity Partner { role: Role, country: Country, boss: Partner?, signed: Date? }
entity Customer { country: Country }
relation partnership(a: Partner, b: Partner)
relation sells_to(p: Partner, c: Customer)
)";

}  // namespace

// ------------------------------------------------------------- resolution

TEST_CASE("names resolve to variables, enum values and attributes", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(
rule r { forall p: Partner | exists q: Partner | partnership(p, q) and q.boss.role == Role.reseller and p.role == provider }
)");
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const Model& model = *checked.model;
  const FormulaDecl& r = rule_named(model, "r");
  CHECK(r.slot_count == 2);
  CHECK(r.body->bindings[0].slot == 0);
  CHECK(r.body->bindings[0].kind.type == Type{TypeKind::Entity, 0});
  CHECK(r.body->args[0]->bindings[0].slot == 1);

  const Expr& conj = under_quantifiers(*r.body);
  REQUIRE(conj.kind == ExprKind::And);
  REQUIRE(conj.args.size() == 3);

  const Expr& call = *conj.args[0];
  CHECK(call.kind == ExprKind::RelationCall);
  CHECK(call.id == 0);
  CHECK(call.type == Type{TypeKind::Bool});
  CHECK(call.args[0]->kind == ExprKind::Var);
  CHECK(call.args[0]->id == 0);
  CHECK(call.args[1]->id == 1);
  CHECK(call.args[1]->type == Type{TypeKind::Entity, 0});

  // q.boss.role: navigation through an optional reference is optional.
  const Expr& role = *conj.args[1]->args[0];
  CHECK(role.kind == ExprKind::Attr);
  CHECK(role.id == 0);
  CHECK(role.kind_id == 0);
  CHECK(role.type == optional(Type{TypeKind::Enum, 0}));
  const Expr& boss = *role.args[0];
  CHECK(boss.kind == ExprKind::Attr);
  CHECK(boss.id == 2);
  CHECK(boss.type == optional(Type{TypeKind::Entity, 0}));

  const Expr& qualified = *conj.args[1]->args[1];
  CHECK(qualified.kind == ExprKind::EnumValue);
  CHECK(qualified.id == 0);
  CHECK(qualified.value == 1);
  CHECK(qualified.args.empty());

  const Expr& bare = *conj.args[2]->args[1];
  CHECK(bare.kind == ExprKind::EnumValue);
  CHECK(bare.value == 0);
  CHECK(conj.args[2]->args[0]->type == Type{TypeKind::Enum, 0});
}

TEST_CASE("slots are unique within a declaration and the innermost binding wins", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(
define related(a: Partner, b: Partner) =
  (forall x: Partner | partnership(a, x)) and (exists y: Partner | partnership(y, b))
rule shadow { forall p: Partner | forall p: Customer | sells_to(p.country == p.country, p) }
rule inner { forall p: Partner | forall p: Customer | p.country == FR }
)");
  REQUIRE_FALSE(checked.model);  // `shadow` passes a Bool where a Partner belongs
  CHECK(checked.diagnostics().find("argument 1 of `sells_to` must be `Partner`, got `Bool`") !=
        std::string::npos);

  auto ok = check_text(std::string(kPartners) + R"(
define related(a: Partner, b: Partner) =
  (forall x: Partner | partnership(a, x)) and (exists y: Partner | partnership(y, b))
rule inner { forall p: Partner | forall p: Customer | p.country == FR }
rule use { forall p, q: Partner | related(p, q) }
)");
  INFO(ok.diagnostics());
  REQUIRE(ok.model);
  const DefineDecl& define = ok.model->defines[0];
  CHECK(define.slot_count == 4);
  const Expr& body = *define.body;
  REQUIRE(body.kind == ExprKind::And);
  CHECK(body.args[0]->bindings[0].slot == 2);
  CHECK(body.args[1]->bindings[0].slot == 3);
  const Expr& first_call = *body.args[0]->args[0];
  CHECK(first_call.args[0]->id == 0);  // parameter `a`
  CHECK(first_call.args[1]->id == 2);  // binding `x`
  CHECK(body.args[1]->args[0]->args[1]->id == 1);  // parameter `b`

  const FormulaDecl& inner = rule_named(*ok.model, "inner");
  CHECK(inner.slot_count == 2);
  const Expr& attr = *under_quantifiers(*inner.body).args[0];
  CHECK(attr.kind_id == 1);       // Customer's country, not Partner's
  CHECK(attr.args[0]->id == 1);   // the inner `p`

  const Expr& use = under_quantifiers(*rule_named(*ok.model, "use").body);
  CHECK(use.kind == ExprKind::DefineCall);
  CHECK(use.id == 0);
  CHECK(use.type == Type{TypeKind::Bool});
}

TEST_CASE("functional tables may be looked up; the result is optional", "[checker]") {
  auto checked = check_text(R"(enum Country { FR, DE, US }
enum Region { europe, americas }
entity Customer { country: Country }
table region_of(country: Country, region: Region) { (FR, europe), (DE, europe), (US, americas), (US, americas) }
table served(country: Country, region: Region) { (FR, europe), (FR, americas) }
table caps(region: Region, year: Int, cap: Int) { (europe, 2020, 5), (europe, 2021, 7) }
rule r { forall c: Customer | region_of(c.country) == europe and served(c.country, Region.americas) and caps(europe, 2021) > 3 }
)");
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const Model& model = *checked.model;
  CHECK(model.tables[0].functional);  // a repeated identical row still determines the region
  CHECK_FALSE(model.tables[1].functional);
  CHECK(model.tables[2].functional);

  const Expr& cell = *model.tables[0].rows[2].cells[1];
  CHECK(cell.kind == ExprKind::EnumValue);
  CHECK(cell.id == 1);
  CHECK(cell.value == 1);
  CHECK(model.tables[2].rows[1].cells[2]->type == Type{TypeKind::Int});

  const Expr& conj = under_quantifiers(*rule_named(model, "r").body);
  const Expr& lookup = *conj.args[0]->args[0];
  CHECK(lookup.kind == ExprKind::TableCall);
  CHECK(lookup.table_lookup);
  CHECK(lookup.id == 0);
  CHECK(lookup.type == optional(Type{TypeKind::Enum, 1}));
  CHECK(conj.args[1]->kind == ExprKind::TableCall);
  CHECK_FALSE(conj.args[1]->table_lookup);
  CHECK(conj.args[1]->type == Type{TypeKind::Bool});
  CHECK(conj.args[2]->args[0]->type == optional(Type{TypeKind::Int}));
}

TEST_CASE("closures, none and date arithmetic are typed", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(
define manages(a: Partner, b: Partner) = a.boss == b
rule r { forall p, q: Partner | ^partnership(p, q) implies *manages(p, q) }
rule s { forall p: Partner | p.signed != none and p.signed + 30 <= 2021-01-01 and p.signed - 2020-01-01 > 3 }
)");
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const Model& model = *checked.model;
  const Expr& implies = under_quantifiers(*rule_named(model, "r").body);
  const Expr& relation_closure = *implies.args[0];
  CHECK(relation_closure.kind == ExprKind::Closure);
  CHECK(relation_closure.id == 0);
  CHECK_FALSE(relation_closure.closure_of_define);
  CHECK_FALSE(relation_closure.reflexive);
  const Expr& define_closure = *implies.args[1];
  CHECK(define_closure.id == 0);
  CHECK(define_closure.closure_of_define);
  CHECK(define_closure.reflexive);
  CHECK(define_closure.type == Type{TypeKind::Bool});

  const Expr& conj = under_quantifiers(*rule_named(model, "s").body);
  CHECK(conj.args[0]->args[1]->kind == ExprKind::NoneLit);
  CHECK(conj.args[0]->args[1]->type == optional(Type{TypeKind::Date}));
  CHECK(conj.args[1]->args[0]->type == optional(Type{TypeKind::Date}));  // Date? + Int
  CHECK(conj.args[2]->args[0]->type == optional(Type{TypeKind::Int}));   // Date? - Date
}

TEST_CASE("files merge in load order and duplicates point at the first", "[checker]") {
  SourceManager sources;
  DiagnosticSink sink;
  int a = sources.add("a.cspv", "enum Role { provider }\nentity Partner { role: Role }\n");
  int b = sources.add("b.cspv", "entity Customer { owner: Partner }\nenum Partner { x }\n");
  std::vector<SpecFile> files;
  files.push_back(parse(sources, a, sink));
  files.push_back(parse(sources, b, sink));
  REQUIRE_FALSE(sink.has_errors());
  CHECK_FALSE(check(std::move(files), sources, sink));
  CHECK(render_all(sink, sources) ==
        "b.cspv:2:6: error: duplicate declaration of `Partner`\n"
        "enum Partner { x }\n"
        "     ^~~~~~~\n"
        "a.cspv:2:8: note: previous declaration is here\n"
        "entity Partner { role: Role }\n"
        "       ^~~~~~~\n"
        "1 error generated\n");
}

TEST_CASE("a later file may use what an earlier one declares", "[checker]") {
  SourceManager sources;
  DiagnosticSink sink;
  int a = sources.add("a.cspv", "enum Role { provider }\nentity Partner { role: Role }\nscope 2\n");
  int b = sources.add("b.cspv", "entity Customer { owner: Partner }\nenum Tier { gold }\nscope Customer 4\n");
  std::vector<SpecFile> files;
  files.push_back(parse(sources, a, sink));
  files.push_back(parse(sources, b, sink));
  auto model = check(std::move(files), sources, sink);
  INFO(render_all(sink, sources));
  REQUIRE(model);
  REQUIRE(model->kinds.size() == 2);
  CHECK(model->kinds[0].name == "Partner");
  CHECK(model->kinds[1].name == "Customer");
  CHECK(model->enums[1].name == "Tier");
  CHECK(model->kinds[1].attributes[0].type.type == Type{TypeKind::Entity, 0});
  CHECK(model->default_scope == 2);
  CHECK(model->kind_scope == std::map<int, int>{{1, 4}});
}

// ------------------------------------------------------------ diagnostics

TEST_CASE("an unknown attribute is underlined and a near name suggested", "[checker]") {
  auto checked = check_text(R"(entity Partner { region: Int }
rule r { forall p: Partner | p.regoin > 1 }
)");
  CHECK_FALSE(checked.model);
  CHECK(checked.diagnostics() ==
        "test.cspv:2:32: error: entity `Partner` has no attribute `regoin`\n"
        "rule r { forall p: Partner | p.regoin > 1 }\n"
        "                               ^~~~~~\n"
        "  = help: did you mean `region`?\n"
        "1 error generated\n");
}

TEST_CASE("unknown types are reported with a suggestion", "[checker]") {
  auto checked = check_text(R"(entity Partner { x: Int }
entity Customer { owner: Partnr, since: Daet, tier: Gold }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:2:26: error: unknown type `Partnr`\n"
        "entity Customer { owner: Partnr, since: Daet, tier: Gold }\n"
        "                         ^~~~~~\n"
        "  = help: did you mean `Partner`?\n"
        "test.cspv:2:41: error: unknown type `Daet`\n"
        "entity Customer { owner: Partnr, since: Daet, tier: Gold }\n"
        "                                        ^~~~\n"
        "  = help: did you mean `Date`?\n"
        "test.cspv:2:53: error: unknown type `Gold`\n"
        "entity Customer { owner: Partnr, since: Daet, tier: Gold }\n"
        "                                                    ^~~~\n"
        "3 errors generated\n");
}

TEST_CASE("duplicates in every namespace are reported at the second", "[checker]") {
  auto checked = check_text(R"(enum Role { a, b, a }
entity Partner { role: Role, role: Int }
relation knows(p: Partner, q: Partner)
define knows(p: Partner) = true
rule knows { forall p: Partner | knows(p) }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:1:19: error: duplicate value `a` in enum `Role`\n"
        "enum Role { a, b, a }\n"
        "                  ^\n"
        "test.cspv:1:13: note: previous declaration is here\n"
        "enum Role { a, b, a }\n"
        "            ^\n"
        "test.cspv:2:30: error: duplicate attribute `role` in entity `Partner`\n"
        "entity Partner { role: Role, role: Int }\n"
        "                             ^~~~\n"
        "test.cspv:2:18: note: previous declaration is here\n"
        "entity Partner { role: Role, role: Int }\n"
        "                 ^~~~\n"
        "test.cspv:4:8: error: duplicate declaration of `knows`\n"
        "define knows(p: Partner) = true\n"
        "       ^~~~~\n"
        "test.cspv:3:10: note: previous declaration is here\n"
        "relation knows(p: Partner, q: Partner)\n"
        "         ^~~~~\n"
        "test.cspv:5:34: error: relation `knows` takes 2 arguments, got 1\n"
        "rule knows { forall p: Partner | knows(p) }\n"
        "                                 ^~~~~~~~\n"
        "4 errors generated\n");
}

TEST_CASE("a value two enums share must be qualified", "[checker]") {
  auto checked = check_text(R"(enum Country { FR, DE }
enum Language { FR, EN }
entity Customer { country: Country }
rule r { forall c: Customer | c.country == FR }
rule s { forall c: Customer | c.country == Country.FR }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:4:44: error: ambiguous value `FR`: qualify it as `Country.FR` or `Language.FR`\n"
        "rule r { forall c: Customer | c.country == FR }\n"
        "                                           ^~\n"
        "1 error generated\n");
}

TEST_CASE("relation calls check arity and argument types", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(rule r { forall p: Partner, c: Customer | partnership(p, c, c) or partnership(p, c) or partnrship(p, p) }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:6:10: warning: relation `sells_to` is never used\n"
        "relation sells_to(p: Partner, c: Customer)\n"
        "         ^~~~~~~~\n"
        "test.cspv:7:43: error: relation `partnership` takes 2 arguments, got 3\n"
        "rule r { forall p: Partner, c: Customer | partnership(p, c, c) or partnership(p, c) or partnrship(p, p) }\n"
        "                                          ^~~~~~~~~~~~~~~~~~~~\n"
        "test.cspv:7:82: error: argument 2 of `partnership` must be `Partner`, got `Customer`\n"
        "rule r { forall p: Partner, c: Customer | partnership(p, c, c) or partnership(p, c) or partnrship(p, p) }\n"
        "                                                                                 ^\n"
        "test.cspv:7:88: error: unknown relation `partnrship`\n"
        "rule r { forall p: Partner, c: Customer | partnership(p, c, c) or partnership(p, c) or partnrship(p, p) }\n"
        "                                                                                       ^~~~~~~~~~\n"
        "  = help: did you mean `partnership`?\n"
        "3 errors generated\n");
}

TEST_CASE("comparisons need compatible types and `none` needs an optional side", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(rule r { forall p: Partner | p.role != none and p.signed == 3 and p.boss != none }
rule s { forall p: Partner | p.role < p.role or p.signed + p.signed > 2020-01-01 }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:5:10: warning: relation `partnership` is never used\n"
        "relation partnership(a: Partner, b: Partner)\n"
        "         ^~~~~~~~~~~\n"
        "test.cspv:6:10: warning: relation `sells_to` is never used\n"
        "relation sells_to(p: Partner, c: Customer)\n"
        "         ^~~~~~~~\n"
        "test.cspv:7:30: error: `p.role` is never `none`: its type `Role` is not optional\n"
        "rule r { forall p: Partner | p.role != none and p.signed == 3 and p.boss != none }\n"
        "                             ^~~~~~~~~~~~~~\n"
        "test.cspv:7:49: error: cannot compare `Date?` with `Int`\n"
        "rule r { forall p: Partner | p.role != none and p.signed == 3 and p.boss != none }\n"
        "                                                ^~~~~~~~~~~~~\n"
        "test.cspv:8:30: error: operator `<` needs `Int` or `Date` operands, got `Role`\n"
        "rule s { forall p: Partner | p.role < p.role or p.signed + p.signed > 2020-01-01 }\n"
        "                             ^~~~~~~~~~~~~~~\n"
        "test.cspv:8:49: error: operator `+` cannot be applied to `Date?` and `Date?`\n"
        "rule s { forall p: Partner | p.role < p.role or p.signed + p.signed > 2020-01-01 }\n"
        "                                                ^~~~~~~~~~~~~~~~~~~\n"
        "4 errors generated\n");
}

TEST_CASE("logic needs Bool operands and bodies must be Bool", "[checker]") {
  auto checked = check_text(R"(entity Partner { n: Int, flag: Bool?, boss: Partner? }
rule r { forall p: Partner | p.n and not p.flag }
rule s { forall p: Partner | p.n + 1 }
property q { 42 }
define d(p: Partner) = p.n
rule t { forall x: Int | true }
rule u { forall p: Partner | p.n.size > 0 }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:2:30: error: operator `and` needs `Bool` operands, got `Int`\n"
        "rule r { forall p: Partner | p.n and not p.flag }\n"
        "                             ^~~\n"
        "test.cspv:2:42: error: operator `not` needs a `Bool` operand, got `Bool?`\n"
        "rule r { forall p: Partner | p.n and not p.flag }\n"
        "                                         ^~~~~~\n"
        "  = help: `p.flag` may be `none`: compare it with `true`\n"
        "test.cspv:3:30: error: quantifier body must be `Bool`, got `Int`\n"
        "rule s { forall p: Partner | p.n + 1 }\n"
        "                             ^~~~~~~\n"
        "test.cspv:4:14: error: property body must be `Bool`, got `Int`\n"
        "property q { 42 }\n"
        "             ^~\n"
        "test.cspv:5:24: error: define body must be `Bool`, got `Int`\n"
        "define d(p: Partner) = p.n\n"
        "                       ^~~\n"
        "test.cspv:6:20: error: `Int` is not an entity kind: quantifiers range over entities\n"
        "rule t { forall x: Int | true }\n"
        "                   ^~~\n"
        "test.cspv:7:30: error: `p.n` has type `Int`, which has no attributes\n"
        "rule u { forall p: Partner | p.n.size > 0 }\n"
        "                             ^~~~~~~~\n"
        "7 errors generated\n");
}

TEST_CASE("unknown names suggest variables in scope and enum values", "[checker]") {
  auto checked = check_text(R"(enum Role { reseller, provider }
entity Partner { role: Role }
rule r { forall partner: Partner | partnr.role == resseller }
rule s { forall p: Partner | p.role == Role.resseler }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:3:36: error: unknown name `partnr`\n"
        "rule r { forall partner: Partner | partnr.role == resseller }\n"
        "                                   ^~~~~~\n"
        "  = help: did you mean `partner`?\n"
        "test.cspv:3:51: error: unknown name `resseller`\n"
        "rule r { forall partner: Partner | partnr.role == resseller }\n"
        "                                                  ^~~~~~~~~\n"
        "  = help: did you mean `reseller`?\n"
        "test.cspv:4:45: error: enum `Role` has no value `resseler`\n"
        "rule s { forall p: Partner | p.role == Role.resseler }\n"
        "                                            ^~~~~~~~\n"
        "  = help: did you mean `reseller`?\n"
        "3 errors generated\n");
}

TEST_CASE("one mistake is one message: errors do not cascade", "[checker]") {
  auto checked = check_text(R"(entity Sale { date: Date, amount: Int }
rule r { forall s: Sale | s.dat + 1 <= s.date and not (s.amont > 3) and s.amount > 0 }
rule t { forall s: Sale | s.amount > 0 and s.date > 2020-01-01 }
)");
  CHECK(checked.sink.error_count() == 2);
  CHECK(checked.diagnostics().find("no attribute `dat`") != std::string::npos);
  CHECK(checked.diagnostics().find("no attribute `amont`") != std::string::npos);
  CHECK(checked.diagnostics().find("2 errors generated") != std::string::npos);
}

TEST_CASE("table cells are resolved against their columns", "[checker]") {
  auto checked = check_text(R"(enum Country { FR, DE }
enum Region { europe }
table region_of(country: Country, region: Region) { (FR, europe), (FRA, europe), (DE, 3) }
table limits(year: Int, ok: Bool) { (2020, true), (2021) }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:3:68: error: `FRA` is not a value of enum `Country`\n"
        "table region_of(country: Country, region: Region) { (FR, europe), (FRA, europe), (DE, 3) }\n"
        "                                                                   ^~~\n"
        "  = help: did you mean `FR`?\n"
        "test.cspv:3:87: error: value in column `region` of `region_of` must be `Region`, got `Int`\n"
        "table region_of(country: Country, region: Region) { (FR, europe), (FRA, europe), (DE, 3) }\n"
        "                                                                                      ^\n"
        "test.cspv:4:51: error: row has 1 value, table `limits` has 2 columns\n"
        "table limits(year: Int, ok: Bool) { (2020, true), (2021) }\n"
        "                                                  ^~~~~~\n"
        "3 errors generated\n");
}

TEST_CASE("a table is looked up only when its key determines the last column", "[checker]") {
  auto checked = check_text(R"(enum Country { FR, DE }
enum Region { europe, emea }
entity Customer { country: Country }
table region_of(country: Country, region: Region) {
  (FR, europe),
  (DE, europe),
  (FR, emea)
}
rule r { forall c: Customer | region_of(c.country) == europe or region_of(c.country, europe, europe) }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:9:31: error: table `region_of` cannot be looked up: its first column does not determine the last\n"
        "rule r { forall c: Customer | region_of(c.country) == europe or region_of(c.country, europe, europe) }\n"
        "                              ^~~~~~~~~~~~~~~~~~~~\n"
        "  = help: call it with 2 arguments to test membership\n"
        "test.cspv:7:3: note: row 3 has the same key as row 1\n"
        "  (FR, emea)\n"
        "  ^~~~~~~~~~\n"
        "test.cspv:9:65: error: table `region_of` takes 2 arguments, got 3\n"
        "rule r { forall c: Customer | region_of(c.country) == europe or region_of(c.country, europe, europe) }\n"
        "                                                                ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        "2 errors generated\n");
}

TEST_CASE("defines may not call themselves, directly or not", "[checker]") {
  auto checked = check_text(R"(entity Partner { boss: Partner? }
define a(p: Partner) = b(p)
define b(p: Partner) = exists q: Partner | q.boss == p and a(q)
define c(p: Partner) = b(p) and ^e(p, p)
define e(p: Partner, q: Partner) = e(q, p)
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:3:60: error: recursive define `a`: `a` -> `b` -> `a`\n"
        "define b(p: Partner) = exists q: Partner | q.boss == p and a(q)\n"
        "                                                           ^~~~\n"
        "  = help: a define is expanded where it is used, so it cannot call itself\n"
        "test.cspv:5:36: error: recursive define `e`: `e` -> `e`\n"
        "define e(p: Partner, q: Partner) = e(q, p)\n"
        "                                   ^~~~~~~\n"
        "  = help: a define is expanded where it is used, so it cannot call itself\n"
        "2 errors generated\n");
}

namespace {

// `define d0(p: P) = p.b` then `define d<i>(p: P) = d<i-1>(p)` up to d<count-1>
// (line i + 2), then `rule r { forall p: P | d<last>(p) }`.
std::string define_chain(int count, const std::string& first_body = "p.b") {
  std::string text = "entity P { b: Bool }\ndefine d0(p: P) = " + first_body + "\n";
  for (int i = 1; i < count; ++i) text += fmt::format("define d{}(p: P) = d{}(p)\n", i, i - 1);
  return text + fmt::format("rule r {{ forall p: P | d{}(p) }}\n", count - 1);
}

}  // namespace

// Issue #9: a define is expanded where it is used, so a long chain of defines
// nests as deep as the chain in the evaluator and the encoder.
TEST_CASE("define chains deeper than the limit once expanded are one error, at the innermost call", "[checker]") {
  auto checked = check_text(define_chain(30000));
  CHECK_FALSE(checked.model);
  // d0's body `p.b` is 2 levels and each call adds kDefineCallLevels: d<i> expands to
  // 2 + i * kDefineCallLevels levels, and the first define deeper than the limit is reported.
  int first = (kMaxExprHeight - 2) / kDefineCallLevels + 1;
  CHECK(checked.diagnostics() ==
        fmt::format("test.cspv:{}:21: error: expression nested too deeply once defines are expanded: more than {} "
                    "levels\n"
                    "define d{}(p: P) = d{}(p)\n"
                    "                    ^~~~~~~\n"
                    "  = help: defines are expanded where they are used (each call adds {} levels), and `d{}` alone "
                    "expands to {} levels\n"
                    "1 error generated\n",
                    first + 2, kMaxExprHeight, first, first - 1, kDefineCallLevels, first - 1,
                    2 + (first - 1) * kDefineCallLevels));

  // The rule `forall p: P | d<k>(p)` is 3 + (k + 1) * kDefineCallLevels levels deep.
  int last = (kMaxExprHeight - 3) / kDefineCallLevels - 1;
  auto fine = check_text(define_chain(last + 1));
  INFO(fine.diagnostics());
  CHECK(fine.model);
  auto one_more = check_text(define_chain(last + 2));
  REQUIRE(one_more.sink.error_count() == 1);
  CHECK(one_more.sink.all()[0].message ==
        fmt::format("expression nested too deeply once defines are expanded: more than {} levels", kMaxExprHeight));
  CHECK(one_more.sources.where(one_more.sink.all()[0].range) == fmt::format("test.cspv:{}:24", last + 4));
}

// The search for cycles recursed once per define: 50,000 overflowed the stack.
TEST_CASE("a define cycle through 50,000 defines is reported, not a stack overflow", "[checker]") {
  auto checked = check_text(define_chain(50000, "d49999(p)"));
  CHECK_FALSE(checked.model);
  REQUIRE(checked.sink.error_count() == 1);
  CHECK(checked.sink.all()[0].message.rfind("recursive define `d0`: `d0` -> `d49999` -> `d49998` -> ", 0) == 0);
}

TEST_CASE("closures need a binary relation or define over one type", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(table t(a: Country, b: Country) { (FR, DE) }
rule r { forall p: Partner, c: Customer | ^sells_to(p, c) or ^t(FR, DE) or *partnership(p, c) }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:8:44: error: cannot take the closure of `sells_to`: its parameters have different types `Partner` and `Customer`\n"
        "rule r { forall p: Partner, c: Customer | ^sells_to(p, c) or ^t(FR, DE) or *partnership(p, c) }\n"
        "                                           ^~~~~~~~\n"
        "test.cspv:8:63: error: cannot take the closure of `t`: it is a table, and closures need a relation or a define\n"
        "rule r { forall p: Partner, c: Customer | ^sells_to(p, c) or ^t(FR, DE) or *partnership(p, c) }\n"
        "                                                              ^\n"
        "test.cspv:8:92: error: argument 2 of `partnership` must be `Partner`, got `Customer`\n"
        "rule r { forall p: Partner, c: Customer | ^sells_to(p, c) or ^t(FR, DE) or *partnership(p, c) }\n"
        "                                                                                           ^\n"
        "3 errors generated\n");
}

TEST_CASE("relation parameters and table columns have restricted types", "[checker]") {
  auto checked = check_text(R"(entity Partner { x: Int }
relation r(n: Int, p: Partner?)
table t(p: Partner, d: Date?) { }
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:2:10: warning: relation `r` is never used\n"
        "relation r(n: Int, p: Partner?)\n"
        "         ^\n"
        "test.cspv:2:15: error: parameter `n` of relation `r` must be an entity kind or an enum, got `Int`\n"
        "relation r(n: Int, p: Partner?)\n"
        "              ^~~\n"
        "test.cspv:2:23: error: parameter `p` of relation `r` cannot be optional\n"
        "relation r(n: Int, p: Partner?)\n"
        "                      ^~~~~~~~\n"
        "test.cspv:3:12: error: column `p` of table `t` must be `Bool`, `Int`, `Date` or an enum, got `Partner`\n"
        "table t(p: Partner, d: Date?) { }\n"
        "           ^~~~~~~\n"
        "test.cspv:3:24: error: column `d` of table `t` cannot be optional\n"
        "table t(p: Partner, d: Date?) { }\n"
        "                       ^~~~~\n"
        "4 errors generated\n");
}

TEST_CASE("an unused relation is a warning and does not block the model", "[checker]") {
  auto checked = check_text(R"(entity Partner { x: Int }
relation knows(p: Partner, q: Partner)
relation likes(p: Partner, q: Partner)
relation trusts(p: Partner, q: Partner)
define close(p: Partner, q: Partner) = likes(p, q)
rule r { forall p: Partner | ^knows(p, p) }
)");
  REQUIRE(checked.model);
  CHECK(checked.diagnostics() ==
        "test.cspv:4:10: warning: relation `trusts` is never used\n"
        "relation trusts(p: Partner, q: Partner)\n"
        "         ^~~~~~\n");
}

// ------------------------------------------------------------- scenarios

TEST_CASE("scenario entities, values and facts are resolved", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(rule no_self "x" source "CSP-R07" { forall p: Partner | not partnership(p, p) }
scenario s {
  R1: Partner { role = reseller, country = Country.DE, boss = P1, signed = 2019-06-01 }
  P1: Partner { role = provider, boss = none }
  C1: Customer
  partnership(P1, R1)
  sells_to(R1, C1)
  expect forbidden by no_self, CSP-R07
}
)");
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  const ScenarioDecl& s = checked.model->scenarios[0];
  REQUIRE(s.entities.size() == 3);
  CHECK(s.entities[0].kind.type == Type{TypeKind::Entity, 0});
  CHECK(s.entities[2].kind.type == Type{TypeKind::Entity, 1});

  const auto& r1 = s.entities[0].assignments;
  CHECK(r1[0].attribute_id == 0);
  CHECK(r1[0].value->kind == ExprKind::EnumValue);
  CHECK(r1[0].value->value == 1);
  CHECK(r1[1].value->kind == ExprKind::EnumValue);
  CHECK(r1[1].value->id == 1);
  CHECK(r1[1].value->value == 1);
  CHECK(r1[2].attribute_id == 2);
  CHECK(r1[2].value->kind == ExprKind::EntityName);
  CHECK(r1[2].value->id == 1);  // P1, declared after R1
  CHECK(r1[3].value->type == Type{TypeKind::Date});
  const auto& boss = s.entities[1].assignments[1];
  CHECK(boss.value->kind == ExprKind::NoneLit);
  CHECK(boss.value->type == optional(Type{TypeKind::Entity, 0}));

  CHECK(s.facts[0].relation_id == 0);
  CHECK(s.facts[0].args[0]->kind == ExprKind::EntityName);
  CHECK(s.facts[0].args[0]->id == 1);
  CHECK(s.facts[1].relation_id == 1);
  CHECK(s.facts[1].args[1]->id == 2);
}

TEST_CASE("scenario mistakes are reported one by one", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(rule no_self "x" source "CSP-R07" { forall p: Partner | not partnership(p, p) }
scenario s {
  R1: Partner { role = resseller, regoin = FR, boss = C1, role = provider }
  C1: Customer { country = none }
  C1: Customr
  partnership(R1, R2)
  sells_to(R1)
  selss_to(R1, C1)
  expect forbidden by CSP-R08, no_self
}
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:9:24: error: `resseller` is not a value of enum `Role`\n"
        "  R1: Partner { role = resseller, regoin = FR, boss = C1, role = provider }\n"
        "                       ^~~~~~~~~\n"
        "  = help: did you mean `reseller`?\n"
        "test.cspv:9:35: error: entity `Partner` has no attribute `regoin`\n"
        "  R1: Partner { role = resseller, regoin = FR, boss = C1, role = provider }\n"
        "                                  ^~~~~~\n"
        "test.cspv:9:55: error: value of `R1.boss` must be `Partner?`, got `Customer`\n"
        "  R1: Partner { role = resseller, regoin = FR, boss = C1, role = provider }\n"
        "                                                      ^~\n"
        "test.cspv:9:59: error: attribute `role` of `R1` is assigned twice\n"
        "  R1: Partner { role = resseller, regoin = FR, boss = C1, role = provider }\n"
        "                                                          ^~~~\n"
        "test.cspv:9:17: note: previous assignment is here\n"
        "  R1: Partner { role = resseller, regoin = FR, boss = C1, role = provider }\n"
        "                ^~~~\n"
        "test.cspv:10:28: error: value of `C1.country` cannot be `none`: its type `Country` is not optional\n"
        "  C1: Customer { country = none }\n"
        "                           ^~~~\n"
        "test.cspv:11:3: error: duplicate entity `C1` in scenario `s`\n"
        "  C1: Customr\n"
        "  ^~\n"
        "test.cspv:10:3: note: previous declaration is here\n"
        "  C1: Customer { country = none }\n"
        "  ^~\n"
        "test.cspv:11:7: error: unknown type `Customr`\n"
        "  C1: Customr\n"
        "      ^~~~~~~\n"
        "  = help: did you mean `Customer`?\n"
        "test.cspv:12:19: error: unknown entity `R2`\n"
        "  partnership(R1, R2)\n"
        "                  ^~\n"
        "  = help: did you mean `R1`?\n"
        "test.cspv:13:3: error: relation `sells_to` takes 2 arguments, got 1\n"
        "  sells_to(R1)\n"
        "  ^~~~~~~~\n"
        "test.cspv:14:3: error: unknown relation `selss_to`\n"
        "  selss_to(R1, C1)\n"
        "  ^~~~~~~~\n"
        "  = help: did you mean `sells_to`?\n"
        "test.cspv:15:23: error: unknown rule `CSP-R08`\n"
        "  expect forbidden by CSP-R08, no_self\n"
        "                      ^~~~~~~\n"
        "  = help: did you mean `CSP-R07`?\n"
        "11 errors generated\n");
}

// ------------------------------------------------------------ scope lines

TEST_CASE("scope lines set the default and per-kind sizes", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(rule r { forall p, q: Partner, c: Customer | partnership(p, q) or sells_to(p, c) }
scope 5
scope Customer 1
scope Partner 1000
)");
  INFO(checked.diagnostics());
  REQUIRE(checked.model);
  CHECK(checked.model->default_scope == 5);
  CHECK(checked.model->kind_scope == std::map<int, int>{{0, 1000}, {1, 1}});

  auto unscoped = check_text("entity Partner { x: Int }\n");
  REQUIRE(unscoped.model);
  CHECK(unscoped.model->default_scope == 3);
  CHECK(unscoped.model->kind_scope.empty());
}

// Issue #9: scope 0 proved every `forall` over the empty kind.
TEST_CASE("scope lines of 0 are errors, for the default and for one kind", "[checker]") {
  auto checked = check_text(std::string(kPartners) + R"(scope 0
scope Customer 0
rule r { forall p, q: Partner, c: Customer | partnership(p, q) or sells_to(p, c) }
)");
  CHECK_FALSE(checked.model);
  CHECK(checked.diagnostics() ==
        "test.cspv:7:1: error: scope must be between 1 and 1000, got 0\n"
        "scope 0\n"
        "^~~~~~~\n"
        "  = help: with no entity of a kind, every `forall` over it would hold vacuously\n"
        "test.cspv:8:16: error: scope must be between 1 and 1000, got 0\n"
        "scope Customer 0\n"
        "               ^\n"
        "  = help: with no entity of a kind, every `forall` over it would hold vacuously\n"
        "2 errors generated\n");
}

TEST_CASE("bad scope lines are errors", "[checker]") {
  auto checked = check_text(R"(enum Role { a }
entity Partner { role: Role }
scope 2000
scope Partnr 4
scope Role 2
scope Partner 2
scope Partner 3
)");
  CHECK(checked.diagnostics() ==
        "test.cspv:3:1: error: scope must be between 1 and 1000, got 2000\n"
        "scope 2000\n"
        "^~~~~~~~~~\n"
        "test.cspv:4:7: error: unknown entity kind `Partnr`\n"
        "scope Partnr 4\n"
        "      ^~~~~~\n"
        "  = help: did you mean `Partner`?\n"
        "test.cspv:5:7: error: `Role` is not an entity kind: scopes bound entities\n"
        "scope Role 2\n"
        "      ^~~~\n"
        "test.cspv:7:7: error: duplicate scope for `Partner`\n"
        "scope Partner 3\n"
        "      ^~~~~~~\n"
        "test.cspv:6:7: note: previous declaration is here\n"
        "scope Partner 2\n"
        "      ^~~~~~~\n"
        "4 errors generated\n");
}
