#!/bin/sh
# Builds the `fuzz` preset and runs genome_parser_fuzz for SECONDS (default 60),
# starting from the committed seed corpus. New inputs go to a scratch corpus in
# the build directory, so the committed one stays small. Exits non-zero on a
# finding; the crashing input is left in build/fuzz/findings/.
set -eu
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build/fuzz"
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target genome_parser_fuzz
mkdir -p "$build/corpus" "$build/findings"
"$build/tests/fuzz/genome_parser_fuzz" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict="$root/tests/fuzz/flam3.dict" -artifact_prefix="$build/findings/" -print_final_stats=1 \
  "$build/corpus" "$root/tests/fuzz/corpus"
