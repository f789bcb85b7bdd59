#!/usr/bin/env bash
# The shipped policy, per property and per scope, and the commands a policy
# team runs in CI: one Markdown table per part on stdout, progress on stderr.
#
#   bench/policy.sh [build/cspverify] [SCOPE...]     (default scopes: 8 16)
#   RUNS=3 (runs per measurement, median taken)
#
#  1. `prove specs/ --scope N --property P` per property P: whole-process wall
#     time (consistency check and minimal counterexample included), and from
#     --stats the solver queries, conflicts and quantifier instantiations.
#  2. `verify specs/` at the spec's scope, `check specs/`, and `diff specs/
#     specs/changes/X/` for every shipped proposal: wall and CPU time.
# Targets (issue #8): every property under 1 s at scope 8 and under 5 s at
# scope 16, none unknown; verify under 10 s; each diff under 15 s.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CSPV="${1:-$ROOT/build/cspverify}"; shift || true
SCOPES=("$@"); (( ${#SCOPES[@]} )) || SCOPES=(8 16)
RUNS="${RUNS:-3}"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"

[[ -x "$CSPV" ]] || { echo "policy.sh: no cspverify binary at $CSPV" >&2; exit 2; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "policy.sh: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each" >&2
properties=$("$CSPV" prove specs/ --format json --no-timings 2>/dev/null |
  python3 -c "import json,sys; print(' '.join(r['name'] for r in json.load(sys.stdin)['results'] if r['kind']=='property'))")

echo "| scope | property | wall ms (median) | verdict | queries / conflicts / quant. inst. |"
echo "|---|---|---|---|---|"
for n in "${SCOPES[@]}"; do
  for p in $properties; do
    walls=()
    for _ in $(seq "$RUNS"); do
      start=$(now_ms)
      "$CSPV" prove specs/ --scope "$n" --property "$p" --stats --format json --no-timings >"$TMP/out.json" 2>"$TMP/err"
      walls+=($(( $(now_ms) - start )))
    done
    verdict=$(python3 -c "import json; r=[x for x in json.load(open('$TMP/out.json'))['results'] if x['name']=='$p'][0]; print(r['status'] + ('' if r['status']!='violated' else (', minimal' if r.get('minimal') else ', NOT minimal')))")
    counters=$(sed -n 's/^stats: .*(\([0-9]*\) queries, \([0-9]*\) conflicts, \([0-9]*\) quantifier instantiations).*/\1 \/ \2 \/ \3/p' "$TMP/err")
    echo "| $n | $p | $(printf '%s\n' "${walls[@]}" | median) | $verdict | $counters |"
    echo "  scope $n $p done" >&2
  done
done

echo
echo "| command | wall s (median) | CPU s (median) | exit |"
echo "|---|---|---|---|"
commands=("verify specs/" "check specs/")
for d in specs/changes/*/; do commands+=("diff specs/ $d"); done
for c in "${commands[@]}"; do
  walls=(); cpus=()
  for _ in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %U %S" -o "$TMP/time" "$CSPV" $c --no-timings >/dev/null 2>&1
    rc=$?
    read -r wall user sys < <(tail -1 "$TMP/time")  # a non-zero exit adds a line before
    walls+=("$wall"); cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')")
  done
  echo "| \`cspverify $c\` | $(printf '%s\n' "${walls[@]}" | median) | $(printf '%s\n' "${cpus[@]}" | median) | $rc |"
  echo "  $c done" >&2
done
