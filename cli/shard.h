// Sharded runs (docs/sharding.md): `--shard K/N` makes this process one of N
// independent shards that each run the work items assigned to index K;
// `cspverify merge` joins their JSON reports into the single run's report.
// `--shard auto` reads K and N from the engine that started the process
// (Slurm, Kubernetes, Bazel, AWS Batch, Google Cloud Batch, Open MPI).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/merge.h"
#include "model/source.h"

namespace csp::cli {

/// This process's place among the shards.
struct ShardSpec {
  unsigned index = 0;  // K, from 0
  unsigned count = 1;  // N
  /// Where K and N came from, for messages: "--shard 1/4", "Slurm (SLURM_ARRAY_TASK_ID=3)".
  std::string origin;
  /// Bazel's TEST_SHARD_STATUS_FILE: touched to say the test runner shards.
  std::string status_file;
};

/// Reads an environment variable; nullptr when it is not set. Tests pass their own.
using EnvironmentReader = std::function<const char*(const char*)>;

/// The process environment (std::getenv).
EnvironmentReader process_environment();

/// `--shard K/N`, `--shard auto` or `--shard auto/N`; nullopt after writing
/// the reason to `error` (a whole sentence without "error:").
std::optional<ShardSpec> parse_shard(const std::string& text, const EnvironmentReader& env, std::string* error);

/// Touches Bazel's shard status file when `shard` came from Bazel; false
/// after writing the reason to `error`.
bool acknowledge_shard(const ShardSpec& shard, std::string* error);

/// Assigns `items` (work item ids, unique) to `count` shards; the result
/// holds, per shard, its items in the order of `items`.
///
/// Without costs: the items sorted by id are dealt round-robin (the i-th id
/// goes to shard i mod N), so the assignment does not depend on where a
/// declaration sits in its file. With costs (milliseconds per item id, from
/// an earlier report): longest first (ties by id) to the least loaded shard
/// (ties to the lowest index); an item the costs do not name costs their
/// mean. Every shard computes the same assignment from the same inputs.
std::vector<std::vector<std::string>> assign_items(const std::vector<std::string>& items, unsigned count,
                                                   const std::map<std::string, double>* costs = nullptr);

/// The work items of prove, check or verify on `model`, in run order: the
/// consistency check and each property (`properties`; only `only_property`
/// when not empty), each scenario (`scenarios`; only `only_scenario`), lint.
std::vector<std::string> check_work_items(const model::Model& model, bool properties, bool scenarios, bool lint,
                                          const std::string& only_property, const std::string& only_scenario);

/// The work items of a diff of `models`, in report order: the newly allowed
/// and the newly forbidden direction, the consistency check, each property
/// and each scenario (the base side's, then those only the proposed side
/// checks), each check run under both sides.
std::vector<std::string> diff_work_items(const model::DiffModels& models);

/// A hash of every loaded file's contents, in load order ("fnv1a64:0123abcd..."):
/// shards to be merged must have read the same specs.
std::string specs_hash(const model::SourceManager& sources);

}  // namespace csp::cli
