# `cspverify diff specs/ --change specs/changes/resellers_buy_direct/`: the verdict, the scenario
# regressions and the exit code the proposal's README states. One script per
# proposal, so that `ctest -j` spreads the five diffs over the cores.
source "$(dirname "$0")/lib.bash"
cd "$SRC"

expect_exit 1 diff specs/ --change specs/changes/resellers_buy_direct/ --no-timings -f json
expect_in "$TMP/out" '"verdict": "widening"'
expect_in "$TMP/out" '"regressions": 2'
finish
