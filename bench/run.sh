#!/usr/bin/env bash
# Times `cspverify prove specs/` at the default scope and at 4, 6, 8 and 12
# entities per kind, and the same queries (--dump-smt2) solved by the z3 tool.
# Usage: bench/run.sh [build/cspverify] [specs/]   (prints a Markdown table)
# Medians of 3 runs (1 at scopes 8 and 12). "solver" is time inside Z3's
# check(); "own" is the rest of cspverify's wall time (parse, check, encode,
# decode, evaluate, report); the z3 column solves the consistency and property
# queries of --dump-smt2 with the z3 tool (NNN-*.smt2; the minimisation's
# NNN.MMM-* files are left out).
set -uo pipefail
CSPV="${1:-build/cspverify}"
SPECS="${2:-specs/}"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "| scope | cspverify wall (ms) | solver (ms) | cspverify own (ms) | own / solver | z3 tool on dumps (ms) | verdicts |"
echo "|---|---|---|---|---|---|---|"
for scope in default 4 6 8 12; do
  runs=3; [[ $scope == 8 || $scope == 12 ]] && runs=1  # large scopes: one run, minutes each
  args=(); [[ $scope != default ]] && args=(--scope "$scope")
  walls=(); solvers=()
  for _ in $(seq $runs); do
    start=$(now_ms)
    "$CSPV" prove "$SPECS" "${args[@]}" --stats --format json --no-timings >"$TMP/out.json" 2>"$TMP/err"
    walls+=($(( $(now_ms) - start )))
    solvers+=($(sed -n 's/^stats: .*solver \([0-9.]*\) ms.*/\1/p' "$TMP/err"))
  done
  wall=$(printf '%s\n' "${walls[@]}" | median)
  solver=$(printf '%s\n' "${solvers[@]}" | median)
  own=$(awk -v w="$wall" -v s="$solver" 'BEGIN {printf "%.0f", w - s}')
  ratio=$(awk -v o="$own" -v s="$solver" 'BEGIN {printf "%.0f %%", (s > 0) ? 100 * o / s : 0}')
  verdicts=$(python3 -c "import json,sys; s=json.load(open('$TMP/out.json'))['summary']; print(', '.join(f'{k} {v}' for k,v in s.items() if v))")
  rm -rf "$TMP/smt"; "$CSPV" prove "$SPECS" "${args[@]}" --dump-smt2 "$TMP/smt" >/dev/null 2>&1
  z3s=()
  for _ in $(seq $runs); do
    start=$(now_ms)
    for f in "$TMP"/smt/[0-9][0-9][0-9]-*.smt2; do z3 -T:120 "$f" >/dev/null; done
    z3s+=($(( $(now_ms) - start )))
  done
  z3ms=$(printf '%s\n' "${z3s[@]}" | median)
  echo "| $scope | $wall | $solver | $own | $ratio | $z3ms | $verdicts |"
done
