// flamegrid-view end to end under a private Xvfb: with --root it puts a cached
// loop's frames on screen (a screenshot compared with the decoded frame),
// moves from a loop through an edge to the next loop, and with an empty cache
// shows a message rather than a black screen. Skips when Xvfb is missing.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "tests/worker/view/test_video.h"
#include "tests/worker/view/x_screen.h"
#include "worker/cache/sequence_cache.h"
#include "worker/view/decoder.h"

extern char** environ;

namespace flamegrid::worker::view {
namespace {

namespace fs = std::filesystem;
using testing::Rgb;
using testing::Screenshot;

constexpr int kScreenWidth = 640;
constexpr int kScreenHeight = 480;
const fs::path kViewer = fs::path(FLAMEGRID_BINARY_DIR) / "worker/view/flamegrid-view";

// flamegrid-view on `display`, killed and reaped when this goes out of scope.
class Viewer {
 public:
  Viewer(const std::string& display, const std::vector<std::string>& flags) {
    std::vector<std::string> args = {kViewer.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    args.push_back("--quit-after");
    args.push_back("60");  // a bound even if this test dies before killing it
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_text = {"DISPLAY=" + display};
    for (char** e = environ; *e; ++e) {
      std::string entry = *e;
      if (!entry.starts_with("DISPLAY=") && !entry.starts_with("XSCREENSAVER_WINDOW=")) {
        env_text.push_back(entry);
      }
    }
    std::vector<char*> envp;
    for (auto& entry : env_text) envp.push_back(entry.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
  }
  ~Viewer() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 300; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
  bool running() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

 private:
  pid_t pid_ = -1;
};

class ViewXvfbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::XvfbAvailable()) GTEST_SKIP() << "Xvfb is not installed (apt-get install xvfb)";
    ASSERT_TRUE(fs::exists(kViewer)) << kViewer;
    std::string pattern = (fs::temp_directory_path() / "fg-view-xvfb-XXXXXX").string();
    dir_ = mkdtemp(pattern.data());
    xvfb_ = std::make_unique<testing::XvfbServer>(kScreenWidth, kScreenHeight);
    ASSERT_TRUE(xvfb_->ok()) << xvfb_->error();
  }
  void TearDown() override {
    xvfb_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void AddSequence(const worker::cache::SequenceInfo& info, const std::vector<Rgb>& left,
                   const std::vector<Rgb>& right) {
    const fs::path video = dir_ / (info.id + ".source.mp4");
    ASSERT_TRUE(testing::WriteSplitColourVideo(video, left, right, 320, 240, 30).ok());
    ASSERT_TRUE(worker::cache::AddSequence(dir_, info, video).ok());
  }

  static worker::cache::SequenceInfo Info(const std::string& id, worker::cache::SequenceKind kind, int frames,
                                  double rating = 0) {
    worker::cache::SequenceInfo info;
    info.id = id;
    info.kind = kind;
    info.frames = frames;
    info.fps = 30;
    info.rating = rating;
    info.name = "test " + id;
    return info;
  }

  fs::path dir_;
  std::unique_ptr<testing::XvfbServer> xvfb_;
};

bool Near(const uint8_t* rgb, Rgb want, int tolerance) {
  return std::abs(rgb[0] - want.r) <= tolerance && std::abs(rgb[1] - want.g) <= tolerance &&
         std::abs(rgb[2] - want.b) <= tolerance;
}

// Polls the screen until `accept` likes a screenshot; a bound, not a timing assertion.
template <typename Accept>
Screenshot WaitForScreen(const std::string& display, Accept accept, int max_polls = 600) {
  Screenshot shot;
  for (int i = 0; i < max_polls; ++i) {
    shot = testing::GrabRootWindow(display);
    if (shot.width > 0 && accept(shot)) return shot;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Screenshot{};
}

TEST_F(ViewXvfbTest, RootShowsTheCachedLoopsFrames) {
  const Rgb left{220, 40, 40}, right{40, 60, 220};
  AddSequence(Info("red-blue", worker::cache::SequenceKind::kLoop, 10), std::vector<Rgb>(10, left),
              std::vector<Rgb>(10, right));
  auto decoded = DecodeAllFrames(worker::cache::VideoPath(dir_, "red-blue"), 1);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const DecodedFrame& frame = decoded->front();

  Viewer viewer(xvfb_->display(), {"--data", dir_.string(), "--root", "--loop-plays", "1000"});
  Screenshot shot = WaitForScreen(xvfb_->display(), [&](const Screenshot& s) {
    return Near(s.at(kScreenWidth / 4, kScreenHeight / 2), left, 30);
  });
  ASSERT_GT(shot.width, 0) << "the loop never appeared on screen";

  // The 320x240 video fills the 640x480 screen exactly twice over: compare
  // every screen pixel away from the seam with the decoded frame's pixel.
  int compared = 0, mismatched = 0;
  for (int y = 0; y < kScreenHeight; y += 3) {
    for (int x = 0; x < kScreenWidth; x += 3) {
      if (std::abs(x - kScreenWidth / 2) < 12) continue;
      const uint8_t* bgra = &frame.bgra[(static_cast<size_t>(y / 2) * frame.width + x / 2) * 4];
      const Rgb want{bgra[2], bgra[1], bgra[0]};
      ++compared;
      if (!Near(shot.at(x, y), want, 12)) ++mismatched;
    }
  }
  EXPECT_LT(mismatched, compared / 100) << mismatched << " of " << compared << " pixels differ";
  EXPECT_TRUE(viewer.running());
}

TEST_F(ViewXvfbTest, RootMovesFromALoopThroughAnEdgeToTheNextLoop) {
  const Rgb red{220, 30, 30}, green{30, 200, 30}, blue{30, 30, 220};
  AddSequence(Info("a", worker::cache::SequenceKind::kLoop, 15, 9), std::vector<Rgb>(15, red),
              std::vector<Rgb>(15, red));
  AddSequence(Info("b", worker::cache::SequenceKind::kLoop, 15), std::vector<Rgb>(15, blue),
              std::vector<Rgb>(15, blue));
  worker::cache::SequenceInfo edge = Info("a-b", worker::cache::SequenceKind::kEdge, 15);
  edge.from = "a";
  edge.to = "b";
  AddSequence(edge, std::vector<Rgb>(15, green), std::vector<Rgb>(15, green));

  Viewer viewer(xvfb_->display(), {"--data", dir_.string(), "--root", "--loop-plays", "2",
                                   "--crossfade", "0", "--seed", "7"});
  // Watch the centre pixel and note each colour as it appears.
  std::vector<char> seen;
  for (int i = 0; i < 2000 && seen.size() < 3; ++i) {
    Screenshot shot = testing::GrabRootWindow(xvfb_->display());
    if (shot.width == 0) continue;
    const uint8_t* centre = shot.at(kScreenWidth / 2, kScreenHeight / 2);
    char colour = Near(centre, red, 40)     ? 'r'
                  : Near(centre, green, 40) ? 'g'
                  : Near(centre, blue, 40)  ? 'b'
                                            : '?';
    if (colour != '?' && (seen.empty() || seen.back() != colour)) seen.push_back(colour);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(std::string(seen.begin(), seen.end()), "rgb")
      << "expected loop a (red), edge a-b (green), loop b (blue)";
}

TEST_F(ViewXvfbTest, EmptyCacheShowsAMessageNotABlackScreen) {
  Viewer viewer(xvfb_->display(), {"--data", dir_.string(), "--root"});
  Screenshot shot = WaitForScreen(xvfb_->display(), [](const Screenshot& s) {
    int bright = 0;
    for (size_t i = 0; i < s.rgb.size(); i += 3) {
      if (s.rgb[i] > 150 && s.rgb[i + 1] > 150 && s.rgb[i + 2] > 150) ++bright;
    }
    return bright > 200;  // a line of text, at least
  });
  EXPECT_GT(shot.width, 0) << "the screen stayed black";
  EXPECT_TRUE(viewer.running());
}

}  // namespace
}  // namespace flamegrid::worker::view
