#!/usr/bin/env bash
# The main job: installs what flamegrid needs, builds it, and runs the local
# grid demo (assets/demo/grid-demo.sh: a coordinator and two workers on
# 127.0.0.1 render a loop into a video, and flamegrid-view plays it when there
# is a display). Until the grid is built, it renders an example genome.
set -euo pipefail
cd "$(dirname "$0")"

./.ci/install-deps
cmake --preset release
cmake --build --preset release
if [ -x assets/demo/grid-demo.sh ] && [ -x build/release/coordinator/flamegrid-coordinator ]; then
  exec assets/demo/grid-demo.sh build/release
fi
out=build/release/demo
mkdir -p "$out"
build/release/renderer/cmd/flamegrid-render assets/genomes/electricsheep.244.00216.flam3 \
  -o "$out/electricsheep.244.00216.png" --size-scale 0.5 --quality-scale 0.1 --stats
echo "demo: the rendered sheep is at $(pwd)/$out/electricsheep.244.00216.png"
