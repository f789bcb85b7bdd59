# A second LSP client: Neovim's own (vim.lsp), headless, on `cspverify lsp`
# (tests/cli/nvim_client.lua). Skipped (exit 77) without nvim; `scripts/setup.sh
# --tests` installs Debian's.
source "$(dirname "$0")/lib.bash"
command -v nvim >/dev/null || { echo "SKIPPED: no nvim (scripts/setup.sh --tests installs it)"; exit 77; }
# The client edits line 4 (0-based 3): the formula is there.
printf 'entity Partner {\n  signed: Date?\n}\nrule r "partners sign" source "CSP-R04" { forall p: Partner | p.signed <= 2020-02-01 }\n' > "$TMP/spec.cspv"
CSPV="$CSPV" SPEC="$TMP/spec.cspv" OUT="$TMP/result" XDG_STATE_HOME="$TMP" XDG_DATA_HOME="$TMP" \
  timeout 120 nvim --headless --clean -c "luafile $SRC/tests/cli/nvim_client.lua" >"$TMP/nvim.log" 2>&1 \
  || fail "nvim exited $?: $(cat "$TMP/nvim.log")"
expect_in "$TMP/result" "initialized=true"
expect_in "$TMP/result" "diagnosed=true"
expect_in "$TMP/result" "diagnostic=3:64: entity \`Partner\` has no attribute \`signde\`"
expect_in "$TMP/result" "fixed=true"
expect_in "$TMP/result" "definition=spec.cspv:1:2"
expect_in "$TMP/result" "hover=\`\`\`cspv Partner.signed: Date? \`\`\`"
expect_in "$TMP/result" "stopped=true"
finish
