# Sharded diffs (docs/sharding.md): a change proposal diffed in N shards run as
# plain processes and joined by `cspverify merge` gives byte for byte the single
# run's --no-timings report in every diff format, and its exit code; shards
# that do not fit together (one missing, a prove shard among them) are named
# errors. The proposal is a patch as the shipped ones are (specs/changes/), on
# a small base: the shipped policy's diff takes seconds per run.
source "$(dirname "$0")/lib.bash"
cd "$SRC"  # the reports name their inputs as given: shards and merge use the same relative paths

# Two witnesses per direction, a property and a scenario regressed, a scenario
# verdict resting on an unset attribute (exit 1), and a scope per kind, which
# the merge reads back for the semantic difference's scope.
REVIEW=(tests/specs/diff/review_base.cspv --change tests/specs/diff/review_change.cspv --timeout 20 --witnesses 2
        --scope 2 --scope Link=1)
FORMATS=(json txt sarif junit.xml md html dot)
ALL_FORMATS=(--format json --format text --format sarif --format junit --format markdown --format html --format dot)

# single NAME DIFF-ARGS...: the single run's reports in every format under $TMP/NAME/single, its exit code in $TMP/NAME/code.
single() {
  local name="$1"; shift
  mkdir -p "$TMP/$name"
  "$CSPV" diff "$@" --no-timings "${ALL_FORMATS[@]}" --out "$TMP/$name/single" >/dev/null 2>"$TMP/$name/single.err"
  echo $? >"$TMP/$name/code"
}

# sharded NAME N DIFF-ARGS...: N shards merged in every format, compared with NAME's single run.
sharded() {
  local name="$1" n="$2"; shift 2
  local dir="$TMP/$name/$n${BALANCE:+-balanced}"
  mkdir -p "$dir"
  local k
  for ((k = 0; k < n; k++)); do
    "$CSPV" diff "$@" --no-timings --shard "$k/$n" ${BALANCE:+--balance-from "$BALANCE"} --format json \
      >"$dir/shard-$k.json" 2>"$dir/shard-$k.err"
    local code=$?
    (( code <= 3 )) || { fail "$name: shard $k/$n exited $code"; sed 's/^/  | /' "$dir/shard-$k.err"; }
  done
  "$CSPV" merge "$dir"/shard-*.json "${ALL_FORMATS[@]}" --out "$dir/merged" >/dev/null 2>"$dir/merge.err"
  local merged=$? single
  single=$(cat "$TMP/$name/code")
  [[ "$merged" == "$single" ]] || { fail "$name/$n: merge exited $merged, the single run $single"; sed 's/^/  | /' "$dir/merge.err"; }
  local f
  for f in "${FORMATS[@]/#/cspverify-diff.}"; do
    cmp -s "$TMP/$name/single/$f" "$dir/merged/$f" || { fail "$name/$n: merged $f differs from the single run's"; diff "$TMP/$name/single/$f" "$dir/merged/$f" | head -20 | sed 's/^/  | /'; }
  done
}

single review "${REVIEW[@]}"
[[ $(cat "$TMP/review/code") == 1 ]] || fail "review: the single run exited $(cat "$TMP/review/code"), expected 1"
sharded review 3 "${REVIEW[@]}"
# More shards (7) than work items (6): one shard owns nothing, and the merge is still the single run.
sharded review 7 "${REVIEW[@]}"
# Two shards, balanced by the times of an earlier diff (with timings): still the single run's report.
"$CSPV" diff "${REVIEW[@]}" --format json >"$TMP/timed.json" 2>/dev/null
BALANCE="$TMP/timed.json" sharded review 2 "${REVIEW[@]}"

# BASE PROPOSED, and an exit code (1) that comes from --expect alone: only the
# shard that searches newly allowed can contradict `tightening`.
EXPECT=(tests/specs/diff/base.cspv tests/specs/diff/widening.cspv --expect tightening --timeout 20)
single expect "${EXPECT[@]}"
[[ $(cat "$TMP/expect/code") == 1 ]] || fail "expect: the single run exited $(cat "$TMP/expect/code"), expected 1"
sharded expect 2 "${EXPECT[@]}"

# Each shard owns a share; together every work item once (round-robin over the sorted ids).
python3 - "$TMP/review/3" <<'PY' || fail "shard objects"
import json, sys
docs = [json.load(open(f"{sys.argv[1]}/shard-{k}.json")) for k in range(3)]
shards = [d["shard"] for d in docs]
items = [i for s in shards for i in s["items"]]
assert sorted(items) == ["consistency", "newly_allowed", "newly_forbidden", "property:resellers_signed_by_the_sale",
                         "scenario:late_reseller", "scenario:signed_reseller"], items
assert all(s["count"] == 3 and s["specs_hash"].startswith("fnv1a64:") for s in shards), shards
options = shards[0]["options"]
assert options["paths"] == "tests/specs/diff/review_base.cspv", options
assert options["change"] == "tests/specs/diff/review_change.cspv" and options["witnesses"] == "2", options
assert options["scope"] == "2 Link=1", options
# A shard lists only the checks it owns, and marks the direction another shard searches.
for d, s in zip(docs, shards):
    checks = {f'{c["kind"]}:{c["name"]}' if c["kind"] != "consistency" else "consistency" for c in d["checks"]}
    assert checks == {i for i in s["items"] if not i.startswith("newly_")}, (checks, s["items"])
    for direction in ("newly_allowed", "newly_forbidden"):
        if direction not in s["items"]:
            assert d["semantic"][direction]["unknown_reason"] == "searched by another shard", d["semantic"][direction]
PY

# A missing shard, a prove shard among diff shards, specs changed since: named errors, exit 2.
D="$TMP/review/3"
expect_exit 2 merge "$D/shard-0.json" "$D/shard-2.json"
expect_in "$TMP/err" "shard 1/3 is missing"
"$CSPV" prove tests/specs/prove/small.cspv --timeout 20 --no-timings --shard 1/3 --format json >"$TMP/prove-1.json" 2>/dev/null
expect_exit 2 merge "$D/shard-0.json" "$TMP/prove-1.json" "$D/shard-2.json"
expect_in "$TMP/err" 'come from different runs: command "diff" and "prove"'
mkdir -p "$TMP/moved/tests/specs/diff"
cp tests/specs/diff/review_base.cspv tests/specs/diff/review_change.cspv "$TMP/moved/tests/specs/diff/"
echo "// edited after the shards ran" >>"$TMP/moved/tests/specs/diff/review_change.cspv"
(cd "$TMP/moved" && "$CSPV" merge "$D"/shard-*.json >"$TMP/out" 2>"$TMP/err")
[[ $? == 2 ]] || fail "merge of shards whose specs changed did not exit 2"
expect_in "$TMP/err" "are not those the shards checked"

# --shard on diff: the index starts at 0.
expect_exit 2 diff "${REVIEW[@]}" --shard 3/3
expect_in "$TMP/err" "--shard 3/3: the shard index starts at 0, so it must be below 3"
finish
