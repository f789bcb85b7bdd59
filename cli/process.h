// Running other programs (git and tar for diff --base-rev, cvc5 for
// --cross-check) without a shell, and temporary directories.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace csp::cli {

struct ProgramOutput {
  int status = -1;         // exit status; -1 when the program could not run or was killed
  bool timed_out = false;  // killed at the time limit, or when asked to stop
  std::string out, err;
};

/// Runs argv[0] (looked up in PATH) without a shell, so there is no quoting
/// to get wrong; its output is captured through files in `scratch` (safe
/// from several threads). With `limit`, it is killed when it runs longer;
/// with `stop`, as soon as that returns true (polled every few milliseconds).
ProgramOutput run_program(const std::vector<std::string>& argv, const std::filesystem::path& scratch,
                          std::optional<std::chrono::milliseconds> limit = std::nullopt,
                          const std::function<bool()>& stop = nullptr);

/// Whether an executable file `program` is in a directory of PATH.
bool on_path(const std::string& program);

/// The text up to the first newline.
std::string first_line(std::string text);

/// A new directory under the system's temporary directory ($TMPDIR, /tmp),
/// removed with everything in it when the object goes, unless kept.
class TemporaryDirectory {
 public:
  /// nullopt after setting `error`; `prefix` starts the directory's name.
  static std::optional<TemporaryDirectory> create(const std::string& prefix, std::string* error);
  TemporaryDirectory(TemporaryDirectory&& other) noexcept;
  TemporaryDirectory& operator=(TemporaryDirectory&& other) noexcept;
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  ~TemporaryDirectory();

  const std::filesystem::path& path() const { return path_; }
  /// Leaves the directory in place (e.g. for a user to look at).
  void keep() { kept_ = true; }

 private:
  explicit TemporaryDirectory(std::filesystem::path path) : path_(std::move(path)) {}
  void remove();
  std::filesystem::path path_;
  bool kept_ = false;
};

}  // namespace csp::cli
