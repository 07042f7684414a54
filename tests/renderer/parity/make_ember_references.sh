#!/usr/bin/env bash
# Regenerates the Ember parity references: two renders (different seeds) of
# every genome in tests/data/ember/, made with Fractorium's EmberRender (the
# ember-render wrapper, flam3-compatible mode), for the variations flam3 does
# not have. Like make_references.sh for flam3, the test measures Ember's own
# seed-to-seed noise and holds us to it.
#
#   tests/renderer/parity/make_ember_references.sh EMBER_RENDER_PATH
#
# Writes tests/data/ember/manifest.tsv and tests/data/ember/<case>.{a,b}.png.
# Only this script runs Ember; the tests read the committed PNGs.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 EMBER_RENDER_PATH (the ember-render wrapper)" >&2; exit 2; }
ember_render=$1
[ -x "$ember_render" ] || { echo "$ember_render is not executable" >&2; exit 1; }

repo=$(cd "$(dirname "$0")/../../.." && pwd)
data=$repo/tests/data/ember
rm -f "$data"/*.png
manifest=$data/manifest.tsv
# case <TAB> genome path relative to the repo <TAB> size scale <TAB> quality scale
printf '# case\tgenome\tsize_scale\tquality_scale\n' > "$manifest"

# NAME.flame is the case variation-NAME, for a variation of our table beyond
# flam3's 99; mapped-NAME.flame is the case mapped-NAME, for an Ember variation
# that the XML reader maps onto flam3's terms (linear3D, the z-only ones);
# forms-NAME.flame is the case forms-NAME, for how forms combine (their order).
for genome in "$data"/*.flame; do
  [ -e "$genome" ] || continue
  name=$(basename "$genome" .flame)
  [[ $name == mapped-* || $name == forms-* ]] || name=variation-$name
  for seed in a b; do
    # One thread: with a given seed EmberRender's image is then reproducible.
    "$ember_render" "$genome" "$data/$name.$seed.png" --seed "flamegrid-ember-$seed" --threads 1
  done
  printf '%s\t%s\t1\t1\n' "$name" "tests/data/ember/$(basename "$genome")" >> "$manifest"
done

echo "wrote $(($(wc -l < "$manifest") - 1)) cases to $manifest ($(du -sh "$data" | cut -f1))"
