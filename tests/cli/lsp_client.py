"""Drives `cspverify lsp` over JSON-RPC on its standard input and output, as
an editor does: Content-Length framing, initialize, didOpen, didChange with a
typo, publishDiagnostics, definition, references, hover, completion,
documentSymbol, formatting, shutdown, exit. Diagnostics are compared with
what `cspverify check` prints for the same text. Exits 1 on a failure."""
import json
import os
import re
import subprocess
import sys

cspverify, workdir = sys.argv[1], sys.argv[2]
failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


class Client:
    def __init__(self):
        self.proc = subprocess.Popen([cspverify, "lsp", "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.next_id = 0
        self.notifications = []

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise EOFError("the server closed its output")
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        return json.loads(self.proc.stdout.read(length))

    def request(self, method, params):
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id:
                return message
            self.notifications.append(message)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def diagnostics(self, uri):
        """The next publishDiagnostics for `uri` (the server sends it while handling the change)."""
        while True:
            for i, n in enumerate(self.notifications):
                if n.get("method") == "textDocument/publishDiagnostics" and n["params"]["uri"] == uri:
                    return self.notifications.pop(i)["params"]["diagnostics"]
            self.notifications.append(self.receive())


vocabulary_path = os.path.join(workdir, "vocabulary.cspv")
policy_path = os.path.join(workdir, "policy.cspv")
with open(vocabulary_path, "w") as f:
    f.write("""enum Role { provider, reseller }
entity Partner {
  role: Role
  signed: Date?  // the day it signed the MPA
}
entity Sale {
  seller: Partner
  date: Date
}
""")
policy = """include "vocabulary.cspv"

rule signed_sellers "a partner sells only after signing the MPA" source "CSP-R04" {
  forall s: Sale | s.seller.signed <= s.date
}

scenario unsigned {
  P: Partner { role = provider, signed = none }
  S: Sale { seller = P, date = 2021-01-01 }
  expect forbidden by CSP-R04
}
"""
with open(policy_path, "w") as f:
    f.write(policy)
policy_uri = "file://" + policy_path
vocabulary_uri = "file://" + vocabulary_path


def position_of(text, needle, occurrence=0, offset=0):
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(needle, at + 1)
    at += offset
    line = text.count("\n", 0, at)
    return {"line": line, "character": at - (text.rfind("\n", 0, at) + 1)}


client = Client()
init = client.request("initialize", {"processId": os.getpid(), "rootUri": "file://" + workdir, "capabilities": {}})
caps = init["result"]["capabilities"]
for capability in ("definitionProvider", "referencesProvider", "hoverProvider", "documentSymbolProvider",
                   "documentFormattingProvider", "completionProvider"):
    check(capability in caps, f"initialize lacks {capability}: {caps}")
client.notify("initialized", {})

client.notify("textDocument/didOpen",
              {"textDocument": {"uri": policy_uri, "languageId": "cspv", "version": 1, "text": policy}})
check(client.diagnostics(policy_uri) == [], "a clean spec has diagnostics")

# A typo, unsaved: the server reads the editor's text, not the file.
typo = policy.replace("s.seller.signed <=", "s.seller.signde <=")
client.notify("textDocument/didChange", {"textDocument": {"uri": policy_uri, "version": 2},
                                         "contentChanges": [{"text": typo}]})
diagnostics = client.diagnostics(policy_uri)
check(len(diagnostics) == 1, f"expected one diagnostic for the typo, got {diagnostics}")
typo_file = os.path.join(workdir, "typo.cspv")
with open(typo_file, "w") as f:
    f.write(typo)
cli = subprocess.run([cspverify, "check", typo_file], capture_output=True, text=True)
first = re.match(r".*typo\.cspv:(\d+):(\d+): error: (.*)", cli.stderr.splitlines()[0])
check(first is not None, f"cspverify check printed: {cli.stderr}")
if diagnostics and first:
    d = diagnostics[0]
    line, column, message = int(first.group(1)), int(first.group(2)), first.group(3)
    check(d["message"].split("\n")[0] == message, f"message {d['message']!r} differs from the CLI's {message!r}")
    check(d["range"]["start"] == {"line": line - 1, "character": column - 1},
          f"range {d['range']} does not start at the CLI's {line}:{column}")
    check(d["range"]["start"] == position_of(typo, "signde"), f"range {d['range']} is not at `signde`")
    check(d["range"]["end"]["character"] - d["range"]["start"]["character"] == len("signde"), f"range {d['range']}")
    check("did you mean `signed`?" in d["message"], f"no suggestion in {d['message']!r}")
    check(d["severity"] == 1 and d["source"] == "cspverify", f"diagnostic {d}")

# Completion after `s.seller.` while the text does not check: the last checked text's attributes.
partial = policy.replace("s.seller.signed <= s.date", "s.seller.")
client.notify("textDocument/didChange", {"textDocument": {"uri": policy_uri, "version": 3},
                                         "contentChanges": [{"text": partial}]})
check(client.diagnostics(policy_uri) != [], "an unfinished formula has no diagnostic")
items = client.request("textDocument/completion", {"textDocument": {"uri": policy_uri},
                                                   "position": position_of(partial, "s.seller.", 0, 9)})["result"]
labels = {item["label"] for item in items}
check({"role", "signed", "seller", "date"} <= labels, f"attribute completion gave {labels}")
check("Partner" not in labels, f"attribute completion offers kinds: {labels}")

client.notify("textDocument/didChange", {"textDocument": {"uri": policy_uri, "version": 4},
                                         "contentChanges": [{"text": policy}]})
check(client.diagnostics(policy_uri) == [], "the fixed spec still has diagnostics")

names = {i["label"] for i in client.request("textDocument/completion", {
    "textDocument": {"uri": policy_uri}, "position": position_of(policy, "forall")})["result"]}
check({"Partner", "Sale", "Role", "provider", "reseller"} <= names, f"name completion gave {names}")

# Definition of `signed` in `s.seller.signed`: the attribute in vocabulary.cspv.
definition = client.request("textDocument/definition", {"textDocument": {"uri": policy_uri},
                                                         "position": position_of(policy, "signed <=", 0, 2)})["result"]
check(definition is not None and definition["uri"] == vocabulary_uri, f"definition: {definition}")
if definition:
    vocabulary = open(vocabulary_path).read()
    check(definition["range"]["start"] == position_of(vocabulary, "signed: Date?"), f"definition: {definition}")

# `CSP-R04` after `expect forbidden by` leads to the rule citing it.
rule = client.request("textDocument/definition", {"textDocument": {"uri": policy_uri},
                                                   "position": position_of(policy, "by CSP-R04", 0, 4)})["result"]
check(rule is not None and rule["range"]["start"] == position_of(policy, "signed_sellers"), f"rule definition: {rule}")

# References of the attribute: its declaration, the rule's use, the scenario's assignment.
refs = client.request("textDocument/references", {"textDocument": {"uri": policy_uri},
                                                  "position": position_of(policy, "signed <=", 0, 1),
                                                  "context": {"includeDeclaration": True}})["result"]
check(len(refs) == 3 and sorted(r["uri"] for r in refs) == [policy_uri, policy_uri, vocabulary_uri],
      f"references: {refs}")

hover = client.request("textDocument/hover", {"textDocument": {"uri": policy_uri},
                                              "position": position_of(policy, "signed <=", 0, 1)})["result"]
check(hover is not None and "Partner.signed: Date?" in hover["contents"]["value"], f"attribute hover: {hover}")
hover = client.request("textDocument/hover", {"textDocument": {"uri": policy_uri},
                                              "position": position_of(policy, "signed_sellers", 0, 3)})["result"]
value = hover["contents"]["value"] if hover else ""
check("a partner sells only after signing the MPA" in value and "CSP-R04" in value
      and "forall s: Sale" in value, f"rule hover: {hover}")

symbols = client.request("textDocument/documentSymbol", {"textDocument": {"uri": policy_uri}})["result"]
check([s["name"] for s in symbols] == ["signed_sellers", "unsigned"], f"document symbols: {symbols}")

messy = policy.replace("forall s: Sale | s.seller.signed <= s.date", "forall s:Sale|s.seller.signed<=s.date")
client.notify("textDocument/didChange", {"textDocument": {"uri": policy_uri, "version": 5},
                                         "contentChanges": [{"text": messy}]})
client.diagnostics(policy_uri)
edits = client.request("textDocument/formatting", {"textDocument": {"uri": policy_uri},
                                                   "options": {"tabSize": 2, "insertSpaces": True}})["result"]
check(len(edits) == 1 and edits[0]["newText"] == policy, f"formatting: {edits}")

unknown = client.request("textDocument/semanticTokens/full", {"textDocument": {"uri": policy_uri}})
check(unknown.get("error", {}).get("code") == -32601, f"an unknown method: {unknown}")

shutdown = client.request("shutdown", None)
check("result" in shutdown and shutdown["result"] is None, f"shutdown: {shutdown}")
client.notify("exit", None)
check(client.proc.wait(timeout=10) == 0, f"exit code {client.proc.returncode}")
sys.exit(1 if failures else 0)
