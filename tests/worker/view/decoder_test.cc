// Tests for SequenceDecoder: frames in order and in colour, seamless looping
// passes, end of stream, failures as events, prompt shutdown with a full queue.
#include "worker/view/decoder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "tests/worker/view/test_video.h"

namespace flamegrid::worker::view {
namespace {

namespace fs = std::filesystem;
using testing::Rgb;

const std::vector<Rgb> kColours = {{255, 0, 0},     {0, 255, 0},   {0, 0, 255},
                                   {255, 255, 255}, {255, 255, 0}, {0, 255, 255}};

class DecoderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fg-decoder-test-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    video_ = dir_ / "colours.mp4";
    ASSERT_TRUE(testing::WriteSolidColourVideo(video_, kColours, 64, 48, 30).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  fs::path video_;
};

void ExpectColour(const DecodedFrame& frame, Rgb want) {
  const uint8_t* centre =
      &frame.bgra[(static_cast<size_t>(frame.height / 2) * frame.width + frame.width / 2) * 4];
  EXPECT_NEAR(centre[2], want.r, 6) << "frame " << frame.number;
  EXPECT_NEAR(centre[1], want.g, 6) << "frame " << frame.number;
  EXPECT_NEAR(centre[0], want.b, 6) << "frame " << frame.number;
}

// Polls until `done` or a generous bound (not a timing assertion: a hung decoder fails here).
template <typename Done>
bool PollUntil(Done done) {
  for (int i = 0; i < 2000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST_F(DecoderTest, DecodeAllFramesGivesEveryFrameInColour) {
  auto frames = DecodeAllFrames(video_);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  ASSERT_EQ(frames->size(), kColours.size());
  for (size_t i = 0; i < kColours.size(); ++i) {
    EXPECT_EQ((*frames)[i].width, 64);
    EXPECT_EQ((*frames)[i].height, 48);
    ExpectColour((*frames)[i], kColours[i]);
  }
}

TEST_F(DecoderTest, LoopingDecoderStartsAgainAtFrameZero) {
  SequenceDecoder decoder(video_, {.loop = true, .queue_frames = 4});
  std::vector<DecodedFrame> frames;
  ASSERT_TRUE(PollUntil([&] {
    while (auto frame = decoder.TryPopFrame()) frames.push_back(std::move(*frame));
    return frames.size() >= 3 * kColours.size();
  }));
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].number, static_cast<int64_t>(i));
    EXPECT_EQ(frames[i].index, static_cast<int>(i % kColours.size()));
    EXPECT_EQ(frames[i].pass, static_cast<int>(i / kColours.size()));
    ExpectColour(frames[i], kColours[i % kColours.size()]);
  }
  auto opened = decoder.PollEvent();
  ASSERT_TRUE(opened);
  EXPECT_EQ(opened->kind, DecoderEventKind::kOpened);
  EXPECT_EQ(opened->width, 64);
  EXPECT_NEAR(opened->fps, 30, 0.01);
  EXPECT_FALSE(decoder.finished());
}

TEST_F(DecoderTest, NonLoopingDecoderEnds) {
  SequenceDecoder decoder(video_, {.loop = false, .queue_frames = 2});
  size_t count = 0;
  ASSERT_TRUE(PollUntil([&] {
    while (decoder.TryPopFrame()) ++count;
    return decoder.finished();
  }));
  EXPECT_EQ(count, kColours.size());
  std::vector<DecoderEventKind> kinds;
  while (auto event = decoder.PollEvent()) kinds.push_back(event->kind);
  EXPECT_EQ(kinds, (std::vector<DecoderEventKind>{DecoderEventKind::kOpened,
                                                  DecoderEventKind::kEndOfStream}));
}

TEST_F(DecoderTest, BrokenFilesFailAsEvents) {
  for (const fs::path& path : {dir_ / "absent.mp4", dir_ / "garbage.mp4"}) {
    if (path.filename() == "garbage.mp4") {
      FILE* f = std::fopen(path.c_str(), "w");
      std::fputs("this is not an mp4 file at all", f);
      std::fclose(f);
    }
    SequenceDecoder decoder(path, {});
    ASSERT_TRUE(PollUntil([&] { return decoder.finished(); })) << path;
    auto event = decoder.PollEvent();
    ASSERT_TRUE(event);
    EXPECT_EQ(event->kind, DecoderEventKind::kFailed);
    EXPECT_FALSE(event->status.ok());
    EXPECT_FALSE(decoder.TryPopFrame());
  }
}

TEST_F(DecoderTest, DestroyingWithAFullQueueReturns) {
  auto decoder =
      std::make_unique<SequenceDecoder>(video_, DecoderOptions{.loop = true, .queue_frames = 2});
  ASSERT_TRUE(PollUntil([&] { return decoder->NextFrameNumber().has_value(); }));
  decoder.reset();  // must not hang on the full queue
  SUCCEED();
}

}  // namespace
}  // namespace flamegrid::worker::view
