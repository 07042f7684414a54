#!/usr/bin/env bash
# Per-user install of flamegrid as the XScreenSaver screensaver and a background worker.
#
#   install-screensaver.sh [--data DIR] [--coordinator HOST:PORT]
#                          [--render-when always|idle|screensaver]
#                          [--bindir DIR] [--keep-selection] [--no-systemctl]
#                          [--uninstall]
#
# - adds flamegrid-view to the programs list in ~/.xscreensaver and selects it
#   (mode: one, selected: its entry) unless --keep-selection; a user without
#   ~/.xscreensaver gets a complete one built from XScreenSaver's defaults.
#   The old selection is kept in ~/.config/flamegrid/xscreensaver-previous
#   and the old file in ~/.xscreensaver.flamegrid-backup,
# - copies the hack description to $XDG_DATA_HOME/flamegrid/xscreensaver/,
# - installs the systemd user unit flamegrid-worker.service and its settings
#   in $XDG_CONFIG_HOME/flamegrid/worker.env, and enables it when a
#   coordinator is given (unless --no-systemctl).
# --uninstall removes flamegrid's entry and puts the old selection back.
# flamegrid-view is looked for in --bindir, beside this script, on $PATH, then
# in ~/.local/bin. Touches nothing outside the user's home; running it again
# is harmless; a failure leaves ~/.xscreensaver as it was.
set -euo pipefail

me="$(basename "$0")"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config_home="${XDG_CONFIG_HOME:-$HOME/.config}"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
data_dir="$data_home/flamegrid"
coordinator=""
render_when="idle"
bindir=""
use_systemctl=1
uninstall=0
keep_selection=0

usage() { sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
need_value() { [ $# -ge 2 ] || { echo "$me: $1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --data) need_value "$@"; data_dir="$2"; shift 2 ;;
    --coordinator) need_value "$@"; coordinator="$2"; shift 2 ;;
    --render-when) need_value "$@"; render_when="$2"; shift 2 ;;
    --bindir) need_value "$@"; bindir="$2"; shift 2 ;;
    --keep-selection) keep_selection=1; shift ;;
    --no-systemctl) use_systemctl=0; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "$me: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
case "$render_when" in
  always|idle|screensaver) ;;
  *) echo "$me: --render-when is always, idle or screensaver" >&2; exit 2 ;;
esac
case "$data_dir" in
  *[[:space:]\"\'\\]*) echo "$me: the data folder may not contain spaces, quotes or backslashes" >&2; exit 2 ;;
esac
[ -n "${HOME:-}" ] && [ -d "$HOME" ] || { echo "$me: HOME is not a folder" >&2; exit 1; }

# Where a program lives: --bindir, beside this script (installed in /usr/bin),
# $PATH, else ~/.local/bin.
find_program() {
  local name="$1"
  if [ -n "$bindir" ]; then echo "$bindir/$name"; return; fi
  if [ -x "$here/$name" ]; then echo "$here/$name"; return; fi
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  echo "$HOME/.local/bin/$name"
}
viewer="$(find_program flamegrid-view)"
worker="$(find_program flamegrid-worker)"
case "$viewer$worker" in
  *[[:space:]\"\'\\]*) echo "$me: the program folder may not contain spaces, quotes or backslashes (give --bindir)" >&2; exit 2 ;;
esac

# The first of these files that exists, or nothing.
first_existing() {
  local f
  for f in "$@"; do [ -f "$f" ] && { echo "$f"; return; }; done
  return 0
}

xscreensaver_rc="$HOME/.xscreensaver"
previous_file="$config_home/flamegrid/xscreensaver-previous"
app_defaults="$(first_existing /etc/X11/app-defaults/XScreenSaver /usr/share/X11/app-defaults/XScreenSaver)"
unit_dir="$config_home/systemd/user"
unit="$unit_dir/flamegrid-worker.service"
env_file="$config_home/flamegrid/worker.env"
hack_dir="$data_home/flamegrid/xscreensaver"
marker="flamegrid-view"
entry=""
tab=$'\t'

# ---------------------------------------------------------------------------
# ~/.xscreensaver, read the way XScreenSaver 6 reads it (driver/prefs.c): a
# line ending in a backslash continues on the next, then \n \r \t and \X are
# unescaped; lines starting with # ! or ; are comments; "key: value" with the
# last of a key winning. The programs value holds one hack per line, blank
# lines skipped, and "selected: N" counts them from 0, disabled ("-") ones
# included. XScreenSaver appends the system list's hacks that the user's list
# lacks after the user's own, so flamegrid goes at the end of the user's list:
# no other hack's number moves.
#
# Environment: FG_RC (file read), FG_OUT (file written), FG_INFO (what was
# done), FG_DEFAULTS (app-defaults), FG_STATE (previous selection),
# FG_ENTRY (flamegrid's entry), FG_MARKER. -v action=dump|fresh|install|uninstall,
# keep=1 (--keep-selection), canonical=1 (rewrite the whole programs list
# rather than the fewest lines).
rc_awk='
function strip(s) { sub(/^[ \t\r\n]+/, "", s); sub(/[ \t\r\n]+$/, "", s); return s }

function unescape(s,   out, i, n, c) {
  out = ""; n = length(s)
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (c == "\\") {
      if (i == n) break
      i++; c = substr(s, i, 1)
      if (c == "n") c = "\n"; else if (c == "r") c = "\r"; else if (c == "t") c = "\t"
    }
    out = out c
  }
  return out
}

function escape(s,   out, i, c) {
  out = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "\\") c = "\\\\"; else if (c == "\r") c = "\\r"; else if (c == "\n") c = "\\n"
    out = out c
  }
  return out
}

function read_lines(file, lines,   n, line) {
  n = 0
  if (file == "") return 0
  while ((getline line < file) > 0) lines[++n] = line
  close(file)
  return n
}

# Groups physical lines into logical ones: first and last line, key (lower
# case, "" for comments) and value (unescaped).
function group(lines, n, gs, ge, gk, gv,   g, i, buf, line, len, text, c) {
  g = 0; i = 1
  while (i <= n) {
    g++; gs[g] = i; buf = ""
    while (1) {
      line = lines[i]; len = length(line)
      if (len > 0 && substr(line, len, 1) == "\\" && length(buf) + len >= 2) {
        buf = buf substr(line, 1, len - 1)
        if (i < n) { i++; continue }
        break
      }
      buf = buf line
      break
    }
    ge[g] = i; i++
    gk[g] = ""; gv[g] = ""
    text = strip(unescape(buf))
    c = substr(text, 1, 1)
    if (text == "" || c == "#" || c == "!" || c == ";") continue
    c = index(text, ":")
    if (c == 0) continue
    gk[g] = tolower(substr(text, 1, c - 1))
    gv[g] = strip(substr(text, c + 1))
  }
  return g
}

function split_entries(v, list,   n, m, seg, k, s) {
  n = 0
  m = split(v, seg, "\n")
  for (k = 1; k <= m; k++) {
    s = seg[k]; sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s)
    if (s != "") list[++n] = s
  }
  return n
}

function is_int(s) { return s ~ /^[ \t]*-?[0-9]+[ \t]*$/ }

function replace_range(a, b, text,   i) {
  REPL[a] = text; HASREPL[a] = 1
  for (i = a + 1; i <= b; i++) DEL[i] = 1
}

function range_text(lines, a, b,   i, t) {
  t = ""
  for (i = a; i <= b; i++) t = t lines[i] "\n"
  return t
}

function entry_line(e) { return "  " e " \\n\\" }

# Lines a..b of `lines` (one logical programs line) with `e` appended as the last hack.
function append_entry(lines, a, b, e,   body, last, text, i, u) {
  body = ""
  for (i = a; i < b; i++) body = body substr(lines[i], 1, length(lines[i]) - 1)
  last = lines[b]
  text = ""
  for (i = a; i < b; i++) text = text lines[i] "\n"
  if (b > a && last ~ /^[ \t]*$/) {
    u = unescape(body); u = substr(u, index(u, ":") + 1); sub(/[ \t]+$/, "", u)
    if (u !~ /^[ \t\n]*$/ && u !~ /\n$/) text = text "\\n\\\n"
    return text entry_line(e) "\n" last "\n"
  }
  u = unescape(body last); u = substr(u, index(u, ":") + 1); sub(/[ \t]+$/, "", u)
  if (u ~ /^[ \t\n]*$/ || u ~ /\n$/) text = text last "\\\n"
  else text = text last " \\n\\\n"
  return text entry_line(e) "\n\n"
}

# The whole programs list written afresh, one hack a line, as xscreensaver-settings does.
function canonical_text(list, n,   t, i) {
  t = "programs:\t\t\t\t\t\t\t\t      \\\n"
  for (i = 1; i <= n; i++) t = t "\t\t\t\t" escape(list[i]) "\t\t\t    \\n\\\n"
  return t "\n"
}

function emit(   i) {
  printf "" > out
  for (i = 1; i <= n; i++) {
    if (i in BEFORE) printf "%s", BEFORE[i] > out
    if (i in DEL) continue
    if (i in HASREPL) printf "%s", REPL[i] > out
    else print L[i] > out
  }
  printf "%s", APPEND > out
  close(out)
}

function dump(   g, k, last, cnt, i, list) {
  for (g = 1; g <= ng; g++) if (GK[g] != "" && GK[g] != "programs") last[GK[g]] = GV[g]
  for (k in last) print "K\t" k "\t" escape(last[k])
  cnt = 0
  if (gp) cnt = split_entries(GV[gp], list)
  else if (dp) cnt = split_entries(DV[dp], list)
  for (i = 1; i <= cnt; i++) print "P\t" list[i]
}

function pref_line(key, value,   pad) {
  pad = length(key) + 1 < 8 ? "\t\t" : (length(key) + 1 < 16 ? "\t" : " ")
  return key ":" pad value
}

# A complete settings file in the layout xscreensaver-settings writes, with
# the values of the system defaults, and no programs list (install adds it).
function fresh(   keys, nk, i, k, g, def, fallback, v) {
  for (g = 1; g <= ndg; g++) {
    k = DK[g]
    if (k ~ /^\*/) def[substr(k, 2)] = DV[g]
    else if (k ~ /^xscreensaver\./) def[substr(k, 14)] = DV[g]
  }
  nk = split("timeout=0:10:00 cycle=0:10:00 lock=False lockTimeout=0:00:00 passwdTimeout=0:00:30 visualID=default installColormap=True verbose=False splash=True splashDuration=0:00:05 demoCommand=xscreensaver-settings nice=10 fade=True unfade=True fadeSeconds=0:00:03 ignoreUninstalledPrograms=False dpmsEnabled=False dpmsQuickOff=False dpmsStandby=2:00:00 dpmsSuspend=2:00:00 dpmsOff=4:00:00 grabDesktopImages=False grabVideoFrames=False chooseRandomImages=False imageDirectory= | mode=random selected=-1 | textMode=date textLiteral=XScreenSaver textFile= textProgram=fortune textURL= dialogTheme=default | pointerHysteresis=10 authWarningSlack=20", keys, " ")
  print "# XScreenSaver Preferences File" > out
  print "# Written by flamegrid-install-screensaver for " ENVIRON["USER"] "." > out
  print "# xscreensaver-settings edits this file; flamegrid-install-screensaver --uninstall" > out
  print "# takes flamegrid out again." > out
  print "" > out
  for (i = 1; i <= nk; i++) {
    if (keys[i] == "|") { print "" > out; continue }
    k = substr(keys[i], 1, index(keys[i], "=") - 1)
    fallback = substr(keys[i], index(keys[i], "=") + 1)
    v = (tolower(k) in def) ? def[tolower(k)] : fallback
    print pref_line(k, escape(v)) > out
  }
  print "" > out
  close(out)
}

function note_previous(g, key,   i) {
  if (!g) { print "prev\t" key "-absent" > info; return }
  for (i = GS[g]; i <= GE[g]; i++) print "prev\t" key "\t" L[i] > info
}

function install(   cnt, list, i, fgi, present, T, m, text, pend, sv, already) {
  fgi = -1; cnt = 0
  if (gp) {
    cnt = split_entries(GV[gp], list)
  } else if (dp) {
    cnt = split_entries(DV[dp], list)
  }
  if (gp) for (i = 1; i <= cnt; i++) if (index(list[i], marker)) { fgi = i - 1; break }
  present = fgi >= 0
  if (present) {
    if (list[fgi + 1] != entry) {        # another viewer path or cache: rewrite it in place
      list[fgi + 1] = entry
      replace_range(GS[gp], GE[gp], canonical_text(list, cnt))
      print "entry\tupdated" > info
    } else {
      print "entry\tkept" > info
    }
  } else if (gp) {
    fgi = cnt
    if (canonical) { list[cnt + 1] = entry; replace_range(GS[gp], GE[gp], canonical_text(list, cnt + 1)) }
    else replace_range(GS[gp], GE[gp], append_entry(L, GS[gp], GE[gp], entry))
    print "entry\tadded" > info
  } else {
    # No list of its own: start from the system list, so every hack keeps its number.
    fgi = cnt; m = 0
    if (dp) {
      for (i = DS[dp]; i <= DE[dp]; i++) T[++m] = D[i]
      sub(/^[ \t]*[^:]*programs[ \t]*:/, "programs:", T[1])
    } else {
      T[++m] = "programs:"
    }
    if (canonical) { list[cnt + 1] = entry; text = canonical_text(list, cnt + 1) }
    else text = append_entry(T, 1, m, entry)
    APPEND = "\n" text
    print "entry\tadded" > info
  }
  print "index\t" fgi > info

  sv = (gsel && is_int(GV[gsel])) ? GV[gsel] + 0 : -1
  if (keep) {
    # Hacks from the system list that follow the user list move up one.
    if (!present && gsel && sv >= fgi) replace_range(GS[gsel], GE[gsel], "selected:\t" (sv + 1) "\n")
    print "selection\tkept" > info
    return
  }
  already = present && gm && tolower(GV[gm]) == "one" && sv == fgi
  if (already) { print "selection\talready" > info; return }
  note_previous(gm, "mode")
  note_previous(gsel, "selected")
  pend = ""
  if (gm) replace_range(GS[gm], GE[gm], "mode:\t\tone\n"); else pend = pend "mode:\t\tone\n"
  if (gsel) replace_range(GS[gsel], GE[gsel], "selected:\t" fgi "\n"); else pend = pend "selected:\t" fgi "\n"
  if (pend != "") {
    if (gp) BEFORE[GS[gp]] = BEFORE[GS[gp]] pend
    else APPEND = "\n" pend APPEND
  }
  print "selection\tflamegrid" > info
}

function uninstall(   cnt, list, i, removed, first, keepn, kept, a, b, p, s, u, k, c, e, inent, tmin, tmax, ok, t, sv, shift, line, smode, ssel, has_mode, has_sel, ours, pend) {
  if (!gp) { print "entry\tabsent" > info; return }
  cnt = split_entries(GV[gp], list)
  removed = 0; keepn = 0
  for (i = 1; i <= cnt; i++) {
    if (index(list[i], marker)) { RM[i] = 1; removed++ }
    else kept[++keepn] = list[i]
  }
  if (!removed) { print "entry\tabsent" > info; return }

  ok = !canonical
  a = GS[gp]; b = GE[gp]; e = 0; inent = 0
  for (p = a; ok && p <= b; p++) {
    s = L[p]
    if (p < b) s = substr(s, 1, length(s) - 1)
    if (p == a) s = substr(s, index(s, ":") + 1)
    u = unescape(s); tmin = 0; tmax = 0
    for (k = 1; k <= length(u); k++) {
      c = substr(u, k, 1)
      if (c == "\n") inent = 0
      else if (c != " " && c != "\t") {
        if (!inent) { e++; inent = 1 }
        if (!tmin) tmin = e
        tmax = e
      }
    }
    if (!tmin) continue
    t = 0
    for (k = tmin; k <= tmax; k++) if (k in RM) t++
    if (t == 0) continue
    if (t != tmax - tmin + 1 || p == a) { ok = 0; break }
    if (p == b) replace_range(p, p, "\n"); else DEL[p] = 1
  }
  if (!ok) {
    for (p = a; p <= b; p++) { delete DEL[p]; delete HASREPL[p] }
    replace_range(a, b, canonical_text(kept, keepn))
  }
  print "entry\tremoved" > info

  sv = (gsel && is_int(GV[gsel])) ? GV[gsel] + 0 : -1
  ours = gm && tolower(GV[gm]) == "one" && ((sv + 1) in RM)
  if (ours) {
    smode = ""; ssel = ""; has_mode = 0; has_sel = 0
    if (state != "") {
      while ((getline line < state) > 0) {
        if (line ~ /^mode\t/) { smode = smode substr(line, 6) "\n"; has_mode = 1 }
        if (line ~ /^selected\t/) { ssel = ssel substr(line, 10) "\n"; has_sel = 1 }
      }
      close(state)
    }
    pend = ""
    if (has_mode) { if (gm) replace_range(GS[gm], GE[gm], smode); else pend = pend smode }
    else if (gm) replace_range(GS[gm], GE[gm], "")
    if (has_sel) { if (gsel) replace_range(GS[gsel], GE[gsel], ssel); else pend = pend ssel }
    else if (gsel) replace_range(GS[gsel], GE[gsel], "")
    if (pend != "") BEFORE[a] = BEFORE[a] pend
    print "selection\trestored" > info
  } else if (sv > 0) {
    shift = 0
    for (i = 1; i <= sv; i++) if (i in RM) shift++
    if (shift) replace_range(GS[gsel], GE[gsel], "selected:\t" (sv - shift) "\n")
    print "selection\tkept" > info
  }
}

BEGIN {
  rc = ENVIRON["FG_RC"]; out = ENVIRON["FG_OUT"]; info = ENVIRON["FG_INFO"]
  state = ENVIRON["FG_STATE"]; entry = ENVIRON["FG_ENTRY"]; marker = ENVIRON["FG_MARKER"]
  n = read_lines(rc, L)
  ng = group(L, n, GS, GE, GK, GV)
  gp = 0; gm = 0; gsel = 0
  for (g = 1; g <= ng; g++) {
    if (GK[g] == "programs") gp = g
    else if (GK[g] == "mode") gm = g
    else if (GK[g] == "selected") gsel = g
  }
  nd = read_lines(ENVIRON["FG_DEFAULTS"], D)
  ndg = group(D, nd, DS, DE, DK, DV)
  dp = 0
  for (g = 1; g <= ndg; g++) if (DK[g] ~ /^[^ \t]*programs$/) dp = g
  APPEND = ""
  if (action == "dump") { dump(); exit 0 }
  if (action == "fresh") { fresh(); exit 0 }
  printf "" > info
  if (action == "install") install()
  else if (action == "uninstall") uninstall()
  emit()
  close(info)
  exit 0
}'

rc_run() {  # action in out info [canonical]
  FG_RC="$2" FG_OUT="$3" FG_INFO="$4" FG_DEFAULTS="$app_defaults" FG_STATE="$previous_file" \
    FG_ENTRY="$entry" FG_MARKER="$marker" \
    awk -v action="$1" -v keep="$keep_selection" -v canonical="${5:-0}" "$rc_awk" </dev/null
}
rc_dump() { FG_RC="$1" FG_DEFAULTS="$app_defaults" awk -v action=dump "$rc_awk" </dev/null; }

# What must not change: every setting but mode and selected, and every hack but flamegrid's.
rc_unchanged_part() {
  local dump
  dump="$(rc_dump "$1")"
  grep "^K$tab" <<<"$dump" | grep -v -e "^K${tab}mode$tab" -e "^K${tab}selected$tab" | LC_ALL=C sort || true
  grep "^P$tab" <<<"$dump" | grep -v -F "$marker" || true
}
rc_value() { rc_dump "$1" | sed -n "s/^K$tab$2$tab//p"; }
rc_flamegrid_positions() { rc_dump "$1" | grep "^P$tab" | grep -n -F "$marker" | cut -d: -f1 || true; }

# Checks the edited file says what was meant, and nothing else changed.
rc_verify() {  # action old new info
  local want positions
  [ "$(rc_unchanged_part "$2")" = "$(rc_unchanged_part "$3")" ] || return 1
  positions="$(rc_flamegrid_positions "$3")"
  if [ "$1" = uninstall ]; then
    [ -z "$positions" ] || return 1
    return 0
  fi
  want="$(sed -n "s/^index$tab//p" "$4")"
  [ "$positions" = "$((want + 1))" ] || return 1
  if grep -q "^selection${tab}flamegrid" "$4"; then
    [ "$(rc_value "$3" mode | tr 'A-Z' 'a-z')" = one ] || return 1
    [ "$(rc_value "$3" selected)" = "$want" ] || return 1
  fi
  return 0
}

# Edits ~/.xscreensaver (through a symlink, as xscreensaver does) for `action`:
# a temporary file beside it, checked, then renamed over it.
edit_xscreensaver_rc() {
  local target work status=0
  target="$(readlink -f "$xscreensaver_rc" 2>/dev/null || echo "$xscreensaver_rc")"
  work="$(mktemp -d "${TMPDIR:-/tmp}/flamegrid-xscreensaver.XXXXXX")"
  edit_xscreensaver_rc_in "$1" "$target" "$work" "$(dirname "$target")/.xscreensaver.flamegrid-tmp.$$" ||
    status=$?
  rm -rf "$work" "$(dirname "$target")/.xscreensaver.flamegrid-tmp.$$"
  return "$status"
}
edit_xscreensaver_rc_in() {  # action target workdir new
  local action="$1" target="$2" old="$3/old" info="$3/info" new="$4" style created=0
  if [ -f "$target" ]; then
    cp "$target" "$old"
  elif [ "$action" = uninstall ]; then
    echo "flamegrid: no $xscreensaver_rc to take flamegrid out of"
    return 0
  else
    FG_OUT="$old" FG_DEFAULTS="$app_defaults" USER="${USER:-$(id -un)}" awk -v action=fresh "$rc_awk" </dev/null
    created=1
  fi
  for style in 0 1; do
    if rc_run "$action" "$old" "$new" "$info" "$style" && rc_verify "$action" "$old" "$new" "$info"; then
      break
    fi
    if [ "$style" = 1 ]; then
      echo "$me: could not edit $xscreensaver_rc safely; it is unchanged" >&2
      return 1
    fi
  done
  if grep -q "^entry${tab}absent" "$info"; then
    echo "flamegrid: $xscreensaver_rc has no flamegrid entry"
    return 0
  fi
  if cmp -s "$old" "$new" && [ "$created" = 0 ]; then
    echo "flamegrid: $xscreensaver_rc already runs flamegrid"
    return 0
  fi
  if [ "$created" = 0 ]; then
    # Keep the file as it was before flamegrid first went in.
    if [ -z "$(rc_flamegrid_positions "$old")" ] || [ ! -f "$xscreensaver_rc.flamegrid-backup" ]; then
      cp -p "$target" "$xscreensaver_rc.flamegrid-backup"
    fi
    chmod --reference="$target" "$new" 2>/dev/null || true
  fi
  # The previous selection, for --uninstall.
  if grep -q "^prev$tab" "$info"; then
    mkdir -p "$(dirname "$previous_file")"
    {
      echo "# flamegrid: the XScreenSaver selection before flamegrid was selected in $xscreensaver_rc."
      echo "# $me --uninstall puts these lines back (-absent: the setting was not there)."
      sed -n "s/^prev$tab//p" "$info"
    } >"$previous_file.tmp"
    mv -f "$previous_file.tmp" "$previous_file"
  fi
  # Taking flamegrid out again: when the result means just what the backup
  # says, put the backup's own bytes back.
  local backup="$xscreensaver_rc.flamegrid-backup"
  if [ "$action" = uninstall ] && [ -f "$backup" ] &&
    [ "$(rc_dump "$backup" | LC_ALL=C sort)" = "$(rc_dump "$new" | LC_ALL=C sort)" ] &&
    [ "$(rc_dump "$backup" | grep "^P$tab" || true)" = "$(rc_dump "$new" | grep "^P$tab" || true)" ]; then
    cp "$backup" "$new"
  fi
  mv -f "$new" "$target"
  local index
  index="$(sed -n "s/^index$tab//p" "$info")"
  case "$action:$(sed -n "s/^selection$tab//p" "$info")" in
    install:kept) echo "flamegrid: added to $xscreensaver_rc as hack $index; your selection is kept" ;;
    install:*) echo "flamegrid: $xscreensaver_rc now runs flamegrid (mode: one, selected: $index)" ;;
    uninstall:restored)
      rm -f "$previous_file"
      echo "flamegrid: removed from $xscreensaver_rc; your previous selection is back" ;;
    uninstall:*) echo "flamegrid: removed from $xscreensaver_rc" ;;
  esac
}

# The hack description and the worker's unit: beside this script in the source
# tree (the unit in assets/systemd/ or here), or where a package put them.
hack_xml="$(first_existing "$here/flamegrid.xml" "$here/../share/flamegrid/flamegrid.xml" \
  /usr/share/flamegrid/flamegrid.xml /usr/share/xscreensaver/config/flamegrid.xml)"
unit_template="$(first_existing "$here/../systemd/flamegrid-worker.service" \
  "$here/flamegrid-worker.service" "$here/../share/flamegrid/flamegrid-worker.service" \
  /usr/share/flamegrid/flamegrid-worker.service /usr/lib/systemd/user/flamegrid-worker.service)"

if [ "$uninstall" -eq 1 ]; then
  if [ "$use_systemctl" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
    systemctl --user disable --now flamegrid-worker.service >/dev/null 2>&1 || true
  fi
  edit_xscreensaver_rc uninstall
  rm -f "$unit" "$env_file" "$hack_dir/flamegrid.xml"
  echo "flamegrid: removed the worker unit and its settings (the cache in $data_dir stays)"
  exit 0
fi

if [ ! -x "$viewer" ]; then
  echo "flamegrid: warning: no flamegrid-view at $viewer yet; install it there or give --bindir" >&2
fi
mkdir -p "$data_dir/cache" "$hack_dir" "$unit_dir" "$(dirname "$env_file")"
if [ -n "$hack_xml" ]; then cp "$hack_xml" "$hack_dir/flamegrid.xml"; fi

entry="\"Flamegrid\"  $viewer --root --data $data_dir"
edit_xscreensaver_rc install

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

if [ -z "$unit_template" ]; then
  echo "$me: no flamegrid-worker.service found beside this script or in /usr/share/flamegrid" >&2
  exit 1
elif grep -q '@WORKER@\|@ENVFILE@' "$unit_template"; then
  sed -e "s|@WORKER@|$worker|g" -e "s|@ENVFILE@|$env_file|g" "$unit_template" > "$unit.tmp"
  mv "$unit.tmp" "$unit"
  echo "flamegrid: installed $unit"
elif [ "$unit_template" = /usr/lib/systemd/user/flamegrid-worker.service ]; then
  echo "flamegrid: using the system's $unit_template"
else
  cp "$unit_template" "$unit.tmp"
  mv "$unit.tmp" "$unit"
  echo "flamegrid: installed $unit"
fi

if [ "$use_systemctl" -eq 1 ] && command -v systemctl >/dev/null 2>&1; then
  systemctl --user daemon-reload || true
  if [ -n "$coordinator" ]; then systemctl --user enable --now flamegrid-worker.service; fi
fi
if [ -z "$coordinator" ]; then
  echo "flamegrid: give --coordinator HOST:PORT (or edit $env_file) and run:"
  echo "  systemctl --user enable --now flamegrid-worker.service"
fi
