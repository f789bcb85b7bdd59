// Escaping for the report formats; see escape.h.
#include "reports/escape.h"

#include <fmt/format.h>

#include "model/utf8.h"

namespace csp::reports {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Calls `ascii(c)` for each ASCII byte and appends every other valid
// sequence (or U+FFFD for invalid bytes) unchanged.
template <typename AsciiFn>
std::string map_ascii(std::string_view text, AsciiFn ascii) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = model::utf8_sequence_length(text, i);
    if (length == 0) {
      out += kReplacement;
      ++i;
    } else if (length == 1) {
      ascii(out, text[i]);
      ++i;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }

}  // namespace

std::string valid_utf8(std::string_view text) {
  return map_ascii(text, [](std::string& out, char c) { out += c; });
}

std::string terminal_safe(std::string_view text) {
  std::string ascii_safe = map_ascii(text, [](std::string& out, char c) {
    out += (c == '\n' || c == '\t' || !is_control(c)) ? std::string_view(&c, 1) : kReplacement;
  });
  // C1 controls U+0080..U+009F are encoded as C2 80..C2 9F.
  std::string out;
  for (std::size_t i = 0; i < ascii_safe.size(); ++i) {
    auto next = i + 1 < ascii_safe.size() ? static_cast<unsigned char>(ascii_safe[i + 1]) : 0;
    if (static_cast<unsigned char>(ascii_safe[i]) == 0xC2 && next >= 0x80 && next <= 0x9F) {
      out += kReplacement;
      ++i;
    } else {
      out += ascii_safe[i];
    }
  }
  return out;
}

std::vector<std::pair<std::string_view, bool>> split_code_spans(std::string_view text) {
  std::vector<std::pair<std::string_view, bool>> pieces;
  bool code = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '`') continue;
    if (i > start) pieces.emplace_back(text.substr(start, i - start), code);
    code = !code;
    start = i + 1;
  }
  return pieces;
}

std::string json_quote(std::string_view text) {
  std::string body = map_ascii(text, [](std::string& out, char c) {
    switch (c) {
      case '"': out += "\\\""; return;
      case '\\': out += "\\\\"; return;
      case '\n': out += "\\n"; return;
      case '\r': out += "\\r"; return;
      case '\t': out += "\\t"; return;
      case '\b': out += "\\b"; return;
      case '\f': out += "\\f"; return;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  });
  return "\"" + body + "\"";
}

std::string xml_escape(std::string_view text) {
  return map_ascii(text, [](std::string& out, char c) {
    switch (c) {
      case '&': out += "&amp;"; return;
      case '<': out += "&lt;"; return;
      case '>': out += "&gt;"; return;
      case '"': out += "&quot;"; return;
      case '\'': out += "&#39;"; return;
      case '\n': case '\r': case '\t': out += c; return;
    }
    // XML 1.0 has no way to write other C0 controls, not even as references.
    if (static_cast<unsigned char>(c) < 0x20) {
      out += kReplacement;
    } else {
      out += c;
    }
  });
}

std::string dot_quote(std::string_view text) {
  std::string body = map_ascii(text, [](std::string& out, char c) {
    switch (c) {
      case '"': out += "\\\""; return;
      case '\\': out += "\\\\"; return;
      case '\n': out += "\\n"; return;
    }
    if (!is_control(c)) out += c;
  });
  return "\"" + body + "\"";
}

std::string markdown_escape(std::string_view text) {
  return map_ascii(text, [](std::string& out, char c) {
    static constexpr std::string_view kMarkup = "\\`*_[]<>|#~&!";
    if (c == '\n' || c == '\r' || c == '\t') {
      out += ' ';
    } else if (kMarkup.find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else if (!is_control(c)) {
      out += c;
    }
  });
}

std::string mermaid_label(std::string_view text) {
  return map_ascii(text, [](std::string& out, char c) {
    switch (c) {
      case '"': out += "#quot;"; return;
      case '#': out += "#35;"; return;
      case '&': out += "#amp;"; return;
      case '<': out += "#lt;"; return;
      case '>': out += "#gt;"; return;
      case '`': out += "#96;"; return;
      case '|': out += "#124;"; return;
      case '\n': out += "<br>"; return;
    }
    if (!is_control(c)) out += c;
  });
}

std::string identifier_safe(std::string_view name) {
  std::string out;
  for (char c : name) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += word ? c : '_';
  }
  if (out.empty() || (out[0] >= '0' && out[0] <= '9')) out = "_" + out;
  return out;
}

std::string uri_from_path(std::string_view path) {
  std::string out = path.starts_with('/') ? "file://" : "";
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    out += unreserved ? std::string(1, c) : fmt::format("%{:02X}", byte);
  }
  return out;
}

}  // namespace csp::reports
