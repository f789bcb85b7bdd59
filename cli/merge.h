// `cspverify merge SHARD.json...`: the JSON reports of a sharded run
// (--shard K/N, docs/sharding.md) joined into the report, in every format,
// and the exit code that a single run of the same command would give.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "cli/command_help.h"

namespace csp::cli {

/// Runs the merge sub-command (`args` without the word `merge`). Exit codes
/// as the sharded command's; 2 when the shards do not fit together.
int run_merge(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// What `cspverify merge --help` shows, in parts.
CommandHelp describe_merge();

}  // namespace csp::cli
