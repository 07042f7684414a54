#!/usr/bin/env bash
# Installs what flamegrid needs, builds it with warnings as errors, and runs
# every test: the GoogleTest suites through CTest and a bounded fuzzing run.
set -euo pipefail
cd "$(dirname "$0")"

./.ci/install-deps
cmake --preset ci
cmake --build --preset ci
if [ -x tests/fuzz/run.sh ]; then
  tests/fuzz/run.sh "${FLAMEGRID_FUZZ_SECONDS:-60}"
fi
ctest --preset ci
