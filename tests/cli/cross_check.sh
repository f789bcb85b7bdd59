# --cross-check cvc5: cvc5 answers every query that Z3 decided, the shipped
# specs' included (consistency, properties, counterexample minimisation,
# every scenario), and never the opposite of Z3; what it cannot decide is
# counted. A missing cvc5 or another solver's name is bad input (exit 2).
source "$(dirname "$0")/lib.bash"
command -v cvc5 >/dev/null || { fail "cvc5 is not installed (scripts/setup.sh --tests installs it)"; finish; }
SMALL="$SRC/tests/specs/prove/small.cspv"

# The shipped specs: exit 0 only when no query has opposite answers. Z3
# answers each of them within a second; the 10 s budget caps the queries cvc5
# cannot decide (it gets each query's remaining budget), which otherwise
# took a third of this test.
expect_exit 0 verify "$SRC/specs" --cross-check cvc5 --dump-smt2 "$TMP/smt" --stats --no-timings --timeout 10
queries=$(find "$TMP/smt" -name '*.smt2' | wc -l)
expect_in "$TMP/err" "cross-check: cvc5 agrees with Z3 on "
expect_in "$TMP/err" " of $queries queries"
grep -E "internal error|cvc5 failed on" "$TMP/err" && fail "cvc5 disagreed or failed"
compgen -G "$TMP/smt/*-scenario-*.smt2" >/dev/null || fail "no scenario queries were cross-checked"
compgen -G "$TMP/smt/*-minimise-*-cardinality.smt2" >/dev/null || fail "no minimality proofs were cross-checked"
grep "stats: cross-check" "$TMP/err"  # the figures, in the test's log
agreed=$(sed -n 's/.*cvc5 agrees with Z3 on \([0-9]*\) of.*/\1/p' "$TMP/err")
(( agreed * 2 > queries )) || fail "cvc5 decided only $agreed of $queries queries"

# diff: both directions' queries and each side's. Without --dump-smt2 they
# go to a temporary directory, removed afterwards.
mkdir "$TMP/tmp"
TMPDIR="$TMP/tmp" expect_exit 1 diff "$SRC/tests/specs/diff/base.cspv" "$SRC/tests/specs/diff/tightening.cspv" \
  --cross-check cvc5
expect_in "$TMP/err" "cross-check: cvc5 agrees with Z3 on "
grep -E "internal error|cvc5 failed on" "$TMP/err" && fail "cvc5 disagreed or failed on diff's queries"
[[ -z "$(ls -A "$TMP/tmp")" ]] || fail "left behind in TMPDIR: $(ls -A "$TMP/tmp")"

# Bad input, before any solving.
expect_exit 2 prove "$SMALL" --cross-check z3
expect_in "$TMP/err" "cspverify: error: invalid --cross-check \`z3\`: the one solver to cross-check with is \`cvc5\`"
mkdir "$TMP/no-cvc5"
PATH="$TMP/no-cvc5" "$CSPV" verify "$SMALL" --cross-check cvc5 >"$TMP/out" 2>"$TMP/err"
[[ $? == 2 ]] || fail "a PATH without cvc5 should exit 2"
expect_in "$TMP/err" "cspverify: error: --cross-check cvc5: \`cvc5\` is not installed (no \`cvc5\` program in PATH"
PATH="$TMP/no-cvc5" "$CSPV" diff "$SMALL" "$SMALL" --cross-check cvc5 >"$TMP/out" 2>"$TMP/err"
[[ $? == 2 ]] || fail "diff with a PATH without cvc5 should exit 2"
finish
