// Parts of the JSON report (json_writer.cpp, docs/json.md) that the diff's
// JSON report (diff_json.cpp, docs/diff.md) writes alike, so that
// `cspverify merge` reads both with one reader (json_reader.h).
#pragma once

#include <string>

#include "model/result.h"
#include "reports/json_emitter.h"
#include "reports/report.h"

namespace csp::reports {

/// The keys `core_minimal`, `core_search` and `all_cores` of a result: how
/// far its core is minimal, and the other minimal cores looked at.
void emit_core_details(JsonEmitter& json, const ReportContext& context, const model::CheckResult& result);

/// The key `repair_violates`: the properties a forbidden scenario's repair breaks.
void emit_repair_violates(JsonEmitter& json, const ReportContext& context, const model::CheckResult& result);

/// The key `shard`, only in a shard's report (--shard): what `cspverify
/// merge` checks before it joins shards.
void emit_shard(JsonEmitter& json, const model::ShardInfo& shard, const std::string& z3_version);

}  // namespace csp::reports
