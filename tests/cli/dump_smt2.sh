# --dump-smt2 writes queries that the z3 command-line tool answers the same way.
source "$(dirname "$0")/lib.bash"
command -v z3 >/dev/null || { fail "the z3 command-line tool is not installed (scripts/setup.sh installs it)"; finish; }
expect_exit 1 prove "$SRC/tests/specs/prove/small.cspv" --dump-smt2 "$TMP/smt"
files=("$TMP"/smt/*.smt2)
[[ ${#files[@]} == 3 ]] || fail "expected 3 query files, got ${#files[@]}"
answer() { z3 -T:60 "$1" | head -1; }
[[ "$(answer "$TMP"/smt/000-consistency-rules.smt2)" == sat ]] || fail "consistency query should be sat"
[[ "$(answer "$TMP"/smt/001-property-reseller_signed.smt2)" == unsat ]] || fail "proved property should be unsat"
[[ "$(answer "$TMP"/smt/002-property-no_affiliate_sale.smt2)" == sat ]] || fail "violated property should be sat"
finish
