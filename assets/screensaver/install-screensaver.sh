#!/usr/bin/env bash
# Per-user install of flamegrid as a screensaver and a background worker.
#
#   install-screensaver.sh [--data DIR] [--coordinator HOST:PORT]
#                          [--render-when always|idle|screensaver]
#                          [--bindir DIR] [--no-systemctl] [--uninstall]
#
# - adds flamegrid-view to the programs list in ~/.xscreensaver (once; a backup
#   of the original goes to ~/.xscreensaver.flamegrid-backup),
# - copies the hack description to $XDG_DATA_HOME/flamegrid/xscreensaver/,
# - installs the systemd user unit flamegrid-worker.service and its settings
#   in $XDG_CONFIG_HOME/flamegrid/worker.env, and enables it when a
#   coordinator is given (unless --no-systemctl).
# Touches nothing outside the user's home. Running it again is harmless.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config_home="${XDG_CONFIG_HOME:-$HOME/.config}"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
data_dir="$data_home/flamegrid"
coordinator=""
render_when="idle"
bindir=""
use_systemctl=1
uninstall=0

usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data_dir="$2"; shift 2 ;;
    --coordinator) coordinator="$2"; shift 2 ;;
    --render-when) render_when="$2"; shift 2 ;;
    --bindir) bindir="$2"; shift 2 ;;
    --no-systemctl) use_systemctl=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-screensaver.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$render_when" in
  always|idle|screensaver) ;;
  *) echo "install-screensaver.sh: --render-when is always, idle or screensaver" >&2; exit 2 ;;
esac
case "$data_dir" in
  *[[:space:]\"\\]*) echo "install-screensaver.sh: the data folder may not contain spaces, quotes or backslashes" >&2; exit 2 ;;
esac

# Where the programs live: --bindir, else beside this checkout's build, else $PATH.
find_program() {
  local name="$1"
  if [ -n "$bindir" ]; then echo "$bindir/$name"; return; fi
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  echo "$HOME/.local/bin/$name"
}
viewer="$(find_program flamegrid-view)"
worker="$(find_program flamegrid-worker)"

xscreensaver_rc="$HOME/.xscreensaver"
unit_dir="$config_home/systemd/user"
unit="$unit_dir/flamegrid-worker.service"
env_file="$config_home/flamegrid/worker.env"
hack_dir="$data_home/flamegrid/xscreensaver"
marker="flamegrid-view"

remove_from_programs() {
  [ -f "$xscreensaver_rc" ] || return 0
  local tmp="$xscreensaver_rc.flamegrid-tmp"
  grep -v -F "$marker" "$xscreensaver_rc" > "$tmp" || true
  mv "$tmp" "$xscreensaver_rc"
}

if [ "$uninstall" -eq 1 ]; then
  if [ "$use_systemctl" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
    systemctl --user disable --now flamegrid-worker.service >/dev/null 2>&1 || true
  fi
  remove_from_programs
  rm -f "$unit" "$env_file" "$hack_dir/flamegrid.xml"
  echo "flamegrid: removed the screensaver entry and the worker unit (the cache in $data_dir stays)"
  exit 0
fi

mkdir -p "$data_dir/cache" "$hack_dir" "$unit_dir" "$(dirname "$env_file")"
cp "$here/flamegrid.xml" "$hack_dir/flamegrid.xml"

# The programs entry: one line of the resource, continued with \n\ as xscreensaver writes it.
entry="  \"Flamegrid\"  $viewer --root --data $data_dir \\n\\"
if [ -f "$xscreensaver_rc" ] && grep -q -F "$marker" "$xscreensaver_rc"; then
  echo "flamegrid: already in $xscreensaver_rc"
elif [ -f "$xscreensaver_rc" ] && grep -q '^programs:' "$xscreensaver_rc"; then
  [ -f "$xscreensaver_rc.flamegrid-backup" ] || cp "$xscreensaver_rc" "$xscreensaver_rc.flamegrid-backup"
  tmp="$xscreensaver_rc.flamegrid-tmp"
  # Put flamegrid first in the list, right after "programs:" and its own continuation.
  # The entry goes through the environment: awk -v would turn its \n into a newline.
  FLAMEGRID_ENTRY="$entry" awk '
    BEGIN { entry = ENVIRON["FLAMEGRID_ENTRY"] }
    done == 0 && /^programs:/ {
      rest = substr($0, 10)
      print "programs:\t\t\t\t\t\t      \\"
      print entry
      if (rest ~ /[^[:space:]\\]/) print rest
      done = 1
      next
    }
    { print }' "$xscreensaver_rc" > "$tmp"
  mv "$tmp" "$xscreensaver_rc"
  echo "flamegrid: added to the screensaver list in $xscreensaver_rc"
else
  if [ -f "$xscreensaver_rc" ]; then
    [ -f "$xscreensaver_rc.flamegrid-backup" ] || cp "$xscreensaver_rc" "$xscreensaver_rc.flamegrid-backup"
  else
    printf '# XScreenSaver preferences (created by flamegrid install-screensaver.sh)\n' > "$xscreensaver_rc"
  fi
  printf 'programs:\t\t\t\t\t\t      \\\n%s\n\n' "$entry" >> "$xscreensaver_rc"
  echo "flamegrid: wrote a screensaver list with flamegrid in $xscreensaver_rc"
fi

{
  echo "# flamegrid worker settings (read by flamegrid-worker.service)"
  echo "FLAMEGRID_COORDINATOR=$coordinator"
  echo "FLAMEGRID_DATA=$data_dir"
  echo "FLAMEGRID_RENDER_WHEN=$render_when"
  # The worker asks this display whether the user is away.
  if [ -n "${DISPLAY:-}" ]; then echo "DISPLAY=$DISPLAY"; fi
  if [ -n "${XAUTHORITY:-}" ]; then echo "XAUTHORITY=$XAUTHORITY"; fi
} > "$env_file.tmp"
mv "$env_file.tmp" "$env_file"
sed -e "s|@WORKER@|$worker|g" -e "s|@ENVFILE@|$env_file|g" \
  "$here/../systemd/flamegrid-worker.service" > "$unit.tmp"
mv "$unit.tmp" "$unit"
echo "flamegrid: installed $unit"

if [ "$use_systemctl" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
  systemctl --user daemon-reload || true
  if [ -n "$coordinator" ]; then systemctl --user enable --now flamegrid-worker.service; fi
fi
if [ -z "$coordinator" ]; then
  echo "flamegrid: give --coordinator HOST:PORT (or edit $env_file) and run:"
  echo "  systemctl --user enable --now flamegrid-worker.service"
fi
