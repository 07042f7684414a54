#!/usr/bin/env bash
# Speed and quality against flam3-render, same genomes, same size, same
# sample count, 2 threads, whole-process wall time.
#
#   tests/bench/compare_flam3.sh BUILD_DIR [RANDOM_COUNT [BEFORE_BUILD_DIR]]
#
# For each genome (the eight Electric Sheep and RANDOM_COUNT random genomes
# from flam3-genome) it prints flam3's time, ours, their ratio, and the PSNR of
# each image against a converged reference (flam3 at 16x the quality): ours
# must be as close to the reference as flam3's own render. Ends with the median
# speed ratio and the CPU's vector target.
#
# With BEFORE_BUILD_DIR (another build, an older commit say), that build's
# flamegrid-render is timed too, right after ours on the same genome, so that
# a change of the machine's load weighs on both alike: two more columns
# (before_s, its ratio to flam3) and its median. A genome the older build
# cannot read counts as "-".
set -euo pipefail

build=${1:?usage: compare_flam3.sh BUILD_DIR [RANDOM_COUNT]}
random_count=${2:-8}
before_bin=${3:+$3/renderer/cmd/flamegrid-render}
repo=$(cd "$(dirname "$0")/../.." && pwd)
ours_bin=$build/renderer/cmd/flamegrid-render
sheep=${FLAMEGRID_SHEEP_GENOMES:-$repo/assets/genomes}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
# PSNR over RGB only: flam3 writes RGBA and we write RGB, and alpha is not the picture.
rgb() { oiiotool "$1" --ch R,G,B -o "$1.rgb.png" 2>/dev/null; echo "$1.rgb.png"; }
psnr() { idiff "$(rgb "$1")" "$(rgb "$2")" 2>/dev/null | awk '/Peak SNR/ {print $4}' | sed 's/inf/99/'; }

cases=()
for g in "$sheep"/*.flam3; do
  cases+=("$g|0.5|0.05")
done
for seed in $(seq 1 "$random_count"); do
  env seed="$seed" repeat=1 flam3-genome > "$work/random-$seed.flam3" 2>/dev/null
  cases+=("$work/random-$seed.flam3|4|300")
done

if [ -n "$before_bin" ]; then
  printf '%-34s %9s %9s %7s %10s %10s %9s %7s\n' genome flam3_s ours_s ratio psnr_flam3 \
      psnr_ours before_s ratio_b
else
  printf '%-34s %9s %9s %7s %10s %10s\n' genome flam3_s ours_s ratio psnr_flam3 psnr_ours
fi
ratios=()
before_ratios=()
for entry in "${cases[@]}"; do
  IFS='|' read -r genome ss qs <<< "$entry"
  name=$(basename "$genome" .flam3)
  ref_qs=$(awk -v q="$qs" 'BEGIN {print q * 16}')
  env in="$genome" out="$work/ref.png" format=png ss="$ss" qs="$ref_qs" nthreads=2 \
      isaac_seed=reference verbose=0 transparency=0 flam3-render
  t0=$(now)
  env in="$genome" out="$work/flam3.png" format=png ss="$ss" qs="$qs" nthreads=2 \
      isaac_seed=bench verbose=0 transparency=0 flam3-render
  t1=$(now)
  "$ours_bin" "$genome" -o "$work/ours.png" --size-scale "$ss" --quality-scale "$qs" \
      --threads 2 --seed 7 2>/dev/null
  t2=$(now)
  flam3_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
  ours_s=$(awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.3f", b - a}')
  ratio=$(awk -v f="$flam3_s" -v o="$ours_s" 'BEGIN {printf "%.2f", f / o}')
  ratios+=("$ratio")
  line=$(printf '%-34s %9s %9s %7s %10s %10s' "$name" "$flam3_s" "$ours_s" "$ratio" \
      "$(psnr "$work/flam3.png" "$work/ref.png")" "$(psnr "$work/ours.png" "$work/ref.png")")
  if [ -n "$before_bin" ]; then
    t3=$(now)
    if "$before_bin" "$genome" -o "$work/before.png" --size-scale "$ss" --quality-scale "$qs" \
        --threads 2 --seed 7 2>/dev/null; then
      t4=$(now)
      before_s=$(awk -v a="$t3" -v b="$t4" 'BEGIN {printf "%.3f", b - a}')
      before_ratio=$(awk -v f="$flam3_s" -v o="$before_s" 'BEGIN {printf "%.2f", f / o}')
      before_ratios+=("$before_ratio")
    else
      before_s=-
      before_ratio=-
    fi
    line=$(printf '%s %9s %7s' "$line" "$before_s" "$before_ratio")
  fi
  echo "$line"
done
median_of() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo "median flam3/ours wall-time ratio: $(median_of "${ratios[@]}") (${#ratios[@]} genomes, 2 threads)"
if [ -n "$before_bin" ] && [ ${#before_ratios[@]} -gt 0 ]; then
  echo "median flam3/before wall-time ratio: $(median_of "${before_ratios[@]}") (${#before_ratios[@]} genomes)"
fi
"$ours_bin" --print-simd-target 2>/dev/null || true
