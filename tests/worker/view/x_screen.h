// Test helper: a private Xvfb server and screenshots of it through Xlib.
// Kept in its own file because Xlib's macros collide with flamegrid's names.
// An XvfbServer owns its process: the destructor kills and reaps it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace flamegrid::worker::view::testing {

class XvfbServer {
 public:
  // Starts `Xvfb -displayfd` (which picks a free display number) at the given size.
  XvfbServer(int width, int height);
  ~XvfbServer();
  XvfbServer(const XvfbServer&) = delete;
  XvfbServer& operator=(const XvfbServer&) = delete;

  bool ok() const { return !display_.empty(); }
  const std::string& display() const { return display_; }  // ":N"
  const std::string& error() const { return error_; }

 private:
  pid_t pid_ = -1;
  std::string display_;
  std::string error_;
};

struct Screenshot {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3

  const uint8_t* at(int x, int y) const { return &rgb[(static_cast<size_t>(y) * width + x) * 3]; }
};

// The whole root window of `display`; empty on failure.
Screenshot GrabRootWindow(const std::string& display);

// Whether Xvfb is installed (tests skip otherwise).
bool XvfbAvailable();

}  // namespace flamegrid::worker::view::testing
