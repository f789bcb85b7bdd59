# Issue #9 through the real binary: no crash, no abort, no silent loss.
# Deep operator chains are an error at file:line:col (they overflowed the
# stack, exit 139); outputs that cannot be written (a full disk, /dev/full, a
# path that is a file) are an error with exit 2 (they aborted with exit 134,
# or left an empty report behind exit 0).
source "$(dirname "$0")/lib.bash"
SMALL="$SRC/tests/specs/prove/small.cspv"

# --- deep expressions
chain() {  # chain OPERAND OPERATOR COUNT
  local out="$1" i
  for ((i = 1; i < $3; i++)); do out+=" $2 $1"; done
  printf '%s' "$out"
}
{ echo "entity P { n: Int  b: Bool  q: P? }"; echo "rule r { forall p: P | $(chain p.n + 30000) > 0 }"; } >"$TMP/sum.cspv"
expect_exit 2 prove "$TMP/sum.cspv"
expect_in "$TMP/err" "sum.cspv:2:3016: error: expression nested too deeply: more than 500 levels of operators"
{ echo "entity P { n: Int  b: Bool  q: P? }"; echo "rule r { forall p: P | $(chain p.b iff 30000) }"; } >"$TMP/iff.cspv"
expect_exit 2 prove "$TMP/iff.cspv"
expect_in "$TMP/err" "iff.cspv:2:4012: error: expression nested too deeply"
{ echo "entity P { n: Int  b: Bool  q: P? }"; printf 'rule r { forall p: P | p'; for ((i = 0; i < 30000; i++)); do printf '.q'; done
  echo '.n > 0 }'; } >"$TMP/dots.cspv"
expect_exit 2 prove "$TMP/dots.cspv"
expect_in "$TMP/err" "dots.cspv:2:1023: error: expression nested too deeply"
# At the limit, every pass (checker, encoder, evaluator, explanations, every
# report format, diff) runs in a quarter of the default 8 MB stack; a
# sanitized build, whose frames are much larger, gets the default.
limit_stack=2048; grep -qa __asan_init "$CSPV" && limit_stack=8192
at_limit() {  # at_limit WANT ARGS... : runs cspverify with the small stack
  local want="$1" got; shift
  got=$(ulimit -s "$limit_stack"; "$CSPV" "$@" >"$TMP/out" 2>"$TMP/err"; echo $?)
  [[ "$got" == "$want" ]] || { fail "cspverify $* exited $got at the depth limit, expected $want"; tail -3 "$TMP/err"; }
}
all_formats=(-f text -f json -f html -f dot -f markdown -f junit -f sarif --no-timings)
header="entity P { n: Int  b: Bool  q: P? }"
{ echo "$header"; echo "property r { forall p: P | $(chain p.n + 497) > 0 }"; } >"$TMP/max_sum.cspv"  # 500 levels
{ echo "$header"; echo "property r { forall p: P | $(chain p.b iff 498) }"; } >"$TMP/max_iff.cspv"
{ echo "$header"; printf 'property r { forall p: P | p'; for ((i = 0; i < 496; i++)); do printf '.q'; done
  echo '.n > 0 }'; } >"$TMP/max_dots.cspv"
{ echo "$header"; echo "define d0(p: P) = p.b"; for ((i = 1; i < 248; i++)); do echo "define d$i(p: P) = d$((i - 1))(p)"; done
  echo "property r { forall p: P | not d247(p) }"; } >"$TMP/max_defines.cspv"
for spec in max_sum max_dots max_defines; do
  at_limit 1 verify "$TMP/$spec.cspv" "${all_formats[@]}" -o "$TMP/$spec"
  expect_in "$TMP/$spec/cspverify.txt" "VIOLATED  r"
done
at_limit 0 verify "$TMP/max_iff.cspv" "${all_formats[@]}" -o "$TMP/max_iff"
at_limit 0 diff "$TMP/max_sum.cspv" "$TMP/max_defines.cspv" -f json
at_limit 0 diff "$TMP/max_dots.cspv" "$TMP/max_iff.cspv"
for spec in max_sum max_dots max_defines; do  # one level more is an error
  sed -i 's/| not d247(p)/| not not d247(p)/; s/| p\.n/| p.n + p.n/; s/| p\.q/| p.q.q/' "$TMP/$spec.cspv"
  expect_exit 2 prove "$TMP/$spec.cspv"
  expect_in "$TMP/err" "nested too deeply"
done

# `and` chains are one n-ary node, however long.
{ echo "entity P { n: Int  b: Bool  q: P? }"; echo "property r { forall p: P | $(chain p.b and 100000) }"; } >"$TMP/and.cspv"
expect_exit 1 prove "$TMP/and.cspv"
expect_in "$TMP/out" "VIOLATED  r"

# --- bad option values
expect_exit 2 prove "$SMALL" --timeout -1
expect_in "$TMP/err" "invalid --timeout \`-1\`"
expect_exit 2 prove "$SMALL" --ground-limit -1
expect_exit 2 prove "$SMALL" --scope 0
mkdir "$TMP/empty"
expect_exit 2 verify "$TMP/empty"
expect_in "$TMP/err" "no .cspv files under \`$TMP/empty\`"

# --- outputs that cannot be written
expect_exit 2 prove "$SMALL" --dump-smt2 /dev/full
expect_in "$TMP/err" "cspverify: error: cannot write to --dump-smt2 \`/dev/full\`: it exists and is not a directory"
expect_exit 2 prove "$SMALL" --dump-smt2 "$SMALL/smt"
expect_in "$TMP/err" "not a directory"

"$CSPV" prove "$SMALL" >/dev/full 2>"$TMP/err"
[[ $? == 2 ]] || fail "stdout to /dev/full should exit 2"
expect_in "$TMP/err" "cspverify: error: cannot write to standard output: no space left on device"
"$CSPV" prove "$SMALL" -f html >/dev/full 2>"$TMP/err"  # more than stdio's buffer
[[ $? == 2 ]] || fail "a large report to /dev/full should exit 2"
expect_in "$TMP/err" "cannot write to standard output"

# A full disk: no file may grow (RLIMIT_FSIZE 0, SIGXFSZ ignored, so writes
# fail with EFBIG). The report already there is kept whole, no temporary
# file is left; stderr goes through a pipe, which the limit does not touch.
full_disk() {  # full_disk ARGS... : stderr in $TMP/err, then "exit N"
  (trap '' XFSZ; ulimit -f 0; "$CSPV" "$@" >/dev/null; echo "exit $?") 2>&1 | cat >"$TMP/err"
}
mkdir -p "$TMP/reports"
echo "the previous report" >"$TMP/reports/cspverify.txt"
full_disk prove "$SMALL" -f text -f json -o "$TMP/reports"
expect_in "$TMP/err" "exit 2"
expect_in "$TMP/err" "cspverify: error: cannot write \`$TMP/reports/cspverify.txt\`: file too large"
[[ "$(cat "$TMP/reports/cspverify.txt")" == "the previous report" ]] || fail "the previous report was not kept"
[[ "$(ls -A "$TMP/reports")" == cspverify.txt ]] || fail "files left behind: $(ls -A "$TMP/reports")"

full_disk prove "$SMALL" --dump-smt2 "$TMP/smt"
expect_in "$TMP/err" "exit 2"
expect_in "$TMP/err" "cspverify: error: cannot write \`$TMP/smt/000-consistency-rules.smt2\`"
finish
