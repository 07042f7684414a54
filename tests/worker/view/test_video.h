// Test helper: writes tiny H.264 MP4s of known solid colours with FFmpeg's
// libraries, the way the coordinator assembles sequences. Safe from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "renderer/base/status.h"

namespace flamegrid::worker::view::testing {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
};

// One frame per colour, each `width` x `height` filled with it.
Status WriteSolidColourVideo(const std::filesystem::path& path, const std::vector<Rgb>& colours,
                             int width, int height, int fps);

// One frame per pair: the left half of frame i is left[i], the right half right[i].
// `width` should be a multiple of 4 so the halves meet on a chroma boundary.
Status WriteSplitColourVideo(const std::filesystem::path& path, const std::vector<Rgb>& left,
                             const std::vector<Rgb>& right, int width, int height, int fps);

}  // namespace flamegrid::worker::view::testing
