// Diagnostics are data: stages push them into a DiagnosticSink, and the CLI
// renders them once, sorted, in compiler style:
//   file:line:col: error: message
//     source line
//     ^~~~~
//   note/help lines
#pragma once

#include <string>
#include <vector>

#include "model/source.h"

namespace csp::model {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceRange range;      // may be invalid (e.g. a missing file given on the command line)
  std::string message;    // lowercase, no final period, names in backticks
  std::string help;       // optional, rendered as "  = help: ..."
  struct Note {
    SourceRange range;
    std::string message;
  };
  std::vector<Note> notes;
  std::string code;       // stable code, e.g. "E0203"; doubles as SARIF ruleId
};

class DiagnosticSink {
 public:
  Diagnostic& error(SourceRange range, std::string message, std::string code = {});
  Diagnostic& warning(SourceRange range, std::string message, std::string code = {});
  void add(Diagnostic d) { diagnostics_.push_back(std::move(d)); }

  bool has_errors() const;
  std::size_t error_count() const;
  /// Diagnostics in a stable order: by file, offset, severity, text.
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& all() const { return diagnostics_; }
  std::vector<Diagnostic>& all() { return diagnostics_; }  // to add a note a later stage knows

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Renders one diagnostic with its source line and a caret/tilde marker.
std::string render(const Diagnostic& d, const SourceManager& sources);
/// Renders every diagnostic (sorted) followed by a count line when there are errors.
std::string render_all(const DiagnosticSink& sink, const SourceManager& sources);

/// Edit distance for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The closest candidate within a small edit distance, or "" when none is close.
std::string closest_match(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace csp::model
