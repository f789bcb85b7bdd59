// Test helpers: run the front end on in-memory text and get the model or the
// rendered diagnostics, without touching the disk (ninja's ParseTest idea).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/source.h"

namespace csp::test {

struct Checked {
  model::SourceManager sources;
  model::DiagnosticSink sink;
  std::optional<model::Model> model;
  std::string diagnostics() const;  // rendered, as the CLI prints them
};

/// Parses and checks one in-memory file named `path`.
Checked check_text(const std::string& text, const std::string& path = "test.cspv");

/// Absolute path of a file in the source tree (tests/specs/..., specs/...).
std::string source_path(const std::string& relative);

/// A scratch directory under the system's temporary directory, removed with
/// everything in it when the object goes away (for tests that need files).
struct TempDir {
  std::filesystem::path path;
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  /// Writes `text` to `name` (relative to the directory); returns the full path.
  std::string write(const std::string& name, const std::string& text) const;
};

/// The contents of a file ("" when it cannot be read).
std::string read_file(const std::filesystem::path& path);

}  // namespace csp::test
