// `cspverify fmt`: one canonical layout of a .cspv file, printed from its
// syntax tree, with every comment kept where it was (docs/fmt.md). The
// layout depends on the tree and the comments only, so formatting a
// formatted file changes nothing.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/source.h"

namespace csp::model {

/// Lines are broken to stay within this many columns where the language
/// allows (a long string or name may still pass it).
constexpr int kFormatWidth = 110;

/// A bug in the formatter: its output would parse to a different tree.
struct FormatError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The canonical text of `file`, or nullopt after reporting its syntax
/// errors to `sink` (a file that does not parse is never rewritten).
/// Only this file is read: includes and CSV files are not followed.
/// Throws FormatError when the text printed would not parse back to the
/// same syntax tree (never written, so a formatter bug cannot change a spec).
std::optional<std::string> format_file(const SourceManager& sources, int file, DiagnosticSink& sink);

/// A dump of a syntax tree or checked model that leaves out every source
/// location: two texts with equal dumps mean the same declarations, in the
/// same order, with the same formulas. fmt compares the tree of its output
/// with the input's before writing anything.
std::string dump_syntax(const SpecFile& file);
std::string dump_model(const Model& model);

}  // namespace csp::model
