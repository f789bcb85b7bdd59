# `cspverify diff specs/ --change specs/changes/cross_region_groups/`: the verdict, the scenario
# regressions and the exit code the proposal's README states. One script per
# proposal, so that `ctest -j` spreads the five diffs over the cores.
source "$(dirname "$0")/lib.bash"
cd "$SRC"

# Run on a terminal (a pseudo-terminal from `script`), as a reviewer would:
# the report on standard output, and, past 3 s, a progress line on standard
# error that is cleared before the report. Without `script`, a plain run.
args=(diff specs/ --change specs/changes/cross_region_groups/ --no-timings)
if command -v script >/dev/null; then
  start=$SECONDS
  script -qefc "$(printf '%q ' "$CSPV" "${args[@]}")" /dev/null >"$TMP/out" 2>&1
  code=$?
  [[ $code == 1 ]] || fail "diff on a terminal exited $code, expected 1"
  if (( SECONDS - start >= 5 )); then
    expect_in "$TMP/out" "cspverify diff: "
    expect_in "$TMP/out" " on both sides; "
  fi
  tr -d '\r' <"$TMP/out" >"$TMP/report"
  mv "$TMP/report" "$TMP/out"
else
  expect_exit 1 "${args[@]}"
fi
expect_in "$TMP/out" "3 regressions; widening; exit code 1"
expect_in "$TMP/out" "  verdict: widening: the proposed rules allow more and forbid nothing new"
expect_in "$TMP/out" "  only in proposed: enum \`RegionGroup\`, table \`group_of\`"
expect_in "$TMP/out" "property    regions_match"
expect_in "$TMP/out" "summary: 4 text changes; widening; 3 regressions; exit code 1"
# CSP-R13 speaks of sales and reseller relationships: the witness is the sale.
expect_in "$TMP/out" "          for t = Transaction1:"
expect_in "$TMP/out" "        allowed by proposed rule sell_only_in_own_region (CSP-R13), which holds on it"
finish
