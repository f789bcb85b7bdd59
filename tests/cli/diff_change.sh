# `cspverify diff BASE --change CHANGE`: a proposal written as patches over the
# shipped policy, its text diff whole, and the errors of a change that does
# not apply.
source "$(dirname "$0")/lib.bash"
cd "$SRC"

# The 14-day MPA grace period: one `extend` and one `replace rule`.
expect_exit 1 diff specs/ --change specs/changes/reseller_mpa_grace_period/ --no-timings --expect widening
expect_in "$TMP/out" "diff: specs/ -> specs/ + specs/changes/reseller_mpa_grace_period/"
expect_in "$TMP/out" "  modified  rule \`reseller_mpa_before_new_subscription\` (body, description)  specs/changes/reseller_mpa_grace_period/proposal.cspv:11:14"
expect_in "$TMP/out" "    +++ specs/changes/reseller_mpa_grace_period/proposal.cspv:11:9"
expect_in "$TMP/out" "    +      or (t.reseller.enrolled_on <= t.date and t.date <= t.reseller.enrolled_on + 14)"
expect_in "$TMP/out" "  added     attribute \`Partner.enrolled_on\`  specs/changes/reseller_mpa_grace_period/proposal.cspv:8:3"
expect_in "$TMP/out" "      reseller_mpa_before_new_subscription (CSP-R05)"
expect_in "$TMP/out" "  expected: widening: met (nothing newly forbidden)"
expect_in "$TMP/out" "forbidden -> allowed  REGRESSION (expected forbidden by CSP-R05)"
expect_in "$TMP/out" "summary: 2 text changes; widening; 4 regressions; exit code 1"
# The headline first: the regressions, each scenario's warning that its new
# verdict rests on the attribute the proposal adds and the scenario leaves unset.
head -3 "$TMP/out" | tail -1 | grep -qxF "4 regressions; widening; exit code 1" || fail "the headline is not the third line"
expect_in "$TMP/out" "  REGRESSION  scenario mpa_signed_the_day_after  forbidden -> allowed (expected forbidden by CSP-R05)"
expect_in "$TMP/out" "      warning: verdict depends on unset attribute Partner.enrolled_on (Contoso, Fabrikam leave it unset; with it none the scenario is forbidden, as under base)"
[[ $(grep -c "^      warning: verdict depends on unset attribute Partner.enrolled_on" "$TMP/out") == 6 ]] ||
  fail "not one warning per regressed scenario, in the headline and in the checks"
# Not a terminal: no progress line.
[[ ! -s "$TMP/err" ]] || fail "diff wrote to standard error: $(cat "$TMP/err")"

# A change given as PROPOSED: its patches do not apply on their own.
expect_exit 2 diff specs/ specs/changes/equivalent_rewrite/
expect_in "$TMP/err" "proposal.cspv:5:14: error: cannot replace rule \`only_providers_and_direct_bill_bill\`: no rule of that name is declared"
expect_in "$TMP/err" "help: \`specs/changes/equivalent_rewrite/\` holds patches"
expect_in "$TMP/err" "run \`cspverify diff BASE --change specs/changes/equivalent_rewrite/\`"

# A patch of a misspelt rule: an error at it, with the near name.
cat >"$TMP/typo.cspv" <<'SPEC'
remove rule supported_chain
SPEC
expect_exit 2 diff specs/ --change "$TMP/typo.cspv"
expect_in "$TMP/err" "typo.cspv:1:13: error: cannot remove rule \`supported_chain\`: no rule of that name is declared"
expect_in "$TMP/err" "did you mean \`supported_chains\`?"

# prove with --change proves the changed policy: waiving renewals breaks a proved property.
expect_exit 0 prove specs/ --property billing_partners_have_signed_mpa_since_2020 --no-timings
expect_exit 1 prove specs/ --change specs/changes/waive_mpa_for_renewals/ \
  --property billing_partners_have_signed_mpa_since_2020 --no-timings
expect_in "$TMP/out" "billing_partners_have_signed_mpa_since_2020"
finish
