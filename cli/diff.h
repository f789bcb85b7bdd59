// `cspverify diff BASE PROPOSED` (or `diff --base-rev REV PATH...`): what a
// proposed policy change changes, in text and in meaning, before rollout.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/command_help.h"
#include "cli/process.h"
#include "model/diff_result.h"
#include "model/merge.h"
#include "model/source.h"

namespace csp::cli {

/// Runs the diff sub-command (`args` without the word `diff`); exit codes as
/// in `cspverify diff --help`.
int run_diff(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// What `cspverify diff --help` shows, in parts; its name and summary are the command table's (for the manual page and the completion).
CommandHelp describe_diff();

/// A git revision of some paths, extracted into a temporary directory that
/// lives as long as this object.
class RevisionTree {
 public:
  RevisionTree() = default;
  RevisionTree(const RevisionTree&) = delete;
  RevisionTree& operator=(const RevisionTree&) = delete;

  /// Extracts revision `rev` of the repository holding each of `paths` and
  /// returns, per path, where that path lies in the extracted tree (the
  /// whole tree is extracted, so includes and CSV files outside the path
  /// resolve). nullopt after writing the reason to `error`.
  std::optional<std::vector<std::string>> extract(const std::string& rev, const std::vector<std::string>& paths,
                                                  std::string* error);

 private:
  std::optional<TemporaryDirectory> root_;  // created at the first extract, removed with this object
};

/// The sides of a diff as its command line names them: BASE PROPOSED; or
/// BASE... with `changes` applied to make the proposed side; or PATH... at
/// git revision `base_rev` as BASE (and maybe `changes` over it).
struct DiffSides {
  std::vector<std::string> paths;
  std::string base_rev;
  std::vector<std::string> changes;
};

/// Both sides of a diff loaded, each checked, and merged; with the labels
/// the reports name them by.
class LoadedDiff {
 public:
  /// False after writing the diagnostics or the reason to `err`.
  bool load(const DiffSides& sides, std::ostream& err);

  model::SourceManager sources;
  std::optional<model::DiffModels> models;
  std::string base_label;      // a path, or `REV:path` with --base-rev
  std::string proposed_label;  // `BASE + CHANGE` with --change
  std::string proposed_path;   // PROPOSED as given, when it is a path of its own (for a hint)

 private:
  RevisionTree revision_;
};

/// `cspverify merge` of a diff's shards, once cli/merge.cpp has checked that
/// they are one run's and cover every work item once: `shards` read back
/// (reports/json_reader.h), `options` the run's (ShardInfo::options),
/// `loaded` its sides. Joins them into the single run's report, writes it in
/// `formats` to standard output or under `out_dir`, and returns the single
/// run's exit code (kBadInput after writing the error to `err`).
int write_merged_diff(std::vector<model::DiffReport> shards, const std::vector<std::pair<std::string, std::string>>& options,
                      const LoadedDiff& loaded, const std::vector<std::string>& formats, const std::string& out_dir,
                      bool timings, std::ostream& out, std::ostream& err);

/// The sides a diff shard recorded in its options (ShardInfo::options).
DiffSides recorded_diff_sides(const std::vector<std::pair<std::string, std::string>>& options);

}  // namespace csp::cli
