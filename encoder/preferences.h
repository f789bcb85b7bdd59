// Which values read naturally (encoder/preferences.cpp): shared by the
// steering of counterexamples and the repairs of forbidden scenarios.
#pragma once

#include <vector>

#include "model/ast.h"

namespace csp::encoder {

/// The values of `enum_id` that read naturally, best first, when it keys a
/// functional table into another enum (`region_of(country)`): those the spec
/// writes, then the first key of each value in row order. Empty otherwise.
std::vector<int> typical_values(const model::Model& model, int enum_id);

}  // namespace csp::encoder
