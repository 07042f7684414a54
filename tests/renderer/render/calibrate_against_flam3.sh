#!/usr/bin/env bash
# Calibration of the pipeline against flam3-render: for every case of the
# parity manifest, PSNR of our render against flam3's seed-A reference, next
# to flam3's own seed-B-vs-seed-A PSNR (flam3's noise floor).
#
#   tests/renderer/render/calibrate_against_flam3.sh BUILD_DIR [THREADS]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
build=${1:?usage: $0 BUILD_DIR [THREADS]}
threads=${2:-2}
render=$build/renderer/cmd/flamegrid-render
data=$repo/tests/data/parity
sheep=$repo/assets/genomes
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

psnr() { oiiotool "$1" --ch R,G,B "$2" --ch R,G,B --diff 2>/dev/null | sed -n "s/.*Peak SNR = \([0-9.inf]*\).*/\1/p" || true; }

printf '%-18s %10s %10s %8s\n' case flam3_b_a ours_a delta
grep -v '^#' "$data/manifest.tsv" | while IFS=$'\t' read -r name genome ss qs; do
  case $genome in
    sheep:*) genome=$sheep/${genome#sheep:} ;;
    *) genome=$repo/$genome ;;
  esac
  "$render" "$genome" -o "$tmp/$name.png" --size-scale "$ss" --quality-scale "$qs" \
      --threads "$threads" --seed 1 >/dev/null 2>&1
  ref=$(psnr "$data/$name.b.png" "$data/$name.a.png")
  ours=$(psnr "$tmp/$name.png" "$data/$name.a.png")
  printf '%-18s %10s %10s %8.2f\n' "$name" "$ref" "$ours" "$(echo "$ours - $ref" | bc -l)"
done
