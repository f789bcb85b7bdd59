# A sharded audit (docs/audit.md, "Shards"): N shards of `cspverify audit
# --shard K/N` run as plain processes and joined by `cspverify merge` give
# byte for byte the single run's --no-timings reports in all six formats and
# its exit code, with violations planted across the customers, a
# --max-violations cut, and bad data; shards that do not fit are named errors.
source "$(dirname "$0")/lib.bash"
command -v python3 >/dev/null || { fail "python3 is missing (scripts/setup.sh --tests)"; finish; }
cd "$SRC"  # the reports name their inputs as given: shards and merge use the same relative paths
GEN="$SRC/bench/gen_audit_data.py"
EXTS=(json txt csv sarif junit.xml html)
FORMATS=(--format json --format text --format csv --format sarif --format junit --format html)

# run_sharded NAME N DATA ARGS...: the single run and N shards, merged, compared in every format.
run_sharded() {
  local name="$1" n="$2" data="$3"; shift 3
  local dir="$TMP/$name"
  mkdir -p "$dir"
  "$CSPV" audit specs --data "$data" --no-timings "$@" "${FORMATS[@]}" --out "$dir/single" >/dev/null 2>"$dir/single.err"
  local single=$? k
  for ((k = 0; k < n; k++)); do
    "$CSPV" audit specs --data "$data" --no-timings "$@" --shard "$k/$n" --format json >"$dir/shard-$k.json" 2>"$dir/shard-$k.err"
    local code=$?
    (( code <= 3 )) || { fail "$name: shard $k/$n exited $code"; sed 's/^/  | /' "$dir/shard-$k.err"; }
  done
  "$CSPV" merge "$dir"/shard-*.json "${FORMATS[@]}" --out "$dir/merged" >/dev/null 2>"$dir/merge.err"
  local merged=$?
  [[ "$merged" == "$single" ]] || { fail "$name: merge exited $merged, the single run $single"; sed 's/^/  | /' "$dir/merge.err"; }
  local ext
  for ext in "${EXTS[@]}"; do
    cmp -s "$dir/single/cspverify-audit.$ext" "$dir/merged/cspverify-audit.$ext" ||
      { fail "$name: merged $ext differs from the single run's"; diff "$dir/single/cspverify-audit.$ext" "$dir/merged/cspverify-audit.$ext" | head -20 | sed 's/^/  | /'; }
  done
}

# Every kind of plant, twice, among 800 subscriptions; the affiliation register names customers too.
python3 "$GEN" --out "$TMP/planted" --subscriptions 800 --seed 11 --plant 2 >/dev/null || fail "generator failed"
run_sharded two 2 "$TMP/planted"
run_sharded three 3 "$TMP/planted"
# --max-violations cuts each rule's list after the merge, as the single run does.
run_sharded cut 3 "$TMP/planted" --max-violations 1
# Replicated rules (over partners alone) come out of every shard; the merge keeps one copy.
python3 - "$TMP/three" <<'PY' || fail "shard reports"
import json, sys
shards = [json.load(open(f"{sys.argv[1]}/shard-{k}.json")) for k in range(3)]
single = json.load(open(f"{sys.argv[1]}/single/cspverify-audit.json"))
rule = lambda d, name: next(r for r in d["rules"] if r["name"] == name)
assert all(rule(s, "mpa_accepted_per_region")["violations"] == rule(single, "mpa_accepted_per_region")["violations"] > 0 for s in shards)
per_shard = [rule(s, "reseller_mpa_before_new_subscription")["violations"] for s in shards]
assert sum(per_shard) == rule(single, "reseller_mpa_before_new_subscription")["violations"], per_shard
subs = lambda d: next(f for f in d["data"]["files"] if f["path"].endswith("subscriptions.ndjson"))
assert all(subs(s)["read"] == subs(single)["read"] for s in shards)
assert sum(subs(s)["checked"] for s in shards) == subs(single)["checked"] == subs(single)["read"]
assert all(s["shard"]["data_hash"] == shards[0]["shard"]["data_hash"] for s in shards)
PY

# Bad data in one shard's customers and in a file every shard reads: the merge exits 2 with each error once.
cp -r "$TMP/planted" "$TMP/bad"
python3 - "$TMP/bad" <<'PY'
import sys
path = f"{sys.argv[1]}/subscriptions.ndjson"
lines = open(path).read().splitlines(True)
lines[4] = lines[4].replace('"creationDate": "', '"creationDate": "x', 1)
open(path, "w").writelines(lines)
path = f"{sys.argv[1]}/partners.csv"
lines = open(path).read().splitlines(True)
lines[3] = lines[3].rstrip("\n") + ",extra\n"
open(path, "w").writelines(lines)
PY
run_sharded bad 2 "$TMP/bad"
expect_in "$TMP/bad/merged/cspverify-audit.txt" "subscriptions.ndjson:5:"
expect_in "$TMP/bad/merged/cspverify-audit.txt" "partners.csv:4:"
grep -c "partners.csv:4:" "$TMP/bad/merged/cspverify-audit.txt" | grep -qx 1 || fail "the replicated file's error is listed more than once"

# Clean data whose affiliation register ties two customers of different shards: no shard has that tie,
# so the merge does not claim a clean audit (exit 3, not the single run's 0) and says why.
python3 "$GEN" --out "$TMP/tied" --subscriptions 300 --seed 5 --plant 0 >/dev/null || fail "generator failed"
python3 - "$TMP/tied" <<'PY' || fail "tying two customers"
import json, sys
def shard_of(text, n):
    h = 0xcbf29ce484222325
    for c in text.encode():
        h = ((h ^ c) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h % n
ids = [c["id"] for c in json.load(open(f"{sys.argv[1]}/customers.json"))["items"]]
a = ids[0]
b = next(i for i in ids if shard_of(i, 2) != shard_of(a, 2))
open(f"{sys.argv[1]}/affiliations.csv", "a").write(f"{a},{b}\n")
PY
expect_exit 0 audit specs --data "$TMP/tied" --no-timings --format json
for k in 0 1; do
  "$CSPV" audit specs --data "$TMP/tied" --no-timings --shard "$k/2" --format json >"$TMP/tied-$k.json" 2>/dev/null
done
expect_exit 3 merge "$TMP/tied-0.json" "$TMP/tied-1.json" --format text
expect_in "$TMP/err" "1 tuple of imports every shard reads name records of two shards"
expect_in "$TMP/err" "no violation was found, but that is not proof: exit 3"

# Shards that do not fit together: named errors, exit 2.
S="$TMP/two"
expect_exit 2 merge "$S/shard-0.json"
expect_in "$TMP/err" "shard 1/2 is missing"
expect_exit 2 merge "$S/shard-0.json" "$S/shard-1.json" "$S/shard-1.json"
expect_in "$TMP/err" "shard 1/2 is given twice"
expect_exit 2 merge "$S/shard-0.json" "$TMP/three/shard-1.json"
expect_in "$TMP/err" "come from different runs: shard count"
"$CSPV" audit specs --data "$TMP/planted" --no-timings --max-errors 5 --shard 1/2 --format json >"$TMP/other.json" 2>/dev/null
expect_exit 2 merge "$S/shard-0.json" "$TMP/other.json"
expect_in "$TMP/err" "come from different runs: options"

# --shard on audit: refused for --balance-from, and for a rule no split can check.
expect_exit 2 audit specs --data "$TMP/planted" --shard 0/2 --balance-from "$S/shard-0.json"
expect_in "$TMP/err" "--balance-from does not apply to audit"
mkdir -p "$TMP/unshardable"
cp specs/audit/partner-center.cspv "$TMP/unshardable/"
sed -i 's|include "../csp/vocabulary.cspv"|include "'"$SRC"'/specs/csp/vocabulary.cspv"|' "$TMP/unshardable/partner-center.cspv"
cat >"$TMP/unshardable/rules.cspv" <<'EOF'
include "partner-center.cspv"
rule every_partner_sells "every partner sells something" { forall p: Partner | exists t: Transaction | t.seller == p }
EOF
expect_exit 2 audit "$TMP/unshardable" --data "$TMP/planted" --shard 0/2
expect_in "$TMP/err" "rule \`every_partner_sells\` cannot be split among shards: its formula binds records every shard reads, but reads \`exists t: Transaction\`"

# Data changed between shards (same directory, other bytes): the data hashes differ.
echo "9999998,9999998" >>"$TMP/planted/affiliations.csv"
"$CSPV" audit specs --data "$TMP/planted" --no-timings --shard 1/2 --format json >"$TMP/changed.json" 2>/dev/null
expect_exit 2 merge "$S/shard-0.json" "$TMP/changed.json"
expect_in "$TMP/err" "read different data"
finish
