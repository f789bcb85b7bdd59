// The JSON reports read back (docs/json.md, and the diff's, docs/diff.md):
// `cspverify merge` joins shards' reports into the results a single run
// would have had, then writes them with the same writers. Names and
// locations in the JSON are resolved against the model the run checked,
// which the caller loads again.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "model/ast.h"
#include "model/diff_result.h"
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

/// A diff's JSON report (docs/diff.md, its `shard` object included) as the
/// DiffReport it was written from, read against the models the diff ran on
/// (`models`, loaded again by the caller). Left for the caller, who computes
/// them from the models and the options: `changes`, the semantic `scope` and
/// `expected`. A shard's direction that another shard searched is marked
/// Difference::elsewhere. nullopt after writing the reason to `error`.
std::optional<model::DiffReport> read_diff_json_report(const nlohmann::ordered_json& document,
                                                      const model::DiffModels& models,
                                                      const model::SourceManager& sources, std::string* error);

/// One result object as `results` holds it (kind, name, status, ...,
/// docs/json.md), read against `model`; nullopt after writing the reason to `error`.
std::optional<model::CheckResult> read_json_result(const nlohmann::ordered_json& result, const model::Model& model,
                                                   const model::SourceManager& sources, std::string* error);

/// An instance object (a counterexample's shape: `entities`, `relations`)
/// in `model`'s vocabulary; nullopt after writing the reason to `error`.
std::optional<model::Instance> read_json_instance(const nlohmann::ordered_json& instance, const model::Model& model,
                                                  const model::SourceManager& sources, std::string* error);

}  // namespace csp::reports
