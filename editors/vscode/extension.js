// Starts `cspverify lsp` for .cspv files: every feature (diagnostics,
// definitions, references, hover, completion, outline, formatting) comes
// from the server, so this file only says how to run it.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("cspverify").get("path") || "cspverify";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "cspverify",
    "cspverify",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "cspv" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
