# Sharded runs (docs/sharding.md): N shards run as plain processes and joined
# by `cspverify merge` give byte for byte the single run's --no-timings report
# and its exit code; shards that do not fit together are named errors.
source "$(dirname "$0")/lib.bash"
cd "$SRC"  # the reports name their inputs as given: shards and merge use the same relative paths

# run_sharded NAME N COMMAND ARGS...: the single run and N shards, merged, in every format.
FORMATS=(json txt sarif junit.xml md html dot)
run_sharded() {
  local name="$1" n="$2"; shift 2
  local dir="$TMP/$name"
  mkdir -p "$dir"
  local formats=(--format json --format text --format sarif --format junit --format markdown --format html --format dot)
  "$CSPV" "$@" --no-timings "${formats[@]}" --out "$dir/single" >/dev/null 2>"$dir/single.err"
  local single=$?
  local k
  for ((k = 0; k < n; k++)); do
    "$CSPV" "$@" --no-timings --shard "$k/$n" ${BALANCE:+--balance-from "$BALANCE"} --format json \
      >"$dir/shard-$k.json" 2>"$dir/shard-$k.err"
    local code=$?
    (( code <= 3 )) || { fail "$name: shard $k/$n exited $code"; sed 's/^/  | /' "$dir/shard-$k.err"; }
  done
  "$CSPV" merge "$dir"/shard-*.json "${formats[@]}" --out "$dir/merged" >/dev/null 2>"$dir/merge.err"
  local merged=$?
  [[ "$merged" == "$single" ]] || { fail "$name: merge exited $merged, the single run $single"; sed 's/^/  | /' "$dir/merge.err"; }
  local f
  for f in "${FORMATS[@]/#/cspverify.}"; do
    cmp -s "$dir/single/$f" "$dir/merged/$f" || { fail "$name: merged $f differs from the single run's"; diff "$dir/single/$f" "$dir/merged/$f" | head -20 | sed 's/^/  | /'; }
  done
}

run_sharded prove 3 prove tests/specs/prove/small.cspv --timeout 20
run_sharded check 2 check tests/specs/scenarios/small.cspv --timeout 20
run_sharded verify 2 verify tests/specs/lint/redundant.cspv --timeout 20
# More shards than work items: some shards own nothing, and the merge is still the single run.
run_sharded check_many 6 check tests/specs/scenarios/small.cspv --timeout 20

# Balanced by the times of an earlier run (with timings): still the single run's report.
"$CSPV" prove tests/specs/prove/small.cspv --timeout 20 --format json >"$TMP/timed.json" 2>/dev/null
BALANCE="$TMP/timed.json" run_sharded prove_balanced 2 prove tests/specs/prove/small.cspv --timeout 20

# Each shard owns a share; together every item once (round-robin over the sorted ids).
python3 - "$TMP/prove" <<'PY' || fail "shard objects"
import json, sys
shards = [json.load(open(f"{sys.argv[1]}/shard-{k}.json"))["shard"] for k in range(3)]
items = [i for s in shards for i in s["items"]]
assert sorted(items) == sorted(set(items)) and "consistency" in items, items
assert all(s["count"] == 3 and s["specs_hash"].startswith("fnv1a64:") for s in shards), shards
assert shards[0]["options"]["no-timings"] == "true" and shards[0]["options"]["timeout"] == "20", shards[0]["options"]
PY

# A missing shard, a shard given twice, a shard of another run: named errors, exit 2.
P="$TMP/prove"
expect_exit 2 merge "$P/shard-0.json" "$P/shard-2.json"
expect_in "$TMP/err" "shard 1/3 is missing"
expect_exit 2 merge "$P/shard-0.json" "$P/shard-1.json" "$P/shard-2.json" "$P/shard-1.json"
expect_in "$TMP/err" "shard 1/3 is given twice: \`$P/shard-1.json\` and \`$P/shard-1.json\`"
expect_exit 2 merge "$P/shard-0.json" "$P/shard-1.json" "$TMP/check/shard-1.json"
expect_in "$TMP/err" "come from different runs: command"
"$CSPV" prove tests/specs/prove/small.cspv --timeout 30 --no-timings --shard 1/3 --format json >"$TMP/other-timeout.json" 2>/dev/null
expect_exit 2 merge "$P/shard-0.json" "$TMP/other-timeout.json" "$P/shard-2.json"
expect_in "$TMP/err" "come from different runs: options"
expect_exit 2 merge "$P/single/cspverify.json"
expect_in "$TMP/err" "is not a shard's JSON report (it has no \`shard\` object"
# Two shards that claim the same item (a different --balance-from in one of them).
python3 - "$P" <<'PY'
import json, sys
d = json.load(open(f"{sys.argv[1]}/shard-0.json"))
d["shard"]["items"].append(json.load(open(f"{sys.argv[1]}/shard-1.json"))["shard"]["items"][0])
json.dump(d, open(f"{sys.argv[1]}/claims-more.json", "w"))
PY
expect_exit 2 merge "$P/claims-more.json" "$P/shard-1.json" "$P/shard-2.json"
expect_in "$TMP/err" "was run by several shards"

# --shard values: the index starts at 0; malformed values are usage errors.
expect_exit 2 prove tests/specs/prove/small.cspv --shard 4/4
expect_in "$TMP/err" "--shard 4/4: the shard index starts at 0, so it must be below 4"
for bad in 1 1/0 -1/4 a/b 1/4/2 ""; do
  expect_exit 2 prove tests/specs/prove/small.cspv --shard "$bad"
done
expect_exit 2 prove tests/specs/prove/small.cspv --balance-from "$P/single/cspverify.json"
expect_in "$TMP/err" "--shard is not given"
expect_exit 2 prove tests/specs/prove/small.cspv --shard 0/2 --balance-from "$P/single/cspverify.json"
expect_in "$TMP/err" "has no times"
finish
