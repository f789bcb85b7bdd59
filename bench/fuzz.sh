#!/usr/bin/env bash
# Runs every libFuzzer target in fuzz/ for a bounded time and prints a
# Markdown table of executions, corpus growth and crashes found.
#   bench/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   default: 600 s each, all targets
# Builds build-fuzz/ with clang (-DCSPVERIFY_FUZZ=ON: coverage, ASan, UBSan).
# The corpus grows in build-fuzz/fuzz/corpus/TARGET across runs; crashing
# inputs land in build-fuzz/fuzz/artifacts/TARGET/ (replay one by passing it
# to the target binary); full logs in build-fuzz/fuzz/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets=("$@")
(( ${#targets[@]} )) || targets=(frontend csv evaluator)

cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCSPVERIFY_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"${JOBS:-2}" --target fuzzers >/dev/null

dir=build-fuzz/fuzz
mkdir -p "$dir/logs"
echo "| target | seconds | executions | exec/s | corpus (files) | new units | crashes, leaks, timeouts, OOMs |"
echo "|---|---|---|---|---|---|---|"
status=0
for t in "${targets[@]}"; do
  mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t"
  before=$(find "$dir/artifacts/$t" -type f | wc -l)
  options=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
           -artifact_prefix="$dir/artifacts/$t/")
  [[ $t == frontend ]] && options+=(-dict=fuzz/cspv.dict)
  log="$dir/logs/$t.log"
  : >"$log"
  start=$(date +%s)
  # A crash ends a libFuzzer run; start again (from the grown corpus) until
  # the time is up, so one crash does not hide the next.
  while (( $(date +%s) - start < seconds )); do
    options[0]=-max_total_time=$(( seconds - ($(date +%s) - start) ))
    "$dir/fuzz_$t" "${options[@]}" "$dir/corpus/$t" "$dir/seeds/$t" >>"$log" 2>&1 || true
    tail -n 30 "$log" | grep -q "^stat::number_of_executed_units" || break  # did not even start
  done
  execs=$(awk '/^stat::number_of_executed_units:/ {n += $2} END {print n + 0}' "$log")
  added=$(awk '/^stat::new_units_added:/ {n += $2} END {print n + 0}' "$log")
  corpus=$(find "$dir/corpus/$t" -type f | wc -l)
  found=$(( $(find "$dir/artifacts/$t" -type f | wc -l) - before ))
  (( found > 0 )) && status=1
  echo "| $t | $seconds | $execs | $(( execs / seconds )) | $corpus | $added | $found |"
done
exit $status
