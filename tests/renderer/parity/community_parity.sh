#!/usr/bin/env bash
# Whole community flames against Fractorium's Ember: is our render at least as
# close to Ember's as flam3-render's is, when flam3 drops the variations it
# does not know? (issue 16, "Parity").
#
#   tests/renderer/parity/community_parity.sh FLAMEGRID_RENDER EMBER_RENDER CORPUS_DIR [OUT]
#
# EMBER_RENDER is the ember-render wrapper (its README says how it is called).
# For every flame under CORPUS_DIR (*.flame, *.flam3, recursively) that ours
# renders without --ignore-unknown, the flame is cut out of its file with
# xmllint and rendered at the same small size and sample density by ours (seed
# 1), by Ember twice (seeds a and b) and by flam3-render. PSNR is taken on RGB
# with idiff, as tests/bench/compare_flam3.sh does. One line per flame:
#   ours_vs_ember   our image against Ember's seed-a image
#   ember_b_vs_a    Ember against itself: the noise floor
#   flam3_vs_ember  flam3 (which drops unknown variations) against Ember seed a
#   ours_ge_flam3   yes when ours_vs_ember >= flam3_vs_ember ("refused": flam3
#                   could not read the flame at all)
#   margin          ours_vs_ember - flam3_vs_ember, in dB
# then a summary. OUT (default: a temporary folder) keeps the PNGs and the table;
# the Ember and flam3 renders found in it are reused (they do not depend on
# ours), so a second run into the same OUT after a change renders only ours
# (give it the same COMMUNITY_WIDTH and COMMUNITY_SAMPLES).
# COMMUNITY_WIDTH (default 64) and COMMUNITY_SAMPLES (samples per pixel,
# default 20) set the size and the density.
set -uo pipefail

[ $# -ge 3 ] && [ $# -le 4 ] || {
  echo "usage: $0 FLAMEGRID_RENDER EMBER_RENDER CORPUS_DIR [OUT]" >&2
  exit 2
}
ours=$1
ember=$2
corpus=$3
for tool in "$ours" "$ember"; do
  [ -x "$tool" ] || { echo "$tool is not executable" >&2; exit 2; }
done
for tool in flam3-render xmllint oiiotool idiff; do
  command -v "$tool" > /dev/null || { echo "$tool is not installed" >&2; exit 2; }
done
[ -d "$corpus" ] || { echo "$corpus is not a directory" >&2; exit 2; }
if [ $# -eq 4 ]; then
  out=$4
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
width=${COMMUNITY_WIDTH:-64}
samples=${COMMUNITY_SAMPLES:-20}

# PSNR of two RGB copies (made by the loop below), "-" when either is missing.
psnr() {
  [ -f "$1" ] && [ -f "$2" ] || { echo "-"; return; }
  idiff "$1" "$2" 2> /dev/null | awk '/Peak SNR/ {print $4; found = 1} END {if (!found) print "-"}' |
    sed 's/inf/99/'
}

table=$out/community_parity.tsv
printf 'flame\tours_vs_ember\tember_b_vs_a\tflam3_vs_ember\tours_ge_flam3\tours_minus_flam3\n' > "$table"
printf '%-56s %13s %12s %14s %13s %9s\n' flame ours_vs_ember ember_b_vs_a flam3_vs_ember ours_ge_flam3 margin
skipped=0
while IFS= read -r -d '' file; do
  count=$( (grep -oE '<flame[[:space:]>]' "$file" || true) | wc -l)
  for ((i = 0; i < count; i++)); do
    name="${file#"$corpus"/}#$i"
    tag=$(echo "$name" | tr -c 'A-Za-z0-9._-' '_')
    one=$out/$tag.flame
    # Flame i alone, as the ember-render wrapper cuts it.
    if ! { echo "<flames>"; xmllint --xpath "(//flame)[$((i + 1))]" "$file" 2> /dev/null; echo;
      echo "</flames>"; } > "$one" || ! grep -q '<flame' "$one"; then
      skipped=$((skipped + 1))
      echo "$name: xmllint cannot cut this flame out, skipped" >&2
      continue
    fi
    w=$(xmllint --xpath "string((//flame)[1]/@size)" "$one" 2> /dev/null | awk '{print $1}')
    q=$(xmllint --xpath "string((//flame)[1]/@quality)" "$one" 2> /dev/null)
    [ -n "$w" ] && [ "$w" != 0 ] || w=100
    awk -v q="$q" 'BEGIN {exit !(q + 0 > 0)}' || q=1
    ss=$(awk -v t="$width" -v w="$w" 'BEGIN {printf "%.9g", t / w}')
    qs=$(awk -v s="$samples" -v q="$q" 'BEGIN {printf "%.9g", s / q}')
    if ! nice "$ours" "$one" -o "$out/$tag.ours.png" --size-scale "$ss" --quality-scale "$qs" \
      --threads 1 --seed 1 2> "$out/$tag.ours.log"; then
      skipped=$((skipped + 1))
      continue
    fi
    for seed in a b; do
      [ -s "$out/$tag.ember_$seed.png" ] ||
        nice "$ember" "$one" "$out/$tag.ember_$seed.png" --size-scale "$ss" --quality-scale "$qs" \
          --seed "community-$seed" --threads 1 > /dev/null 2>&1
    done
    # flam3 refuses some files outright (JWildfire's "1.0" integers): "refused".
    [ -s "$out/$tag.flam3.png" ] ||
      env in="$one" out="$out/$tag.flam3.png" format=png ss="$ss" qs="$qs" nthreads=1 \
        isaac_seed=community verbose=0 transparency=0 nice flam3-render > /dev/null 2>&1 ||
      rm -f "$out/$tag.flam3.png"
    # RGB only (alpha is not the picture), cut to the size all renders share: the
    # renderers truncate or round the scaled size differently.
    images=()
    for k in ours ember_a ember_b flam3; do
      [ -f "$out/$tag.$k.png" ] && images+=("$out/$tag.$k.png")
    done
    cut=$(oiiotool --info "${images[@]}" 2> /dev/null |
      sed -n 's/.* : *\([0-9]*\) x *\([0-9]*\),.*/\1 \2/p' |
      awk 'NR == 1 || $1 < w {w = $1} NR == 1 || $2 < h {h = $2} END {print w "x" h "+0+0"}')
    for image in "${images[@]}"; do
      oiiotool "$image" --ch R,G,B --cut "$cut" -o "${image%.png}.rgb.png" 2> /dev/null
    done
    ours_db=$(psnr "$out/$tag.ours.rgb.png" "$out/$tag.ember_a.rgb.png")
    ember_db=$(psnr "$out/$tag.ember_b.rgb.png" "$out/$tag.ember_a.rgb.png")
    flam3_db=refused
    [ -f "$out/$tag.flam3.png" ] && flam3_db=$(psnr "$out/$tag.flam3.rgb.png" "$out/$tag.ember_a.rgb.png")
    ge=$(awk -v o="$ours_db" -v f="$flam3_db" 'BEGIN {
      if (o == "-" || f == "-") print "-"; else if (f == "refused") print "yes(flam3 refused)";
      else print (o + 0 >= f + 0) ? "yes" : "no" }')
    margin=$(awk -v o="$ours_db" -v f="$flam3_db" 'BEGIN {
      if (o == "-" || f == "-" || f == "refused") print "-"; else printf "%+.2f", o - f }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$ours_db" "$ember_db" "$flam3_db" "$ge" "$margin" \
      >> "$table"
    printf '%-56s %13s %12s %14s %13s %9s\n' "$name" "$ours_db" "$ember_db" "$flam3_db" "$ge" "$margin"
  done
done < <(find "$corpus" -type f \( -name '*.flame' -o -name '*.flam3' \) -print0 | sort -z)

awk -F'\t' -v skipped="$skipped" 'NR > 1 {
    n++
    if ($5 == "yes") yes++
    if ($5 == "no") no++
    if ($4 == "refused") refused++
    if ($2 != "-" && $4 != "-" && $4 != "refused") { m++; sum += $2 - $4; if ($2 - $4 >= -1) within++ }
    if ($2 != "-" && $3 != "-") { floor_gap += $3 - $2; g++ }
  }
  END {
    printf "flames compared %d (skipped %d: ours does not render them, or xmllint cannot cut them)\n", n, skipped
    printf "ours >= flam3 (closer to Ember): %d yes, %d no; flam3 refused %d; not measured %d\n",
      yes, no, refused, n - yes - no - refused
    if (m) printf "mean (ours - flam3) vs Ember: %+.2f dB over %d flames; within 1 dB of flam3 or better: %d\n", sum / m, m, within
    if (g) printf "mean (Ember b-vs-a - ours) gap to the noise floor: %.2f dB\n", floor_gap / g
  }' "$table"
echo "table: $table"
