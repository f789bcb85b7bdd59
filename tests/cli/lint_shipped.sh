# `cspverify lint specs/` on the shipped policy, pinned: no finding (it passes
# --strict), nothing undecided, every rule exercised by some scenario. And
# the catalogue's redundancies (docs/lint.md, *The catalogue's redundancies*):
# with CSP-R03 read as "exactly these two chains", CSP-R04 as "every partner
# that transacts" (the reseller of record on new business too) and CSP-R06 as
# the reseller of record's MPA on new business, lint finds CSP-R02 implied by
# CSP-R03, and CSP-R06 and CSP-R05 implied by the MPA rules; the shipped
# encoding splits these obligations so that no rule implies another.
source "$(dirname "$0")/lib.bash"

expect_exit 0 lint "$SRC/specs" --strict --format json --no-timings
python3 - "$TMP/out" <<'PY' || fail "shipped lint report"
import json, sys
lint = json.load(open(sys.argv[1]))["lint"]
assert lint["findings"] == [], [f["message"] for f in lint["findings"]]
assert lint["undecided"] == [], lint["undecided"]
cov = lint["coverage"]
assert (cov["rules"], cov["covered"], cov["scenarios_unknown"]) == (22, 22, 0), cov
by_rule = {c["rule"]: c for c in cov["per_rule"]}
# The rule least exercised: TEN-3 is covered by its forbidden scenario only.
assert by_rule["no_sale_into_another_partners_csp_tenant"]["applies_in"] == [], by_rule
assert by_rule["no_sale_into_another_partners_csp_tenant"]["forbids"] != [], by_rule
PY

# The catalogue's literal reading of CSP-R03, CSP-R04 and CSP-R06, on a copy.
cp -r "$SRC/specs/csp" "$SRC/specs/data" "$TMP/"
python3 - "$TMP/csp" <<'PY' || fail "could not rewrite the copy"
import sys
def rewrite(path, old, new):
    text = open(path).read()
    assert old in text, (path, old)
    open(path, "w").write(text.replace(old, new))
d = sys.argv[1]
rewrite(f"{d}/roles.cspv",
        "(t.seller.role == direct_bill implies t.reseller == none)\n"
        "    and (t.seller.role == indirect_provider implies t.reseller != none)",
        "(t.seller.role == direct_bill and t.reseller == none)\n"
        "    or (t.seller.role == indirect_provider and t.reseller != none)")
rewrite(f"{d}/mpa.cspv",
        "(t.reseller == none or t.new_business or t.reseller.mpa_signed <= t.date)",
        "(t.reseller == none or t.reseller.mpa_signed <= t.date)")
rewrite(f"{d}/mpa.cspv",
        "t.new_business and t.date >= 2020-02-01 and t.support.role == indirect_reseller implies\n"
        "      t.support.mpa_signed <= t.date",
        "t.new_business and t.date >= 2020-02-01 and t.reseller != none implies t.reseller.mpa_signed <= t.date")
PY
expect_exit 0 lint "$TMP/csp" --no-timings
expect_in "$TMP/out" "warning: rule \`only_providers_and_direct_bill_bill\` is redundant: implied by \`supported_chains\` (CSP-R03), for every instance, of any size [redundant-rule]"
# CSP-R06 now says what CSP-R05 says: either rule is a minimal implying set.
expect_in "$TMP/out" "warning: rule \`new_business_only_with_signed_resellers\` is redundant: implied by"
expect_in "$TMP/out" "warning: rule \`reseller_mpa_before_new_subscription\` is redundant: implied by \`mpa_signed_by_transacting_partners\` (CSP-R04), for every instance, of any size [redundant-rule]"
finish
