# `cspverify diff specs/ --change specs/changes/waive_mpa_for_renewals/`: the verdict, the scenario
# regressions and the exit code the proposal's README states. One script per
# proposal, so that `ctest -j` spreads the five diffs over the cores.
source "$(dirname "$0")/lib.bash"
cd "$SRC"

expect_exit 1 diff specs/ --change specs/changes/waive_mpa_for_renewals/ --no-timings
expect_in "$TMP/out" "      mpa_signed_by_transacting_partners (CSP-R04)"
expect_in "$TMP/out" "forbidden -> allowed  REGRESSION (expected forbidden by CSP-R04)"
expect_in "$TMP/out" "summary: 1 text change; widening; 3 regressions; exit code 1"
finish
