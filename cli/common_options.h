// The options every running command (prove, check, verify, lint, diff,
// audit) shares, declared once: --format, --out, --no-timings, --timeout,
// --jobs, --shard and --balance-from. Each command adds its own around them.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options/options_description.hpp>

#include "cli/shard.h"

namespace csp::cli {

struct CommonOptions {
  std::vector<std::string> formats;
  std::string out_dir;
  bool no_timings = false;
  std::string timeout = "60";  // validated by parse_timeout
  std::string jobs = "0";      // validated by parse_jobs: Boost would read "-1" as SIZE_MAX
  std::string shard;           // --shard K/N, auto, auto/N
  bool shard_given = false;    // --shard "" is a malformed value, not no --shard
  std::string balance_from;    // --balance-from REPORT.json
};

/// How one command words the shared options.
struct CommonOptionsHelp {
  std::vector<std::string> formats;  // the --format values it accepts
  std::string out_stem;              // "cspverify", "cspverify-diff": DIR/<stem>.<ext>
  std::string timeout_per;           // "property or scenario"; empty: no --timeout
  std::string jobs;                  // what the threads do; empty: no --jobs
  std::string shard_items;           // what a shard splits ("properties and scenarios"); empty: no --shard
};

void add_common_options(boost::program_options::options_description& options, CommonOptions& values,
                        const CommonOptionsHelp& help);

/// The largest --jobs.
constexpr unsigned long long kMaxJobs = 256;

/// --jobs, 0 to kMaxJobs; nullopt after writing the error to `err`.
std::optional<unsigned> parse_jobs(const std::string& text, std::ostream& err);

/// A sharded run: which shard, and the item costs --balance-from read.
struct ShardRun {
  ShardSpec spec;
  std::map<std::string, double> costs;  // empty without --balance-from
};

/// --shard and --balance-from: nullopt without --shard (after checking that
/// --balance-from is not given alone); `failed` set after writing the error to `err`.
std::optional<ShardRun> parse_shard_options(const CommonOptions& options, std::ostream& err, bool& failed);

/// The work items' times (item id -> milliseconds) of an earlier JSON report
/// (a single run's or a shard's, written with timings); nullopt after writing
/// the error to `err`.
std::optional<std::map<std::string, double>> read_item_costs(const std::string& path, std::ostream& err);

}  // namespace csp::cli
