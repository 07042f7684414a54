// Tests for the Player engine (no display): loops play their passes, an edge
// leads to the next loop, crossfades blend two layers, a broken video is
// skipped, and what is drawn is the decoded frame.
#include "worker/view/player.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/worker/view/test_video.h"

namespace flamegrid::worker::view {
namespace {

namespace fs = std::filesystem;
using worker::cache::SequenceInfo;
using worker::cache::SequenceKind;
using testing::Rgb;

class PlayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fg-player-test-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }

  SequenceInfo Add(const std::string& id, SequenceKind kind, Rgb colour, int frames,
                   double rating = 0, const std::string& from = "", const std::string& to = "") {
    SequenceInfo info;
    info.id = id;
    info.kind = kind;
    info.from = from;
    info.to = to;
    info.rating = rating;
    info.frames = frames;
    info.fps = 30;
    const fs::path video = dir_ / (id + ".source.mp4");
    EXPECT_TRUE(
        testing::WriteSolidColourVideo(video, std::vector<Rgb>(frames, colour), 32, 32, 30).ok());
    EXPECT_TRUE(worker::cache::AddSequence(dir_, info, video).ok());
    return info;
  }

  // Ticks one 30 fps frame at a time, waiting briefly when the decoders are
  // behind, and records each change of the sequence on top.
  std::vector<std::string> Run(Player& player, size_t changes_wanted) {
    std::vector<std::string> shown;
    for (int tick = 0; tick < 5000 && shown.size() < changes_wanted; ++tick) {
      player.Tick(1.0 / 30);
      if (auto showing = player.Showing();
          showing && (shown.empty() || shown.back() != showing->id)) {
        shown.push_back(showing->id);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return shown;
  }

  fs::path dir_;
};

TEST_F(PlayerTest, LoopThenEdgeThenNextLoop) {
  std::vector<SequenceInfo> sequences = {
      Add("a", SequenceKind::kLoop, {255, 0, 0}, 4, 9),
      Add("b", SequenceKind::kLoop, {0, 0, 255}, 4),
      Add("a-b", SequenceKind::kEdge, {0, 255, 0}, 4, 0, "a", "b"),
  };
  Player player(dir_, {.loop_plays = 2, .crossfade_seconds = 0.2});
  player.SetSequences(sequences);
  EXPECT_EQ(Run(player, 3), (std::vector<std::string>{"a", "a-b", "b"}));
}

TEST_F(PlayerTest, LayersCarryTheDecodedColours) {
  Player player(dir_, {.loop_plays = 50});
  player.SetSequences({Add("a", SequenceKind::kLoop, {255, 0, 0}, 3)});
  std::vector<Layer> layers;
  for (int tick = 0; tick < 2000 && layers.empty(); ++tick) {
    player.Tick(1.0 / 30);
    layers = player.Layers();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(layers.size(), 1u);
  EXPECT_EQ(layers[0].alpha, 1.0f);
  const uint8_t* bgra = layers[0].frame->bgra.data();
  EXPECT_NEAR(bgra[2], 255, 6);
  EXPECT_NEAR(bgra[1], 0, 6);
  EXPECT_NEAR(bgra[0], 0, 6);
}

TEST_F(PlayerTest, CrossfadeShowsBothLoopsThenOnlyTheNewOne) {
  Player player(dir_, {.loop_plays = 1, .crossfade_seconds = 0.5});
  player.SetSequences({Add("a", SequenceKind::kLoop, {255, 0, 0}, 3, 9),
                       Add("b", SequenceKind::kLoop, {0, 0, 255}, 3)});
  bool saw_blend = false;
  bool saw_b_alone = false;
  for (int tick = 0; tick < 5000 && !saw_b_alone; ++tick) {
    player.Tick(1.0 / 30);
    auto layers = player.Layers();
    if (layers.size() == 2) {
      saw_blend = true;
      EXPECT_GT(layers[1].alpha, 0.0f - 1e-6f);
      EXPECT_LT(layers[1].alpha, 1.0f);
    }
    if (saw_blend && layers.size() == 1 && player.Showing()->id == "b") saw_b_alone = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(saw_blend);
  EXPECT_TRUE(saw_b_alone);
}

TEST_F(PlayerTest, BrokenVideoIsSkippedWithAMessage) {
  std::vector<SequenceInfo> sequences = {Add("good", SequenceKind::kLoop, {0, 255, 0}, 3)};
  SequenceInfo broken = sequences[0];
  broken.id = "broken";
  broken.rating = 99;  // chosen first
  {
    FILE* f = std::fopen((dir_ / "junk").c_str(), "w");
    std::fputs("not a video", f);
    std::fclose(f);
  }
  ASSERT_TRUE(worker::cache::AddSequence(dir_, broken, dir_ / "junk").ok());
  sequences.push_back(broken);
  Player player(dir_, {.loop_plays = 1});
  player.SetSequences(sequences);
  EXPECT_EQ(Run(player, 1), (std::vector<std::string>{"good"}));
  auto messages = player.TakeMessages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("broken"), std::string::npos);
}

TEST_F(PlayerTest, EmptyCacheDrawsNothing) {
  Player player(dir_, {});
  player.SetSequences({});
  player.Tick(0.1);
  EXPECT_FALSE(player.HasLoops());
  EXPECT_TRUE(player.Layers().empty());
  EXPECT_FALSE(player.Showing());
}

}  // namespace
}  // namespace flamegrid::worker::view
