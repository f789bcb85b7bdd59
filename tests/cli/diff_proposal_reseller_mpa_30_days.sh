# `cspverify diff specs/ --change specs/changes/reseller_mpa_30_days/`: the verdict, the scenario
# regressions and the exit code the proposal's README states. One script per
# proposal, so that `ctest -j` spreads the five diffs over the cores.
source "$(dirname "$0")/lib.bash"
cd "$SRC"

expect_exit 1 diff specs/ --change specs/changes/reseller_mpa_30_days/ --no-timings --expect tightening
expect_in "$TMP/out" "  NEWLY ALLOWED    none within scope"
expect_in "$TMP/out" "  expected: tightening: met (nothing newly allowed)"
expect_in "$TMP/out" "allowed -> forbidden  REGRESSION (expected allowed)"
expect_in "$TMP/out" "summary: 2 text changes; tightening; 1 regression; exit code 1"
finish
