# `cspverify diff specs/ --change specs/changes/equivalent_rewrite/`: the verdict, the scenario
# regressions and the exit code the proposal's README states. One script per
# proposal, so that `ctest -j` spreads the five diffs over the cores.
source "$(dirname "$0")/lib.bash"
cd "$SRC"

expect_exit 0 diff specs/ --change specs/changes/equivalent_rewrite/ --no-timings --expect equivalent
expect_in "$TMP/out" "  verdict: equivalent within scope: both rule sets allow exactly the same instances"
expect_in "$TMP/out" "summary: 1 text change; equivalent; 0 regressions; exit code 0"
finish
