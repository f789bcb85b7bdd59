# `cspverify diff specs/ --change specs/changes/cross_region_groups/`: the verdict, the scenario
# regressions and the exit code the proposal's README states. One script per
# proposal, so that `ctest -j` spreads the five diffs over the cores.
source "$(dirname "$0")/lib.bash"
cd "$SRC"

expect_exit 1 diff specs/ --change specs/changes/cross_region_groups/ --no-timings
expect_in "$TMP/out" "  verdict: widening: the proposed rules allow more and forbid nothing new"
expect_in "$TMP/out" "  only in proposed: enum \`RegionGroup\`, table \`group_of\`"
expect_in "$TMP/out" "property    regions_match"
expect_in "$TMP/out" "summary: 4 text changes; widening; 3 regressions; exit code 1"
finish
