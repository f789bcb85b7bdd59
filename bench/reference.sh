#!/usr/bin/env bash
# Times cspverify against a hand-written reference encoding of the same model,
# side by side in one run.
#
#   bench/reference.sh [build/cspverify] [SCOPE...]      (default scopes: 4 8 12 16)
#   RUNS=3 (runs per measurement, median taken)
#
# The model is bench/core/core.cspv. For every scope N and every property P:
#   - cspverify: `cspverify prove bench/core --scope N --property P --timeout 60`, the
#     whole process (it checks the rules' consistency first, then P; a violated P also
#     gets a minimal counterexample, which costs further queries);
#   - reference: `z3 -T:120 FILE` on the files bench/reference/gen_reference.py writes
#     (one query each: P's file alone, and consistency.smt2 + P's file, the like-for-like
#     with what one cspverify run does).
# The runs of both are interleaved (cspverify, z3, cspverify, z3, ...) so that the
# load of this shared machine falls on both alike. Wall clock via date +%s%N,
# process start included. A Markdown table goes to stdout, progress to stderr.
# Per reference query it also prints z3 -st figures from one extra (untimed) run.
#
# Exit status: 0 when every verdict agrees, 1 when cspverify and the reference
# disagree on any query (or one of them gives different verdicts across runs),
# 2 on a usage or set-up error. An unknown or timeout is not a disagreement.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CSPV="${1:-$ROOT/build/cspverify}"; shift || true
SCOPES=("$@"); (( ${#SCOPES[@]} )) || SCOPES=(4 8 12 16)
RUNS="${RUNS:-3}"
CORE="$ROOT/bench/core"
GEN="$ROOT/bench/reference/gen_reference.py"
PROPERTIES=(no_self_sale reseller_mpa_signed_since_2020 regions_match)
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

[[ -x "$CSPV" ]] || { echo "reference.sh: no cspverify binary at $CSPV" >&2; exit 2; }
command -v z3 >/dev/null || { echo "reference.sh: the z3 tool is not installed (scripts/setup.sh)" >&2; exit 2; }

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
log() { echo "$*" >&2; }

# z3_run FILE -> sets Z3_MS and Z3_VERDICT (sat, unsat, unknown, timeout, error)
z3_run() {
  local start; start=$(now_ms)
  Z3_VERDICT=$(z3 -T:120 "$1" 2>&1 | head -1)
  Z3_MS=$(( $(now_ms) - start ))
  [[ "$Z3_VERDICT" =~ ^(sat|unsat|unknown|timeout)$ ]] || Z3_VERDICT="error"
}

# z3_stats FILE -> "conflicts / quantifier instantiations / z3's own time"
z3_stats() {
  z3 -T:120 -st "$1" 2>&1 | awk '
    /:conflicts/            {c=$2}
    /:quant-instantiations/ {q=$2}
    /:total-time/           {sub(/\)$/, "", $2); t=$2}
    END {printf "%s / %s / %.0f ms", (c==""?0:c), (q==""?0:q), 1000*t}'
}

# cspv_run N P -> sets CSPV_MS, CSPV_VERDICT (sat = violated, unsat = proved),
# CSPV_NOTE, CSPV_CONS (the consistency check's verdict), CSPV_QUERIES
cspv_run() {
  local start rc; start=$(now_ms)
  "$CSPV" prove "$CORE" --scope "$1" --property "$2" --timeout 60 --format json --no-timings --stats \
    >"$TMP/out.json" 2>"$TMP/err"
  rc=$?
  CSPV_MS=$(( $(now_ms) - start ))
  # "N queries, C conflicts, I quantifier instantiations" -> "N / C / I"
  CSPV_QUERIES=$(sed -n 's/^stats: .*(\([0-9]*\) queries, \([0-9]*\) conflicts, \([0-9]*\) quantifier instantiations).*/\1 \/ \2 \/ \3/p' "$TMP/err")
  read -r CSPV_VERDICT CSPV_CONS CSPV_NOTE < <(python3 - "$TMP/out.json" "$2" "$rc" <<'PY'
import json, sys
path, prop, rc = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    results = json.load(open(path))["results"]
except Exception:
    print(f"error error exit-{rc}"); sys.exit()
by = {(r["kind"], r["name"]): r for r in results}
verdict = {"proved": "unsat", "vacuous": "unsat", "violated": "sat", "consistent": "sat",
           "inconsistent": "unsat", "unknown": "unknown"}
cons = by.get(("consistency", "rules"), {}).get("status", "missing")
p = by.get(("property", prop))
if p is None:  # an inconsistent rule set stops before the property
    print("missing", verdict.get(cons, cons), "-"); sys.exit()
note = p["status"]
if p["status"] == "violated" and not p.get("minimal"):
    note += ",not-minimal"
if p["status"] == "unknown":
    note += "/timeout"
print(verdict.get(p["status"], p["status"]), verdict.get(cons, cons), note)
PY
)
}

disagreements=()
# same_verdict LABEL A B: records a disagreement when both are definite and differ
same_verdict() {
  local a="$2" b="$3"
  if [[ "$a" =~ ^(sat|unsat)$ && "$b" =~ ^(sat|unsat)$ && "$a" != "$b" ]] || [[ "$a" == error || "$b" == error ]]; then
    disagreements+=("$1: cspverify $a, reference $b")
  fi
}
# one_verdict LABEL V1 V2 ...: the verdict of all runs, or a disagreement across runs
one_verdict() {
  local label="$1"; shift
  local u; u=$(printf '%s\n' "$@" | sort -u | paste -sd/)
  [[ "$u" == */* ]] && disagreements+=("$label: verdicts differ across runs ($u)")
  echo "$u"
}

log "reference.sh: $(z3 --version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each"
echo "(check-sat)" > "$TMP/empty.smt2"
base=(); for _ in $(seq "$RUNS"); do z3_run "$TMP/empty.smt2"; base+=("$Z3_MS"); done
log "reference.sh: z3 on an empty query (process start alone): $(printf '%s\n' "${base[@]}" | median) ms"
echo "| scope | query | cspverify ms | cspverify queries / conflicts / quant. inst. | reference ms (query) | reference ms (consistency + query) | cspverify / reference (consistency + query) | cspverify verdict | reference verdict | reference z3 -st: conflicts / quant. inst. / time |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in "${SCOPES[@]}"; do
  rm -rf "$TMP/ref"
  python3 "$GEN" --scope "$n" --out "$TMP/ref" || { echo "reference.sh: gen_reference.py failed" >&2; exit 2; }
  cons_ms=(); cons_verdicts=(); cspv_cons=()
  for _ in $(seq "$RUNS"); do z3_run "$TMP/ref/consistency.smt2"; cons_ms+=("$Z3_MS"); cons_verdicts+=("$Z3_VERDICT"); done
  cons_med=$(printf '%s\n' "${cons_ms[@]}" | median)
  cons_ref=$(one_verdict "scope $n consistency (reference)" "${cons_verdicts[@]}")
  rows=()
  for p in "${PROPERTIES[@]}"; do
    c_ms=(); c_v=(); c_notes=(); c_q=(); r_ms=(); r_v=()
    for i in $(seq "$RUNS"); do
      log "  scope $n $p run $i: cspverify ..."
      cspv_run "$n" "$p"
      c_ms+=("$CSPV_MS"); c_v+=("$CSPV_VERDICT"); c_notes+=("$CSPV_NOTE"); c_q+=("${CSPV_QUERIES:-?}"); cspv_cons+=("$CSPV_CONS")
      log "    $CSPV_MS ms, $CSPV_NOTE ($CSPV_VERDICT); reference ..."
      z3_run "$TMP/ref/$p.smt2"
      r_ms+=("$Z3_MS"); r_v+=("$Z3_VERDICT")
      log "    $Z3_MS ms, $Z3_VERDICT"
    done
    cm=$(printf '%s\n' "${c_ms[@]}" | median)
    rm_=$(printf '%s\n' "${r_ms[@]}" | median)
    both=$(awk -v a="$rm_" -v b="$cons_med" 'BEGIN {printf "%.0f", a + b}')
    ratio=$(awk -v c="$cm" -v r="$both" 'BEGIN {printf (r > 0 ? "%.1fx" : "-"), c / r}')
    cv=$(one_verdict "scope $n $p (cspverify)" "${c_v[@]}")
    rv=$(one_verdict "scope $n $p (reference)" "${r_v[@]}")
    same_verdict "scope $n $p" "$cv" "$rv"
    notes=$(printf '%s\n' "${c_notes[@]}" | sort -u | paste -sd/)
    queries=$(printf '%s\n' "${c_q[@]}" | sort -u | paste -sd';')
    rows+=("| $n | $p | $cm | $queries | $rm_ | $both | $ratio | $cv ($notes) | $rv | $(z3_stats "$TMP/ref/$p.smt2") |")
  done
  cv_cons=$(one_verdict "scope $n consistency (cspverify)" "${cspv_cons[@]}")
  same_verdict "scope $n consistency" "$cv_cons" "$cons_ref"
  echo "| $n | consistency | (first check of every run) | - | $cons_med | - | - | $cv_cons | $cons_ref | $(z3_stats "$TMP/ref/consistency.smt2") |"
  printf '%s\n' "${rows[@]}"
done
log "reference.sh: done, load $(cut -d' ' -f1-3 /proc/loadavg)"

if (( ${#disagreements[@]} )); then
  echo
  for d in "${disagreements[@]}"; do
    echo "**VERDICT DISAGREEMENT** $d"
    echo "reference.sh: VERDICT DISAGREEMENT: $d" >&2
  done
  exit 1
fi
