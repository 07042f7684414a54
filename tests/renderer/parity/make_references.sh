#!/usr/bin/env bash
# Regenerates the parity suite's reference images with flam3-render (Debian's
# flam3-utils): two renders of every case with different seeds, so the test
# can measure flam3's own seed-to-seed noise and hold us to it.
#
#   tests/renderer/parity/make_references.sh
#
# Writes tests/data/parity/manifest.tsv and tests/data/parity/<case>.{a,b}.png.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../../.." && pwd)
sheep=$repo/assets/genomes
out=$repo/tests/data/parity
command -v flam3-render >/dev/null || { echo "flam3-render is missing: apt-get install flam3-utils" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/*.png
manifest=$out/manifest.tsv
# case <TAB> genome path relative to the repo (or sheep:NAME, a genome in assets/genomes) <TAB> size scale <TAB> quality scale
# [<TAB> earlyclip]
printf '# case\tgenome\tsize_scale\tquality_scale\toptions\n' > "$manifest"

render() {  # render CASE GENOME_PATH SS QS [EARLYCLIP]
  local name=$1 genome=$2 ss=$3 qs=$4 earlyclip=${5:-0}
  for seed in a b; do
    env in="$genome" out="$out/$name.$seed.png" format=png ss="$ss" qs="$qs" earlyclip="$earlyclip" \
        isaac_seed="flamegrid-parity-$seed" nthreads=2 verbose=0 transparency=0 flam3-render
  done
}

for genome in "$repo"/tests/data/variations/*.flam3; do
  [ -e "$genome" ] || continue
  name=variation-$(basename "$genome" .flam3)
  render "$name" "$genome" 1 1
  printf '%s\t%s\t1\t1\n' "$name" "tests/data/variations/$(basename "$genome")" >> "$manifest"
done

for genome in "$sheep"/*.flam3; do
  [ -e "$genome" ] || continue
  name=sheep-$(basename "$genome" .flam3 | sed 's/^electricsheep\.//')
  render "$name" "$genome" 0.25 0.2
  printf '%s\tsheep:%s\t0.25\t0.2\n' "$name" "$(basename "$genome")" >> "$manifest"
done

# flam3's early clip (tone map before the spatial filter) on two sheep.
for id in 80692 81159; do
  genome=$sheep/electricsheep.244.$id.flam3
  [ -e "$genome" ] || continue
  render "earlyclip-244.$id" "$genome" 0.25 0.2 1
  printf 'earlyclip-244.%s\tsheep:%s\t0.25\t0.2\tearlyclip\n' "$id" "$(basename "$genome")" >> "$manifest"
done

echo "wrote $(($(wc -l < "$manifest") - 1)) cases to $manifest ($(du -sh "$out" | cut -f1))"
