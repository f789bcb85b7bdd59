// The JSON report read back (docs/json.md): `cspverify merge` joins shards'
// reports into the results a single run would have had, then writes them
// with the same writers. Names and locations in the JSON are resolved
// against the model the run checked, which the caller loads again.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "model/ast.h"
#include "model/result.h"
#include "model/source.h"

namespace csp::reports {

/// `document` is parsed as nlohmann::ordered_json: a scope's kinds are in
/// kind order. A prove, check or verify JSON report (with its `shard` object when it
/// has one) as the RunReport it was written from. Fields the JSON leaves out
/// and the writers derive (a result's declaration range, a rule's id) come
/// from `model`. nullopt after writing the reason to `error` (a field missing
/// or of the wrong type, a name the model does not declare).
std::optional<model::RunReport> read_json_report(const nlohmann::ordered_json& document, const model::Model& model,
                                                 const model::SourceManager& sources, std::string* error);

}  // namespace csp::reports
