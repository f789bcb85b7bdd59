# `cspverify diff specs/ specs/changes/<name>/` for every shipped proposal:
# the verdict, the scenario regressions and the exit code its README states.
source "$(dirname "$0")/lib.bash"
cd "$SRC"

expect_exit 1 diff specs/ specs/changes/cross_region_groups/ --no-timings
expect_in "$TMP/out" "  verdict: widening: the proposed rules allow more and forbid nothing new"
expect_in "$TMP/out" "  only in proposed: enum \`RegionGroup\`, table \`group_of\`"
expect_in "$TMP/out" "regions_match (base only)"
expect_in "$TMP/out" "summary: 4 text changes; widening; 3 regressions; exit code 1"

expect_exit 1 diff specs/ specs/changes/waive_mpa_for_renewals/ --no-timings
expect_in "$TMP/out" "      mpa_signed_by_transacting_partners (CSP-R04)"
expect_in "$TMP/out" "forbidden -> allowed  REGRESSION (expected forbidden by CSP-R04)"
expect_in "$TMP/out" "summary: 1 text change; widening; 3 regressions; exit code 1"

expect_exit 1 diff specs/ specs/changes/reseller_mpa_30_days/ --no-timings --expect tightening
expect_in "$TMP/out" "  NEWLY ALLOWED    none within scope"
expect_in "$TMP/out" "  expected: tightening: as expected"
expect_in "$TMP/out" "allowed -> forbidden  REGRESSION (expected allowed)"
expect_in "$TMP/out" "summary: 2 text changes; tightening; 1 regression; exit code 1"

expect_exit 0 diff specs/ specs/changes/equivalent_rewrite/ --no-timings --expect equivalent
expect_in "$TMP/out" "  verdict: equivalent within scope: both rule sets allow exactly the same instances"
expect_in "$TMP/out" "summary: 1 text change; equivalent; 0 regressions; exit code 0"

expect_exit 1 diff specs/ specs/changes/resellers_buy_direct/ --no-timings -f json
expect_in "$TMP/out" '"verdict": "widening"'
expect_in "$TMP/out" '"regressions": 2'

# `prove specs/` does not load the proposals (specs/changes/.cspvskip):
# their rules would be duplicate declarations, a bad-input exit 2.
"$CSPV" prove specs/ --no-timings >"$TMP/out" 2>"$TMP/err"
[[ $? != 2 ]] || { fail "prove specs/ exited 2"; sed 's/^/  | /' "$TMP/err" | head -5; }
finish
