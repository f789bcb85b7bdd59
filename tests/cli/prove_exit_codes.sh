# Exit codes of `cspverify prove`: 0 proved, 1 violated/inconsistent, 2 bad input, 3 unknown.
source "$(dirname "$0")/lib.bash"
S="$SRC/tests/specs/prove"

expect_exit 0 prove "$S/small.cspv" --property reseller_signed
expect_in "$TMP/out" "PROVED    reseller_signed"

expect_exit 1 prove "$S/small.cspv"
expect_in "$TMP/out" "VIOLATED  no_affiliate_sale"
expect_in "$TMP/out" "counterexample (minimal: 4 entities)"

expect_exit 1 prove "$S/inconsistent.cspv"
expect_in "$TMP/out" "must_enrol"
expect_in "$TMP/out" "never_enrolled"

expect_exit 3 prove "$S/pigeonhole_hard.cspv" --timeout 1
expect_in "$TMP/out" "UNKNOWN"

expect_exit 0 prove "$S/pigeonhole.cspv" --scope 3 --bounded
expect_exit 1 prove "$S/pigeonhole.cspv" --scope Partner=4 --bounded
# Tried for every size first: violated, by an instance larger than the scope.
expect_exit 1 prove "$S/pigeonhole.cspv" --scope 3 --no-timings
expect_in "$TMP/out" "VIOLATED  at_most_three ($S/pigeonhole.cspv:3:10) within scope Partner=4 (none within scope Partner=3: found by the attempt for every size)"

# Bad input: compiler-style diagnostics with file:line:col, exit 2.
printf 'entity Partner { region: Bool }\nrule r { forall p: Partner | p.regoin }\n' > "$TMP/typo.cspv"
expect_exit 2 prove "$TMP/typo.cspv"
expect_in "$TMP/err" "typo.cspv:2:32: error: entity \`Partner\` has no attribute \`regoin\`"
expect_in "$TMP/err" "did you mean \`region\`?"

expect_exit 2 prove "$TMP/does-not-exist.cspv"
expect_in "$TMP/err" "does-not-exist.cspv"
expect_exit 2 prove
expect_exit 2 prove "$S/small.cspv" --scope Partnr=2
expect_in "$TMP/err" "Partner"
expect_exit 2 prove "$S/small.cspv" --format nope
expect_exit 2 frobnicate
expect_in "$TMP/err" "unknown command"

expect_exit 0 --help
expect_in "$TMP/out" "Exit codes:"
expect_exit 0 prove --help
expect_in "$TMP/out" "--scope"
expect_in "$TMP/out" "  3  some check unknown"
expect_exit 0 --version
expect_in "$TMP/out" "cspverify "
finish
