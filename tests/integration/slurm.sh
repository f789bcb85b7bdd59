# A sharded run on a real Slurm cluster (docs/sharding.md): a single-node
# cluster started by hand on localhost, a job array of `cspverify verify
# --shard auto` over the shipped specs, and one of a scope sweep (`prove
# --scope 2,3 --shard auto`), `cspverify merge`, and the merged reports
# compared with a single run's. Not in the default ctest run:
#
#   ctest --test-dir build -C slurm -L slurm --output-on-failure     (as root)
#
# Needs root (it installs Debian's slurm-wlm and munge when missing, and runs
# the daemons). Everything it starts lives in its own state directory (munge
# socket and key, slurm.conf, spool, logs), listens on loopback only, on ports
# of its own, and is stopped by its pid at the end. No systemd, no cgroups.
set -uo pipefail
CSPV="$(realpath "$1")"
SRC="$2"
SHARDS=${CSPV_SLURM_SHARDS:-4}

if [[ $(id -u) != 0 ]]; then
  echo "skipped: needs root (it installs and starts slurmctld, slurmd and munged)"
  exit 77
fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null || { echo "FAIL: cannot install slurm-wlm and munge"; exit 1; }
fi

STATE="$(mktemp -d /tmp/cspverify-slurm.XXXXXX)"
chmod 0755 "$STATE"
pids=()
stop_daemons() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  rm -rf "$STATE"
}
trap stop_daemons EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
show_logs() { tail -n 20 "$STATE"/*.log 2>/dev/null | sed 's/^/  | /'; }

# -- munge: without systemd there is no /run/munge; the socket's directory
# must be 0755 and the key 0700 (munged refuses looser ones).
mkdir -p "$STATE/munge"
chmod 0755 "$STATE/munge"
dd if=/dev/urandom of="$STATE/munge/munge.key" bs=1024 count=1 status=none
chmod 0700 "$STATE/munge/munge.key"
SOCKET="$STATE/munge/munge.socket"
munged --force --socket="$SOCKET" --key-file="$STATE/munge/munge.key" --pid-file="$STATE/munge/munged.pid" \
  --log-file="$STATE/munged.log" --seed-file="$STATE/munge/munge.seed" || { fail "munged did not start"; show_logs; exit 1; }
for _ in $(seq 50); do [[ -s $STATE/munge/munged.pid ]] && break; sleep 0.1; done
pids+=("$(cat "$STATE/munge/munged.pid")")

# -- slurm: the node name must be `hostname -s`, and RealMemory at most what
# `slurmd -C` reports; MinJobAge small, or `sbatch --wait` polls for up to 32 s.
NODE="$(hostname -s)"
CPUS="$(nproc)"
MEMORY="$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')"
mkdir -p "$STATE/ctld" "$STATE/spool"
cat >"$STATE/slurm.conf" <<EOF
ClusterName=cspverify
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
MpiDefault=none
ReturnToService=2
MinJobAge=2
MessageTimeout=10
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEMORY State=UNKNOWN
PartitionName=cspverify Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$STATE/slurm.conf"
slurmctld -f "$SLURM_CONF" || { fail "slurmctld did not start"; show_logs; exit 1; }
for _ in $(seq 50); do [[ -s $STATE/slurmctld.pid ]] && break; sleep 0.1; done
pids+=("$(cat "$STATE/slurmctld.pid")")
slurmd -f "$SLURM_CONF" || { fail "slurmd did not start"; show_logs; exit 1; }
for _ in $(seq 50); do [[ -s $STATE/slurmd.pid ]] && break; sleep 0.1; done
pids+=("$(cat "$STATE/slurmd.pid")")
for _ in $(seq 100); do
  [[ $(sinfo -h -o %t 2>/dev/null) == idle ]] && break
  sleep 0.2
done
[[ $(sinfo -h -o %t 2>/dev/null) == idle ]] || { fail "the node is not idle: $(sinfo -h 2>&1)"; show_logs; exit 1; }

# -- each run: the single run, then a job array of its shards, the merge, and the comparison
cd "$SRC"
OUT="$STATE/out"
mkdir -p "$OUT"
seconds_since() { awk "BEGIN { printf \"%.1f\", $(date +%s.%N) - $1 }"; }
# run_array NAME ARGS...: `cspverify ARGS...` once, then as a job array of $SHARDS tasks.
run_array() {
  local name="$1"; shift
  local out="$OUT/$name" start
  mkdir -p "$out"
  start=$(date +%s.%N)
  "$CSPV" "$@" --no-timings --format json --format text --out "$out/single" >/dev/null 2>&1
  local single=$?
  echo "$name: single run: $(seconds_since "$start") s wall"
  cat >"$STATE/$name.sbatch" <<EOF
#!/bin/bash
"$CSPV" $* --shard auto --no-timings --format json --out "$out/shard-\$SLURM_ARRAY_TASK_ID"
code=\$?
case \$code in 0|1|3) exit 0;; *) exit \$code;; esac
EOF
  start=$(date +%s.%N)
  sbatch --wait --quiet --array=0-$((SHARDS - 1)) --chdir="$SRC" --output="$STATE/$name-task-%a.log" \
    "$STATE/$name.sbatch" || { fail "$name: the job array failed"; show_logs; tail -n 20 "$STATE"/$name-task-*.log; }
  echo "$name: job array of $SHARDS shards: $(seconds_since "$start") s wall"
  "$CSPV" merge "$out"/shard-*/cspverify.json --format json --format text --out "$out/merged" >/dev/null \
    2>"$STATE/$name-merge.err"
  local merged=$?
  [[ $merged == "$single" ]] || { fail "$name: merge exited $merged, the single run $single"; sed 's/^/  | /' "$STATE/$name-merge.err"; }
  local f
  for f in cspverify.json cspverify.txt; do
    cmp -s "$out/single/$f" "$out/merged/$f" || { fail "$name: merged $f differs from the single run's"; diff "$out/single/$f" "$out/merged/$f" | head -20; }
  done
}
run_array verify verify specs/
# A scope sweep: each property at each scope a work item (docs/language.md, Scope sweeps).
run_array sweep prove specs/ --scope 2,3

# A Slurm list array does not map onto shards 0..N-1: refused, exit 2, and the task fails.
sbatch --wait --quiet --array=0,1,5 --chdir="$SRC" --output="$STATE/list-%a.log" \
  --wrap "\"$CSPV\" prove specs/ --shard auto --format json" && fail "a list array ran"
grep -q "not a range with a step" "$STATE"/list-*.log || { fail "no message about the list array"; cat "$STATE"/list-*.log; }

if (( failures )); then echo "$failures failure(s)"; exit 1; fi
echo "ok"
