#!/usr/bin/env bash
# The local grid demo: a coordinator and two workers on 127.0.0.1 render a
# loop of an Electric Sheep genome (48 frames at 320x240, about a minute of CPU
# time in all) into an MP4, showing progress and the dashboard's address; then,
# with a display ($DISPLAY or $WAYLAND_DISPLAY), flamegrid-view plays the loop
# in a window until it is closed (q, Esc) or has played for a while. Without
# a display it says where the video is and how to watch it. Every process it
# starts is stopped when it ends, also on Ctrl-C.
#
#   assets/demo/grid-demo.sh BUILD_DIR [GENOME.flam3]
#
# Environment: FLAMEGRID_DEMO_DIR (where data goes; default a new /tmp folder),
# FLAMEGRID_DEMO_FRAMES (48), FLAMEGRID_DEMO_SIZE (320x240),
# FLAMEGRID_DEMO_QUALITY (100), FLAMEGRID_DEMO_FPS (24),
# FLAMEGRID_DEMO_PLAY_SECONDS (60; how long the viewer plays),
# FLAMEGRID_DEMO_FAKE=1 (synthetic renders), FLAMEGRID_DEMO_TIMEOUT (1800).
set -euo pipefail

build=${1:?usage: grid-demo.sh BUILD_DIR [GENOME.flam3]}
here=$(cd "$(dirname "$0")" && pwd)
genome=${2:-$here/../genomes/electricsheep.244.00216.flam3}
coordinator=$build/coordinator/flamegrid-coordinator
worker=$build/worker/flamegrid-worker
viewer=$build/worker/view/flamegrid-view
for tool in "$coordinator" "$worker"; do
  [ -x "$tool" ] || { echo "grid-demo: $tool is missing; build the grid first" >&2; exit 1; }
done
[ -f "$genome" ] || { echo "grid-demo: no genome at $genome" >&2; exit 1; }

work=${FLAMEGRID_DEMO_DIR:-$(mktemp -d /tmp/flamegrid-demo.XXXXXX)}
mkdir -p "$work"
frames=${FLAMEGRID_DEMO_FRAMES:-48}
size=${FLAMEGRID_DEMO_SIZE:-320x240}
quality=${FLAMEGRID_DEMO_QUALITY:-100}
fps=${FLAMEGRID_DEMO_FPS:-24}
play_seconds=${FLAMEGRID_DEMO_PLAY_SECONDS:-60}
fake=()
[ "${FLAMEGRID_DEMO_FAKE:-0}" = 1 ] && fake=(--fake-render)

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
grpc_port=$(free_port)
http_port=$(free_port)
while [ "$http_port" = "$grpc_port" ]; do http_port=$(free_port); done

# Every process started here is in pids; all of them stop on any way out:
# the last started first (the viewer, the workers, then the coordinator they
# give their frames back to), each asked to stop, and killed after 15 seconds.
pids=()
alive() {  # a process that has exited stays a zombie until waited for
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}
stop() {
  local pid=$1 tenths
  kill -TERM "$pid" 2>/dev/null || return 0
  for tenths in $(seq 1 150); do
    alive "$pid" || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local i
  for (( i = ${#pids[@]} - 1; i >= 1; i-- )); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  for (( i = ${#pids[@]} - 1; i >= 0; i-- )); do stop "${pids[$i]}"; done
  pids=()
}
trap cleanup EXIT
trap 'echo; echo "grid-demo: interrupted; stopping the grid"; cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

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
echo "grid-demo: coordinator on 127.0.0.1:$grpc_port"
echo "grid-demo: dashboard: http://127.0.0.1:$http_port/ (open it in a browser while the demo runs)"

for name in alice bob; do
  "$worker" --coordinator "127.0.0.1:$grpc_port" --data "$work/worker-$name" --threads 1 \
    --name "$name" --render-when always --bt-listen 127.0.0.1:0 --no-port-mapping "${fake[@]}" \
    >"$work/worker-$name.log" 2>&1 &
  pids+=($!)
done
echo "grid-demo: two workers (alice, bob) started"

sequence=$("$coordinator" submit --coordinator "127.0.0.1:$grpc_port" --token-file "$token" \
  "$genome" --frames "$frames" --size "$size" --quality "$quality" --fps "$fps" | tail -n 1)
echo "grid-demo: submitted $(basename "$genome") as sequence $sequence ($frames frames at $size, quality $quality)"

started=$(date +%s)
last=""
video=""
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
    done) break ;;
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
echo "grid-demo: the loop is ready after ${elapsed}s: $video"
echo "grid-demo: the dashboard serves it at http://127.0.0.1:$http_port/videos/$sequence.mp4"

# The viewer plays what is in a worker's cache: put the loop in one of its own.
view_data=$work/viewer
id="demo-$sequence"
mkdir -p "$view_data/cache"
cp "$video" "$view_data/cache/.tmp-$id.mp4"
mv "$view_data/cache/.tmp-$id.mp4" "$view_data/cache/$id.mp4"
printf '{"id": "%s", "kind": "loop", "name": "%s", "artist_nick": "the local grid demo", "frames": %d, "fps": %d}\n' \
  "$id" "$(basename "$genome" .flam3)" "$frames" "$fps" >"$view_data/cache/.tmp-$id.json"
mv "$view_data/cache/.tmp-$id.json" "$view_data/cache/$id.json"

watch_it() {
  echo "grid-demo: watch the loop with: ffplay -loop 0 $video"
  echo "grid-demo:                  or: mpv --loop $video"
  echo "grid-demo:                  or: $viewer --data $view_data --window"
}

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "grid-demo: no display (\$DISPLAY, \$WAYLAND_DISPLAY) to play it on"
  watch_it
  exit 0
fi
if [ ! -x "$viewer" ]; then
  echo "grid-demo: $viewer is not built"
  watch_it
  exit 0
fi
echo "grid-demo: playing the loop in flamegrid-view for ${play_seconds}s (close the window, q or Esc to stop sooner)"
"$viewer" --data "$view_data" --window --loop-plays 1000 --quit-after "$play_seconds" \
  >"$work/viewer.log" 2>&1 &
viewer_pid=$!
pids+=("$viewer_pid")
status=0
wait "$viewer_pid" || status=$?
if [ "$status" -ne 0 ]; then
  echo "grid-demo: flamegrid-view could not play it (exit $status; $work/viewer.log)"
  watch_it
fi
echo "grid-demo: stopping the grid; the video stays at $video"
