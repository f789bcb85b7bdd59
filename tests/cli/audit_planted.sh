# cspverify audit on generated Partner Center data (bench/gen_audit_data.py):
# every planted violation is reported, at its data file and line, and nothing
# else; clean data passes with exit 0; the counts add up.
source "$(dirname "$0")/lib.bash"
command -v python3 >/dev/null || { fail "python3 is missing (scripts/setup.sh --tests)"; finish; }
GEN="$SRC/bench/gen_audit_data.py"
COMPARE="$SRC/tests/audit/compare_planted.py"

# 2,000 subscriptions, every kind of plant twice.
python3 "$GEN" --out "$TMP/planted" --subscriptions 2000 --seed 11 --plant 2 || fail "generator failed"
expect_exit 1 audit "$SRC/specs" --data "$TMP/planted" --format json --no-timings
cp "$TMP/out" "$TMP/planted.json"
python3 "$COMPARE" "$TMP/planted/manifest.json" "$TMP/planted.json" >"$TMP/compare" || { fail "planted violations"; cat "$TMP/compare"; }

# Records read, skipped and checked add up, per file and in the summary.
python3 - "$TMP/planted.json" "$TMP/planted/manifest.json" <<'PY' || fail "counts"
import json, sys
report, manifest = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
s = report["summary"]
assert s["records_skipped"] == 0 and s["data_errors"] == 0, s
assert s["records_read"] == s["records_checked"] + s["records_filtered"], s
files = {f["path"].rsplit("/", 1)[-1]: f for f in report["data"]["files"]}
assert files["subscriptions.ndjson"]["read"] == manifest["counts"]["subscriptions"], files
assert report["data"]["entities"]["Transaction"] == manifest["counts"]["subscriptions"], report["data"]["entities"]
assert report["data"]["entities"]["Customer"] == manifest["counts"]["customers"]
assert s["exit_code"] == 1 and s["rules_violated"] >= 15, s
PY

# --stats names each step on stderr, and threads change nothing in the report.
expect_exit 1 audit "$SRC/specs" --data "$TMP/planted" --format json --no-timings --stats -j 3
cmp -s "$TMP/out" "$TMP/planted.json" || fail "the report on 3 threads differs from the one on the default threads"
for step in "read $TMP/planted/subscriptions.ndjson" "lay out facts" "prepare indexes" "search rules" \
            "explain violations" "in all"; do
  expect_in "$TMP/err" "$step"
done
grep -qE '^stats: +[0-9.]+ ms wall +[0-9.]+ ms CPU  in all$' "$TMP/err" || { fail "--stats total line"; cat "$TMP/err"; }

# The same data without plants is clean.
python3 "$GEN" --out "$TMP/clean" --subscriptions 2000 --seed 11 --plant 0 || fail "generator failed"
expect_exit 0 audit "$SRC/specs" --data "$TMP/clean" --no-timings
expect_in "$TMP/out" "0 violations; 0 data errors"

# The text report names the rule, the entities with their records, and the facts.
expect_exit 1 audit "$SRC/specs" --data "$TMP/planted" --no-timings --rule CSP-R05
expect_in "$TMP/out" "VIOLATED  reseller_mpa_before_new_subscription (CSP-R05)  2 violations"
expect_in "$TMP/out" "t.reseller.mpa_signed <= t.date is false: 2023-01-01 <= 2022-06-01"
expect_in "$TMP/out" "subscriptions.ndjson:"
expect_in "$TMP/out" "mpa-status.csv:"
finish
