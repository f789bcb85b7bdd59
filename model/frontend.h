// The front end's entry points: text -> syntax (parse) -> checked Model
// (check), and the loader that walks a directory tree and follows includes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/source.h"

namespace csp::model {

/// Parses one buffer. Reports every syntax error (panic-mode recovery at
/// declaration keywords) and returns what could be parsed.
SpecFile parse(const SourceManager& sources, int file, DiagnosticSink& sink);

/// The `.cspv` files `paths` name: a file as given, a directory walked as
/// load() walks it. A path that does not exist, or a directory without a
/// `.cspv` file, is an error in `sink`.
std::vector<std::string> spec_files(const std::vector<std::string>& paths, DiagnosticSink& sink);

/// Loads every `.cspv` file under each path (a file, or a directory walked
/// recursively in sorted path order), follows `include`s (relative to the
/// including file; each file loaded once; a cycle is an error), and imports
/// CSV data. Files are parsed in a deterministic order. A buffer already in
/// `sources` is read instead of the file at its path (an editor's unsaved
/// text, for `cspverify lsp`).
std::vector<SpecFile> load(const std::vector<std::string>& paths, SourceManager& sources,
                           DiagnosticSink& sink);

/// Applies every file's patches (`extend`, `replace`, `remove`) to the
/// declarations of all the files, in load order, and removes them: afterwards
/// the files hold plain declarations only. A patch of a declaration no file
/// makes, an attribute or value that exists already, and a second patch of
/// one declaration are errors. Returns false when there are errors (the
/// files then hold the patches that could be applied).
bool apply_patches(std::vector<SpecFile>& files, const SourceManager& sources, DiagnosticSink& sink);

/// True when some file holds a patch.
bool has_patches(const std::vector<SpecFile>& files);

/// Applies the patches (apply_patches), merges the files, resolves every name and type, and reports every error.
/// Returns nullopt when there are errors.
std::optional<Model> check(std::vector<SpecFile> files, const SourceManager& sources,
                           DiagnosticSink& sink);

/// load + check in one call.
std::optional<Model> load_model(const std::vector<std::string>& paths, SourceManager& sources,
                                DiagnosticSink& sink);

}  // namespace csp::model
