# Scope sweeps (`prove --scope 2..4`, docs/language.md): each step bounded
# at its scope, the smallest scope with a counterexample reported first (its
# counterexample re-checked by the evaluator), the attempt for every size
# beside the steps; sharded per property and scope, and merged byte for byte
# into the single run's report in every format; bad sweep syntax exits 2.
source "$(dirname "$0")/lib.bash"
cd "$SRC"  # the reports name their inputs as given: shards and merge use the same relative paths
SPEC=tests/specs/sweep/three_partners.cspv

# Violated only from scope 3 up: the first counterexample is at scope 3, with 3 partners.
expect_exit 1 prove "$SPEC" --scope 2..4 --no-timings
expect_in "$TMP/out" "VIOLATED  at_most_two_partners ($SPEC:8:10) first at scope 3 of the sweep 2, 3, 4 (within scope Partner=3)"
expect_in "$TMP/out" "sweep: scope 2 proved, scope 3 violated, scope 4 violated; for every size: violated"
expect_in "$TMP/out" "counterexample (minimal: 3 entities)"
expect_in "$TMP/out" "PROVED    partners_are_enrolled ($SPEC:12:10) for every instance, of any size (sweep 2, 3, 4)"
expect_in "$TMP/out" "summary: sweep 2, 3, 4: 2 properties: 1 proved, 1 violated"
# A list, with timings: each step's time, and against the step before.
expect_exit 1 prove "$SPEC" --scope 2,4 --property at_most_two_partners
grep -Eq 'sweep: scope 2 proved \[[0-9.]+ ms\], scope 4 violated \[[0-9.]+ ms, x[0-9.]+\]' "$TMP/out" || fail "no step times: $(cat "$TMP/out")"
# Below the first counterexample's scope: the attempt for every size finds it beyond the sweep.
expect_exit 1 prove "$SPEC" --scope 1..2 --no-timings --format json
python3 - "$TMP/out" <<'PY' || fail "sweep JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sweep"]["bounds"] == [1, 2], d["sweep"]
checks = {c["name"]: c for c in d["sweep"]["checks"]}
p = checks["at_most_two_partners"]
assert p["status"] == "violated" and p["first_counterexample_bound"] is None and p["for_every_size"] == "violated", p
assert [s["status"] for s in p["steps"]] == ["proved", "proved"], p
assert checks["partners_are_enrolled"]["for_every_size"] == "proved", checks
steps = [(r["name"], r["sweep_bound"]) for r in d["results"]]
assert steps == [("rules", 1), ("rules", 2), ("at_most_two_partners", 1), ("at_most_two_partners", 2),
                 ("at_most_two_partners", None), ("partners_are_enrolled", 1), ("partners_are_enrolled", 2),
                 ("partners_are_enrolled", None)], steps
beyond = d["results"][4]
assert beyond["status"] == "violated" and len(beyond["counterexample"]["entities"]) == 3, beyond
assert d["summary"]["violated"] == 1 and d["summary"]["exit_code"] == 1, d["summary"]
PY
# --bounded: the steps only, no attempt for every size.
expect_exit 0 prove "$SPEC" --scope 1..2 --bounded --no-timings
expect_in "$TMP/out" "PROVED    at_most_two_partners ($SPEC:8:10) within scope Partner=2, the largest of the sweep 1, 2"
grep -q "for every size" "$TMP/out" && fail "--bounded sweep tried every size: $(cat "$TMP/out")"

# Sharded: each property x scope a work item; the merge is the single run, in every format.
FORMATS=(json txt sarif junit.xml md html dot)
run_sharded() {  # run_sharded NAME "N..." ARGS...: the single run, then N shards merged, for each N
  local name="$1" counts="$2"; shift 2
  local dir="$TMP/$name"
  mkdir -p "$dir"
  local formats=(--format json --format text --format sarif --format junit --format markdown --format html --format dot)
  "$CSPV" "$@" --no-timings "${formats[@]}" --out "$dir/single" >/dev/null 2>"$dir/single.err"
  local single=$?
  local n k f
  for n in $counts; do
    for ((k = 0; k < n; k++)); do
      "$CSPV" "$@" --no-timings --shard "$k/$n" --format json >"$dir/shard-$k-of-$n.json" 2>"$dir/shard-$k.err"
      local code=$?
      (( code <= 3 )) || { fail "$name: shard $k/$n exited $code"; sed 's/^/  | /' "$dir/shard-$k.err"; }
    done
    "$CSPV" merge "$dir"/shard-*-of-$n.json "${formats[@]}" --out "$dir/merged-$n" >/dev/null 2>"$dir/merge.err"
    local merged=$?
    [[ "$merged" == "$single" ]] || { fail "$name/$n: merge exited $merged, the single run $single"; sed 's/^/  | /' "$dir/merge.err"; }
    for f in "${FORMATS[@]/#/cspverify.}"; do
      # Values are steered within a budget of solver work, not time (solver/session.h):
      # the same on a loaded machine, so any difference is the merge's.
      cmp -s "$dir/single/$f" "$dir/merged-$n/$f" && continue
      fail "$name/$n: merged $f differs from the single run's"
      diff "$dir/single/$f" "$dir/merged-$n/$f" | head -20 | sed 's/^/  | /'
    done
  done
}
run_sharded small 2 prove "$SPEC" --scope 2..3 --timeout 20
# The shipped specs at scopes 1 and 2 (--bounded keeps it fast; the small spec above has the attempts for
# every size): the rules need two partners, so scope 1 is inconsistent and every property vacuous there,
# which says only that scope 1 is too small: the verdicts come from scope 2.
run_sharded shipped "2 3" prove specs/ --scope 1,2 --bounded --timeout 30
SHIPPED="$TMP/shipped/single/cspverify.txt"
expect_in "$SHIPPED" "summary: sweep 1, 2: 9 properties: 7 proved, 0 violated, 2 known gaps, 0 unknown, 0 vacuous"
expect_in "$SHIPPED" "CONSISTENT rules within scope Org=2, Tenant=2, Partner=2, Customer=2, Transaction=2, Partnership=2, ResellerRelationship=2, the largest of the sweep 1, 2"
expect_in "$SHIPPED" "sweep: scope 1 inconsistent, scope 2 consistent"
expect_in "$SHIPPED" "KNOWN GAP no_self_sale (specs/csp/properties.cspv:22:10) first at scope 2 of the sweep 1, 2"
expect_in "$SHIPPED" "sweep: scope 1 vacuous, scope 2 violated"
python3 - "$TMP/small" <<'PY' || fail "sweep shard items"
import json, sys
items = sorted(i for k in range(2) for i in json.load(open(f"{sys.argv[1]}/shard-{k}-of-2.json"))["shard"]["items"])
assert items == sorted(["consistency@2", "consistency@3", "property:at_most_two_partners@2",
                        "property:at_most_two_partners@3", "property:at_most_two_partners",
                        "property:partners_are_enrolled@2", "property:partners_are_enrolled@3",
                        "property:partners_are_enrolled"]), items
PY
# Shards of another sweep do not merge.
"$CSPV" prove "$SPEC" --scope 2..4 --no-timings --shard 1/2 --format json >"$TMP/other-sweep.json" 2>/dev/null
expect_exit 2 merge "$TMP/small/shard-0-of-2.json" "$TMP/other-sweep.json"
expect_in "$TMP/err" "come from different runs: options"
# --balance-from reads each step's time by its id.
"$CSPV" prove "$SPEC" --scope 2..3 --timeout 20 --format json >"$TMP/timed.json" 2>/dev/null
expect_exit 1 prove "$SPEC" --scope 2..3 --timeout 20 --no-timings --shard 0/2 --balance-from "$TMP/timed.json" --format json
python3 - "$TMP/timed.json" "$TMP/out" <<'PY' || fail "balanced sweep shard"
import json, sys
timed, shard = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["shard"]
# Longest first to the least loaded shard: shard 0 owns the longest step, by its id with the bound.
def item(r):
    kind = r["kind"] if r["kind"] != "consistency" else "consistency"
    base = kind if kind == "consistency" else f"{kind}:{r['name']}"
    return base + (f"@{r['sweep_bound']}" if r["sweep_bound"] is not None else "")
longest = max(timed["results"], key=lambda r: (r["time_ms"], item(r)))
assert item(longest) in shard["items"], (item(longest), shard["items"])
PY

# Bad sweeps: a clear error, exit 2.
for bad in 4..2 2.. ..3 2...4 2,2 3,2 2,,3 0..3 2..1001 2,a; do
  expect_exit 2 prove "$SPEC" --scope "$bad"
  expect_in "$TMP/err" "invalid --scope \`$bad\`: a scope sweep is A..B with A <= B, or increasing bounds separated by commas (4,8,16), each from 1 to 1000"
done
expect_exit 2 prove "$SPEC" --scope Partner=2..4
expect_in "$TMP/err" "invalid --scope \`Partner=2..4\`: a scope sweep varies the bound of every kind (--scope 2..4); Kind=N fixes one kind in every step"
expect_exit 2 prove "$SPEC" --scope 2..4 --scope 3
expect_in "$TMP/err" "--scope 2..4 and --scope 3 both bound every kind"
expect_exit 2 prove "$SPEC" --scope 2..4 --scope 5,6
expect_in "$TMP/err" "--scope 2..4 and --scope 5,6 are both scope sweeps"
expect_exit 2 verify "$SPEC" --scope 2..4
expect_in "$TMP/err" "--scope 2..4 is a scope sweep, which only \`cspverify prove\` runs"
expect_exit 2 prove "$SPEC" --scope 2..4 --scope Nobody=2
expect_in "$TMP/err" "Nobody"
finish
