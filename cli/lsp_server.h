// `cspverify lsp`: a Language Server Protocol server (docs/editors.md) on
// the CLI's own front end. The server is a function from one JSON-RPC
// message to the messages it sends back, so it is tested without a process;
// run_lsp() adds the Content-Length framing over standard input and output.
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/command_help.h"
#include "model/source.h"

namespace csp::cli {

class LspServer {
 public:
  LspServer();
  ~LspServer();

  /// Handles one message (request or notification); returns the response,
  /// if any, and the notifications it causes (publishDiagnostics).
  std::vector<nlohmann::json> handle(const nlohmann::json& message);

  /// True after `exit`; the process then ends with exit_code().
  bool exited() const { return exited_; }
  int exit_code() const { return shutdown_ ? 0 : 1; }

 private:
  struct Document;
  struct Analysis;

  nlohmann::json dispatch(const std::string& method, const nlohmann::json& params, std::vector<nlohmann::json>& sent);
  void analyse(const std::string& uri, std::vector<nlohmann::json>& sent);
  nlohmann::json definition(const nlohmann::json& params);
  nlohmann::json references(const nlohmann::json& params);
  nlohmann::json hover(const nlohmann::json& params);
  nlohmann::json completion(const nlohmann::json& params);
  nlohmann::json document_symbols(const nlohmann::json& params);
  nlohmann::json formatting(const nlohmann::json& params);
  /// The analysis of the document and the symbol at the request's position, or -1.
  std::pair<const Analysis*, int> symbol_at(const nlohmann::json& params) const;
  nlohmann::json location(const Analysis& analysis, model::SourceRange range) const;

  std::map<std::string, std::unique_ptr<Document>> documents_;  // by URI
  std::map<std::string, std::shared_ptr<Analysis>> analyses_;   // by URI, of the current text
  std::map<std::string, std::shared_ptr<Analysis>> last_checked_;  // by URI, the last text that checked
  bool shutdown_ = false;
  bool exited_ = false;
};

/// Serves LSP on `in` / `out` until `exit` or end of input; returns the exit code.
int serve_lsp(std::istream& in, std::ostream& out, std::ostream& err);

/// Runs the lsp sub-command (`args` without the word `lsp`) on standard input and output.
int run_lsp(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

/// What `cspverify lsp --help` shows, in parts.
CommandHelp describe_lsp();

}  // namespace csp::cli
