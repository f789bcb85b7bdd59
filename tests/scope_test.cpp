// resolve_scope: spec default, then spec per-kind lines, then `--scope N`,
// then `--scope Kind=N`; unknown kinds and bad sizes are reported, not thrown.
#include <catch2/catch.hpp>

#include "model/scope.h"

using namespace csp::model;

namespace {

Model three_kinds() {
  Model model;
  for (const char* name : {"Partner", "Customer", "Sale"}) {
    EntityKind kind;
    kind.name = name;
    model.kinds.push_back(kind);
  }
  return model;
}

}  // namespace

TEST_CASE("without scope lines every kind gets the default of 3", "[scope]") {
  Model model = three_kinds();
  std::string error;
  auto scope = resolve_scope(model, {}, &error);
  REQUIRE(scope);
  CHECK(scope->size == std::vector<int>{3, 3, 3});
  CHECK(scope->total() == 9);
  CHECK(error.empty());
}

TEST_CASE("spec per-kind lines override the spec default", "[scope]") {
  Model model = three_kinds();
  model.default_scope = 2;
  model.kind_scope[2] = 5;
  auto scope = resolve_scope(model, {}, nullptr);
  REQUIRE(scope);
  CHECK(scope->size == std::vector<int>{2, 2, 5});
  CHECK(scope->total() == 9);
}

TEST_CASE("the option `--scope N` replaces every kind, spec per-kind lines included", "[scope]") {
  Model model = three_kinds();
  model.kind_scope[2] = 5;
  ScopeOverrides overrides;
  overrides.all = 4;
  auto scope = resolve_scope(model, overrides, nullptr);
  REQUIRE(scope);
  CHECK(scope->size == std::vector<int>{4, 4, 4});
}

TEST_CASE("the option `--scope Kind=N` wins over `--scope N`", "[scope]") {
  Model model = three_kinds();
  model.kind_scope[0] = 7;
  ScopeOverrides overrides;
  overrides.all = 1;
  overrides.per_kind["Customer"] = 6;
  overrides.per_kind["Sale"] = 2;
  auto scope = resolve_scope(model, overrides, nullptr);
  REQUIRE(scope);
  CHECK(scope->size == std::vector<int>{1, 6, 2});
  CHECK(scope->total() == 9);
}

TEST_CASE("an unknown kind in --scope is an error with a suggestion", "[scope]") {
  Model model = three_kinds();
  ScopeOverrides overrides;
  overrides.per_kind["Partnr"] = 2;
  std::string error;
  CHECK_FALSE(resolve_scope(model, overrides, &error));
  CHECK(error == "unknown entity kind `Partnr` in --scope; did you mean `Partner`?");

  overrides.per_kind = {{"Invoice", 2}};
  CHECK_FALSE(resolve_scope(model, overrides, &error));
  CHECK(error == "unknown entity kind `Invoice` in --scope");
}

TEST_CASE("scope sizes out of range are errors", "[scope]") {
  Model model = three_kinds();
  ScopeOverrides overrides;
  overrides.all = 1001;
  std::string error;
  CHECK_FALSE(resolve_scope(model, overrides, &error));
  CHECK(error == "--scope must be between 1 and 1000, got 1001");

  overrides.all.reset();
  overrides.per_kind["Sale"] = -1;
  CHECK_FALSE(resolve_scope(model, overrides, &error));
  CHECK(error == "--scope Sale=-1 is out of range: sizes are between 1 and 1000");
}

// Issue #9: with scope 0 a kind has no entity, so every `forall` over it holds
// and a false property was reported proved.
TEST_CASE("scope 0 is an error, for every kind and for one kind", "[scope]") {
  Model model = three_kinds();
  ScopeOverrides overrides;
  overrides.all = 0;
  std::string error;
  CHECK_FALSE(resolve_scope(model, overrides, &error));
  CHECK(error == "--scope must be between 1 and 1000, got 0");

  overrides.all.reset();
  overrides.per_kind["Customer"] = 0;
  CHECK_FALSE(resolve_scope(model, overrides, &error));
  CHECK(error == "--scope Customer=0 is out of range: sizes are between 1 and 1000");
}
