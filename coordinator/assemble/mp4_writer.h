// AssembleMp4: a sequence's frames into an H.264 MP4 through FFmpeg's
// libraries (libx264, yuv420p, constant frame rate).
//
// A loop's frames are 0..N-1 of a cycle whose frame N equals frame 0, so a
// player looping the file shows no seam; every packet carries its duration
// (FFmpeg 5.1's MP4 muxer otherwise drops the last frame's time). The file is
// written beside `output_path` and renamed into place, so a reader never sees
// half a video. Stateless; safe from any thread (each call has its own codec).
#pragma once

#include <string>
#include <vector>

#include "renderer/base/status.h"

namespace flamegrid::coordinator {

struct VideoOptions {
  int fps = 30;
  int crf = 20;                   // x264 constant rate factor: lower is better, 18-28 is usual
  std::string preset = "medium";  // x264 speed/size trade-off
};

Status AssembleMp4(const std::vector<std::string>& frame_paths, const std::string& output_path,
                   const VideoOptions& options);

}  // namespace flamegrid::coordinator
