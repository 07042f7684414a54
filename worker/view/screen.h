// Screen: where the viewer draws, through SDL2. Opens a window, a fullscreen
// window, or an existing X11 window (the root window or the one XScreenSaver
// hands a hack), draws the player's layers scaled to fit with smooth
// filtering, an overlay of text lines, and presents in step with the display.
//
// Not thread-safe: SDL video calls belong to the thread that opened it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <SDL.h>
#include <SDL_ttf.h>

#include "renderer/base/status.h"
#include "worker/view/player.h"

namespace flamegrid::worker::view {

enum class ScreenMode { kWindow, kFullscreen, kForeignWindow };

struct ScreenOptions {
  ScreenMode mode = ScreenMode::kWindow;
  uint64_t foreign_window = 0;  // kForeignWindow: the X11 window id (0: the root window)
  std::string title = "flamegrid";
  std::string font_path;  // TrueType font for the overlay; empty: the usual DejaVu places
};

// Text over the picture: `lines` at the bottom left, `centre` in the middle.
struct Overlay {
  std::vector<std::string> lines;
  std::string centre;
};

class Screen {
 public:
  static Result<std::unique_ptr<Screen>> Open(const ScreenOptions& options);
  ~Screen();
  Screen(const Screen&) = delete;
  Screen& operator=(const Screen&) = delete;

  // Clears, draws the layers (bottom first) and the overlay, presents. Returns
  // after the display's next refresh when vsync is on, else paces itself.
  void Draw(const std::vector<Layer>& layers, const Overlay& overlay);

  void ToggleFullscreen();
  bool vsync() const { return vsync_; }

 private:
  Screen() = default;
  struct Texture;
  void DrawText(const std::string& text, int x, int y, bool centred);

  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  TTF_Font* font_ = nullptr;
  bool foreign_ = false;
  bool vsync_ = false;
  uint64_t last_present_ticks_ = 0;
  std::map<int, std::unique_ptr<Texture>> textures_;  // by layer slot
  ScreenMode mode_ = ScreenMode::kWindow;
};

}  // namespace flamegrid::worker::view
