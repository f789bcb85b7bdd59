# Why a property holds and a scenario's other minimal cores, end to end: the
# text report names each proof's rules (or says the vocabulary alone proves
# it), JSON carries the same, `expect forbidden by X` searches past a first
# core without X, and --all-cores lists exactly the two minimal cores of a
# scenario that has two, saying the list is complete.
source "$(dirname "$0")/lib.bash"
P="$SRC/tests/specs/cores/proofs.cspv"
S="$SRC/tests/specs/cores/scenarios.cspv"

expect_exit 0 prove "$P" --no-timings
expect_in "$TMP/out" "  proved using active_signed (T-1), vips_active (T-2)"
expect_in "$TMP/out" "  proved by the vocabulary alone: no rule needed"
grep -q "seats_counted" "$TMP/out" && fail "a rule the proofs do not need is named"

expect_exit 0 prove "$P" --no-timings --format json
python3 - "$TMP/out" <<'PY' || fail "JSON proof cores"
import json, sys
results = {r["name"]: r for r in json.load(open(sys.argv[1]))["results"]}
p = results["vips_signed"]
assert [c["rule"] for c in p["core"]] == ["active_signed", "vips_active"], p["core"]
assert [c["source"] for c in p["core"]] == ["T-1", "T-2"], p["core"]
assert p["core_minimal"] is True and p["core_search"] is None and p["all_cores"] is None, p
v = results["roles_are_known"]
assert v["core"] == [] and v["core_minimal"] is True, v
assert results["rules"]["core_minimal"] is None, results["rules"]
PY

# Two scenarios with the same facts and two minimal cores: each expectation
# passes, one of them after a search; no minimal core has both rules, nor `harmless`.
expect_exit 1 check "$S" --no-timings
expect_in "$TMP/out" "FORBIDDEN by_approval"
grep -E "^FORBIDDEN (by_approval|by_review) .*\(expected\)" "$TMP/out" | wc -l | grep -qx 2 \
  || fail "both expectations should pass"
expect_in "$TMP/out" "  first minimal core found (without "
expect_in "$TMP/out" "  no minimal core has all of approved, audited: every minimal core was examined"
expect_in "$TMP/out" "  no minimal core has T-HRM: every minimal core was examined"
grep -q "^FORBIDDEN by_both .*FAILED expected forbidden by approved, audited" "$TMP/out" || fail "by_both should fail"

expect_exit 0 check "$S" --scenario by_review --all-cores --no-timings
expect_in "$TMP/out" "  every minimal core (2):"
expect_in "$TMP/out" "    1. chained (T-CHN), audited (T-AUD)"
expect_in "$TMP/out" "    2. approved (T-APP)"

expect_exit 0 check "$S" --scenario by_review --all-cores --max-cores 1 --format json --no-timings
python3 - "$TMP/out" <<'PY' || fail "JSON --all-cores"
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
assert r["all_cores"] == {"cores": [["chained", "audited"]], "complete": False,
                          "incomplete_reason": "there are more than --max-cores 1"}, r["all_cores"]
assert r["core_minimal"] is True, r
PY

# Option errors.
expect_exit 2 check "$S" --max-cores 3
expect_in "$TMP/err" "--max-cores bounds --all-cores, which is not given"
expect_exit 2 check "$S" --all-cores --max-cores 0
expect_in "$TMP/err" "invalid --max-cores \`0\`: expected a whole number from 1 to 1000"
expect_exit 2 prove "$P" --all-cores
finish
