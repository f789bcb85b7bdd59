# Running out of memory in one check makes that check unknown (exit 3) with
# the reason, and the checks before and after it are still reported.
source "$(dirname "$0")/lib.bash"
cd "$SRC"
SPEC=tests/specs/resources/memory_hungry.cspv

# 400 MB of address space: the small properties fit, the huge one does not.
(ulimit -v 400000; exec "$CSPV" prove "$SPEC" --ground-limit 1000000 --no-timings --timeout 120) \
  >"$TMP/out" 2>"$TMP/err"
got=$?
[[ "$got" == 3 ]] || { fail "exit $got, expected 3 (unknown)"; sed 's/^/  | /' "$TMP/out" "$TMP/err"; }
expect_in "$TMP/out" "PROVED    small_before"
expect_in "$TMP/out" "UNKNOWN   huge ($SPEC:12:10) within scope A=30 (out of memory"
expect_in "$TMP/out" "PROVED    small_after"
grep -q "internal error" "$TMP/err" && fail "out of memory reported as an internal error"
finish
