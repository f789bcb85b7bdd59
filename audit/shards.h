// What a sharded audit (`cspverify audit --shard K/N`, docs/audit.md
// "Shards") does with each rule. Records of `partition` imports (customers,
// their subscriptions) are split among the shards; every other import is
// read whole by each shard. So a rule whose `forall` binds a record that
// only `partition` imports create finds each violation in exactly one shard
// (the shards' violations add up), and a rule over replicated records alone
// that reads nothing partitioned finds the same violations in every shard
// (the merge keeps one copy). Any other rule has no such split: the shards
// could not give the single run's answer, so `--shard` refuses it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/ast.h"

namespace csp::audit {

enum class RuleSharding {
  Partitioned,  // each violation in one shard: counts add up
  Replicated,   // the same violations in every shard: counted once
  Unshardable,  // neither: `--shard` refuses the rule
};

struct RuleShardPlan {
  RuleSharding sharding = RuleSharding::Replicated;
  std::string reason;  // Unshardable: why, as a clause ("its formula 1 is not a `forall` ...")
};

/// One plan per rule of the model, in rule order.
std::vector<RuleShardPlan> rule_sharding(const model::Model& model);

/// A 64-bit hash of bytes, 8 at a time (FNV-1a's prime on words, then a
/// final mix): fast enough to run over every data file of a shard, so that
/// `cspverify merge` can require that all shards read the same data.
std::uint64_t data_hash(std::string_view bytes, std::uint64_t seed = 14695981039346656037ull);

}  // namespace csp::audit
