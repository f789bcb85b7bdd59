# editors/vscode's TextMate grammar on every shipped and test spec: no text
# is left unmatched, and every scope the grammar names appears somewhere
# (tests/specs/editors/lexical.cspv has what the shipped specs never write).
source "$(dirname "$0")/lib.bash"
mapfile -t files < <(find "$SRC/specs" "$SRC/tests/specs" -name '*.cspv' | sort)
(( ${#files[@]} > 50 )) || fail "found only ${#files[@]} specs"
python3 "$SRC/tests/cli/textmate_check.py" "$SRC/editors/vscode/syntaxes/cspv.tmLanguage.json" "${files[@]}" \
  >"$TMP/out" 2>&1 || { fail "the grammar does not cover the specs"; grep FAIL "$TMP/out" | head -20; }
expect_in "$TMP/out" "keyword.control.quantifier.cspv"
# The checker itself finds what the grammar cannot match.
printf 'rule r { forall x: K | x.n >= 0 } # not the language\n' > "$TMP/bad.cspv"
python3 "$SRC/tests/cli/textmate_check.py" "$SRC/editors/vscode/syntaxes/cspv.tmLanguage.json" "$TMP/bad.cspv" \
  >"$TMP/out" 2>&1 && fail "an unmatched \`#\` passed"
expect_in "$TMP/out" "bad.cspv:1:34: unmatched \`#\`"
finish
