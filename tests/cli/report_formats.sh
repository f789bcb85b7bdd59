# Every report format through the real binary on the basic golden fixture
# (the solver finds the counterexample): files are written per format, and
# each is accepted by the tool that reads it. Needs graphviz, libxml2-utils
# and python3-jsonschema; a missing tool is a failure, not a skip.
source "$(dirname "$0")/lib.bash"
FIXTURE="$SRC/tests/golden/reports/basic/fixture.cspv"
SCHEMAS="$SRC/tests/schemas"

formats=()
for f in text json dot html markdown junit sarif; do formats+=(--format "$f"); done
expect_exit 1 verify "$FIXTURE" "${formats[@]}" --out "$TMP/r" --no-timings
for ext in txt json dot html md junit.xml sarif; do
  [[ -s "$TMP/r/cspverify.$ext" ]] || fail "no cspverify.$ext"
done

expect_in "$TMP/r/cspverify.txt" "VIOLATED  no_direct_bill_resellers ("
expect_in "$TMP/r/cspverify.txt" "FORBIDDEN cross_region_sale ("
summary="summary: 3 properties: 2 proved, 1 violated, 0 known gaps, 0 unknown, 0 vacuous; 2 scenarios: 0 allowed as expected, 2 forbidden as expected, 0 mismatched; 1 failed"
expect_in "$TMP/r/cspverify.txt" "$summary"
# With every report in files, the console still says where they are and how the run went.
expect_in "$TMP/out" "wrote $TMP/r/cspverify.txt, $TMP/r/cspverify.json, $TMP/r/cspverify.dot, $TMP/r/graphs/ (3 graphs),"
expect_in "$TMP/out" "$summary"
[[ $(wc -l <"$TMP/out") == 2 ]] || { fail "--out: the console should hold two lines"; cat "$TMP/out"; }
expect_in "$TMP/r/cspverify.txt" "  proved using mpa_before_sale (CSP-R04)"
expect_in "$TMP/r/cspverify.md" '```mermaid'
expect_in "$TMP/r/cspverify.html" '<div class="graph">'
grep -q 'graph not drawn' "$TMP/r/cspverify.html" && fail "HTML graph not drawn"

for tool in dot xmllint python3; do command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh --tests)"; done
dot -Tsvg "$TMP/r/cspverify.dot" >"$TMP/graphs.svg" 2>"$TMP/dot.err" || { fail "dot rejects the DOT report"; cat "$TMP/dot.err"; }
# One file per graph, a forbidden scenario's too, and the documented one-liner draws them all.
for name in property-no_direct_bill_resellers scenario-cross_region_sale scenario-late_cross_region_sale; do
  [[ -s "$TMP/r/graphs/$name.dot" ]] || fail "no graphs/$name.dot"
done
dot -Tsvg -O "$TMP/r/graphs/"*.dot 2>"$TMP/dot.err" || { fail "dot rejects a graph file"; cat "$TMP/dot.err"; }
expect_in "$TMP/r/graphs/scenario-cross_region_sale.dot.svg" "country = FR"
expect_in "$TMP/r/graphs/scenario-cross_region_sale.dot.svg" 'fill="#d62728"'
# `check` counts scenarios, not properties, on the console too.
expect_exit 0 check "$FIXTURE" --out "$TMP/c" --format json --no-timings
expect_in "$TMP/out" "summary: 2 scenarios: 0 allowed as expected, 2 forbidden as expected, 0 mismatched"
grep -q "proved" "$TMP/out" && fail "check's summary speaks of proofs"
xmllint --noout --schema "$SCHEMAS/junit.xsd" "$TMP/r/cspverify.junit.xml" 2>"$TMP/xmllint" ||
  { fail "JUnit report is not valid"; cat "$TMP/xmllint"; }
python3 - "$SCHEMAS/sarif-schema-2.1.0.json" "$TMP/r/cspverify.sarif" "$TMP/r/cspverify.json" <<'PY' || fail "SARIF/JSON"
import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))
doc = json.load(open(sys.argv[3]))
by_name = {r["name"]: r for r in doc["results"]}
cx = by_name["no_direct_bill_resellers"]["counterexample"]
assert by_name["no_direct_bill_resellers"]["status"] == "violated" and cx["entities"], cx
assert by_name["cross_region_sale"]["status"] == "forbidden", by_name["cross_region_sale"]
assert by_name["cross_region_sale"]["core"][0]["source"] == "CSP-R13", by_name["cross_region_sale"]["core"]
# The proof cores the golden fixture's hand-built report shows are the solver's.
signed = by_name["sellers_signed"]
assert [c["rule"] for c in signed["core"]] == ["mpa_before_sale"] and signed["core_minimal"] is True, signed
regions = by_name["customers_in_a_region"]
assert regions["status"] == "proved" and regions["core"] == [] and regions["core_minimal"] is True, regions
PY
finish
