#include "model/diagnostics.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace csp::model {

Diagnostic& DiagnosticSink::error(SourceRange range, std::string message, std::string code) {
  diagnostics_.push_back({Severity::Error, range, std::move(message), {}, {}, std::move(code)});
  return diagnostics_.back();
}

Diagnostic& DiagnosticSink::warning(SourceRange range, std::string message, std::string code) {
  diagnostics_.push_back({Severity::Warning, range, std::move(message), {}, {}, std::move(code)});
  return diagnostics_.back();
}

bool DiagnosticSink::has_errors() const { return error_count() > 0; }

std::size_t DiagnosticSink::error_count() const {
  return static_cast<std::size_t>(std::count_if(diagnostics_.begin(), diagnostics_.end(),
      [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
  std::vector<Diagnostic> out = diagnostics_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.range.file, a.range.begin, a.severity, a.message) <
           std::tie(b.range.file, b.range.begin, b.severity, b.message);
  });
  return out;
}

namespace {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

// The source line plus a marker line: a caret under the first character and
// tildes under the rest of the range (clipped to the line).
std::string snippet(SourceRange range, const SourceManager& sources) {
  if (!range.valid()) return "";
  LineCol start = sources.line_col(range.file, range.begin);
  std::string_view line = sources.line_text(range.file, start.line);
  std::string marker;
  std::uint32_t col = 1;
  std::size_t i = 0;
  // Copy tabs into the padding so the caret lines up under the source text.
  for (; i < line.size() && col < start.column; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;
    marker += line[i] == '\t' ? '\t' : ' ';
    ++col;
  }
  marker += '^';
  LineCol end = sources.line_col(range.file, range.end > range.begin ? range.end : range.begin);
  std::uint32_t last = end.line == start.line ? end.column : static_cast<std::uint32_t>(line.size()) + 1;
  for (std::uint32_t c = start.column + 1; c < last; ++c) marker += '~';
  return fmt::format("{}\n{}\n", line, marker);
}

}  // namespace

std::string render(const Diagnostic& d, const SourceManager& sources) {
  std::string out;
  std::string where = sources.where(d.range);
  out += where.empty() ? fmt::format("cspverify: {}: {}\n", severity_name(d.severity), d.message)
                       : fmt::format("{}: {}: {}\n", where, severity_name(d.severity), d.message);
  out += snippet(d.range, sources);
  if (!d.help.empty()) out += fmt::format("  = help: {}\n", d.help);
  for (const auto& note : d.notes) {
    std::string nwhere = sources.where(note.range);
    out += nwhere.empty() ? fmt::format("note: {}\n", note.message)
                          : fmt::format("{}: note: {}\n", nwhere, note.message);
    out += snippet(note.range, sources);
  }
  return out;
}

std::string render_all(const DiagnosticSink& sink, const SourceManager& sources) {
  std::string out;
  for (const auto& d : sink.sorted()) out += render(d, sources);
  std::size_t errors = sink.error_count();
  if (errors > 0) out += fmt::format("{} error{} generated\n", errors, errors == 1 ? "" : "s");
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      bool same = a[i - 1] == b[j - 1];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_match(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, std::min<std::size_t>(3, name.size() / 3 + 1));
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(name, c);
    if (d <= best_distance && (best.empty() || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace csp::model
