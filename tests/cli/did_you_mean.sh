# A mistyped command, option, --property, --scenario or --rule name is bad
# input (exit 2) naming the closest known one; an unknown type that a file
# beside the specs declares, but that is not included, gets a note naming
# that file and the include that would load it.
source "$(dirname "$0")/lib.bash"
SMALL="$SRC/tests/specs/prove/small.cspv"

expect_exit 2 prvoe "$SMALL"
expect_in "$TMP/err" "cspverify: error: unknown command \`prvoe\`; did you mean \`prove\`?"

expect_exit 2 prove --scoep 2 "$SMALL"
expect_in "$TMP/err" "cspverify prove: error: unrecognised option '--scoep'; did you mean \`--scope\`?"
expect_exit 2 verify "$SMALL" --timout 5
expect_in "$TMP/err" "cspverify verify: error: unrecognised option '--timout'; did you mean \`--timeout\`?"
expect_exit 2 check "$SMALL" --scenaro x
expect_in "$TMP/err" "cspverify check: error: unrecognised option '--scenaro'; did you mean \`--scenario\`?"
expect_exit 2 diff "$SMALL" "$SMALL" --expcet tightening
expect_in "$TMP/err" "cspverify diff: error: unrecognised option '--expcet'; did you mean \`--expect\`?"
expect_exit 2 audit "$SRC/specs/audit" --dta "$TMP"
expect_in "$TMP/err" "cspverify audit: error: unrecognised option '--dta'; did you mean \`--data\`?"
# Nothing close: no guess.
expect_exit 2 prove --frobnicate "$SMALL"
expect_in "$TMP/err" "cspverify prove: error: unrecognised option '--frobnicate'"
grep -q "did you mean" "$TMP/err" && fail "a guess for --frobnicate: $(cat "$TMP/err")"

expect_exit 2 prove "$SMALL" --property reseller_signde
expect_in "$TMP/err" "cspverify: error: no property named \`reseller_signde\`; did you mean \`reseller_signed\`?"
expect_exit 2 check "$SRC/specs/scenarios" --scenario indirect_chian
expect_in "$TMP/err" "cspverify: error: no scenario named \`indirect_chian\`; did you mean \`indirect_chain\`?"
expect_exit 2 audit "$SRC/specs" --data "$TMP" --rule reseller_mpa_before_new_subscriptoin
expect_in "$TMP/err" "cspverify audit: error: no rule named \`reseller_mpa_before_new_subscriptoin\` (a rule name or catalogue id); did you mean \`reseller_mpa_before_new_subscription\`?"
expect_exit 2 prove "$SMALL" --property completely_different_name
[[ $(tail -n 1 "$TMP/err") == "cspverify: error: no property named \`completely_different_name\`" ]] \
  || fail "unexpected: $(cat "$TMP/err")"

# A type declared in a sibling directory's file that is not included.
mkdir -p "$TMP/tree/lib" "$TMP/tree/use"
cat >"$TMP/tree/lib/kinds.cspv" <<'EOF'
entity Reseller { }
EOF
cat >"$TMP/tree/use/uses.cspv" <<'EOF'
entity Sale { seller: Reseller }
EOF
(cd "$TMP/tree" && "$CSPV" prove use/uses.cspv) >"$TMP/out" 2>"$TMP/err"
[[ $? == 2 ]] || fail "an unknown type should exit 2"
expect_in "$TMP/err" "use/uses.cspv:1:23: error: unknown type \`Reseller\`"
expect_in "$TMP/err" "note: \`Reseller\` is declared in \`lib/kinds.cspv\`, which is not loaded: add \`include \"../lib/kinds.cspv\"\` or pass that file too"
# With the include, it loads.
sed -i '1i include "../lib/kinds.cspv"' "$TMP/tree/use/uses.cspv"
(cd "$TMP/tree" && "$CSPV" prove use/uses.cspv) >"$TMP/out" 2>"$TMP/err"
grep -q "unknown type" "$TMP/err" && fail "still an unknown type with the include: $(cat "$TMP/err")"
# A type nobody declares: no note.
cat >"$TMP/tree/use/other.cspv" <<'EOF'
entity Order { buyer: Nobody }
EOF
(cd "$TMP/tree" && "$CSPV" prove use/other.cspv) >"$TMP/out" 2>"$TMP/err"
expect_in "$TMP/err" "unknown type \`Nobody\`"
grep -q "note:" "$TMP/err" && fail "a note for a type no file declares: $(cat "$TMP/err")"

finish
