// Patches (`extend`, `replace`, `remove`): each form parsed and applied over
// the declarations of the other files, and each error rendered with its
// location, caret and suggestion.
#include <catch2/catch.hpp>

#include "model/evaluator.h"
#include "model/frontend.h"

using namespace csp::model;

namespace {

const char* const kBase = R"(enum Role { provider, reseller }
entity Partner { role: Role, signed: Date? }
entity Sale { seller: Partner, date: Date }
table fee(role: Role, percent: Int) { (provider, 10), (reseller, 20) }
define billing(p: Partner) = p.role == provider
rule only_providers_bill "only providers bill" source "R1" { forall s: Sale | billing(s.seller) }
rule signed_before_sale { forall s: Sale | s.seller.signed <= s.date }
property sellers_signed { forall s: Sale | s.seller.signed != none }
scenario unsigned "an unsigned provider sells" {
  P: Partner { role = provider, signed = none }
  S: Sale { seller = P }
  expect forbidden
}
)";

// The base in base.cspv, then `change` in change.cspv, loaded and checked together.
struct Patched {
  SourceManager sources;
  DiagnosticSink sink;
  std::optional<Model> model;
  std::string diagnostics() const { return render_all(sink, sources); }
};

std::unique_ptr<Patched> patched(const std::string& change, const std::string& base = kBase) {
  auto out = std::make_unique<Patched>();
  std::vector<SpecFile> files;
  files.push_back(parse(out->sources, out->sources.add("base.cspv", base), out->sink));
  files.push_back(parse(out->sources, out->sources.add("change.cspv", change), out->sink));
  REQUIRE_FALSE(out->sink.has_errors());
  out->model = check(std::move(files), out->sources, out->sink);
  return out;
}

std::string body_of(const Model& model, const std::string& rule) {
  int id = model.find_rule(rule);
  REQUIRE(id >= 0);
  return to_string(model, *model.rules[id].body);
}

}  // namespace

// ------------------------------------------------------------------ parsing

TEST_CASE("patches parse into their own list; the words stay usable as names", "[patches]") {
  SourceManager sources;
  DiagnosticSink sink;
  int file = sources.add("change.cspv", R"(extend entity Partner { grace: Int }
replace rule r "new" { true }
remove property p
extend table fee { (reseller, 30) }
entity Tool { remove: Bool, replace: Int, extend: Date }
)");
  SpecFile spec = parse(sources, file, sink);
  INFO(render_all(sink, sources));
  REQUIRE_FALSE(sink.has_errors());
  REQUIRE(spec.patches.size() == 4);
  CHECK(spec.patches[0].action == PatchDecl::Action::Extend);
  CHECK(spec.patches[0].what == "entity");
  CHECK(spec.patches[0].name == "Partner");
  CHECK(spec.patches[1].action == PatchDecl::Action::Replace);
  CHECK(spec.patches[1].declaration->rules.size() == 1);
  CHECK(spec.patches[2].action == PatchDecl::Action::Remove);
  CHECK(spec.patches[2].name == "p");
  CHECK_FALSE(spec.patches[2].declaration);
  CHECK(spec.patches[3].declaration->tables.front().rows.size() == 1);
  REQUIRE(spec.kinds.size() == 1);
  CHECK(spec.kinds[0].attributes.size() == 3);
  CHECK(spec.rules.empty());
}

TEST_CASE("a patch of what cannot be patched is a syntax error naming what can", "[patches]") {
  SourceManager sources;
  DiagnosticSink sink;
  parse(sources, sources.add("change.cspv", "replace entity Partner { x: Int }\nremove rul r\n"), sink);
  CHECK(render_all(sink, sources) ==
        "change.cspv:1:9: error: expected `rule`, `property`, `scenario`, `define`, `table`, `relation` after "
        "`replace`, got `entity`\n"
        "replace entity Partner { x: Int }\n"
        "        ^~~~~~\n"
        "change.cspv:2:8: error: expected `rule`, `property`, `scenario`, `define`, `table`, `relation` after "
        "`remove`, got identifier `rul`\n"
        "remove rul r\n"
        "       ^~~\n"
        "  = help: did you mean `rule`?\n"
        "2 errors generated\n");
}

// ----------------------------------------------------------------- applying

TEST_CASE("extend entity adds attributes the change's rules use", "[patches]") {
  auto p = patched(R"(extend entity Partner { enrolled_on: Date?, grace_days: Int }
rule grace { forall p: Partner | p.grace_days >= 0 }
)");
  INFO(p->diagnostics());
  REQUIRE(p->model);
  const EntityKind& partner = p->model->kinds[p->model->find_kind("Partner")];
  REQUIRE(partner.attributes.size() == 4);
  CHECK(partner.attributes[2].name == "enrolled_on");
  CHECK(p->sources.where(partner.attributes[3].range) == "change.cspv:1:45");
  CHECK(p->sources.where(partner.range) == "base.cspv:2:8");
  CHECK(p->model->rules.size() == 3);
}

TEST_CASE("extend enum adds values, extend table adds rows", "[patches]") {
  auto p = patched(R"(extend enum Role { direct_bill }
extend table fee { (direct_bill, 5) }
)");
  INFO(p->diagnostics());
  REQUIRE(p->model);
  CHECK(p->model->enums[0].values == std::vector<std::string>{"provider", "reseller", "direct_bill"});
  const TableDecl& fee = p->model->tables[p->model->find_table("fee")];
  REQUIRE(fee.rows.size() == 3);
  CHECK(fee.rows[2].cells[0]->value == 2);
  CHECK(fee.functional);
}

TEST_CASE("replace swaps a declaration in place, with its new description and source", "[patches]") {
  auto p = patched(R"(replace rule only_providers_bill "providers and resellers bill" source "R1b" {
  forall s: Sale | s.seller.role in {provider, reseller}
}
replace define billing(p: Partner) = p.role != reseller
replace property sellers_signed { forall s: Sale | s.seller.signed <= s.date }
replace scenario unsigned { P: Partner { role = reseller }  S: Sale { seller = P }  expect allowed }
replace table fee(role: Role, percent: Int) { (provider, 15) }
)");
  INFO(p->diagnostics());
  REQUIRE(p->model);
  const Model& m = *p->model;
  REQUIRE(m.rules.size() == 2);
  CHECK(m.rules[0].name == "only_providers_bill");  // the base's position
  CHECK(m.rules[0].description == "providers and resellers bill");
  CHECK(m.rules[0].source == "R1b");
  CHECK(p->sources.where(m.rules[0].range) == "change.cspv:1:14");
  CHECK(p->sources.where(m.rules[1].range) == "base.cspv:7:6");
  CHECK(body_of(m, "only_providers_bill") == "forall s: Sale | s.seller.role in {provider, reseller}");
  CHECK(to_string(m, *m.defines[0].body) == "p.role != reseller");
  CHECK(to_string(m, *m.properties[0].body) == "forall s: Sale | s.seller.signed <= s.date");
  CHECK(m.scenarios[0].expect == ScenarioDecl::Expect::Allowed);
  CHECK(m.tables[0].rows.size() == 1);
}

TEST_CASE("remove drops a declaration; new declarations are simply added", "[patches]") {
  auto p = patched(R"(remove rule signed_before_sale
remove scenario unsigned
remove property sellers_signed
rule signed_before_2020 { forall s: Sale | s.date >= 2020-01-01 implies s.seller.signed <= s.date }
)");
  INFO(p->diagnostics());
  REQUIRE(p->model);
  CHECK(p->model->find_rule("signed_before_sale") < 0);
  CHECK(p->model->find_rule("signed_before_2020") >= 0);
  CHECK(p->model->scenarios.empty());
  CHECK(p->model->properties.empty());
}

TEST_CASE("a spec without patches checks exactly as before", "[patches]") {
  auto p = patched("rule extra { true }\n");
  INFO(p->diagnostics());
  REQUIRE(p->model);
  CHECK(p->model->rules.size() == 3);
  CHECK(p->diagnostics().empty());
}

// ------------------------------------------------------------------- errors

TEST_CASE("a patch of a declaration that does not exist suggests a near name", "[patches]") {
  auto p = patched("replace rule only_provider_bill { true }\nremove define biling\nextend entity Customer { x: Int }\n");
  CHECK_FALSE(p->model);
  CHECK(p->diagnostics() ==
        "change.cspv:1:14: error: cannot replace rule `only_provider_bill`: no rule of that name is declared\n"
        "replace rule only_provider_bill { true }\n"
        "             ^~~~~~~~~~~~~~~~~~\n"
        "  = help: did you mean `only_providers_bill`?\n"
        "change.cspv:2:15: error: cannot remove define `biling`: no define of that name is declared\n"
        "remove define biling\n"
        "              ^~~~~~\n"
        "  = help: did you mean `billing`?\n"
        "change.cspv:3:15: error: cannot extend entity `Customer`: no entity of that name is declared\n"
        "extend entity Customer { x: Int }\n"
        "              ^~~~~~~~\n"
        "3 errors generated\n");
}

TEST_CASE("replacing what is not declared says a new declaration needs no `replace`", "[patches]") {
  auto p = patched("replace rule brand_new { true }\n");
  CHECK_FALSE(p->model);
  CHECK(p->diagnostics().find("  = help: a new rule is declared without `replace`\n") != std::string::npos);
}

TEST_CASE("extending with an attribute or value that exists is an error at it", "[patches]") {
  auto p = patched("extend entity Partner { grace: Int, signed: Date }\nextend enum Role { reseller }\n");
  CHECK_FALSE(p->model);
  std::string text = p->diagnostics();
  CHECK(text.find("change.cspv:1:37: error: entity `Partner` already has an attribute `signed`\n"
                  "extend entity Partner { grace: Int, signed: Date }\n"
                  "                                    ^~~~~~\n"
                  "base.cspv:2:30: note: previous declaration is here\n") != std::string::npos);
  CHECK(text.find("change.cspv:2:20: error: enum `Role` already has a value `reseller`\n") != std::string::npos);
  CHECK(text.find("2 errors generated\n") != std::string::npos);
}

TEST_CASE("two patches of one declaration are an error at the second", "[patches]") {
  auto p = patched("replace rule signed_before_sale { true }\nremove rule signed_before_sale\n");
  CHECK_FALSE(p->model);
  CHECK(p->diagnostics() ==
        "change.cspv:2:13: error: rule `signed_before_sale` is patched twice\n"
        "remove rule signed_before_sale\n"
        "            ^~~~~~~~~~~~~~~~~~\n"
        "  = help: write one patch per declaration: a `replace` holds the whole new declaration\n"
        "change.cspv:1:14: note: first patched here\n"
        "replace rule signed_before_sale { true }\n"
        "             ^~~~~~~~~~~~~~~~~~\n"
        "1 error generated\n");
}

TEST_CASE("a replaced declaration is type-checked where the change writes it", "[patches]") {
  auto p = patched("replace rule signed_before_sale { forall s: Sale | s.seller.signd <= s.date }\n");
  CHECK_FALSE(p->model);
  INFO(p->diagnostics());
  CHECK(p->diagnostics().find("change.cspv:1:61: error: entity `Partner` has no attribute `signd`") !=
        std::string::npos);
}
