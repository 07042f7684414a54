// flamegrid-view: plays the flock in a participant's cache.
//
//   flamegrid-view --data DIR [--root | --window-id ID | --fullscreen | --window]
//                  [--loop-plays N] [--crossfade SECONDS] [--seed S] [--quit-after SECONDS]
//
// As an XScreenSaver hack it runs with --root and draws into $XSCREENSAVER_WINDOW
// (or the root window when that is unset). Keys (in a window): up/down vote,
// left/right walk the history, f fullscreen, i names the sequence and its
// artist, q or Escape quits. The viewer only reads the cache (rescanned on a
// background thread) and writes votes to DIR/votes; it never waits on the
// network. SIGTERM or SIGINT ends it cleanly.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "worker/cache/sequence_cache.h"
#include "worker/cache/votes.h"
#include "worker/view/cache_watcher.h"
#include "worker/view/player.h"
#include "worker/view/screen.h"

namespace fg = flamegrid;
namespace view = flamegrid::worker::view;

namespace {

void Log(const std::string& message) {
  std::fprintf(stderr, "flamegrid-view: %s\n", message.c_str());
}

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/flamegrid";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.local/share/flamegrid";
  }
  return "flamegrid-data";
}

// "0x1a00007" or "27262983".
bool ParseWindowId(const std::string& text, uint64_t& id) {
  if (text.empty()) return false;
  char* end = nullptr;
  id = std::strtoull(text.c_str(), &end, 0);
  return end && *end == '\0' && id != 0;
}

std::vector<std::string> DescribeSequence(const fg::worker::cache::SequenceInfo& info) {
  std::vector<std::string> lines;
  lines.push_back(info.name.empty() ? info.id : info.name);
  std::string artist = info.artist_nick.empty() ? "an unknown artist" : info.artist_nick;
  if (!info.artist_url.empty()) artist += "  " + info.artist_url;
  lines.push_back("by " + artist);
  lines.push_back(std::string(fg::worker::cache::SequenceKindName(info.kind)) + " " + info.id);
  return lines;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"flamegrid-view: plays the fractal flame flock cached on this machine"};
  std::string data_dir = DefaultDataDir();
  bool root = false, fullscreen = false, windowed = false;
  std::string window_id_text;
  int loop_plays = 3;
  double crossfade = 2.0;
  uint64_t seed = 0;
  double quit_after = 0;
  std::string font;
  app.add_option("--data", data_dir, "the worker's data folder (sequences in DATA/cache)");
  auto* root_opt = app.add_flag(
      "--root", root, "draw into $XSCREENSAVER_WINDOW, or the root window (XScreenSaver)");
  auto* id_opt = app.add_option("--window-id", window_id_text, "draw into this X11 window");
  auto* full_opt = app.add_flag("--fullscreen", fullscreen, "a fullscreen window");
  auto* window_opt = app.add_flag("--window", windowed, "a window (the default)");
  root_opt->excludes(id_opt)->excludes(full_opt)->excludes(window_opt);
  id_opt->excludes(full_opt)->excludes(window_opt);
  full_opt->excludes(window_opt);
  app.add_option("--loop-plays", loop_plays, "times each loop plays before moving on")
      ->check(CLI::Range(1, 1000));
  app.add_option("--crossfade", crossfade, "seconds a crossfade between loops takes")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--seed", seed, "seed for choosing loops (0: from the clock)");
  app.add_option("--quit-after", quit_after, "exit after this many seconds (tests, demos)");
  app.add_option("--font", font, "TrueType font for the overlay");
  CLI11_PARSE(app, argc, argv);

  view::ScreenOptions screen_options;
  screen_options.font_path = font;
  const char* saver_window = std::getenv("XSCREENSAVER_WINDOW");
  if (!window_id_text.empty()) {
    screen_options.mode = view::ScreenMode::kForeignWindow;
    if (!ParseWindowId(window_id_text, screen_options.foreign_window)) {
      Log("--window-id: \"" + window_id_text + "\" is not a window id");
      return 2;
    }
  } else if (root || (!fullscreen && !windowed && saver_window && *saver_window)) {
    screen_options.mode = view::ScreenMode::kForeignWindow;
    uint64_t id = 0;
    if (saver_window && ParseWindowId(saver_window, id)) screen_options.foreign_window = id;
  } else if (fullscreen) {
    screen_options.mode = view::ScreenMode::kFullscreen;
  }

  auto screen = view::Screen::Open(screen_options);
  if (!screen.ok()) {
    Log(screen.status().ToString());
    return 1;
  }
  if (seed == 0)
    seed = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  view::Player player(data_dir,
                      {.loop_plays = loop_plays, .crossfade_seconds = crossfade, .seed = seed});
  view::CacheWatcher watcher(data_dir, std::chrono::seconds(3));
  Log("playing " + fg::worker::cache::CacheDir(data_dir).string());

  bool show_info = false;
  bool scanned = false;
  std::string cache_error;
  std::string notice;
  double notice_left = 0;
  std::set<std::string> logged_skips;
  const auto start = std::chrono::steady_clock::now();
  auto last = start;
  bool running = true;
  while (running) {
    SDL_Event event;
    while (SDL_PollEvent(&event)) {
      if (event.type == SDL_QUIT) running = false;
      if (event.type != SDL_KEYDOWN) continue;
      switch (event.key.keysym.sym) {
        case SDLK_ESCAPE:
        case SDLK_q:
          running = false;
          break;
        case SDLK_f:
          (*screen)->ToggleFullscreen();
          break;
        case SDLK_i:
          show_info = !show_info;
          break;
        case SDLK_LEFT:
          player.Back();
          break;
        case SDLK_RIGHT:
          player.Forward();
          break;
        case SDLK_UP:
        case SDLK_DOWN: {
          auto showing = player.Showing();
          if (!showing) break;
          auto vote =
              event.key.keysym.sym == SDLK_UP ? fg::worker::cache::Vote::kUp : fg::worker::cache::Vote::kDown;
          auto recorded = fg::worker::cache::RecordVote(data_dir, showing->id, vote);
          if (recorded.ok()) {
            notice = std::string("Voted ") + fg::worker::cache::VoteName(vote) + " for " +
                     (showing->name.empty() ? showing->id : showing->name);
          } else {
            notice = "Could not record the vote: " + recorded.status().message();
            Log(notice);
          }
          notice_left = 3;
          break;
        }
        default:
          break;
      }
    }

    if (auto change = watcher.PollChange()) {
      scanned = true;
      if (change->ok()) {
        cache_error.clear();
        for (const auto& skipped : (*change)->skipped) {
          std::string line = "skipping " + skipped.path.string() + ": " + skipped.reason;
          if (logged_skips.insert(line).second) Log(line);
        }
        player.SetSequences((*change)->sequences);
      } else {
        cache_error = change->status().ToString();
        Log(cache_error);
      }
    }

    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    last = now;
    player.Tick(dt);
    for (const std::string& message : player.TakeMessages()) Log(message);

    view::Overlay overlay;
    if (!player.HasLoops()) {
      overlay.centre = !cache_error.empty() ? "flamegrid cannot read its cache:\n" + cache_error
                       : scanned            ? "No sheep here yet.\nThe flock appears in " +
                                       fg::worker::cache::CacheDir(data_dir).string() +
                                       " as the worker downloads it."
                                 : "flamegrid: looking for sheep...";
    } else if (show_info) {
      if (auto showing = player.Showing()) overlay.lines = DescribeSequence(*showing);
    }
    if (notice_left > 0) {
      overlay.lines.push_back(notice);
      notice_left -= dt;
    }
    (*screen)->Draw(player.Layers(), overlay);

    if (quit_after > 0 && std::chrono::duration<double>(now - start).count() >= quit_after) {
      running = false;
    }
  }
  return 0;
}
