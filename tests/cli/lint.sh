# `cspverify lint` and the lint part of `verify` through the real binary:
# findings as compiler warnings at the declaration (file:line:col, source
# line, caret, [lint-id]); exit 0 with warnings, 1 with --strict; the clean
# spec passes --strict; the JSON and SARIF reports (SARIF checked against its
# schema); `verify` shows the findings and fails on them only with --strict.
source "$(dirname "$0")/lib.bash"
L="$SRC/tests/specs/lint"
SCHEMAS="$SRC/tests/schemas"

# Warnings: reported, exit 0.
expect_exit 0 lint "$L/redundant.cspv" --no-timings
expect_in "$TMP/out" "$L/redundant.cspv:11:6: warning: rule \`no_reseller_sells\` is redundant: implied by \`only_providers_sell\` (T-1), for every instance, of any size [redundant-rule]"
expect_in "$TMP/out" "rule no_reseller_sells \"no reseller sells\" source \"T-2\" {"
expect_in "$TMP/out" "     ^~~~~~~~~~~~~~~~~"
expect_in "$TMP/out" "$L/redundant.cspv:8:6: note: only_providers_sell (T-1) is here"
expect_in "$TMP/out" "summary: 1 warning; scenario coverage: 3/3 rules (100%)"
grep -q "only_providers_sell\` is redundant" "$TMP/out" && fail "both equivalent rules reported"

# Within the scope only (--bounded), the finding says so.
expect_exit 0 lint "$L/redundant.cspv" --bounded --scope 2
expect_in "$TMP/out" "implied by \`only_providers_sell\` (T-1), within scope Partner=2, Sale=2 [redundant-rule]"

# Text, JSON and SARIF in one run, under --out (lint's own file names, beside verify's).
expect_exit 0 lint "$L/vacuous.cspv" --format text --format json --format sarif --out "$TMP/r" --no-timings
T="$TMP/r/cspverify-lint.txt"
[[ -s "$T" && -s "$TMP/r/cspverify-lint.json" && -s "$TMP/r/cspverify-lint.sarif" ]] || fail "no cspverify-lint.txt / .json / .sarif"
expect_in "$T" "$L/vacuous.cspv:9:6: warning: rule \`refunds_are_small\` is vacuous: its premise never holds given \`no_refunds\` (V-1), for every instance, of any size [vacuous-rule]"
expect_in "$T" "[uncovered-rule]"
expect_in "$T" "  uncovered      refunds_are_small (V-2): NOT EXERCISED"
expect_in "$T" "scenario coverage: 1/2 rules (50%)"
python3 - "$SCHEMAS/sarif-schema-2.1.0.json" "$TMP/r/cspverify-lint.sarif" "$TMP/r/cspverify-lint.json" <<'PY' || fail "lint SARIF/JSON"
import json, sys, jsonschema
sarif = json.load(open(sys.argv[2]))
jsonschema.validate(sarif, json.load(open(sys.argv[1])))
run = sarif["runs"][0]
rules = run["tool"]["driver"]["rules"]
results = run["results"]
assert [r["ruleId"] for r in results] == ["vacuous-rule", "unneeded-rule", "uncovered-rule"], results
for r in results:
    assert rules[r["ruleIndex"]]["id"] == r["ruleId"] and r["level"] == "warning", r
    assert r["locations"][0]["physicalLocation"]["region"]["startLine"] == 9, r
assert results[0]["relatedLocations"][0]["message"]["text"] == "no_refunds (V-1)", results[0]
doc = json.load(open(sys.argv[3]))
assert doc["command"] == "lint" and doc["results"] == [], doc
lint = doc["lint"]
assert lint["strict"] is False
vacuous = lint["findings"][0]
assert vacuous["id"] == "vacuous-rule" and vacuous["subject"] == "refunds_are_small", vacuous
assert [r["rule"] for r in vacuous["rules"]] == ["no_refunds"] and vacuous["line"] == 9, vacuous
assert vacuous["bound"] == "for every instance, of any size", vacuous
cov = lint["coverage"]
assert (cov["rules"], cov["covered"]) == (2, 1), cov
assert cov["per_rule"][0] == {"rule": "no_refunds", "covered": True, "forbids": ["refund"],
                              "applies_in": ["plain_sale"]}, cov["per_rule"][0]
assert doc["summary"]["exit_code"] == 0
PY

expect_exit 1 lint "$L/unneeded.cspv" --strict
expect_in "$TMP/out" "$L/unneeded.cspv:9:6: error: rule \`scores_are_bounded\` is needed by no proved property and no forbidden scenario"
expect_in "$TMP/out" "$L/unneeded.cspv:20:10: error: property \`tautology\` holds without any rule"
expect_in "$TMP/out" "summary: 4 errors; scenario coverage: 2/3 rules (66%)"

expect_exit 0 lint "$L/unused.cspv"
for id in unused-enum unused-attribute unused-relation unused-table unused-define; do expect_in "$TMP/out" "[$id]"; done
expect_in "$TMP/out" "$L/unused.cspv:8:3: warning: attribute \`Partner.nickname\` is never read"

# The clean spec passes --strict.
expect_exit 0 lint "$L/clean.cspv" --strict
expect_in "$TMP/out" "summary: 0 errors; scenario coverage: 2/2 rules (100%)"
grep -q "error:" "$TMP/out" && fail "the clean spec has findings"

# A check the solver cannot decide in time is listed, never a finding; with
# --strict it makes the exit code 3 (nothing worse happened). The pigeonhole
# proof never finishes in 4 s; the scenarios need milliseconds of that.
expect_exit 3 lint "$L/undecided.cspv" --timeout 4 --strict
expect_in "$TMP/out" "$L/undecided.cspv:8:6: not decided: unneeded-rule \`no_pigeon_in_h12\`: the proof of property \`never_13\`: timeout after 3 s; for every size: timeout after 1 s"
expect_in "$TMP/out" "summary: 0 errors, 1 not decided; scenario coverage: 2/2 rules (100%)"

# lint writes text, json and sarif only; bad options fail before any solving.
expect_exit 2 lint "$L/clean.cspv" --format markdown
expect_in "$TMP/err" "\`cspverify lint\` writes text, json or sarif, not \`markdown\`"
expect_exit 2 lint "$L/clean.cspv" --dump-smt2 "$TMP/smt"
expect_exit 0 lint --help
expect_in "$TMP/out" "--strict"

# verify lints too: findings shown, the run passes unless --strict.
expect_exit 0 verify "$L/redundant.cspv" --no-timings
expect_in "$TMP/out" "PROVED    sellers_are_providers"
expect_in "$TMP/out" "warning: rule \`no_reseller_sells\` is redundant"
expect_in "$TMP/out" "3 scenarios: 1 allowed as expected, 2 forbidden as expected, 0 mismatched; lint: 1 warning; scenario coverage: 3/3 rules (100%)"
# --strict: the same finding is an error, and fails the run.
expect_exit 1 verify "$L/redundant.cspv" --strict
expect_in "$TMP/out" "$L/redundant.cspv:11:6: error: rule \`no_reseller_sells\` is redundant"
expect_in "$TMP/out" "lint: 1 error;"
finish
