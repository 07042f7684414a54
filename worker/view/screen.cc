#include "worker/view/screen.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "worker/view/x11_root.h"

namespace flamegrid::worker::view {

struct Screen::Texture {
  SDL_Texture* texture = nullptr;
  int width = 0;
  int height = 0;
  uint64_t serial = 0;
  ~Texture() {
    if (texture) SDL_DestroyTexture(texture);
  }
};

namespace {

std::string FindFont(const std::string& wanted) {
  if (!wanted.empty()) return wanted;
  for (const char* path :
       {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf"}) {
    std::error_code ignored;
    if (std::filesystem::exists(path, ignored)) return path;
  }
  return "";
}

}  // namespace

Result<std::unique_ptr<Screen>> Screen::Open(const ScreenOptions& options) {
  std::unique_ptr<Screen> screen(new Screen());
  screen->mode_ = options.mode;
  screen->foreign_ = options.mode == ScreenMode::kForeignWindow;
  // Smooth scaling: Electric Sheep's "pixelated playback" came from nearest-neighbour.
  SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
  // As a screensaver we must not hold the screensaver off ourselves.
  if (screen->foreign_) SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "1");
  SDL_SetHint(SDL_HINT_VIDEO_FOREIGN_WINDOW_OPENGL, "1");
  if (SDL_Init(SDL_INIT_VIDEO) != 0) {
    return Status::Unavailable(std::string("SDL cannot start video: ") + SDL_GetError());
  }
  if (screen->foreign_) {
    uint64_t id = options.foreign_window;
    if (id == 0) id = DefaultRootWindowId();
    if (id == 0) return Status::Unavailable("cannot open the X display (is DISPLAY set?)");
    screen->window_ = SDL_CreateWindowFrom(reinterpret_cast<void*>(static_cast<uintptr_t>(id)));
  } else {
    Uint32 flags = SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    if (options.mode == ScreenMode::kFullscreen) flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    screen->window_ = SDL_CreateWindow(options.title.c_str(), SDL_WINDOWPOS_CENTERED,
                                       SDL_WINDOWPOS_CENTERED, 1280, 720, flags);
  }
  if (!screen->window_) {
    return Status::Unavailable(std::string("SDL cannot open the window: ") + SDL_GetError());
  }
  // Hardware with vsync paces us at the display's rate; software is the fallback.
  screen->renderer_ =
      SDL_CreateRenderer(screen->window_, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!screen->renderer_) {
    std::fprintf(stderr, "flamegrid-view: no accelerated renderer (%s); drawing in software\n",
                 SDL_GetError());
    screen->renderer_ = SDL_CreateRenderer(screen->window_, -1, SDL_RENDERER_SOFTWARE);
  }
  if (!screen->renderer_) {
    return Status::Unavailable(std::string("SDL cannot draw: ") + SDL_GetError());
  }
  SDL_RendererInfo info{};
  SDL_GetRendererInfo(screen->renderer_, &info);
  screen->vsync_ = (info.flags & SDL_RENDERER_PRESENTVSYNC) != 0;
  SDL_SetRenderDrawBlendMode(screen->renderer_, SDL_BLENDMODE_BLEND);
  if (!screen->foreign_) SDL_ShowCursor(options.mode == ScreenMode::kFullscreen ? 0 : 1);

  if (TTF_Init() == 0) {
    const std::string font = FindFont(options.font_path);
    if (!font.empty()) screen->font_ = TTF_OpenFont(font.c_str(), 22);
  }
  if (!screen->font_) {
    std::fprintf(stderr, "flamegrid-view: no overlay font (install fonts-dejavu-core)\n");
  }
  return screen;
}

Screen::~Screen() {
  textures_.clear();
  if (font_) TTF_CloseFont(font_);
  if (TTF_WasInit()) TTF_Quit();
  if (renderer_) SDL_DestroyRenderer(renderer_);
  if (window_) SDL_DestroyWindow(window_);
  SDL_Quit();
}

void Screen::ToggleFullscreen() {
  if (foreign_) return;
  const bool full = (SDL_GetWindowFlags(window_) & SDL_WINDOW_FULLSCREEN_DESKTOP) != 0;
  SDL_SetWindowFullscreen(window_, full ? 0 : SDL_WINDOW_FULLSCREEN_DESKTOP);
  SDL_ShowCursor(full ? 1 : 0);
}

void Screen::DrawText(const std::string& text, int x, int y, bool centred) {
  int out_w = 0, out_h = 0;
  SDL_GetRendererOutputSize(renderer_, &out_w, &out_h);
  if (!font_) {
    // No font: still say something is there, a bar where the text would be.
    SDL_Rect bar{centred ? out_w / 4 : x, y, centred ? out_w / 2 : 300, 16};
    SDL_SetRenderDrawColor(renderer_, 200, 200, 200, 255);
    SDL_RenderFillRect(renderer_, &bar);
    return;
  }
  SDL_Surface* surface =
      TTF_RenderUTF8_Blended_Wrapped(font_, text.c_str(), SDL_Color{235, 235, 235, 255},
                                     static_cast<Uint32>(std::max(100, out_w - 40)));
  if (!surface) return;
  SDL_Texture* texture = SDL_CreateTextureFromSurface(renderer_, surface);
  SDL_Rect target{centred ? (out_w - surface->w) / 2 : x, centred ? (out_h - surface->h) / 2 : y,
                  surface->w, surface->h};
  SDL_Rect backing{target.x - 8, target.y - 4, target.w + 16, target.h + 8};
  SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 150);
  SDL_RenderFillRect(renderer_, &backing);
  if (texture) {
    SDL_RenderCopy(renderer_, texture, nullptr, &target);
    SDL_DestroyTexture(texture);
  }
  SDL_FreeSurface(surface);
}

void Screen::Draw(const std::vector<Layer>& layers, const Overlay& overlay) {
  int out_w = 0, out_h = 0;
  SDL_GetRendererOutputSize(renderer_, &out_w, &out_h);
  SDL_SetRenderDrawColor(renderer_, 0, 0, 0, 255);
  SDL_RenderClear(renderer_);

  std::map<int, std::unique_ptr<Texture>> kept;
  for (const Layer& layer : layers) {
    const DecodedFrame& frame = *layer.frame;
    auto& texture = textures_[layer.slot];
    if (!texture || texture->width != frame.width || texture->height != frame.height) {
      texture = std::make_unique<Texture>();
      texture->texture = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888,
                                           SDL_TEXTUREACCESS_STREAMING, frame.width, frame.height);
      texture->width = frame.width;
      texture->height = frame.height;
      if (texture->texture) SDL_SetTextureBlendMode(texture->texture, SDL_BLENDMODE_BLEND);
    }
    if (!texture->texture) continue;
    if (texture->serial != layer.serial) {
      SDL_UpdateTexture(texture->texture, nullptr, frame.bgra.data(), frame.width * 4);
      texture->serial = layer.serial;
    }
    SDL_SetTextureAlphaMod(texture->texture,
                           static_cast<Uint8>(std::clamp(layer.alpha, 0.0f, 1.0f) * 255 + 0.5f));
    // Fit inside the screen, keeping the picture's shape.
    const double scale = std::min(static_cast<double>(out_w) / frame.width,
                                  static_cast<double>(out_h) / frame.height);
    const int w = static_cast<int>(frame.width * scale + 0.5);
    const int h = static_cast<int>(frame.height * scale + 0.5);
    SDL_Rect target{(out_w - w) / 2, (out_h - h) / 2, w, h};
    SDL_RenderCopy(renderer_, texture->texture, nullptr, &target);
    kept[layer.slot] = std::move(texture);
  }
  textures_ = std::move(kept);

  if (!overlay.centre.empty()) DrawText(overlay.centre, 0, 0, true);
  int y = out_h - 20;
  for (auto it = overlay.lines.rbegin(); it != overlay.lines.rend(); ++it) {
    y -= font_ ? TTF_FontLineSkip(font_) + 8 : 24;
    DrawText(*it, 20, y, false);
  }
  SDL_RenderPresent(renderer_);

  // Without vsync, pace to about 60 Hz rather than spin a core.
  if (!vsync_) {
    const uint64_t frequency = SDL_GetPerformanceFrequency();
    const uint64_t period = frequency / 60;
    const uint64_t now = SDL_GetPerformanceCounter();
    if (last_present_ticks_ && now - last_present_ticks_ < period) {
      SDL_Delay(static_cast<Uint32>((period - (now - last_present_ticks_)) * 1000 / frequency));
    }
    last_present_ticks_ = SDL_GetPerformanceCounter();
  }
}

}  // namespace flamegrid::worker::view
