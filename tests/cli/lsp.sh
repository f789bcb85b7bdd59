# cspverify lsp end to end, driven as an editor drives it (tests/cli/lsp_client.py):
# diagnostics as the CLI's, definition, references, hover, completion,
# outline, formatting, shutdown and exit.
source "$(dirname "$0")/lib.bash"
mkdir -p "$TMP/work"
timeout 60 python3 "$SRC/tests/cli/lsp_client.py" "$CSPV" "$TMP/work" >"$TMP/out" 2>&1 \
  || { fail "the LSP session failed"; sed 's/^/  | /' "$TMP/out"; }
# Without `shutdown`, `exit` ends with 1; end of input too.
printf 'Content-Length: 33\r\n\r\n{"jsonrpc":"2.0","method":"exit"}' | "$CSPV" lsp >/dev/null
[[ $? == 1 ]] || fail "exit without shutdown did not exit 1"
"$CSPV" lsp </dev/null >/dev/null
[[ $? == 1 ]] || fail "end of input did not exit 1"
expect_exit 0 lsp --help
expect_in "$TMP/out" "--stdio"
finish
