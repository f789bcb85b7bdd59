# SIGINT and SIGTERM stop the run promptly: what finished is reported, the
# check in flight is unknown ("interrupted by ..."), the rest is listed as not
# run, in every format, and the exit code is 130 or 143. A second SIGINT ends
# the process at once. tests/specs/interrupt/pigeons.cspv has a scenario that
# runs for minutes (the pigeonhole problem) between two quick ones.
source "$(dirname "$0")/lib.bash"
cd "$SRC"
SPEC=tests/specs/interrupt/pigeons.cspv

# start_run ARGS...: cspverify in the background (pid in $run_pid), output in $TMP/out, $TMP/err.
start_run() {
  "$CSPV" "$@" >"$TMP/out" 2>"$TMP/err" &
  run_pid=$!
}

# wait_until_solving: until the slow scenario is being solved (its query
# dumped), at most 30 s; the quick scenario before it has finished by then.
wait_until_solving() {
  for _ in $(seq 300); do
    compgen -G "$TMP/smt/*crowded*" >/dev/null && { sleep 0.5; return; }
    sleep 0.1
  done
  fail "the crowded scenario never started"
}

# stop_and_wait SIGNAL WANT: sends SIGNAL, expects exit WANT within 15 s (the run itself takes minutes).
stop_and_wait() {
  kill "-$1" "$run_pid"
  local start=$SECONDS
  wait "$run_pid"
  local got=$?
  [[ "$got" == "$2" ]] || { fail "exit $got after $1, expected $2"; sed 's/^/  | /' "$TMP/out" "$TMP/err"; }
  (( SECONDS - start <= 15 )) || fail "took $((SECONDS - start)) s to stop after $1"
}

# 1. SIGINT during `check`: the text report keeps the finished scenario.
start_run check "$SPEC" --jobs 1 --timeout 300 --no-timings --dump-smt2 "$TMP/smt"
wait_until_solving
stop_and_wait INT 130
expect_in "$TMP/out" "ALLOWED   quick"
expect_in "$TMP/out" "UNKNOWN   crowded ($SPEC:23:10) (interrupted by SIGINT)"
expect_in "$TMP/out" "NOT RUN   scenario after ($SPEC:29:10)"
expect_in "$TMP/out" "interrupted by SIGINT: 1 check not run"
expect_in "$TMP/err" "cspverify: interrupted: stopping and writing the report of what is done"

# 2. SIGTERM during `verify`, every format written under --out.
rm -rf "$TMP/smt"
start_run verify "$SPEC" --jobs 1 --timeout 300 --no-timings --dump-smt2 "$TMP/smt" --out "$TMP/reports" \
  -f text -f json -f junit -f sarif -f markdown -f html -f dot
wait_until_solving
stop_and_wait TERM 143
R="$TMP/reports/cspverify"
expect_in "$R.txt" "PROVED    every_pigeon_has_a_hole"
expect_in "$R.txt" "interrupted by SIGTERM: 1 check not run"
python3 - "$R.json" <<'PY' || fail "JSON report does not record the interruption"
import json, sys
report = json.load(open(sys.argv[1]))
statuses = {r["name"]: r["status"] for r in report["results"]}
assert statuses == {"rules": "consistent", "every_pigeon_has_a_hole": "proved", "quick": "allowed",
                    "crowded": "unknown"}, statuses
assert report["interrupted"]["signal"] == "SIGTERM", report["interrupted"]
assert [n["name"] for n in report["interrupted"]["not_run"]] == ["after"], report["interrupted"]
assert report["summary"]["exit_code"] == 143
PY
expect_in "$R.junit.xml" '<skipped message="not run: interrupted by SIGTERM"/>'
expect_in "$R.junit.xml" 'skipped="1"'
python3 - "$R.sarif" <<'PY' || fail "SARIF report does not record the interruption"
import json, sys
invocation = json.load(open(sys.argv[1]))["runs"][0]["invocations"][0]
assert invocation["executionSuccessful"] is False and invocation["exitSignalName"] == "SIGTERM", invocation
assert invocation["exitCode"] == 143
PY
expect_in "$R.md" "interrupted by SIGTERM"
expect_in "$R.html" "not run</strong> (the run was interrupted first)"
expect_in "$R.dot" "// interrupted by SIGTERM: 1 check(s) not run"

# 3. A second stop signal does not wait for the report: the process dies by
# it. (Two SIGINTs sent at once may merge into one, as pending signals of one
# kind do; SIGINT and SIGTERM are both delivered, to whichever threads take
# them, so either may come second.)
rm -rf "$TMP/smt"
start_run check "$SPEC" --jobs 1 --timeout 300 --no-timings --dump-smt2 "$TMP/smt"
wait_until_solving
kill -INT "$run_pid"; kill -TERM "$run_pid"
wait "$run_pid"
got=$?
[[ "$got" == 130 || "$got" == 143 ]] || fail "second signal: exit $got, expected 130 or 143"
grep -q "^summary:" "$TMP/out" && fail "second signal: a report was still written"
finish
