# Bad data never disappears: each malformed or invalid record is reported at
# file:line:col with its source line and a caret, skipped, and counted; the
# rest is still audited; the exit code is 2. Past --max-errors the audit stops.
source "$(dirname "$0")/lib.bash"
DATA="$SRC/tests/specs/audit/bad-data"

expect_exit 2 audit "$SRC/specs" --data "$DATA" --no-timings
expect_in "$TMP/err" "bad-data/subscriptions.ndjson:2:123: error: malformed JSON: expected \`,\` or \`}\` in an object, got \`c\`"
expect_in "$TMP/err" "bad-data/subscriptions.ndjson:3:112: error: \`Transaction\` \`S3\` refers to \`Partner\` \`9999999\`, which no record defines"
expect_in "$TMP/err" "  = help: \`Partner\` keys come from \`partners.csv\` (\`mpnId\`)"
expect_in "$TMP/err" "bad-data/subscriptions.ndjson:4:139: error: \`creationDate\` is \`2021-13-45\`: \`Transaction.date\` needs a date"
expect_in "$TMP/err" "bad-data/subscriptions.ndjson:5:172: error: \`transactionType\` is \`upgrade\`, which the value table of \`Transaction.new_business\` does not list"
expect_in "$TMP/err" "bad-data/subscriptions.ndjson:6:8: error: \`Transaction\` key \`S1\` is given twice"
expect_in "$TMP/err" "bad-data/subscriptions.ndjson:7:1: error: \`Transaction.customer\` is required, but \`customerId\` is missing"
expect_in "$TMP/err" "bad-data/partners.csv:4:92: error: \`onboarded\` is \`yes\`: \`Partner.onboarded\` needs \`true\` or \`false\`"
expect_in "$TMP/err" "bad-data/partners.csv:5:1: error: CSV row has 4 fields, the header has 9"
# A record referring to a skipped one is skipped in turn, pointing at it.
expect_in "$TMP/err" "bad-data/subscriptions.ndjson:9:88: error: \`Transaction\` \`S8\` refers to \`Partner\` \`4847433\`, whose record was skipped"
expect_in "$TMP/err" "bad-data/partners.csv:4:1: note: that record is here"
# The caret line under the offending value.
grep -qF -- '                                                                                           ^~~' "$TMP/err" || fail "no caret under \`yes\`"
# The rest is audited, and the counts say what happened.
expect_in "$TMP/out" "bad-data/subscriptions.ndjson           8 read, 7 skipped, 0 filtered, 1 checked"
expect_in "$TMP/out" "VIOLATED  reseller_mpa_before_new_subscription (CSP-R05)  1 violation"
expect_in "$TMP/out" "summary: 25 records read, 10 skipped, 1 filtered, 14 checked"
expect_in "$TMP/out" "; 10 data errors"

# Every format carries the counts and the errors.
expect_exit 2 audit "$SRC/specs" --data "$DATA" --no-timings --format json
python3 - "$TMP/out" <<'PY' || fail "JSON counts"
import json, sys
r = json.load(open(sys.argv[1]))
s = r["summary"]
assert (s["records_read"], s["records_skipped"], s["records_checked"], s["data_errors"], s["exit_code"]) == (25, 10, 14, 10, 2), s
e = r["data_errors"][0]
assert e["file"].endswith("partners.csv") and e["line"] == 4 and e["column"] == 92 and e["code"] == "E0502", e
PY
expect_exit 2 audit "$SRC/specs" --data "$DATA" --no-timings --format csv
expect_in "$TMP/out" "summary,,,,,"

# Past --max-errors: reading stops, no rule is evaluated, the report says so.
expect_exit 2 audit "$SRC/specs" --data "$DATA" --no-timings --max-errors 2
expect_in "$TMP/err" "error: more than 2 data errors: the audit stops here"
expect_in "$TMP/out" "data incomplete (more than 2 data errors): rules not evaluated"
expect_in "$TMP/out" "rules not evaluated"

# Options and inputs.
expect_exit 2 audit "$SRC/specs"
expect_in "$TMP/err" "--data DIR is required"
expect_exit 2 audit "$SRC/specs" --data "$TMP/nowhere"
expect_in "$TMP/err" "is not a directory"
expect_exit 2 audit "$SRC/specs" --data "$DATA" --rule CSP-R99
expect_in "$TMP/err" "no rule named \`CSP-R99\`"
expect_exit 2 audit "$SRC/specs" --data "$DATA" --max-errors -1
expect_in "$TMP/err" "invalid --max-errors \`-1\`"
expect_exit 2 audit "$SRC/specs/csp" --data "$DATA"
expect_in "$TMP/err" "the specs have no \`import\`"
mkdir -p "$TMP/empty"
expect_exit 2 audit "$SRC/specs" --data "$TMP/empty" --no-timings
expect_in "$TMP/err" "cannot read data file"
finish
