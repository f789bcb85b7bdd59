// `cspverify diff BASE PROPOSED` (or `diff --base-rev REV PATH...`): what a
// proposed policy change changes, in text and in meaning, before rollout.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/command_help.h"
#include "cli/process.h"

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

}  // namespace csp::cli
