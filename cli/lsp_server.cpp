// The language server: documents are kept as the editor sends them (full
// text on every change), and each change runs the CLI's front end (load with
// includes, check) on the document, other open documents standing in for
// their files on disk. Diagnostics are the CLI's, with the same ranges;
// navigation and hover come from the checked model's resolved names
// (lsp_index.h), completion from the last text that checked (the current one
// rarely does while a name is being typed).
#include "cli/lsp_server.h"

#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/commands.h"
#include "cli/lsp_index.h"
#include "model/format.h"
#include "model/frontend.h"

namespace csp::cli {

using nlohmann::json;
using namespace model;
namespace fs = std::filesystem;

namespace {

// JSON-RPC and LSP error codes.
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInvalidRequest = -32600;

// LSP SymbolKind values.
constexpr int kClassSymbol = 5, kFieldSymbol = 8, kEnumSymbol = 10, kInterfaceSymbol = 11, kFunctionSymbol = 12,
              kConstantSymbol = 14, kEventSymbol = 24, kEnumMemberSymbol = 22, kObjectSymbol = 19,
              kModuleSymbol = 2;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// file:///a/b%20c.cspv -> /a/b c.cspv (other schemes: the URI itself, never found on disk)
std::string path_of(const std::string& uri) {
  const std::string scheme = "file://";
  if (uri.rfind(scheme, 0) != 0) return uri;
  std::string path;
  for (std::size_t i = scheme.size(); i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex_value(uri[i + 1]) >= 0 && hex_value(uri[i + 2]) >= 0) {
      path += static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2]));
      i += 2;
    } else {
      path += uri[i];
    }
  }
  return path;
}

std::string uri_of(const std::string& path) {
  std::error_code ec;
  std::string absolute = fs::absolute(path, ec).lexically_normal().generic_string();
  std::string uri = "file://";
  for (unsigned char c : absolute) {
    if (std::isalnum(c) || std::string_view("/-._~").find(static_cast<char>(c)) != std::string_view::npos) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

// LSP positions count lines from 0 and characters in UTF-16 code units.
json position(std::string_view text, std::uint32_t offset) {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  std::size_t line_start = text.rfind('\n', offset == 0 ? std::string_view::npos : offset - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  int line = static_cast<int>(std::count(text.begin(), text.begin() + line_start, '\n'));
  int character = 0;
  for (std::size_t i = line_start; i < offset; ++i) {
    auto byte = static_cast<unsigned char>(text[i]);
    if ((byte & 0xC0) == 0x80) continue;   // a continuation byte
    character += byte >= 0xF0 ? 2 : 1;      // outside the BMP: a surrogate pair
  }
  return {{"line", line}, {"character", character}};
}

std::uint32_t offset_of(std::string_view text, const json& pos) {
  int line = pos.value("line", 0), character = pos.value("character", 0);
  std::size_t at = 0;
  for (int l = 0; l < line && at < text.size(); ++l) {
    std::size_t next = text.find('\n', at);
    at = next == std::string_view::npos ? text.size() : next + 1;
  }
  for (int units = 0; at < text.size() && text[at] != '\n' && units < character;) {
    auto byte = static_cast<unsigned char>(text[at]);
    units += byte >= 0xF0 ? 2 : 1;
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  }
  return static_cast<std::uint32_t>(at);
}

json range_json(std::string_view text, SourceRange range) {
  return {{"start", position(text, range.begin)}, {"end", position(text, range.end)}};
}

int severity_of(Severity severity) {
  switch (severity) {
    case Severity::Error: return 1;
    case Severity::Warning: return 2;
    default: return 3;
  }
}

json response(const json& id, json result) { return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}; }

json error_response(const json& id, int code, const std::string& message) {
  return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

json notification(const std::string& method, json params) {
  return {{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace

struct LspServer::Document {
  std::string path;
  std::string text;
};

struct LspServer::Analysis {
  SourceManager sources;
  DiagnosticSink sink;
  std::optional<Model> model;
  std::optional<SymbolIndex> index;
  int file = -1;  // the document's file id; -1 when it could not be loaded
  std::string text;
};

LspServer::LspServer() = default;
LspServer::~LspServer() = default;

std::vector<json> LspServer::handle(const json& message) {
  std::vector<json> sent;
  if (!message.is_object() || !message.contains("method") || !message["method"].is_string()) {
    if (message.is_object() && message.contains("id")) sent.push_back(error_response(message["id"], kInvalidRequest, "not a request"));
    return sent;
  }
  std::string method = message["method"];
  json params = message.value("params", json::object());
  bool is_request = message.contains("id");
  json result;
  try {
    result = dispatch(method, params, sent);
  } catch (const json::exception& e) {
    if (is_request) sent.insert(sent.begin(), error_response(message["id"], kInvalidParams, e.what()));
    return sent;
  }
  if (!is_request) return sent;
  if (result.is_object() && result.contains("__error")) {
    sent.insert(sent.begin(), error_response(message["id"], result["__error"], result["message"]));
  } else {
    sent.insert(sent.begin(), response(message["id"], std::move(result)));
  }
  return sent;
}

json LspServer::dispatch(const std::string& method, const json& params, std::vector<json>& sent) {
  if (method == "initialize") {
    return {{"capabilities",
             {{"textDocumentSync", {{"openClose", true}, {"change", 1}}},
              {"definitionProvider", true},
              {"referencesProvider", true},
              {"hoverProvider", true},
              {"completionProvider", {{"triggerCharacters", {"."}}}},
              {"documentSymbolProvider", true},
              {"documentFormattingProvider", true}}},
            {"serverInfo", {{"name", "cspverify"}, {"version", CSPVERIFY_VERSION}}}};
  }
  if (method == "shutdown") {
    shutdown_ = true;
    return nullptr;
  }
  if (method == "exit") {
    exited_ = true;
    return nullptr;
  }
  if (method == "textDocument/didOpen") {
    const json& doc = params.at("textDocument");
    std::string uri = doc.at("uri");
    documents_[uri] = std::make_unique<Document>(Document{path_of(uri), doc.at("text")});
    analyse(uri, sent);
    return nullptr;
  }
  if (method == "textDocument/didChange") {
    std::string uri = params.at("textDocument").at("uri");
    auto it = documents_.find(uri);
    const json& changes = params.at("contentChanges");
    if (it == documents_.end() || changes.empty()) return nullptr;
    it->second->text = changes.back().at("text");  // full synchronisation: each change is the whole text
    analyse(uri, sent);
    return nullptr;
  }
  if (method == "textDocument/didClose") {
    std::string uri = params.at("textDocument").at("uri");
    documents_.erase(uri);
    analyses_.erase(uri);
    last_checked_.erase(uri);
    sent.push_back(notification("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", json::array()}}));
    return nullptr;
  }
  if (method == "textDocument/definition") return definition(params);
  if (method == "textDocument/references") return references(params);
  if (method == "textDocument/hover") return hover(params);
  if (method == "textDocument/completion") return completion(params);
  if (method == "textDocument/documentSymbol") return document_symbols(params);
  if (method == "textDocument/formatting") return formatting(params);
  if (method == "initialized" || method.rfind("$/", 0) == 0 || method == "workspace/didChangeConfiguration") {
    return nullptr;
  }
  return {{"__error", kMethodNotFound}, {"message", fmt::format("method `{}` is not supported", method)}};
}

// Loads and checks the document as `cspverify check FILE` would, and publishes its diagnostics.
void LspServer::analyse(const std::string& uri, std::vector<json>& sent) {
  const Document& doc = *documents_.at(uri);
  auto analysis = std::make_shared<Analysis>();
  // Every open document's text stands in for its file (the loader reads buffers already added).
  for (const auto& [other_uri, other] : documents_) {
    int id = analysis->sources.add(other->path, other->text);
    if (other_uri == uri) analysis->file = id;
  }
  analysis->text = doc.text;
  analysis->model = load_model({doc.path}, analysis->sources, analysis->sink);
  if (analysis->model) {
    analysis->index.emplace(*analysis->model, analysis->sources);
    last_checked_[uri] = analysis;
  }
  json diagnostics = json::array();
  for (const Diagnostic& d : analysis->sink.sorted()) {
    // A diagnostic in an included file shows at the top of the document, naming where it is.
    bool here = d.range.valid() && d.range.file == analysis->file;
    std::string message = d.message;
    if (d.range.valid() && !here) message = fmt::format("{}: {}", analysis->sources.where(d.range), d.message);
    if (!d.help.empty()) message += "\nhelp: " + d.help;
    json item = {{"range", here ? range_json(doc.text, d.range) : range_json(doc.text, {})},
                 {"severity", severity_of(d.severity)},
                 {"source", "cspverify"},
                 {"message", message}};
    if (!d.code.empty()) item["code"] = d.code;
    json related = json::array();
    for (const auto& note : d.notes) {
      if (note.range.valid()) {
        related.push_back({{"location", location(*analysis, note.range)}, {"message", note.message}});
      } else {
        item["message"] = item["message"].get<std::string>() + "\nnote: " + note.message;
      }
    }
    if (!related.empty()) item["relatedInformation"] = related;
    diagnostics.push_back(std::move(item));
  }
  analyses_[uri] = analysis;
  sent.push_back(notification("textDocument/publishDiagnostics", {{"uri", uri}, {"diagnostics", diagnostics}}));
}

json LspServer::location(const Analysis& analysis, SourceRange range) const {
  std::string_view text = analysis.sources.text(range.file);
  return {{"uri", uri_of(analysis.sources.path(range.file))}, {"range", range_json(text, range)}};
}

std::pair<const LspServer::Analysis*, int> LspServer::symbol_at(const json& params) const {
  std::string uri = params.at("textDocument").at("uri");
  auto it = analyses_.find(uri);
  if (it == analyses_.end() || !it->second->index || it->second->file < 0) return {nullptr, -1};
  const Analysis& analysis = *it->second;
  std::uint32_t offset = offset_of(analysis.text, params.at("position"));
  return {&analysis, analysis.index->symbol_at(analysis.file, offset)};
}

json LspServer::definition(const json& params) {
  auto [analysis, symbol] = symbol_at(params);
  if (symbol < 0 || !analysis->index->symbol(symbol).declaration.valid()) return nullptr;
  return location(*analysis, analysis->index->symbol(symbol).declaration);
}

json LspServer::references(const json& params) {
  auto [analysis, symbol] = symbol_at(params);
  if (symbol < 0) return nullptr;
  bool with_declaration = params.value("context", json::object()).value("includeDeclaration", true);
  SourceRange declaration = analysis->index->symbol(symbol).declaration;
  json out = json::array();
  for (SourceRange range : analysis->index->references(symbol)) {
    if (!with_declaration && range.file == declaration.file && range.begin == declaration.begin) continue;
    out.push_back(location(*analysis, range));
  }
  return out;
}

json LspServer::hover(const json& params) {
  auto [analysis, symbol] = symbol_at(params);
  if (symbol < 0) return nullptr;
  return {{"contents", {{"kind", "markdown"}, {"value", analysis->index->symbol(symbol).hover}}}};
}

json LspServer::completion(const json& params) {
  std::string uri = params.at("textDocument").at("uri");
  auto doc = documents_.find(uri);
  auto checked = last_checked_.find(uri);
  json items = json::array();
  if (doc == documents_.end() || checked == last_checked_.end()) return items;
  const std::string& text = doc->second->text;
  std::uint32_t offset = offset_of(text, params.at("position"));
  std::uint32_t start = offset;
  while (start > 0 && (std::isalnum(static_cast<unsigned char>(text[start - 1])) || text[start - 1] == '_')) --start;
  bool after_dot = start > 0 && text[start - 1] == '.';
  const SymbolIndex& index = *checked->second->index;
  for (const auto& c : after_dot ? index.attribute_completions() : index.name_completions()) {
    items.push_back({{"label", c.label}, {"detail", c.detail}, {"kind", c.kind}});
  }
  return items;
}

namespace {

json symbol_json(std::string_view text, const std::string& name, int kind, SourceRange whole, SourceRange name_range,
                 json children = json::array()) {
  if (!whole.valid() || whole.begin > name_range.begin) whole = join(whole, name_range);
  return {{"name", name},
          {"kind", kind},
          {"range", range_json(text, join(whole, name_range))},
          {"selectionRange", range_json(text, name_range)},
          {"children", std::move(children)}};
}

// The declarations of one parsed file, in source order (a patch's under its own name).
void collect_symbols(const SpecFile& file, std::string_view text, json& out) {
  for (const auto& e : file.enums) {
    json values = json::array();
    for (std::size_t i = 0; i < e.values.size() && !e.csv; ++i) {
      values.push_back(symbol_json(text, e.values[i], kEnumMemberSymbol, e.value_ranges[i], e.value_ranges[i]));
    }
    out.push_back(symbol_json(text, e.name, kEnumSymbol, e.range, e.range, values));
  }
  for (const auto& k : file.kinds) {
    json attributes = json::array();
    for (const auto& a : k.attributes) attributes.push_back(symbol_json(text, a.name, kFieldSymbol, join(a.range, a.type.range), a.range));
    SourceRange whole = k.attributes.empty() ? k.range : join(k.range, k.attributes.back().type.range);
    out.push_back(symbol_json(text, k.name, kClassSymbol, whole, k.range, attributes));
  }
  for (const auto& r : file.relations) out.push_back(symbol_json(text, r.name, kInterfaceSymbol, r.range, r.range));
  for (const auto& t : file.tables) out.push_back(symbol_json(text, t.name, kInterfaceSymbol, t.extent, t.range));
  for (const auto& d : file.defines) out.push_back(symbol_json(text, d.name, kFunctionSymbol, d.extent, d.range));
  for (const auto& r : file.rules) out.push_back(symbol_json(text, r.name, kConstantSymbol, r.extent, r.range));
  for (const auto& p : file.properties) out.push_back(symbol_json(text, p.name, kEventSymbol, p.extent, p.range));
  for (const auto& s : file.scenarios) out.push_back(symbol_json(text, s.name, kObjectSymbol, s.extent, s.range));
  for (const auto& i : file.imports) out.push_back(symbol_json(text, "import " + i.target, kModuleSymbol, i.range, i.range));
  for (const auto& p : file.patches) {
    if (p.declaration) {
      collect_symbols(*p.declaration, text, out);
    } else {
      out.push_back(symbol_json(text, fmt::format("remove {} {}", p.what, p.name), kConstantSymbol, p.action_range, p.range));
    }
  }
}

}  // namespace

// From the parse alone, so the outline stays while the document has type errors.
json LspServer::document_symbols(const json& params) {
  std::string uri = params.at("textDocument").at("uri");
  auto doc = documents_.find(uri);
  if (doc == documents_.end()) return nullptr;
  SourceManager sources;
  DiagnosticSink ignored;
  int file = sources.add(doc->second->path, doc->second->text);
  SpecFile parsed = parse(sources, file, ignored);
  json out = json::array();
  collect_symbols(parsed, doc->second->text, out);
  std::sort(out.begin(), out.end(), [](const json& a, const json& b) {
    auto key = [](const json& s) {
      return std::make_pair(s["selectionRange"]["start"]["line"].get<int>(), s["selectionRange"]["start"]["character"].get<int>());
    };
    return key(a) < key(b);
  });
  return out;
}

// `cspverify fmt` on the document: one edit replacing the whole text, none when it is formatted
// or does not parse (the diagnostics say why).
json LspServer::formatting(const json& params) {
  std::string uri = params.at("textDocument").at("uri");
  auto doc = documents_.find(uri);
  if (doc == documents_.end()) return nullptr;
  SourceManager sources;
  DiagnosticSink ignored;
  const std::string& text = doc->second->text;
  int file = sources.add(doc->second->path, text);
  std::optional<std::string> formatted;
  try {
    formatted = format_file(sources, file, ignored);
  } catch (const FormatError& e) {
    return {{"__error", kInvalidRequest}, {"message", e.what()}};
  }
  json edits = json::array();
  if (formatted && *formatted != text) {
    edits.push_back({{"range", {{"start", position(text, 0)}, {"end", position(text, static_cast<std::uint32_t>(text.size()))}}},
                     {"newText", *formatted}});
  }
  return edits;
}

// ------------------------------------------------------------- framing

namespace {

// One message: `Content-Length: N` (other headers ignored), a blank line, N bytes.
std::optional<std::string> read_message(std::istream& in) {
  std::string line;
  std::optional<std::size_t> length;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!length) continue;  // stray blank lines before the headers
      std::string body(*length, '\0');
      if (!in.read(body.data(), static_cast<std::streamsize>(body.size()))) return std::nullopt;
      return body;
    }
    const std::string header = "content-length:";
    std::string lower = line;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.rfind(header, 0) == 0) {
      std::string digits = lower.substr(header.size());
      digits.erase(0, digits.find_first_not_of(' '));
      auto value = parse_whole_number(digits, 0, 1ULL << 30);
      if (!value) return std::nullopt;
      length = *value;
    }
  }
  return std::nullopt;
}

void write_message(std::ostream& out, const json& message) {
  std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

const char* kLspExitCodes =
    "Exit codes:\n"
    "  0  the client sent `shutdown`, then `exit`\n"
    "  1  `exit` without `shutdown`, or the input ended first\n"
    "  2  usage error\n";

struct LspOptions {
  bool help = false;
  bool stdio = false;
};

boost::program_options::options_description lsp_options(LspOptions& o) {
  boost::program_options::options_description d("cspverify lsp [options]");
  d.add_options()("help,h", boost::program_options::bool_switch(&o.help), "show this help")
      ("stdio", boost::program_options::bool_switch(&o.stdio),
       "talk over standard input and output (the default and only transport; accepted as editors pass it)");
  return d;
}

}  // namespace

int serve_lsp(std::istream& in, std::ostream& out, std::ostream& err) {
  LspServer server;
  while (auto body = read_message(in)) {
    json message = json::parse(*body, nullptr, false);
    if (message.is_discarded()) {
      write_message(out, error_response(nullptr, -32700, "the message is not JSON"));
      continue;
    }
    for (const json& reply : server.handle(message)) write_message(out, reply);
    if (server.exited()) return server.exit_code();
  }
  return 1;
}

CommandHelp describe_lsp() {
  static LspOptions unused;
  CommandHelp help;
  help.usages = {"cspverify lsp [--stdio]"};
  help.options = lsp_options(unused).options();
  help.exit_codes = kLspExitCodes;
  return help;
}

int run_lsp(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  LspOptions o;
  auto desc = lsp_options(o);
  try {
    boost::program_options::variables_map vm;
    boost::program_options::store(boost::program_options::command_line_parser(args).options(desc).run(), vm);
    boost::program_options::notify(vm);
  } catch (const boost::program_options::error& e) {
    fmt::print(err, "cspverify lsp: error: {}\n(see `cspverify lsp --help`)\n", option_error_message(e, desc));
    return kBadInput;
  }
  if (o.help) {
    std::ostringstream text;
    text << desc << "\n" << kLspExitCodes;
    return write_stdout(text.str(), out, err) ? kSuccess : kBadInput;
  }
  std::ios::sync_with_stdio(false);
  return serve_lsp(std::cin, out, err);
}

}  // namespace csp::cli
