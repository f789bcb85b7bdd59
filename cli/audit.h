// `cspverify audit SPEC... --data DIR`: the rules checked on real Partner
// Center data (docs/audit.md): parse -> check -> load data -> plan ->
// evaluate -> report.
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cli/command_help.h"
#include "cli/common_options.h"

namespace csp::cli {

/// Runs the audit sub-command (`args` without the word `audit`). Exit codes:
/// 0 no violation, 1 violations, 2 bad input (spec, data or options), 130/143
/// interrupted.
int run_audit(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// `cspverify merge` of a sharded audit's JSON reports (path, document),
/// ordered by shard index, each index once and from one run (cli/merge.cpp
/// checked): the reports a single run writes, in `common`'s formats, and its
/// exit code; 2 when the shards do not join (other data, other specs).
int merge_audit(const std::vector<std::pair<std::string, const nlohmann::ordered_json*>>& shards,
                const CommonOptions& common, std::ostream& out, std::ostream& err);

/// What `cspverify audit --help` shows, in parts; its name and summary are the command table's (for the manual page and the completion).
CommandHelp describe_audit();

}  // namespace csp::cli
