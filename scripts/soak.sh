#!/usr/bin/env bash
# make soak: the simulated soak test (docs/SOAK.md). The whole pipeline runs as plain processes on loopback, exactly
# like scripts/demo.sh (polymarket-sim → discovery-svc → collector-svc → offload-svc → rclone rcd → a local folder),
# for SOAK_DURATION (default 24h; s/m/h suffixes), while a fixed fault schedule repeats (one fault every
# SOAK_FAULT_EVERY, default 10m) and every SOAK_SAMPLE_EVERY (default 60s) the processes' RSS, CPU, fds and threads,
# the data dir and the offload backlog are sampled. At the end everything is stopped in order, the simulator's oracle
# is saved, and the soak module (soak/target/soak.jar) runs the data-quality report, reconciles what the simulator
# sent with what was recorded and uploaded, and writes $SOAK_DIR/report.md with a PASS/FAIL verdict. Exit code
# 0 = PASS, 1 = FAIL, 2 = the soak could not run.
# Ctrl-C (or SIGTERM) stops early and cleanly and still writes the report for the time run so far.
set -uo pipefail # no -e: a long unattended run must survive a failing probe; real failures are checked explicitly
cd "$(dirname "$0")/.."

die() { echo "soak: $*" >&2; exit 2; }
secs() { # 90 | 90s | 10m | 24h -> seconds
  [[ ${1:-} =~ ^([0-9]+)([smh]?)$ ]] || { echo "soak: bad duration '${1:-}' (use e.g. 90s, 10m, 24h)" >&2; return 1; }
  case ${BASH_REMATCH[2]} in h) echo $((BASH_REMATCH[1] * 3600)) ;; m) echo $((BASH_REMATCH[1] * 60)) ;; *) echo "${BASH_REMATCH[1]}" ;; esac
}

# ---- settings (docs/SOAK.md lists them) -------------------------------------------------------------------------
DURATION_S=$(secs "${SOAK_DURATION:-24h}") || exit 2
FAULT_EVERY_S=$(secs "${SOAK_FAULT_EVERY:-10m}") || exit 2
SAMPLE_EVERY_S=$(secs "${SOAK_SAMPLE_EVERY:-60s}") || exit 2
SOAK_FAULTS=${SOAK_FAULTS:-on}
SIM_MARKETS=${SIM_MARKETS:-240}
SIM_CHURN_S=$(secs "${SIM_CHURN:-10m}") || exit 2
SNAPSHOT_INTERVAL_S=$(secs "${SOAK_SNAPSHOT_INTERVAL:-60s}") || exit 2
STALE_AFTER_S=$(secs "${SOAK_STALE_AFTER:-120s}") || exit 2
# Offload and discovery run every 5 min (production-like: offload's default; discovery's is 10 min). When faults come
# faster than every 100 s (a short debugging run), they shrink to 2 x and 3 x SOAK_FAULT_EVERY (at least 30 s / 60 s)
# so that the offload and Gamma faults of a short run still meet an upload and a discovery run.
default_offload=300 default_discovery=300
if [ "$FAULT_EVERY_S" -lt 100 ]; then
  default_offload=$((FAULT_EVERY_S * 2 < 30 ? 30 : FAULT_EVERY_S * 2))
  default_discovery=$((FAULT_EVERY_S * 3 < 60 ? 60 : FAULT_EVERY_S * 3))
fi
DISCOVERY_INTERVAL_S=$(secs "${SOAK_DISCOVERY_INTERVAL:-${default_discovery}s}") || exit 2
OFFLOAD_INTERVAL_S=$(secs "${SOAK_OFFLOAD_INTERVAL:-${default_offload}s}") || exit 2
RCLONE_OUTAGE_S=$(secs "${SOAK_RCLONE_OUTAGE:-$((OFFLOAD_INTERVAL_S + 30))s}") || exit 2
SILENCE_S=$((STALE_AFTER_S + 30)) # longer than the collector's stale-after, so the stall is detected
RSS_LIMIT_MB_H=${SOAK_RSS_GROWTH_LIMIT_MB_PER_H:-64}
ORACLE_FRAMES=${SOAK_ORACLE_FRAMES:-auto} # the simulator's per-frame sidecar; auto = on for runs of 2 h or less
[ "$ORACLE_FRAMES" = auto ] && { [ "$DURATION_S" -le 7200 ] && ORACLE_FRAMES=on || ORACLE_FRAMES=off; }
PORT_BASE=${SOAK_PORT_BASE:-28080}
SIM_PORT=$((PORT_BASE + 10)) DISCOVERY_PORT=$((PORT_BASE + 1)) COLLECTOR_PORT=$((PORT_BASE + 2))
OFFLOAD_PORT=$((PORT_BASE + 3)) RC_PORT=$((PORT_BASE + 492))
INSTANCE=${SOAK_INSTANCE:-soak}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
[ "$FAULT_EVERY_S" -gt 0 ] && [ "$SAMPLE_EVERY_S" -gt 0 ] && [ "$DURATION_S" -gt 0 ] || die "durations must be > 0"

for tool in curl rclone du df gzip; do command -v "$tool" >/dev/null || die "needs $tool (apt-get install $tool)"; done
"$JAVA" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])' || die "needs a JDK 21 or newer (set JAVA_HOME)"
MODULES=(polymarket-sim discovery-svc collector-svc offload-svc)
for m in "${MODULES[@]}"; do
  [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || die "missing $m jar: run make build first"
done
[ -f soak/target/soak.jar ] || die "missing soak/target/soak.jar (the reconciliation): run make build first"
for p in $SIM_PORT $DISCOVERY_PORT $COLLECTOR_PORT $OFFLOAD_PORT $RC_PORT; do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" && die "port $p is in use (another soak? set SOAK_PORT_BASE)"
done

START_UTC=$(date -u +%Y%m%dT%H%M%SZ)
SOAK_DIR=${SOAK_DIR:-./soak-$START_UTC}
mkdir -p "$SOAK_DIR" || die "cannot create $SOAK_DIR"
SOAK_DIR=$(cd "$SOAK_DIR" && pwd)
[ -e "$SOAK_DIR/data" ] && die "$SOAK_DIR already holds a soak (data/); choose another SOAK_DIR"
DATA=$SOAK_DIR/data REMOTE=$SOAK_DIR/remote LOGS=$SOAK_DIR/process-logs RUN=$SOAK_DIR/.run
mkdir -p "$DATA" "$REMOTE" "$LOGS" "$RUN"
# The services run from a copy of their builds: a rebuild in the work tree during a 24 h soak (make build, an IDE)
# would otherwise pull jars from under the running JVMs and from under every restart.
APP=$SOAK_DIR/app
for m in "${MODULES[@]}"; do
  mkdir -p "$APP/$m" && cp -R "$m/target/quarkus-app/." "$APP/$m/" || die "cannot copy $m/target/quarkus-app"
done
mkdir -p "$APP/soak" && cp -R soak/target/soak.jar soak/target/lib "$APP/soak/" || die "cannot copy soak/target/soak.jar and lib"
SAMPLES=$SOAK_DIR/samples.csv FAULTS=$SOAK_DIR/faults.log EVENTS=$SOAK_DIR/events.log
ORACLE_FILE=""
[ "$ORACLE_FRAMES" = on ] && ORACLE_FILE=$SOAK_DIR/oracle-frames.jsonl
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
SERVICES=(sim rclone discovery collector offload)

utc() { date -u +%Y-%m-%dT%H:%M:%SZ; }
now_ms() { date +%s%3N; }
say() { printf '[soak %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
event() { printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(utc)" "$(now_ms)" "$1" "$2" "${3:-}" "${4:-}" >>"$EVENTS"; } # svc event pid detail
flog() { printf '%s\t%s\t%s\t%s\t%s\n' "$(utc)" "$(now_ms)" "$1" "$2" "${3:-}" >>"$FAULTS"; say "fault [$1] $2 ${3:-}"; } # cycle fault detail
pidof_svc() { cat "$RUN/$1.pid" 2>/dev/null || true; }
alive() { # a live process, not a zombie waiting to be reaped
  local s
  [ -n "${1:-}" ] && { read -r s <"/proc/$1/stat"; } 2>/dev/null || return 1
  s=${s##*) }; [ "${s%% *}" != Z ]
}
count() { local n; n=$(grep -c -- "$1" "$2" 2>/dev/null); echo "${n:-0}"; } # lines matching, 0 without the file
stopping() { [ -e "$RUN/stop" ]; }
nap() { sleep "$1" & wait $! 2>/dev/null; } # interruptible by the traps

cat >"$SOAK_DIR/soak.env" <<EOF
start_utc=$START_UTC
start_ms=$(now_ms)
duration_s=$DURATION_S
fault_every_s=$FAULT_EVERY_S
sample_every_s=$SAMPLE_EVERY_S
faults=$SOAK_FAULTS
sim_markets=$SIM_MARKETS
sim_churn_s=$SIM_CHURN_S
discovery_interval_s=$DISCOVERY_INTERVAL_S
snapshot_interval_s=$SNAPSHOT_INTERVAL_S
stale_after_s=$STALE_AFTER_S
silence_s=$SILENCE_S
offload_interval_s=$OFFLOAD_INTERVAL_S
offload_keep_days=0
rclone_outage_s=$RCLONE_OUTAGE_S
rss_growth_limit_mb_per_h=$RSS_LIMIT_MB_H
oracle_frames=$ORACLE_FRAMES
instance=$INSTANCE
java=$("$JAVA" -version 2>&1 | head -1)
rclone=$(rclone version 2>/dev/null | head -1)
host=$(uname -srm), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2/1048576}' /proc/meminfo) RAM
git=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo "+dirty")
EOF

# ---- processes -----------------------------------------------------------------------------------------------------
# Heap caps = what the compose memory limits give the containers (mem_limit x MaxRAMPercentage 50 %).
JOPTS=(-XX:+ExitOnOutOfMemoryError -Djava.util.logging.manager=org.jboss.logmanager.LogManager)
common=(DATA_DIR="$DATA" QUARKUS_LOG_CONSOLE_JSON=false QUARKUS_HTTP_HOST=127.0.0.1)
rc() { curl -fsS --max-time 10 -u soak:soak -H 'Content-Type: application/json' -X POST -d "${2:-{\}}" "http://127.0.0.1:$RC_PORT/$1"; }

launch() { # service [extra env...]: start it in the background, record its pid
  local name=$1 log=$LOGS/$1.log; shift
  printf '==== %s soak: start %s\n' "$(utc)" "$*" >>"$log"
  case $name in
    sim)
      "$JAVA" -Xmx512m "${JOPTS[@]}" -Dsim.port="$SIM_PORT" -Dsim.host=127.0.0.1 -Dsim.markets="$SIM_MARKETS" \
        -Dsim.market-churn="${SIM_CHURN_S}s" ${ORACLE_FILE:+-Dsim.oracle-frames-file="$ORACLE_FILE"} \
        -jar "$APP/polymarket-sim/quarkus-run.jar" >>"$log" 2>&1 & ;;
    rclone)
      rclone rcd --rc-addr "127.0.0.1:$RC_PORT" --rc-user soak --rc-pass soak --config "$SOAK_DIR/rclone.conf" \
        --cache-dir "$SOAK_DIR/rclone-cache" >>"$log" 2>&1 & ;;
    discovery)
      env "${common[@]}" QUARKUS_HTTP_PORT="$DISCOVERY_PORT" DISCOVERY_INSTANCE="$INSTANCE" \
        DISCOVERY_INTERVAL="${DISCOVERY_INTERVAL_S}s" QUARKUS_REST_CLIENT_GAMMA_API_URL="http://127.0.0.1:$SIM_PORT" "$@" \
        "$JAVA" -Xmx192m -XX:+UseSerialGC "${JOPTS[@]}" -jar "$APP/discovery-svc/quarkus-run.jar" >>"$log" 2>&1 & ;;
    collector)
      env "${common[@]}" QUARKUS_HTTP_PORT="$COLLECTOR_PORT" COLLECTOR_INSTANCE="$INSTANCE" \
        COLLECTOR_SNAPSHOT_INTERVAL="${SNAPSHOT_INTERVAL_S}s" COLLECTOR_STALE_AFTER="${STALE_AFTER_S}s" \
        QUARKUS_REST_CLIENT_CLOB_API_URL="http://127.0.0.1:$SIM_PORT" COLLECTOR_WS_URL="ws://127.0.0.1:$SIM_PORT/ws/market" "$@" \
        "$JAVA" -Xmx268m -XX:+UseSerialGC "${JOPTS[@]}" -jar "$APP/collector-svc/quarkus-run.jar" >>"$log" 2>&1 & ;;
    offload)
      env "${common[@]}" QUARKUS_HTTP_PORT="$OFFLOAD_PORT" OFFLOAD_INSTANCE="$INSTANCE" \
        OFFLOAD_RCLONE_URL="http://127.0.0.1:$RC_PORT" OFFLOAD_RCLONE_USER=soak OFFLOAD_RCLONE_PASS=soak \
        OFFLOAD_REMOTE=":local:$REMOTE" OFFLOAD_INTERVAL="${OFFLOAD_INTERVAL_S}s" OFFLOAD_KEEP_DAYS=0 "$@" \
        "$JAVA" -Xmx153m -XX:+UseSerialGC "${JOPTS[@]}" -jar "$APP/offload-svc/quarkus-run.jar" >>"$log" 2>&1 & ;;
  esac
  local pid=$!
  echo "$pid" >"$RUN/$name.pid"
  event "$name" start "$pid" "$*"
}

up() { # service: answers its health probe (bounded wait)
  local url
  case $1 in
    sim) url=http://127.0.0.1:$SIM_PORT/health ;;
    rclone) for _ in $(seq 1 150); do rc core/version >/dev/null 2>&1 && return 0; sleep 0.2; done; return 1 ;;
    discovery) url=http://127.0.0.1:$DISCOVERY_PORT/q/health/live ;;
    collector) url=http://127.0.0.1:$COLLECTOR_PORT/q/health/live ;;
    offload) url=http://127.0.0.1:$OFFLOAD_PORT/q/health/live ;;
  esac
  for _ in $(seq 1 300); do curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0; alive "$(pidof_svc "$1")" || return 1; sleep 0.2; done
  return 1
}

signal_and_wait() { # service signal grace_s: deliver, wait for the exit, SIGKILL after the grace
  local name=$1 sig=$2 grace=${3:-30} pid
  pid=$(pidof_svc "$name"); alive "$pid" || return 0
  kill -s "$sig" "$pid" 2>/dev/null
  for _ in $(seq 1 $((grace * 10))); do alive "$pid" || return 0; sleep 0.1; done
  event "$name" sigkill-after-grace "$pid" "$sig not obeyed within ${grace}s"
  kill -KILL "$pid" 2>/dev/null
  for _ in $(seq 1 50); do alive "$pid" || return 0; sleep 0.1; done
}

# A lock per service, so the fault loop and the watchdog never restart the same process at once.
lock() { for _ in $(seq 1 1200); do mkdir "$RUN/$1.lock" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
unlock() { rmdir "$RUN/$1.lock" 2>/dev/null || true; }

restart() { # service signal why [extra env...]: a deliberate stop (the signal) and start of one service
  local name=$1 sig=$2 why=$3 old; shift 3
  lock "$name" || { event "$name" restart-skipped "" "lock busy"; return 1; }
  old=$(pidof_svc "$name")
  event "$name" "stop-$sig" "$old" "$why"
  signal_and_wait "$name" "$sig" 30
  launch "$name" "$@"
  up "$name" || event "$name" not-up "$(pidof_svc "$name")" "no health answer after restart"
  unlock "$name"
}

# ---- faults --------------------------------------------------------------------------------------------------------
sim_fault() { # cycle name query: POST /admin/faults/{name}?query, logged
  local out
  out=$(curl -fsS --max-time 10 -X POST "http://127.0.0.1:$SIM_PORT/admin/faults/$2${3:+?$3}" 2>&1) || out="FAILED: $out"
  flog "$1" "$2${3:+ ${3//&/ }}" "$out"
}
RCLONE_BACK_AT=0 # when the rclone outage ends (0 = rclone not down on purpose)
QUIET_UNTIL=0    # no fault that closes websockets before this (the silence must be detected as a stall first)

pending_actions() { # deferred parts of faults, run from every wait of the fault loop
  if [ "$RCLONE_BACK_AT" -gt 0 ] && [ "$(date +%s)" -ge "$RCLONE_BACK_AT" ]; then
    RCLONE_BACK_AT=0
    if lock rclone; then
      launch rclone
      if up rclone; then flog "$CYCLE" rclone-restart "rclone rcd back (pid $(pidof_svc rclone)) after the outage"
      else flog "$CYCLE" rclone-restart "FAILED: rclone rcd did not come back"; fi
      rm -f "$RUN/rclone-outage"; unlock rclone
    fi
  fi
}
wait_until() { # epoch_s: sleep until then (0 = stop requested)
  while [ "$(date +%s)" -lt "$1" ]; do stopping && return 1; pending_actions; nap 1; done
  ! stopping
}

kill_offload_mid_upload() {
  # Uploads of small files last milliseconds; throttle rclone (core/bwlimit) so that one is in flight long enough,
  # wait for the next offload run to start a transfer, kill -9 offload in the middle of it, lift the throttle.
  local deadline=$(( $(date +%s) + OFFLOAD_INTERVAL_S + 60 )) seen="" stats
  rc core/bwlimit '{"rate":"256k"}' >/dev/null 2>&1
  while [ "$(date +%s)" -lt "$deadline" ] && ! stopping; do
    pending_actions
    stats=$(rc core/stats 2>/dev/null | tr -d ' \n\t')
    if [[ $stats == *'"transferring":[{'* ]]; then seen=$(grep -o '"name":"[^"]*"' <<<"$stats" | head -1 | cut -d'"' -f4); break; fi
    sleep 0.2
  done
  stopping && { rc core/bwlimit '{"rate":"off"}' >/dev/null 2>&1; return; }
  lock offload || return
  local pid; pid=$(pidof_svc offload)
  event offload stop-KILL "$pid" "fault: kill -9 mid-upload"
  kill -KILL "$pid" 2>/dev/null
  for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
  rc core/bwlimit '{"rate":"off"}' >/dev/null 2>&1
  if [ -n "$seen" ]; then flog "$CYCLE" kill-offload "kill -9 pid $pid mid-upload of $seen"
  else flog "$CYCLE" kill-offload "kill -9 pid $pid with NO upload in flight (none started within $((OFFLOAD_INTERVAL_S + 60))s)"; fi
  launch offload
  up offload && flog "$CYCLE" offload-restart "pid $(pidof_svc offload)" || flog "$CYCLE" offload-restart "FAILED: no health answer"
  unlock offload
}

# One cycle, in this order; one slot every SOAK_FAULT_EVERY. The silence comes first and the faults that close
# websockets (kill, drop, refuse) wait until it has been detected and has ended; the others do not touch connections.
FAULT_NAMES=(silence http-429-clob http-503-clob slow malformed gamma-503+discovery-restart http-429-gamma
  kill-collector+kill-offload unknown-field-on lifecycle drop refuse rclone-outage)
CYCLE=0
run_fault() { # index
  local c=$CYCLE
  case $1 in
    0) sim_fault "$c" silence "seconds=$SILENCE_S"; QUIET_UNTIL=$(( $(date +%s) + SILENCE_S + 20 )) ;;
    1) sim_fault "$c" http "status=429&count=3&scope=clob" ;;
    2) sim_fault "$c" http "status=503&count=3&scope=clob" ;;
    3) sim_fault "$c" slow "ms=3000&count=5&scope=all" ;;
    4) if [ $((c % 2)) = 1 ]; then sim_fault "$c" malformed "count=2&kind=truncated&target=ws"; sim_fault "$c" malformed "count=1&kind=garbage&target=rest"
       else sim_fault "$c" malformed "count=2&kind=garbage&target=ws"; sim_fault "$c" malformed "count=1&kind=truncated&target=rest"; fi ;;
    5) sim_fault "$c" http "status=503&count=3&scope=gamma" # discovery's start-up run meets them
       restart discovery TERM "fault: SIGTERM restart"; flog "$c" discovery-sigterm-restart "pid $(pidof_svc discovery)" ;;
    6) sim_fault "$c" http "status=429&count=3&scope=gamma" ;; # met by the next scheduled discovery run
    7) wait_until "$QUIET_UNTIL" || return
       restart collector KILL "fault: kill -9, restart with the same instance id"
       flog "$c" kill-collector "kill -9, restarted as pid $(pidof_svc collector) (instance $INSTANCE: recovers its .open files)"
       kill_offload_mid_upload ;;
    8) sim_fault "$c" unknown-field "enabled=true" ;;
    9) sim_fault "$c" unknown-field "enabled=false"
       sim_fault "$c" disappear "market=random"; sim_fault "$c" close "market=random"
       sim_fault "$c" new-market ""; sim_fault "$c" new-market "" ;;
    10) wait_until "$QUIET_UNTIL" || return; sim_fault "$c" drop "" ;;
    11) wait_until "$QUIET_UNTIL" || return; sim_fault "$c" refuse "seconds=30"; sim_fault "$c" drop ""
        QUIET_UNTIL=$(( $(date +%s) + 30 + 40 )) ;; # reconnection backoff after 30 s of refusals
    12) if lock rclone; then
          local pid; pid=$(pidof_svc rclone); event rclone stop-KILL "$pid" "fault: remote outage"; touch "$RUN/rclone-outage"
          kill -KILL "$pid" 2>/dev/null; for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
          RCLONE_BACK_AT=$(( $(date +%s) + RCLONE_OUTAGE_S )); unlock rclone
          flog "$c" rclone-kill "kill -9 rclone rcd pid $pid; back in ${RCLONE_OUTAGE_S}s"
        fi ;;
  esac
}

fault_loop() {
  local slot=0 next=$(( $(date +%s) + FAULT_EVERY_S ))
  while wait_until "$next"; do
    [ "$(date +%s)" -lt $((END - 20)) ] || { wait_until "$END"; break; } # no new fault in the last 20 s
    CYCLE=$((slot / ${#FAULT_NAMES[@]} + 1))
    run_fault $((slot % ${#FAULT_NAMES[@]}))
    slot=$((slot + 1)); next=$((next + FAULT_EVERY_S))
    [ "$next" -lt "$(date +%s)" ] && next=$(date +%s)
  done
  pending_actions
  [ "$RCLONE_BACK_AT" -gt 0 ] && { RCLONE_BACK_AT=1; pending_actions; } # never leave rclone down
  touch "$RUN/faults-done"
}

# ---- sampling and the watchdog -------------------------------------------------------------------------------------
header="utc,epoch_s"
for s in "${SERVICES[@]}"; do header+=",${s}_pid,${s}_rss_kb,${s}_cpu_s,${s}_fds,${s}_threads,${s}_up"; done
header+=",data_bytes,disk_free_bytes,open_files,closed_files,ledger_verified,offload_pending,sim_frames_sent,sim_open_connections,tokens"
echo "$header" >"$SAMPLES"

proc_figures() { # pid -> rss_kb,cpu_s,fds,threads (empty fields when the process is gone)
  local pid=$1 rss thr stat ut st fds
  if ! alive "$pid"; then echo ",,,"; return; fi
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
  thr=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
  { read -r stat <"/proc/$pid/stat"; } 2>/dev/null; stat=${stat##*) }
  read -r _ _ _ _ _ _ _ _ _ _ _ ut st _ <<<"$stat"
  fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
  echo "${rss:-},$(awk -v u="${ut:-0}" -v s="${st:-0}" -v t="$CLK_TCK" 'BEGIN {printf "%.2f", (u + s) / t}'),$fds,${thr:-}"
}

healthy() { # service pid -> 1 answers its probe, 0 alive but not answering, empty when not running
  alive "$2" || return 0
  [ -e "$RUN/$1.lock" ] && return 0 # being restarted on purpose
  local url
  case $1 in
    sim) url=http://127.0.0.1:$SIM_PORT/health ;;
    rclone) rc core/version >/dev/null 2>&1 && echo 1 || echo 0; return ;;
    discovery) url=http://127.0.0.1:$DISCOVERY_PORT/q/health/live ;;
    collector) url=http://127.0.0.1:$COLLECTOR_PORT/q/health/live ;;
    offload) url=http://127.0.0.1:$OFFLOAD_PORT/q/health/live ;;
  esac
  curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null && echo 1 || echo 0
}

sample() {
  local row pid state pending
  row="$(utc),$(date +%s)"
  for s in "${SERVICES[@]}"; do pid=$(pidof_svc "$s"); row+=",$pid,$(proc_figures "$pid"),$(healthy "$s" "$pid")"; done
  state=$(curl -fsS --max-time 5 "http://127.0.0.1:$SIM_PORT/admin/state" 2>/dev/null)
  pending=$(curl -fsS --max-time 5 "http://127.0.0.1:$OFFLOAD_PORT/q/metrics" 2>/dev/null | awk '/^offload_pending[ {]/ {printf "%d", $NF; exit}')
  row+=",$(du -sb "$DATA" 2>/dev/null | cut -f1),$(df -B1 --output=avail "$DATA" 2>/dev/null | tail -1 | tr -d ' ')"
  row+=",$(find "$DATA/raw" -name '*.open' 2>/dev/null | wc -l),$(find "$DATA/raw" -name '*.jsonl.gz' 2>/dev/null | wc -l)"
  row+=",$(count '"result":"verified"' "$DATA/offload/ledger.jsonl"),${pending:-}"
  row+=",$(sed -n 's/.*"frames_sent":\([0-9]*\).*/\1/p' <<<"$state"),$(sed -n 's/.*"open_connections":\([0-9]*\).*/\1/p' <<<"$state")"
  row+=",$(count '"token_id"' "$DATA/discovery/tokens.json")"
  echo "$row" >>"$SAMPLES"
}

watchdog() { # a service that exited without being told to is logged as a failure and started again
  local s pid
  for s in "${SERVICES[@]}"; do
    stopping && return # a Ctrl-C may have stopped rclone; the final stop handles it
    pid=$(pidof_svc "$s")
    alive "$pid" && continue
    [ "$s" = rclone ] && [ -e "$RUN/rclone-outage" ] && continue # down on purpose
    mkdir "$RUN/$s.lock" 2>/dev/null || continue # the fault loop is restarting it
    if [ "$pid" = "$(pidof_svc "$s")" ] && ! alive "$pid" && ! { [ "$s" = rclone ] && [ -e "$RUN/rclone-outage" ]; }; then
      say "UNEXPECTED: $s (pid $pid) exited; restarting it (see $LOGS/$s.log)"
      event "$s" unexpected-exit "$pid" "$(tail -n 3 "$LOGS/$s.log" 2>/dev/null | tr '\t\n' '  ' | cut -c1-400)"
      launch "$s"; up "$s" || event "$s" not-up "$(pidof_svc "$s")" "no health answer after restart"
      event "$s" restarted-after-failure "$(pidof_svc "$s")"
    fi
    unlock "$s"
  done
}

# ---- stop and report -----------------------------------------------------------------------------------------------
STOP_REASON=completed
on_signal() { STOP_REASON=interrupted; touch "$RUN/stop"; }
trap on_signal INT TERM
emergency() { for s in collector discovery offload rclone sim; do pid=$(pidof_svc "$s"); alive "$pid" && kill -KILL "$pid" 2>/dev/null; done; }

finish() {
  trap 'say "second interrupt: killing everything"; emergency; exit 2' INT TERM
  touch "$RUN/stop"
  if [ -n "${FAULT_PID:-}" ]; then
    say "stopping the fault schedule"
    for _ in $(seq 1 900); do kill -0 "$FAULT_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$FAULT_PID" 2>/dev/null && { kill "$FAULT_PID" 2>/dev/null; event soak fault-loop-killed "$FAULT_PID"; }
  fi
  sample
  # rclone (a Go program) re-enables SIGINT, so a Ctrl-C at a terminal stops it too; the JVMs keep ignoring it.
  alive "$(pidof_svc rclone)" || { event rclone gone-at-stop "$(pidof_svc rclone)" "$STOP_REASON"; launch rclone; up rclone; }
  rc core/bwlimit '{"rate":"off"}' >/dev/null 2>&1
  say "final stop: faults cleared, websockets silenced, then collector and discovery stopped with SIGTERM"
  curl -fsS --max-time 5 -X DELETE "http://127.0.0.1:$SIM_PORT/admin/faults" >/dev/null 2>&1
  curl -fsS --max-time 5 -X POST "http://127.0.0.1:$SIM_PORT/admin/faults/silence?seconds=3600" >/dev/null 2>&1
  sleep 2 # frames already on the wire reach the collector
  event collector stop-TERM "$(pidof_svc collector)" final; signal_and_wait collector TERM 30
  event discovery stop-TERM "$(pidof_svc discovery)" final; signal_and_wait discovery TERM 30
  curl -fsS --max-time 30 "http://127.0.0.1:$SIM_PORT/admin/oracle" >"$SOAK_DIR/oracle-final.json" 2>/dev/null
  curl -fsS --max-time 10 "http://127.0.0.1:$SIM_PORT/admin/state" >"$SOAK_DIR/sim-state-final.json" 2>/dev/null
  curl -fsS --max-time 30 "http://127.0.0.1:$SIM_PORT/admin/markets" >"$SOAK_DIR/sim-markets-final.json" 2>/dev/null
  : >"$SOAK_DIR/oracle-rest.jsonl"
  for t in $(grep -o '"token_ids":\[[^]]*\]' "$SOAK_DIR/sim-markets-final.json" 2>/dev/null | grep -o '[0-9]\{20,\}'); do
    curl -fsS --max-time 5 "http://127.0.0.1:$SIM_PORT/admin/oracle/rest/$t" 2>/dev/null && echo
  done >>"$SOAK_DIR/oracle-rest.jsonl"
  # Offload last: a final flush (a restart with a short interval) uploads and verifies what the stops closed.
  say "final offload flush (until its backlog is 0, at most 10 min)"
  event offload stop-TERM "$(pidof_svc offload)" "final flush follows"; signal_and_wait offload TERM 30
  local flush_log=$LOGS/offload.log lines_before
  lines_before=$(wc -l <"$flush_log")
  launch offload OFFLOAD_INITIAL_DELAY=1s OFFLOAD_INTERVAL=15s
  up offload || event offload not-up "$(pidof_svc offload)" "final flush"
  local flushed=no
  for _ in $(seq 1 600); do
    tail -n +"$((lines_before + 1))" "$flush_log" | grep -Eq 'offload run: .*backlog(=| )0( |$)' && { flushed=yes; break; }
    alive "$(pidof_svc offload)" || break
    sleep 1
  done
  event offload stop-TERM "$(pidof_svc offload)" "final, backlog empty: $flushed"; signal_and_wait offload TERM 30
  sample
  event rclone stop-TERM "$(pidof_svc rclone)" final; signal_and_wait rclone TERM 10
  event sim stop-TERM "$(pidof_svc sim)" final; signal_and_wait sim TERM 30
  echo "end_ms=$(now_ms)" >>"$SOAK_DIR/soak.env"
  echo "stop_reason=$STOP_REASON" >>"$SOAK_DIR/soak.env"
  echo "final_flush_backlog_empty=$flushed" >>"$SOAK_DIR/soak.env"

  # The data-quality report (in process, over the data dir and over the whole archive) and the reconciliation into
  # report.md: the soak module (soak/, docs/SOAK.md "How PASS/FAIL is decided"), from the copy made at the start.
  say "reconciling (soak module: data-quality report, oracle against the recording, offload, processes, resources)"
  "$JAVA" -jar "$APP/soak/soak.jar" "$SOAK_DIR"
  local verdict=$?
  say "report: $SOAK_DIR/report.md"
  exit "$verdict"
}

# ---- run -----------------------------------------------------------------------------------------------------------
say "soak dir $SOAK_DIR; duration ${DURATION_S}s, a fault every ${FAULT_EVERY_S}s ($SOAK_FAULTS), samples every ${SAMPLE_EVERY_S}s"
say "sim: $SIM_MARKETS markets, churn ${SIM_CHURN_S}s; discovery every ${DISCOVERY_INTERVAL_S}s; snapshots every ${SNAPSHOT_INTERVAL_S}s; stale after ${STALE_AFTER_S}s; offload every ${OFFLOAD_INTERVAL_S}s, keep-days 0; oracle sidecar $ORACLE_FRAMES"
launch sim; up sim || { emergency; die "polymarket-sim did not come up; see $LOGS/sim.log"; }
launch rclone; up rclone || { emergency; die "rclone rcd did not come up; see $LOGS/rclone.log"; }
launch discovery; launch collector; launch offload
for s in discovery collector offload; do up "$s" || { emergency; die "$s did not come up; see $LOGS/$s.log"; }; done
for _ in $(seq 1 300); do [ -f "$DATA/discovery/tokens.json" ] && break; sleep 0.2; done
[ -f "$DATA/discovery/tokens.json" ] || { emergency; die "discovery published no tokens.json; see $LOGS/discovery.log"; }
say "all up; tokens.json has $(count '"token_id"' "$DATA/discovery/tokens.json") tokens; running until $(date -u -d "@$(( $(date +%s) + DURATION_S ))" +%FT%TZ) (Ctrl-C stops early and still reports)"

END=$(( $(date +%s) + DURATION_S ))
FAULT_PID=""
if [ "$SOAK_FAULTS" = on ]; then fault_loop & FAULT_PID=$!; fi
next_sample=$(date +%s)
while [ "$(date +%s)" -lt "$END" ] && ! stopping; do
  if [ "$(date +%s)" -ge "$next_sample" ]; then
    sample; watchdog
    next_sample=$((next_sample + SAMPLE_EVERY_S))
  fi
  nap 1
done
finish
