// The id of the default X display's root window, kept apart from the rest
// of the viewer because Xlib's macros (Status, RootWindow, ...) collide with
// flamegrid's names. Safe from any thread (opens its own connection).
#pragma once

#include <cstdint>

namespace flamegrid::worker::view {

// 0 when no X display can be opened.
uint64_t DefaultRootWindowId();

}  // namespace flamegrid::worker::view
