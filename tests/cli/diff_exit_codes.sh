# Exit codes of `cspverify diff`: 0 no regression, 1 a regression or a
# contradicted --expect, 2 bad input; --base-rev on a throw-away repository.
source "$(dirname "$0")/lib.bash"
D="$SRC/tests/specs/diff"

expect_exit 0 diff "$D/base.cspv" "$D/equivalent.cspv"
expect_in "$TMP/out" "verdict: equivalent within scope"
expect_exit 0 diff "$D/base.cspv" "$D/widening.cspv"
expect_exit 1 diff "$D/base.cspv" "$D/widening.cspv" --expect tightening
expect_in "$TMP/out" "expected: tightening: CONTRADICTED (something is newly allowed)"
expect_exit 1 diff "$D/base.cspv" "$D/waive_renewals.cspv"
expect_in "$TMP/out" "proved -> violated  REGRESSION"
expect_exit 0 diff "$D/base.cspv" "$D/widening.cspv" -f json -f markdown -o "$TMP/reports"
[[ -s "$TMP/reports/cspverify-diff.json" && -s "$TMP/reports/cspverify-diff.md" ]] || fail "no report files"
# With the reports in files, the console still says where, and the summary.
expect_in "$TMP/out" "wrote $TMP/reports/cspverify-diff.json, $TMP/reports/cspverify-diff.md"
expect_in "$TMP/out" "summary: 1 text change; widening; 0 regressions; exit code 0"

# The newly forbidden direction is a hard pigeonhole proof: unknown, never equivalent.
expect_exit 3 diff "$SRC/tests/specs/prove/pigeonhole_hard.cspv" "$D/pigeonhole_rule.cspv" --timeout 1
expect_in "$TMP/out" "NEWLY FORBIDDEN  unknown: timeout after 1 s"
expect_in "$TMP/out" "verdict: unknown: the solver gave up on at least one direction"

expect_exit 2 diff "$D/base.cspv"
expect_in "$TMP/err" "expected two paths, BASE and PROPOSED"
expect_exit 2 diff "$D/base.cspv" "$D/nope.cspv"
expect_exit 2 diff "$D/base.cspv" "$D/base.cspv" -f dott
expect_in "$TMP/err" "unknown format \`dott\`; did you mean \`dot\`?"

# SARIF for code scanning: the regression at its declaration, the witness at its blamed rule.
expect_exit 1 diff "$D/base.cspv" "$D/waive_renewals.cspv" -f sarif --expect tightening
expect_in "$TMP/out" '"ruleId": "diff-regression"'
expect_in "$TMP/out" '"ruleId": "diff-expectation"'
expect_in "$TMP/out" "property \`sellers_signed\`: proved -> violated"
SARIF_SCHEMA="$SRC/tests/schemas/sarif-schema-2.1.0.json"
python3 - "$SARIF_SCHEMA" "$TMP/out" <<'PY' || fail "diff SARIF report is not valid SARIF 2.1.0"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
PY

# JUnit for CI: a regression and a contradicted --expect are failures; valid Ant JUnit XML.
expect_exit 1 diff "$D/base.cspv" "$D/waive_renewals.cspv" -f junit --expect tightening
expect_in "$TMP/out" '<testcase name="property sellers_signed" classname="checks" time='
expect_in "$TMP/out" '<failure type="regression" message="regression: proved -&gt; violated">'
expect_in "$TMP/out" '<failure type="expectation" message="newly allowed instances, expected tightening">'
XSD="$SRC/tests/schemas/junit.xsd"
if command -v xmllint >/dev/null; then
  cp "$TMP/out" "$TMP/diff.junit.xml"
  xmllint --noout --schema "$XSD" "$TMP/diff.junit.xml" 2>"$TMP/xmllint" ||
    { fail "diff JUnit report is not valid"; cat "$TMP/xmllint"; }
fi
expect_exit 0 diff --help
expect_in "$TMP/out" "--base-rev"
expect_in "$TMP/out" "  1  a regression"

git init -q "$TMP/repo"
cp "$D/base.cspv" "$TMP/repo/policy.cspv"
git -C "$TMP/repo" add policy.cspv
git -C "$TMP/repo" -c user.name=t -c user.email=t@example.com commit -q -m base
cp "$D/tightening.cspv" "$TMP/repo/policy.cspv"
expect_exit 1 diff --base-rev HEAD "$TMP/repo/policy.cspv" --no-timings
expect_in "$TMP/out" "diff: HEAD:$TMP/repo/policy.cspv -> $TMP/repo/policy.cspv"
expect_in "$TMP/out" "verdict: tightening"
expect_exit 2 diff --base-rev does-not-exist "$TMP/repo/policy.cspv"
expect_in "$TMP/err" "cannot read revision \`does-not-exist\`"
finish
