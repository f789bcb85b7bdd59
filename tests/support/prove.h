// Test helper: one property's result, proved at the spec's own scope (the
// default a `prove` without --scope uses), for tests of what a result holds.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "model/result.h"
#include "model/scope.h"
#include "solver/prover.h"

namespace csp::test {

inline model::CheckResult prove_property(const model::Model& model, const std::string& name) {
  model::ScopeOverrides overrides;
  auto scope = model::resolve_scope(model, overrides, nullptr);
  REQUIRE(scope);
  for (auto& result : solver::prove(model, *scope, {})) {
    if (result.name == name) return result;
  }
  FAIL("no result for " << name);
  return {};
}

}  // namespace csp::test
