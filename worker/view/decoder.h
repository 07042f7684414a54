// SequenceDecoder: decodes one sequence's MP4 on its own thread into a
// bounded queue of BGRA frames, through FFmpeg's libraries.
//
// The player's thread owns the decoder and polls it: TryPopFrame() for
// pictures, PollEvent() for what happened (opened, failed, end of stream).
// The decoder thread never calls into the player. A looping decoder starts
// again at frame 0 after the last frame (each pass numbered), so a loop
// plays seamlessly for as long as the player wants; a non-looping one ends
// with kEndOfStream. The destructor stops and joins the thread promptly,
// even while the queue is full.
//
// Thread-safety: all public methods are for one owning thread; the internal
// queue is shared with the decoder thread under a mutex.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "renderer/base/status.h"

namespace flamegrid::worker::view {

struct DecodedFrame {
  int width = 0;
  int height = 0;
  int64_t number = 0;         // frames decoded before this one, over all passes
  int index = 0;              // frame within the video (0 = first)
  int pass = 0;               // times the decoder has started the video again
  std::vector<uint8_t> bgra;  // width * height * 4 bytes, rows top to bottom
};

enum class DecoderEventKind {
  kOpened,       // width, height, fps and (when the container knows) frames are set
  kEndOfStream,  // a non-looping decoder delivered its last frame
  kFailed,       // status says why; no more frames will come
};

struct DecoderEvent {
  DecoderEventKind kind = DecoderEventKind::kOpened;
  Status status;
  int width = 0;
  int height = 0;
  double fps = 0;
  int64_t frames = 0;  // 0 when unknown
};

struct DecoderOptions {
  bool loop = true;
  size_t queue_frames = 8;  // decoded frames held ahead of the player
};

// Decodes a whole video synchronously (tests, tools): every frame as BGRA.
Result<std::vector<DecodedFrame>> DecodeAllFrames(const std::filesystem::path& path,
                                                  int max_frames = 1 << 20);

class SequenceDecoder {
 public:
  SequenceDecoder(std::filesystem::path path, DecoderOptions options);
  ~SequenceDecoder();
  SequenceDecoder(const SequenceDecoder&) = delete;
  SequenceDecoder& operator=(const SequenceDecoder&) = delete;

  const std::filesystem::path& path() const { return path_; }

  std::optional<DecodedFrame> TryPopFrame();
  // The number of the frame TryPopFrame() would return, if one is ready.
  std::optional<int64_t> NextFrameNumber() const;
  // Its pass through the video, if one is ready.
  std::optional<int> NextFramePass() const;
  std::optional<DecoderEvent> PollEvent();
  // True once the decoder failed or, not looping, delivered everything.
  bool finished() const;

 private:
  void Run();
  void Post(DecoderEvent event);
  // Blocks while the queue is full; false when asked to stop.
  bool Push(DecodedFrame frame);

  const std::filesystem::path path_;
  const DecoderOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable space_;
  std::deque<DecodedFrame> frames_;
  std::deque<DecoderEvent> events_;
  bool stop_ = false;
  bool finished_ = false;
  std::thread thread_;
};

}  // namespace flamegrid::worker::view
