# Ints beyond 64 bits (docs/language.md, "How large an Int can be"): a check
# that needs one is unknown with the reason, the run's other results are
# reported, and the exit code is 3, never 4. A literal too large is bad input.
source "$(dirname "$0")/lib.bash"

# Before: decoding the counterexample's n > 2^63 ended the run with exit 4.
cat > "$TMP/huge.cspv" <<'SPEC'
entity Account { n: Int }
entity Branch { m: Int }
rule huge { forall a: Account | a.n > 9223372036854775807 }
rule small_branch { forall b: Branch | b.m >= 0 and b.m <= 10 }
property account_small { forall a: Account | a.n < 5 }
property account_positive { forall a: Account | a.n > 0 }
property branch_tiny { forall b: Branch | b.m < 3 } expect violated
scope 2
SPEC
expect_exit 3 prove "$TMP/huge.cspv" --no-timings
expect_in "$TMP/out" "account_small ($TMP/huge.cspv:5:10) within scope Account=2, Branch=2 (an Int value outside the range the evaluator supports: every instance needs an Int or Date value of magnitude above 2^53 (9007199254740992))"
expect_in "$TMP/out" "PROVED    account_positive"
expect_in "$TMP/out" "KNOWN GAP branch_tiny"  # `expect violated`
expect_exit 3 prove "$TMP/huge.cspv" --format json
expect_in "$TMP/out" '"unknown_reason": "an Int value outside the range the evaluator supports'

# Z3 alone answers n = 2^63, where n = 3 is also a counterexample: the
# counterexample within range is asked for again, found and confirmed.
cat > "$TMP/either.cspv" <<'SPEC'
entity Account { n: Int }
rule either { forall a: Account | a.n > 9223372036854775807 or a.n == 3 }
property negative { forall a: Account | a.n < 0 }
SPEC
expect_exit 1 prove "$TMP/either.cspv" --dump-smt2 "$TMP/smt"
expect_in "$TMP/out" "Account1: Account { n = 3 (breaks it) }"
if command -v z3 >/dev/null; then
  # The property's query within scope (after the attempt for every size, 001-unbounded-...).
  { cat "$TMP"/smt/001.*-property-negative.smt2; echo "(get-model)"; } > "$TMP/model.smt2"
  z3 -T:60 "$TMP/model.smt2" > "$TMP/z3.out"
  expect_in "$TMP/z3.out" "9223372036854775808"  # else this no longer tests the second query
fi

# The evaluator's re-check of a counterexample overflows: unknown, at the sum.
cat > "$TMP/headroom.cspv" <<'SPEC'
entity Account { n: Int }
rule headroom { forall a: Account | a.n > 0 and a.n + 9223372036854775807 > 0 }
property large { forall a: Account | a.n > 100 }
SPEC
expect_exit 3 prove "$TMP/headroom.cspv"
expect_in "$TMP/out" "(an Int value outside the 64-bit range the evaluator supports (at $TMP/headroom.cspv:2:49))"

# A scenario at the top of the range: n + 1 > n holds for every integer, but
# the evaluator cannot confirm the completed instance in 64 bits.
cat > "$TMP/top.cspv" <<'SPEC'
entity Account { n: Int }
rule grows { forall a: Account | a.n + 1 > a.n }
scenario at_the_top { A1: Account { n = 9223372036854775807 } expect allowed }
scenario ordinary { A1: Account { n = 5 } expect allowed }
SPEC
expect_exit 3 check "$TMP/top.cspv"
expect_in "$TMP/out" "at_the_top ($TMP/top.cspv:3:10) (an Int value outside the 64-bit range the evaluator supports (at $TMP/top.cspv:2:34))"
expect_in "$TMP/out" "ALLOWED   ordinary"

# A literal beyond 64 bits is a syntax error at its position.
printf 'entity Account { n: Int }\nrule r { forall a: Account | a.n < 9223372036854775808 }\n' > "$TMP/literal.cspv"
expect_exit 2 prove "$TMP/literal.cspv"
expect_in "$TMP/err" "literal.cspv:2:36: error: integer \`9223372036854775808\` is too large"
printf 'entity Account { n: Int }\nscenario s { A1: Account { n = -9223372036854775808 } }\n' > "$TMP/negative.cspv"
expect_exit 2 check "$TMP/negative.cspv"
expect_in "$TMP/err" "negative.cspv:2:33: error: integer \`9223372036854775808\` is too large"
finish
