# cspverify audit stopped by SIGINT or SIGTERM while it reads: exit 130 or
# 143, and the report says it was interrupted and which rules never ran. To
# stop it at a known point, the subscriptions file is a FIFO: opening it for
# writing returns once the audit has opened it, the signal lands while the
# audit waits for the data, and only then is the data written.
source "$(dirname "$0")/lib.bash"
command -v python3 >/dev/null || { fail "python3 is missing (scripts/setup.sh --tests)"; finish; }
python3 "$SRC/bench/gen_audit_data.py" --out "$TMP/data" --subscriptions 500 --seed 5 --plant 1 >/dev/null ||
  fail "generator failed"
mv "$TMP/data/subscriptions.ndjson" "$TMP/subscriptions.ndjson"

# interrupted_run SIGNAL FORMAT: runs the audit on the FIFO, signals it, feeds it; sets $rc
interrupted_run() {
  local signal="$1" format="$2"
  rm -f "$TMP/data/subscriptions.ndjson"
  mkfifo "$TMP/data/subscriptions.ndjson"
  "$CSPV" audit "$SRC/specs" --data "$TMP/data" --format "$format" --no-timings --no-progress \
    >"$TMP/out" 2>"$TMP/err" &
  local pid=$!
  exec 3>"$TMP/data/subscriptions.ndjson"  # returns once the audit has opened the FIFO
  kill -"$signal" "$pid"
  cat "$TMP/subscriptions.ndjson" >&3
  exec 3>&-
  wait "$pid"
  rc=$?
}

interrupted_run INT json
[[ $rc == 130 ]] || { fail "SIGINT: exit $rc, expected 130"; sed 's/^/  | /' "$TMP/err"; }
python3 - "$TMP/out" <<'PY' || fail "the JSON report of an interrupted audit"
import json, sys
report = json.load(open(sys.argv[1]))
interrupted = report["interrupted"]
assert interrupted["signal"] == "SIGINT", interrupted
# Stopped while reading: the data is incomplete, so no rule was evaluated at all.
assert report["data"]["complete"] is False, report["data"]
assert report["summary"]["rules_evaluated"] == 0 and report["violations"] == [], report["summary"]
assert report["summary"]["exit_code"] == 130, report["summary"]
files = {f["path"].rsplit("/", 1)[-1]: f for f in report["data"]["files"]}
assert files["subscriptions.ndjson"]["read"] == 0, files  # the signal came before its data
assert "mpa-status.csv" not in files or files["mpa-status.csv"]["read"] == 0, files  # nor another file after it
PY

interrupted_run TERM text
[[ $rc == 143 ]] || { fail "SIGTERM: exit $rc, expected 143"; sed 's/^/  | /' "$TMP/err"; }
expect_in "$TMP/out" "data incomplete (interrupted by SIGTERM): rules not evaluated"

# The same data read whole: the run completes (so the above stopped early, not on bad data).
mv "$TMP/subscriptions.ndjson" "$TMP/data/subscriptions.ndjson.new"
rm -f "$TMP/data/subscriptions.ndjson" && mv "$TMP/data/subscriptions.ndjson.new" "$TMP/data/subscriptions.ndjson"
expect_exit 1 audit "$SRC/specs" --data "$TMP/data" --format json --no-timings --no-progress
finish
