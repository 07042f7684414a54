#!/bin/sh
# Builds the `fuzz` preset and runs each libFuzzer target for SECONDS
# (default 60) from its committed seed corpus: genome_parser_fuzz (the flam3
# reader) and png_upload_fuzz (the coordinator's upload decoder, every
# allocation held under 64 MB so a decode bomb is a finding). New inputs go
# to a scratch corpus in the build directory, so the committed ones stay
# small. Exits non-zero on a finding; the crashing input is left in
# build/fuzz/findings/.
set -eu
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="$root/build/fuzz"
cd "$root"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target genome_parser_fuzz png_upload_fuzz
mkdir -p "$build/corpus" "$build/png_corpus" "$build/findings"
"$build/tests/fuzz/genome_parser_fuzz" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -dict="$root/tests/fuzz/flam3.dict" -artifact_prefix="$build/findings/" -print_final_stats=1 \
  "$build/corpus" "$root/tests/fuzz/corpus"
"$build/tests/fuzz/png_upload_fuzz" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=512 -malloc_limit_mb=64 -max_len=16384 \
  -dict="$root/tests/fuzz/png.dict" -artifact_prefix="$build/findings/png-" -print_final_stats=1 \
  "$build/png_corpus" "$root/tests/fuzz/png_corpus"
