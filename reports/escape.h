// Escaping for every language the reports speak (JSON, XML/HTML, Graphviz DOT,
// Markdown, Mermaid, URIs). Valid UTF-8 passes through unchanged everywhere;
// invalid bytes become U+FFFD so no writer can emit a broken document.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace csp::reports {

/// `text` with each invalid UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

/// Text safe to print on a terminal: control characters other than newline
/// and tab (C0, DEL and C1, which could start escape sequences) become U+FFFD.
std::string terminal_safe(std::string_view text);

/// `text` cut at backticks, the way reports quote names ("property `p`"):
/// (piece, inside backticks) in order; an unpaired backtick quotes to the end.
std::vector<std::pair<std::string_view, bool>> split_code_spans(std::string_view text);

/// A JSON string literal, quotes included: `"`, `\` and control characters escaped.
std::string json_quote(std::string_view text);

/// Text safe in XML and HTML element content and in quoted attribute values.
/// Characters XML 1.0 forbids (most C0 controls) become U+FFFD.
std::string xml_escape(std::string_view text);

/// A Graphviz double-quoted string, quotes included; a newline becomes a
/// centred line break (`\n`), a backslash stays a literal backslash.
std::string dot_quote(std::string_view text);

/// Markdown inline text: characters that would start markup are
/// backslash-escaped and newlines become spaces (safe in table cells).
std::string markdown_escape(std::string_view text);

/// Text for a quoted Mermaid label (`id["..."]`, `-->|"..."|`): quotes,
/// markup and `#` as Mermaid entity codes; newlines become `<br>`.
std::string mermaid_label(std::string_view text);

/// An identifier made of [A-Za-z0-9_] only (other characters become `_`),
/// never empty and never starting with a digit.
std::string identifier_safe(std::string_view name);

/// A file path as a URI reference: relative paths stay relative, absolute
/// ones become `file://` URIs; bytes outside RFC 3986's unreserved set and
/// `/` are percent-encoded.
std::string uri_from_path(std::string_view path);

}  // namespace csp::reports
