#!/usr/bin/env bash
# Times `cspverify audit specs/` on generated Partner Center data at growing
# sizes, side by side with a hand-written hash-join audit in Python
# (bench/reference/audit_reference.py), and checks that both find the same
# violations. Wall time and peak memory come from /usr/bin/time -v.
#   bench/audit.sh [build/cspverify] [SIZE...]      sizes in subscriptions, default 10000 100000 1000000
# Data is generated once per size under ${AUDIT_DATA:-/tmp/cspverify-audit-data}.
# At 1M: 100k customers, 20k resellers, 1k providers; smaller sizes scale down.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cspv="${1:-$root/build/cspverify}"
shift || true
sizes=("$@")
(( ${#sizes[@]} )) || sizes=(10000 100000 1000000)
data_root="${AUDIT_DATA:-/tmp/cspverify-audit-data}"
jobs="${JOBS:-0}"
[[ -x /usr/bin/time ]] || { echo "bench/audit.sh: /usr/bin/time is missing (bash scripts/setup.sh --bench)"; exit 2; }

# measure LOG CMD...: runs CMD under /usr/bin/time -v; prints "wall_s rss_mb user_s sys_s"
measure() {
  local log="$1"; shift
  /usr/bin/time -v "$@" >"$log.out" 2>"$log.time" || true
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
    /Maximum resident set size/ { rss = $2 / 1024 }
    /User time/ { u = $2 } /System time/ { s = $2 }
    END { printf "%.2f %.0f %.2f %.2f\n", w, rss, u, s }' "$log.time"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; cspverify -j $jobs"
printf "| subscriptions | customers | resellers | providers | data MB | cspverify wall s | user+sys s | peak MB | read s | evaluate s | reference wall s | peak MB | ratio | same violations |\n"
printf "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
for n in "${sizes[@]}"; do
  customers=$(( n / 10 )); resellers=$(( n / 50 )); providers=$(( n / 1000 < 40 ? 40 : n / 1000 ))
  dir="$data_root/$n"
  if [[ ! -f "$dir/manifest.json" ]]; then
    python3 "$here/gen_audit_data.py" --out "$dir" --subscriptions "$n" --customers "$customers" \
      --resellers "$resellers" --providers "$providers" --seed 1 >/dev/null
  fi
  mb=$(du -sm "$dir" | cut -f1)
  read -r cw crss cu cs < <(measure "$dir/cspverify" "$cspv" audit "$root/specs" --data "$dir" --format json --no-progress -j "$jobs")
  read -r rw rrss ru rs < <(measure "$dir/reference" python3 "$here/reference/audit_reference.py" "$dir" --json "$dir/reference.json")
  phases=$(python3 -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(f\"{s['read_ms']/1000:.2f} {s['evaluate_ms']/1000:.2f}\")" "$dir/cspverify.out")
  same=$(python3 - "$dir/cspverify.out" "$dir/reference.json" <<'PY'
import json, sys
report, ref = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
norm = lambda rule, formula, bindings: (rule, formula, tuple(sorted(bindings.items())))
ours = sorted(norm(v["rule"], v["formula"], {e["variable"]: e["key"] for e in v["entities"]}) for v in report["violations"])
theirs = sorted(norm(*v) for v in ref)
print(f"yes ({len(ours)})" if ours == theirs else f"NO ({len(ours)} vs {len(theirs)})")
PY
)
  ratio=$(awk -v a="$rw" -v b="$cw" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')
  printf "| %s | %s | %s | %s | %s | %s | %.2f | %s | %s | %s | %s | %s | %sx | %s |\n" "$n" "$customers" "$resellers" \
    "$providers" "$mb" "$cw" "$(awk -v u="$cu" -v s="$cs" 'BEGIN{print u+s}')" "$crss" ${phases} "$rw" "$rrss" "$ratio" "$same"
done
