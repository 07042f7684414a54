#!/usr/bin/env bash
# offload_table.sh: the offload table of peer-assisted delivery. For each
# arrival pattern (all at once, staggered, churn) and each size (a 4 MB loop
# and a 300 KB one), runs p2p_offload_bench with 8 participants on 127.0.0.1
# and on separate hosts (network namespaces; needs root and iproute2), and
# prints what the coordinator sent as a multiple of the file (mean and worst
# over the trials).
#
#   tests/bench/p2p/offload_table.sh [BUILD_DIR] [TRIALS] [-- extra bench options]
#
# e.g. tests/bench/p2p/offload_table.sh build/ci 3
#      tests/bench/p2p/offload_table.sh build/ci 1 -- --super-seed
set -euo pipefail

build=${1:-build/ci}
trials=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
if [ "${1:-}" = "--" ]; then shift; fi
extra=("$@")
bench="$build/tests/bench/p2p/p2p_offload_bench"
if [ ! -x "$bench" ]; then
  echo "offload_table: no $bench (cmake --build $build --target p2p_offload_bench)" >&2
  exit 2
fi

modes=(loopback)
if [ "$(id -u)" -eq 0 ] && command -v ip > /dev/null; then
  modes+=(netns)
else
  echo "offload_table: separate hosts need root and iproute2; loopback only" >&2
fi

status=0
printf '| hosts | arrival | size | coordinator sent (x file), mean | worst | seconds (last trial) |\n'
printf '| --- | --- | --- | --- | --- | --- |\n'
for mode in "${modes[@]}"; do
  for size in "--mb 4" "--kb 300"; do
    for arrival in all staggered churn; do
      args=(--participants 8 $size --arrival "$arrival" --trials "$trials" "${extra[@]}")
      if [ "$mode" = netns ]; then args+=(--netns); fi
      log=$(mktemp)
      if ! "$bench" "${args[@]}" > "$log" 2>&1; then status=1; fi
      summary=$(grep '^mean' "$log" || echo "mean ? worst ?")
      mean=$(echo "$summary" | sed -E 's/^mean ([0-9.?]+).*/\1/')
      worst=$(echo "$summary" | sed -E 's/.*worst ([0-9.?]+).*/\1/')
      seconds=$(grep -E '^[0-9]+ ' "$log" | tail -1 | awk '{print $2}')
      ok=""
      grep -q 'SOME TRIALS FAILED' "$log" && ok=" (FAILED: see $log)"
      [ -z "$ok" ] && rm -f "$log"
      label=$([ "$mode" = netns ] && echo "separate (netns)" || echo "127.0.0.1")
      printf '| %s | %s | %s | %s | %s | %s%s |\n' "$label" "$arrival" \
        "$(echo "$size" | sed -E 's/--mb (.*)/\1 MB/; s/--kb (.*)/\1 KB/')" "$mean" "$worst" \
        "${seconds:-?}" "$ok"
    done
  done
done
exit $status
