#!/usr/bin/env bash
# make demo: the whole pipeline on this machine, as plain processes, without Docker and without the internet.
#   polymarket-sim (a local Polymarket) → discovery-svc → tokens.json → collector-svc → hourly files → offload-svc
#   → rclone rcd → a local folder standing in for Google Drive.
# Everything listens on 127.0.0.1 only and lives under $DEMO_DIR (default ./data-demo). The collector records for
# $DEMO_SECONDS (default 60); then discovery and the collector are stopped with SIGTERM (closing their files with
# manifests), offload uploads and verifies them, and a summary is printed. Exits non-zero if any stage produced
# nothing. Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."

DEMO_DIR=${DEMO_DIR:-./data-demo}
DEMO_SECONDS=${DEMO_SECONDS:-60}
SIM_PORT=${SIM_PORT:-18090}
RC_PORT=${RC_PORT:-15572}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

mkdir -p "$DEMO_DIR"
DEMO_DIR=$(cd "$DEMO_DIR" && pwd)
DATA="$DEMO_DIR/data"
REMOTE="$DEMO_DIR/remote"
LOGS="$DEMO_DIR/process-logs"
mkdir -p "$DATA" "$REMOTE" "$LOGS"
pids=()

say() { printf '[demo %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }
stop_pid() { kill -TERM "$1" 2>/dev/null || true; for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; kill -KILL "$1" 2>/dev/null || true; }
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && stop_pid "$p"; done; }
trap cleanup EXIT INT TERM

wait_http() { # url, what
  for _ in $(seq 1 300); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  say "$2 did not come up; see $LOGS"; exit 1
}

for tool in curl rclone; do command -v "$tool" >/dev/null || { echo "make demo needs $tool (apt-get install $tool)"; exit 1; }; done
for m in polymarket-sim discovery-svc collector-svc offload-svc; do
  [ -f "$m/target/quarkus-app/quarkus-run.jar" ] || { echo "missing $m jar: run make build first"; exit 1; }
done

say "data dir $DATA, remote $REMOTE, logs $LOGS"
"$JAVA" -Dsim.port="$SIM_PORT" -Dsim.host=127.0.0.1 -Dsim.markets="${SIM_MARKETS:-60}" \
  -jar polymarket-sim/target/quarkus-app/quarkus-run.jar >"$LOGS/polymarket-sim.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$SIM_PORT/" "polymarket-sim"
say "polymarket-sim up on 127.0.0.1:$SIM_PORT"

rclone rcd --rc-addr "127.0.0.1:$RC_PORT" --rc-user demo --rc-pass demo --config "$DEMO_DIR/rclone.conf" \
  --cache-dir "$DEMO_DIR/rclone-cache" >"$LOGS/rclone.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS -u demo:demo -X POST -d '{}' "http://127.0.0.1:$RC_PORT/core/version" >/dev/null 2>&1 && break; sleep 0.1; done
say "rclone rcd up on 127.0.0.1:$RC_PORT (remote: local folder)"

common=(DATA_DIR="$DATA" QUARKUS_LOG_CONSOLE_JSON=false QUARKUS_HTTP_HOST=127.0.0.1)
env "${common[@]}" QUARKUS_HTTP_PORT=18081 DISCOVERY_INSTANCE=demo DISCOVERY_INTERVAL=30s \
  QUARKUS_REST_CLIENT_GAMMA_API_URL="http://127.0.0.1:$SIM_PORT" \
  "$JAVA" -jar discovery-svc/target/quarkus-app/quarkus-run.jar >"$LOGS/discovery-svc.log" 2>&1 &
discovery=$!; pids+=($discovery)
env "${common[@]}" QUARKUS_HTTP_PORT=18082 COLLECTOR_INSTANCE=demo COLLECTOR_SNAPSHOT_INTERVAL=10s \
  QUARKUS_REST_CLIENT_CLOB_API_URL="http://127.0.0.1:$SIM_PORT" COLLECTOR_WS_URL="ws://127.0.0.1:$SIM_PORT/ws/market" \
  COLLECTOR_STATUS_INTERVAL=15s "$JAVA" -jar collector-svc/target/quarkus-app/quarkus-run.jar >"$LOGS/collector-svc.log" 2>&1 &
collector=$!; pids+=($collector)
env "${common[@]}" QUARKUS_HTTP_PORT=18083 OFFLOAD_INSTANCE=demo OFFLOAD_RCLONE_URL="http://127.0.0.1:$RC_PORT" \
  OFFLOAD_RCLONE_USER=demo OFFLOAD_RCLONE_PASS=demo OFFLOAD_REMOTE=":local:$REMOTE" OFFLOAD_INTERVAL=10s OFFLOAD_INITIAL_DELAY=5s \
  OFFLOAD_JOB_POLL_INTERVAL=200ms "$JAVA" -jar offload-svc/target/quarkus-app/quarkus-run.jar >"$LOGS/offload-svc.log" 2>&1 &
offload=$!; pids+=($offload)
wait_http "http://127.0.0.1:18081/q/health/live" "discovery-svc"
wait_http "http://127.0.0.1:18082/q/health/live" "collector-svc"
wait_http "http://127.0.0.1:18083/q/health/live" "offload-svc"
say "discovery, collector and offload up (health: http://127.0.0.1:1808{1,2,3}/q/health/ready)"

for _ in $(seq 1 300); do [ -f "$DATA/discovery/tokens.json" ] && break; sleep 0.2; done
[ -f "$DATA/discovery/tokens.json" ] || { say "discovery published no tokens.json; see $LOGS/discovery-svc.log"; exit 1; }
# Protocol V2 tokens (position ids) by the protocol discovery wrote for each entry (tokens.json is pretty-printed).
v2_ids() { awk -F'"' '/"token_id"/ {id=$4} /"protocol" : "v2"/ {print id}' "$DATA/discovery/tokens.json"; }
say "tokens.json: $(grep -c '"token_id"' "$DATA/discovery/tokens.json") tokens ($(v2_ids | wc -l) of Protocol V2); recording for $DEMO_SECONDS s"
sleep "$DEMO_SECONDS"

say "stopping discovery and collector (SIGTERM: files closed with manifests)"
stop_pid "$collector"; stop_pid "$discovery"
closed=$(find "$DATA/raw" -name '*.jsonl.gz' | wc -l)
say "$closed closed data files; waiting for offload to upload and verify them"
for _ in $(seq 1 600); do
  verified=$(grep -c '"result":"verified"' "$DATA/offload/ledger.jsonl" 2>/dev/null || true)
  [ "${verified:-0}" -ge $((closed * 2)) ] && break
  sleep 0.2
done
stop_pid "$offload"

echo
say "summary"
for s in gamma_markets rest_books ws_market; do
  files=$(find "$DATA/raw/$s" -name '*.jsonl.gz' 2>/dev/null | sort)
  [ -n "$files" ] || { echo "  $s: no files"; continue; }
  lines=$(cat $files | gzip -dc | wc -l || true)
  printf '  %-14s %3d file(s), %7d records, %8d bytes gz\n' "$s" "$(echo "$files" | wc -l)" "$lines" "$(cat $files | wc -c)"
done
echo "  ledger: $(grep -c '"result":"verified"' "$DATA/offload/ledger.jsonl" 2>/dev/null || echo 0) verified uploads (data files + manifests)"
echo "  remote: $(find "$REMOTE" -type f | wc -l) files under $REMOTE"
echo "  gaps in manifests: $(cat "$DATA"/raw/ws_market/dt=*/hour=*/*.manifest.json 2>/dev/null | grep -c '"reason"' || true)"
v2_total=$(v2_ids | wc -l)
v2_books=$(find "$DATA/raw/rest_books" -name '*.jsonl.gz' -exec gzip -dc {} + 2>/dev/null | grep -o '"asset_id":"[0-9]*"' | cut -d'"' -f4 \
  | sort -u | comm -12 - <(v2_ids | sort -u) | wc -l)
echo "  Protocol V2: books recorded for $v2_books of $v2_total V2 tokens (stored under their position ids)"
echo "  first websocket record:"
first=$(find "$DATA/raw/ws_market" -name '*.jsonl.gz' | sort | head -1)
[ -n "$first" ] && { gzip -dc "$first" | head -4 | cut -c1-220 | sed 's/^/    /'; } || true
echo
echo "  read more: zcat $DATA/raw/ws_market/dt=*/hour=*/*.jsonl.gz | jq -c . | less"

ok=1
[ -n "$(find "$DATA/raw/ws_market" -name '*.jsonl.gz' 2>/dev/null)" ] || ok=0
[ -n "$(find "$DATA/raw/rest_books" -name '*.jsonl.gz' 2>/dev/null)" ] || ok=0
[ "$(grep -c '"result":"verified"' "$DATA/offload/ledger.jsonl" 2>/dev/null || echo 0)" -gt 0 ] || ok=0
# The simulator's defaults list V2 markets (docs/SIMULATOR.md): every V2 token must have reached the files.
[ "$v2_total" -gt 0 ] && [ "$v2_books" -eq "$v2_total" ] || ok=0
[ "$ok" = 1 ] && say "demo OK" || { say "demo FAILED: a stage produced nothing (logs: $LOGS)"; exit 1; }
