# Shared helpers for the CLI tests (sourced, not run: it has no test of its own).
# Each test script gets $1 = the cspverify binary, $2 = the source tree.
set -uo pipefail
CSPV="$1"
SRC="$2"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_exit CODE ARGS... : runs cspverify, keeps stdout/stderr in $TMP/out, $TMP/err
expect_exit() {
  local want="$1"; shift
  "$CSPV" "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  [[ "$got" == "$want" ]] || { fail "cspverify $* exited $got, expected $want"; sed 's/^/  | /' "$TMP/out" "$TMP/err"; }
}

expect_in() {  # expect_in FILE TEXT
  grep -qF -- "$2" "$1" || { fail "$1 lacks: $2"; sed 's/^/  | /' "$1"; }
}

finish() {
  if (( failures )); then echo "$failures failure(s)"; exit 1; fi
  echo "ok"
}
