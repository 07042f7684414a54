// The real IdleSource: X11's MIT-SCREEN-SAVER extension for the user's idle
// time and the server's own screensaver, plus XScreenSaver's status property
// on the root window (XScreenSaver does not use the server's screensaver).
// Kept apart from idle_policy.cc because Xlib's macros collide with flamegrid names.
#include "worker/idle/idle_policy.h"  // first: Xlib defines a Status macro

#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/extensions/scrnsaver.h>

#include <memory>
#include <string>

namespace flamegrid::worker::idle {

namespace {

// XScreenSaver sets _SCREENSAVER_STATUS = {BLANK | LOCK | 0, time, hack...}.
bool XScreenSaverBlanking(Display* display) {
  Atom status = XInternAtom(display, "_SCREENSAVER_STATUS", True);
  if (status == 0) return false;
  Atom type = 0;
  int format = 0;
  unsigned long items = 0, after = 0;
  unsigned char* data = nullptr;
  bool blanking = false;
  if (XGetWindowProperty(display, DefaultRootWindow(display), status, 0, 3, False, XA_INTEGER,
                         &type, &format, &items, &after, &data) == Success &&
      type == XA_INTEGER && format == 32 && items >= 1 && data) {
    blanking = reinterpret_cast<long*>(data)[0] != 0;
  }
  if (data) XFree(data);
  return blanking;
}

class X11IdleSource : public IdleSource {
 public:
  explicit X11IdleSource(std::string display) : display_(std::move(display)) {}

  IdleReading Read() override {
    IdleReading reading;
    Display* display = XOpenDisplay(display_.empty() ? nullptr : display_.c_str());
    if (!display) return reading;
    int event_base = 0, error_base = 0;
    if (XScreenSaverQueryExtension(display, &event_base, &error_base)) {
      XScreenSaverInfo* info = XScreenSaverAllocInfo();
      if (info && XScreenSaverQueryInfo(display, DefaultRootWindow(display), info)) {
        reading.known = true;
        reading.user_idle = std::chrono::milliseconds(info->idle);
        reading.screensaver_active = info->state == ScreenSaverOn;
      }
      if (info) XFree(info);
    }
    if (XScreenSaverBlanking(display)) {
      reading.known = true;
      reading.screensaver_active = true;
    }
    XCloseDisplay(display);
    return reading;
  }

 private:
  std::string display_;
};

}  // namespace

std::unique_ptr<IdleSource> MakeX11IdleSource(std::string display) {
  return std::make_unique<X11IdleSource>(std::move(display));
}

}  // namespace flamegrid::worker::idle
