# --dump-smt2 writes every query that decides a verdict as a standalone
# SMT-LIB 2 script whose first line is cspverify's answer, and the z3 tool
# gives that answer on each file alone: the consistency check, each property
# (for every size and within scope), a counterexample's minimisation, every
# scenario of the shipped specs, and diff's queries. Files are numbered by
# check, whatever --jobs is.
source "$(dirname "$0")/lib.bash"
command -v z3 >/dev/null || { fail "the z3 command-line tool is not installed (scripts/setup.sh installs it)"; finish; }

recorded() { sed -n '1s/^; cspverify: //p' "$1"; }
# every_answer_in_z3 DIR: each file under DIR, run alone, gives its recorded
# answer in z3 (two at a time: starting z3 costs more than most queries).
every_answer_in_z3() {
  local f want got
  find "$1" -name '*.smt2' -print0 | xargs -0 -P 2 -I{} sh -c \
    'printf "%s %s %s\n" "$1" "$(sed -n "1s/^; cspverify: //p" "$1")" "$(z3 -T:60 "$1" 2>&1 | head -1)"' _ {} \
    >"$TMP/answers"
  [[ -s "$TMP/answers" ]] || fail "no query under $1"
  while read -r f want got; do
    [[ "$got" == "$want" ]] || fail "$f: z3 says $got, cspverify said $want"
  done <"$TMP/answers"
}
exists() { compgen -G "$1" >/dev/null || fail "no file $1"; }

# prove: consistency, two properties (each first for every size, then the
# violated one within scope), the violated one's minimisation.
expect_exit 1 prove "$SRC/tests/specs/prove/small.cspv" --dump-smt2 "$TMP/prove"
P="$TMP/prove"
[[ "$(recorded "$P/000-consistency-rules.smt2")" == sat ]] || fail "consistency query should be sat"
[[ "$(recorded "$P/001-unbounded-reseller_signed.smt2")" == unsat ]] || fail "proof for every size should be unsat"
[[ "$(recorded "$P/002-unbounded-no_affiliate_sale.smt2")" == sat ]] || fail "violated property should be sat"
[[ "$(recorded "$P/002.001-property-no_affiliate_sale.smt2")" == sat ]] || fail "violated within scope: sat"
grep -q '(declare-sort' "$P/001-unbounded-reseller_signed.smt2" || fail "no uninterpreted sort in the unbounded query"
exists "$P/002.00[1-9]-minimise-no_affiliate_sale-entities.smt2"
exists "$P/002.0[0-9][0-9]-minimise-no_affiliate_sale-cardinality.smt2"
for f in "$P"/002.*-cardinality.smt2; do
  [[ "$(recorded "$f")" == unsat ]] || fail "$f: the minimality proof should be unsat"
  grep -q 'at-most' "$f" && fail "$f: Z3's at-most is not SMT-LIB"
done
head -3 "$P/000-consistency-rules.smt2" | grep -qx '(set-logic ALL)' || fail "no set-logic at the top"
every_answer_in_z3 "$P"
# --bounded: the property queries alone, within scope.
expect_exit 1 prove "$SRC/tests/specs/prove/small.cspv" --bounded --dump-smt2 "$TMP/bounded"
[[ "$(recorded "$TMP/bounded/001-property-reseller_signed.smt2")" == unsat ]] || fail "proved within scope: unsat"

# Above 3 entities of a kind, a check that looks for an instance asks within 3
# of each first: the consistency instance is found there, and no query of the
# whole scope follows; four distinct partners are not found there, so the
# whole scope is asked and answers.
expect_exit 1 prove "$SRC/tests/specs/prove/small.cspv" --scope 6 --dump-smt2 "$TMP/small6"
[[ "$(recorded "$TMP/small6/000-consistency-rules-small.smt2")" == sat ]] || fail "consistency within 3 per kind should be sat"
compgen -G "$TMP/small6/000.*-consistency-*" >/dev/null && fail "the whole scope asked after an instance was found: $(ls "$TMP/small6")"
expect_exit 1 prove "$SRC/tests/specs/prove/pigeonhole.cspv" --scope 4 --bounded --dump-smt2 "$TMP/pigeons"
[[ "$(recorded "$TMP/pigeons/001-property-at_most_three-small.smt2")" == unsat ]] || fail "no four partners within 3"
[[ "$(recorded "$TMP/pigeons/001.001-property-at_most_three.smt2")" == sat ]] || fail "four partners within scope 4"
expect_in "$TMP/out" "VIOLATED  at_most_three"
every_answer_in_z3 "$TMP/pigeons"

# check on the shipped specs: one verdict query per scenario.
expect_exit 0 check "$SRC/specs" --dump-smt2 "$TMP/check" --jobs 2 --no-timings
scenarios=$(grep -cE '^(ALLOWED|FORBIDDEN) ' "$TMP/out")
files=("$TMP"/check/*-scenario-*.smt2)
[[ $scenarios -gt 50 && ${#files[@]} == "$scenarios" ]] || fail "$scenarios scenarios, ${#files[@]} scenario queries"
exists "$TMP/check/000-scenario-direct_bill_chain.smt2"
every_answer_in_z3 "$TMP/check"

# The same file names on one thread as on two.
S="$SRC/tests/specs/scenarios/small.cspv"
expect_exit 1 check "$S" --dump-smt2 "$TMP/one" --jobs 1
expect_exit 1 check "$S" --dump-smt2 "$TMP/two" --jobs 2
[[ "$(ls "$TMP/one")" == "$(ls "$TMP/two")" ]] || fail "names differ with --jobs: $(ls "$TMP/one") / $(ls "$TMP/two")"

# diff (a tightening that regresses a scenario): the difference's queries, and each side's, in a directory each.
expect_exit 1 diff "$SRC/tests/specs/diff/base.cspv" "$SRC/tests/specs/diff/tightening.cspv" --dump-smt2 "$TMP/diff"
exists "$TMP/diff/difference/000-difference-newly_allowed.smt2"
exists "$TMP/diff/difference/001-difference-newly_forbidden.smt2"
exists "$TMP/diff/base/000-consistency-rules.smt2"
exists "$TMP/diff/proposed/*-scenario-*.smt2"
every_answer_in_z3 "$TMP/diff/difference"  # the sides' queries are prove's and check's
finish
