# Every audit report format through the real binary, on generated data with
# planted violations and on data with bad records: files are written per
# format, SARIF and JUnit are valid against their schemas, CSV parses, and
# each format carries the counts. Needs libxml2-utils and python3-jsonschema.
source "$(dirname "$0")/lib.bash"
SCHEMAS="$SRC/tests/schemas"
for tool in xmllint python3; do command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh --tests)"; done
python3 "$SRC/bench/gen_audit_data.py" --out "$TMP/data" --subscriptions 1500 --seed 3 || fail "generator failed"

formats=()
for f in text json csv sarif junit html; do formats+=(--format "$f"); done
for case in planted bad; do
  data="$TMP/data"; want=1
  [[ $case == bad ]] && { data="$SRC/tests/specs/audit/bad-data"; want=2; }
  expect_exit "$want" audit "$SRC/specs" --data "$data" "${formats[@]}" --out "$TMP/$case" --no-timings
  for ext in txt json csv sarif junit.xml html; do
    [[ -s "$TMP/$case/cspverify-audit.$ext" ]] || fail "$case: no cspverify-audit.$ext"
  done
  # The console still says where the reports are, and ends as the text report does.
  expect_in "$TMP/out" "wrote $TMP/$case/cspverify-audit.txt, $TMP/$case/cspverify-audit.json,"
  expect_in "$TMP/out" "$(tail -n 1 "$TMP/$case/cspverify-audit.txt")"
  xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/$case/cspverify-audit.junit.xml" 2>"$TMP/xmllint" ||
    { fail "$case: JUnit report is not valid"; cat "$TMP/xmllint"; }
  python3 - "$SCHEMAS/sarif-schema-2.1.0.json" "$TMP/$case" "$case" <<'PY' || fail "$case: SARIF/JSON/CSV"
import csv, json, sys, jsonschema
schema, out, case = sys.argv[1], sys.argv[2], sys.argv[3]
sarif = json.load(open(f"{out}/cspverify-audit.sarif"))
jsonschema.validate(sarif, json.load(open(schema)))
report = json.load(open(f"{out}/cspverify-audit.json"))
s = report["summary"]
run = sarif["runs"][0]
assert run["properties"]["records_read"] == s["records_read"], run["properties"]
assert run["properties"]["records_skipped"] == s["records_skipped"]
results = run["results"]
violations = [r for r in results if r["ruleId"] != "data-error"]
errors = [r for r in results if r["ruleId"] == "data-error"]
assert len(violations) == s["violations"] and len(errors) == s["data_errors"], (len(violations), len(errors), s)
if violations:
    loc = violations[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith((".csv", ".ndjson", ".json")), loc
    assert violations[0]["relatedLocations"], violations[0]
assert run["invocations"][0]["exitCode"] == s["exit_code"]
rows = list(csv.DictReader(open(f"{out}/cspverify-audit.csv", newline="")))
assert sum(r["kind"] == "violation" for r in rows) == s["violations"], rows[:2]
summary = [r for r in rows if r["kind"] == "summary"][0]
assert int(summary["records_read"]) == s["records_read"] and int(summary["records_skipped"]) == s["records_skipped"]
if case == "bad":
    assert s["records_skipped"] == 10 and run["invocations"][0]["exitCode"] == 2, s
PY
  expect_in "$TMP/$case/cspverify-audit.junit.xml" "<property name=\"records_read\""
  expect_in "$TMP/$case/cspverify-audit.html" "records read"
  expect_in "$TMP/$case/cspverify-audit.txt" "summary: "
done
expect_in "$TMP/planted/cspverify-audit.html" "<svg"
expect_in "$TMP/planted/cspverify-audit.junit.xml" "<failure type=\"rule-violated\""
expect_in "$TMP/bad/cspverify-audit.junit.xml" "<failure type=\"data-error\" message=\"7 of 8 records skipped\""
expect_in "$TMP/bad/cspverify-audit.html" "Data errors (10)"

# One format to standard output; several need --out.
expect_exit 2 audit "$SRC/specs" --data "$TMP/data" --format csv --format json
expect_in "$TMP/err" "several formats need --out DIR"
expect_exit 2 audit "$SRC/specs" --data "$TMP/data" --format yaml
expect_in "$TMP/err" "unknown format \`yaml\`"
finish
