// Writing what the user asked for: report files, dump directories and
// standard output. A full disk, a read-only directory or a path that is a
// file ends in a message and exit 2, never in a truncated report with exit 0
// or an uncaught exception.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

namespace csp::cli {

/// Creates `dir` (and its parents) when missing and checks that a file can be
/// created in it. Called before solving, so a mistyped `--out` or
/// `--dump-smt2` fails at once instead of after minutes of solving. Returns
/// the reason on failure (e.g. "not a directory").
std::optional<std::string> prepare_directory(const std::filesystem::path& dir);

/// Writes `contents` to `path` through a temporary file in the same
/// directory: written, flushed and closed with every error checked, then
/// renamed over `path`. On failure `path` is left as it was (no empty or
/// truncated report) and the reason is returned.
std::optional<std::string> write_file_atomically(const std::filesystem::path& path, const std::string& contents);

/// Writes `text` to `out` and flushes it; nullopt when that succeeded, else
/// the reason (standard output to a full disk or /dev/full fails here).
std::optional<std::string> write_and_flush(std::ostream& out, const std::string& text);

}  // namespace csp::cli
