#!/usr/bin/env bash
# How much of a corpus of community flames (Apophysis, JWildfire, Fractorium
# files) flamegrid-render renders, and which variations stop the rest.
#
#   tests/renderer/parity/community_counts.sh FLAMEGRID_RENDER CORPUS_DIR
#
# Renders every *.flame / *.flam3 file under CORPUS_DIR (recursively) at a
# tiny size and quality, without --ignore-unknown, and prints: files, flames,
# files that render fully, flames that render, then each unknown variation
# (pre_/post_ forms counted apart) with the number of flames naming it, most
# used first, then the flames that failed for another reason. A flame is
# counted by its <flame> start tag; one that renders is one "wrote" line on
# stderr.
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 FLAMEGRID_RENDER CORPUS_DIR" >&2; exit 2; }
render=$1
corpus=$2
[ -x "$render" ] || { echo "$render is not executable" >&2; exit 2; }
[ -d "$corpus" ] || { echo "$corpus is not a directory" >&2; exit 2; }

# Tiny and fast: about 1/40 of the genome's size, 1/50 of its quality.
size_scale=${COMMUNITY_SIZE_SCALE:-0.025}
quality_scale=${COMMUNITY_QUALITY_SCALE:-0.02}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files=0 flames=0 full_files=0 rendered=0
: > "$work/unknown"  # file <TAB> flame index <TAB> variation, one line per use
: > "$work/other"    # the error lines of flames that failed for another reason
while IFS= read -r -d '' file; do
  files=$((files + 1))
  in_file=$( (grep -oE '<flame[[:space:]>]' "$file" || true) | wc -l)
  flames=$((flames + in_file))
  timeout 300 nice "$render" "$file" -o "$work/out.png" --size-scale "$size_scale" \
    --quality-scale "$quality_scale" --threads 1 --seed 1 > "$work/stdout" 2> "$work/stderr" ||
    true
  ok=$( (grep -c '^wrote ' "$work/stderr" || true))
  rendered=$((rendered + ok))
  [ "$ok" -eq "$in_file" ] && [ "$in_file" -gt 0 ] && full_files=$((full_files + 1))
  # 'flame "NAME" (#I): xform 0: unknown variation "X" (...); ...' per failed flame.
  awk -v file="$file" -v other="$work/other" '
    /INVALID_ARGUMENT|error/ {
      # A named flame reads flame "NAME" (#I):, an unnamed one flame #I:
      if (match($0, /\(#[0-9]+\):/)) {
        index_text = substr($0, RSTART + 2, RLENGTH - 4)
      } else if (match($0, /flame #[0-9]+:/)) {
        index_text = substr($0, RSTART + 7, RLENGTH - 8)
      } else {
        if ($0 !~ / of [0-9]+ flames in /) print file ": " $0 >> other
        next
      }
      rest = $0; found = 0
      while (match(rest, /unknown variation "[^"]+"/)) {
        name = substr(rest, RSTART + 19, RLENGTH - 20)
        print file "\t" index_text "\t" name
        found = 1
        rest = substr(rest, RSTART + RLENGTH)
      }
      if (!found) print file ": " $0 >> other
    }' "$work/stderr" >> "$work/unknown"
done < <(find "$corpus" -type f \( -name '*.flame' -o -name '*.flam3' \) -print0 | sort -z)

printf 'files                 %d\n' "$files"
printf 'flames                %d\n' "$flames"
printf 'files_fully_rendered  %d\n' "$full_files"
printf 'flames_rendered       %d\n' "$rendered"
sort -u "$work/unknown" > "$work/uses"
printf 'flames_with_unknown   %d\n' "$(cut -f1,2 "$work/uses" | sort -u | wc -l)"
echo "unknown variations (flames naming each, most used first):"
cut -f3 "$work/uses" | sort | uniq -c | sort -k1,1nr -k2,2 |
  awk '{printf "  %4d %s\n", $1, $2}'
printf 'other failures        %d\n' "$(wc -l < "$work/other")"
sed 's/^/  /' "$work/other"
