# cspverify fmt: in place by default, --stdout, --check (exit 1 and the
# files that would change), a syntax error (exit 2, file untouched), and the
# shipped specs, which are kept formatted (CI runs this).
source "$(dirname "$0")/lib.bash"

messy='entity Partner{signed:Date?} // kept
rule r "d" {forall p:Partner|p.signed!=none}'
formatted='entity Partner {
  signed: Date?
}  // kept
rule r "d" {
  forall p: Partner | p.signed != none
}'
printf '%s\n' "$messy" > "$TMP/a.cspv"
printf '%s\n' "$formatted" > "$TMP/b.cspv"

expect_exit 1 fmt --check "$TMP"
expect_in "$TMP/err" "cspverify fmt: 1 file is not formatted"
expect_in "$TMP/err" "$TMP/a.cspv"
grep -qF "b.cspv" "$TMP/err" && fail "--check lists a formatted file: $(cat "$TMP/err")"
[[ "$(cat "$TMP/a.cspv")" == "$messy" ]] || fail "--check changed a.cspv"

expect_exit 0 fmt --stdout "$TMP/a.cspv"
[[ "$(cat "$TMP/out")" == "$formatted" ]] || fail "--stdout printed: $(cat "$TMP/out")"
[[ "$(cat "$TMP/a.cspv")" == "$messy" ]] || fail "--stdout changed a.cspv"

expect_exit 0 fmt "$TMP"
[[ "$(cat "$TMP/out")" == "$TMP/a.cspv" ]] || fail "fmt lists what it rewrote: $(cat "$TMP/out")"
[[ "$(cat "$TMP/a.cspv")" == "$formatted" ]] || fail "fmt wrote: $(cat "$TMP/a.cspv")"
expect_exit 0 fmt --check "$TMP"

printf 'entity Partner { signed: }\n' > "$TMP/bad.cspv"
expect_exit 2 fmt "$TMP/bad.cspv"
expect_in "$TMP/err" "bad.cspv:1:26: error: expected type, got \`}\`"
[[ "$(cat "$TMP/bad.cspv")" == 'entity Partner { signed: }' ]] || fail "fmt changed a file with a syntax error"

expect_exit 2 fmt "$TMP/missing.cspv"
expect_in "$TMP/err" "cannot read \`$TMP/missing.cspv\`"
expect_exit 2 fmt --check --stdout "$TMP/a.cspv"
expect_exit 2 fmt
expect_exit 2 fmt --chekc "$TMP"
expect_in "$TMP/err" "did you mean \`--check\`?"

# The shipped specs and proposals (specs/changes/ is skipped by the walk)
# are kept in the canonical layout (the test fixtures are
# not: tests pin positions in them).
expect_exit 0 fmt --check "$SRC/specs" "$SRC"/specs/changes/*/
finish
