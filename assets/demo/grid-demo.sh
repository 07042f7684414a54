#!/usr/bin/env bash
# The local grid demo: a coordinator and two workers on 127.0.0.1 render a
# short loop of an Electric Sheep genome into an MP4, showing progress, then
# say where the video is. Every process it starts is stopped on exit.
#
#   assets/demo/grid-demo.sh BUILD_DIR [GENOME.flam3]
#
# Environment: FLAMEGRID_DEMO_DIR (where data goes; default a new /tmp folder),
# FLAMEGRID_DEMO_FRAMES (24), FLAMEGRID_DEMO_SIZE (160x120),
# FLAMEGRID_DEMO_QUALITY (40), FLAMEGRID_DEMO_FAKE=1 (synthetic renders).
set -euo pipefail

build=${1:?usage: grid-demo.sh BUILD_DIR [GENOME.flam3]}
here=$(cd "$(dirname "$0")" && pwd)
genome=${2:-$here/../genomes/electricsheep.244.00216.flam3}
coordinator=$build/coordinator/flamegrid-coordinator
worker=$build/worker/flamegrid-worker
for tool in "$coordinator" "$worker"; do
  [ -x "$tool" ] || { echo "grid-demo: $tool is missing; build the grid first" >&2; exit 1; }
done
[ -f "$genome" ] || { echo "grid-demo: no genome at $genome" >&2; exit 1; }

work=${FLAMEGRID_DEMO_DIR:-$(mktemp -d /tmp/flamegrid-demo.XXXXXX)}
mkdir -p "$work"
frames=${FLAMEGRID_DEMO_FRAMES:-24}
size=${FLAMEGRID_DEMO_SIZE:-160x120}
quality=${FLAMEGRID_DEMO_QUALITY:-40}
fake=()
[ "${FLAMEGRID_DEMO_FAKE:-0}" = 1 ] && fake=(--fake-render)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
grpc_port=$(free_port)
http_port=$(free_port)
while [ "$http_port" = "$grpc_port" ]; do http_port=$(free_port); done

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

echo "grid-demo: data and logs in $work"
"$coordinator" serve --listen "127.0.0.1:$grpc_port" --http "127.0.0.1:$http_port" \
  --data "$work/coordinator" --lease-seconds 60 --video-preset fast "${fake[@]}" \
  >"$work/coordinator.log" 2>&1 &
pids+=($!)

token=$work/coordinator/admin.token
for _ in $(seq 1 100); do
  [ -s "$token" ] && "$coordinator" status --coordinator "127.0.0.1:$grpc_port" \
    --token-file "$token" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "grid-demo: coordinator on 127.0.0.1:$grpc_port (status: http://127.0.0.1:$http_port/status.json)"

for name in alice bob; do
  "$worker" --coordinator "127.0.0.1:$grpc_port" --data "$work/worker-$name" --threads 1 \
    --name "$name" --bt-listen 127.0.0.1:0 --no-port-mapping "${fake[@]}" \
    >"$work/worker-$name.log" 2>&1 &
  pids+=($!)
done
echo "grid-demo: two workers (alice, bob) started"

sequence=$("$coordinator" submit --coordinator "127.0.0.1:$grpc_port" --token-file "$token" \
  "$genome" --frames "$frames" --size "$size" --quality "$quality" | tail -n 1)
echo "grid-demo: submitted $(basename "$genome") as sequence $sequence ($frames frames at $size)"

started=$(date +%s)
last=""
while :; do
  json=$("$coordinator" status --coordinator "127.0.0.1:$grpc_port" --token-file "$token" --json)
  line=$(python3 -c '
import json, sys
status = json.loads(sys.argv[1]); want = int(sys.argv[2])
for s in status["sequences"]:
    if s["id"] == want:
        print(s["state"], s["frames_done"], s["frames_total"], s["video_path"] or "-", s.get("failure", "").replace(" ", "_") or "-")
' "$json" "$sequence")
  read -r state done total video failure <<<"$line"
  elapsed=$(( $(date +%s) - started ))
  progress="sequence $sequence: $state, $done/$total frames validated (${elapsed}s)"
  if [ "$progress" != "$last" ]; then echo "grid-demo: $progress"; last=$progress; fi
  case "$state" in
    done)
      echo "grid-demo: the loop is ready: $video"
      echo "grid-demo: play it with: ffplay -loop 0 $video"
      exit 0 ;;
    failed)
      echo "grid-demo: sequence failed: ${failure//_/ }" >&2
      echo "grid-demo: logs: $work/*.log" >&2
      exit 1 ;;
  esac
  if [ "$elapsed" -gt "${FLAMEGRID_DEMO_TIMEOUT:-1800}" ]; then
    echo "grid-demo: gave up after ${elapsed}s; logs in $work" >&2
    exit 1
  fi
  sleep 2
done
