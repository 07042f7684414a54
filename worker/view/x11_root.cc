#include "worker/view/x11_root.h"

#include <X11/Xlib.h>

namespace flamegrid::worker::view {

uint64_t DefaultRootWindowId() {
  Display* display = XOpenDisplay(nullptr);
  if (!display) return 0;
  const uint64_t root = DefaultRootWindow(display);
  XCloseDisplay(display);
  return root;
}

}  // namespace flamegrid::worker::view
