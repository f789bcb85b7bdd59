// The command-line driver: one table of sub-commands (name, summary, runner),
// which drives dispatch, --help and "did you mean" for mistyped commands.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "model/result.h"
#include "model/scope.h"
#include "model/source.h"

namespace csp::cli {

/// Process exit codes, shown in --help and README.md.
enum ExitCode : int {
  kSuccess = 0,       // every property proved, every scenario as expected
  kFailure = 1,       // a property violated or vacuous, rules inconsistent, a scenario not as expected
  kBadInput = 2,      // usage error, unreadable file, syntax or type error
  kUnknown = 3,       // some check unknown (timeout), nothing failed
  kInternalError = 4  // a bug in cspverify (e.g. a counterexample the evaluator rejects)
};

/// Runs `cspverify ARGS...`; writes reports to `out` and diagnostics to `err`.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// A whole number written in decimal, without sign or spaces, between `min`
/// and `max`; nullopt otherwise ("-1", "1e3", "0x10", "" and too large values
/// included). Boost.Program_options would read "-1" into an unsigned option
/// as its largest value, so numeric options are read as text and checked here.
std::optional<unsigned long long> parse_whole_number(const std::string& text, unsigned long long min,
                                                     unsigned long long max);

/// `--scope` values (`N` or `Kind=N`, 1 <= N <= 1000, or a scope sweep
/// `A..B` or `A,B,...` when `sweeping_command` names the command that runs
/// it); nullopt after writing the error to `err`.
std::optional<model::ScopeOverrides> parse_scopes(const std::vector<std::string>& specs, std::ostream& err,
                                                  const std::string& sweeping_command = "");

/// The largest `--timeout`: a day.
constexpr unsigned kMaxTimeoutSeconds = 86400;

/// A `--timeout` value, 1 to kMaxTimeoutSeconds; nullopt after writing the error to `err`.
std::optional<unsigned> parse_timeout(const std::string& text, std::ostream& err);

/// Checks (creating it when missing) a directory given as `option`; false after writing the error to `err`.
bool prepare_output_directory(const std::string& option, const std::string& dir, std::ostream& err);

/// Writes `text` to standard output `out` and flushes it; false after writing the error to `err`.
bool write_stdout(const std::string& text, std::ostream& out, std::ostream& err);

/// Writes a report file atomically (cli/output.h); false after writing the error to `err`.
bool write_output_file(const std::filesystem::path& path, const std::string& contents, std::ostream& err);

/// The work items of a prove, check or verify run on `model` (cli/shard.h),
/// with `only` its --property or --scenario, `sweep` its scope sweep's
/// bounds (cli/sweep.h) and `bounded` its --bounded; nullopt for another command.
std::optional<std::vector<std::string>> sharded_work_items(const std::string& command, const model::Model& model,
                                                           const std::string& only, const std::vector<int>& sweep = {},
                                                           bool bounded = false);

/// Writes a prove, check or verify report in `formats` (names; text when
/// empty) to standard output or under `out_dir`, exactly as that command
/// does; returns its exit code, or kBadInput after writing the error to `err`.
int write_run_reports(const model::RunReport& report, const model::Model& model, const model::SourceManager& sources,
                      const std::vector<std::string>& formats, const std::string& out_dir, bool timings,
                      std::ostream& out, std::ostream& err);

}  // namespace csp::cli
