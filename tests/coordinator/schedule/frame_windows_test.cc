// FrameWindows (coordinator/schedule/frame_windows.h): a frame job carries
// only the control points around its frame, and renders exactly the image
// the whole sequence renders: the same pixels from the real renderer, for
// the first frame, the last (where the window is clipped and motion blur
// extrapolates past the end; loops do not wrap around) and frames between,
// for loops, edges and loop-edge-loop sequences with wide motion blur. The
// window's size does not grow with the number of frames.
#include "coordinator/schedule/frame_windows.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "proto/shared/frame_renderer.h"
#include "renderer/animate/sequence.h"
#include "renderer/genome/flam3_xml.h"

namespace flamegrid::coordinator {
namespace {

Flame Sheep(const char* name) {
  auto flames = ReadFlam3File(std::string(FLAMEGRID_SOURCE_DIR) + "/assets/genomes/" + name);
  EXPECT_TRUE(flames.ok()) << flames.status().ToString();
  Flame flame = flames.ok() ? flames->front() : Flame{};
  // Small and quick, with motion blur that reaches the neighbouring frames.
  flame.pixels_per_unit *= 48.0 / flame.width;
  flame.width = 48;
  flame.height = 36;
  flame.sample_density = 20;
  flame.supersample = 1;
  flame.temporal_samples = 8;
  return flame;
}

std::string Loop(const Flame& genome, int frames) {
  auto renderer = MakeLibraryFrameRenderer();
  LoopPlan plan;
  plan.frames = frames;
  plan.width = genome.width;
  plan.height = genome.height;
  auto points = renderer->PlanLoop(WriteFlam3(std::vector<Flame>{genome}), plan);
  EXPECT_TRUE(points.ok()) << points.status().ToString();
  return points.ok() ? *points : "";
}

Result<Image> Render(const std::string& control_points, int frame, int frames) {
  FrameJob job;
  job.frame = frame;
  job.frames_total = frames;
  job.width = 48;
  job.height = 36;
  job.seed = 7;
  job.control_points_xml = std::make_shared<const std::string>(control_points);
  FrameRenderOptions options;
  options.threads = 1;
  return MakeLibraryFrameRenderer()->RenderFrame(job, options);
}

// Each of `frames_to_check` renders the same pixels from its window as from
// the whole sequence, and its window holds the control points the renderer
// reads (FrameControlPoints), at most `max_points` of them.
void ExpectWindowsRenderAsTheWhole(const std::string& whole, int frames,
                                   const std::vector<int>& frames_to_check, size_t max_points) {
  const FrameWindows windows =
      FrameWindows::Split(std::make_shared<const std::string>(whole), frames);
  auto all = ParseFlam3(whole);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  for (int frame : frames_to_check) {
    SCOPED_TRACE("frame " + std::to_string(frame) + " of " + std::to_string(frames));
    auto window = windows.Window(frame);
    ASSERT_TRUE(window.ok()) << window.status().ToString();
    EXPECT_LE(windows.WindowPoints(frame), max_points);
    auto parsed = ParseFlam3(**window);
    auto expected = FrameControlPoints(*all, frame);
    ASSERT_TRUE(parsed.ok() && expected.ok());
    EXPECT_EQ(*parsed, *expected);
    auto from_whole = Render(whole, frame, frames);
    auto from_window = Render(**window, frame, frames);
    ASSERT_TRUE(from_whole.ok()) << from_whole.status().ToString();
    ASSERT_TRUE(from_window.ok()) << from_window.status().ToString();
    EXPECT_EQ(from_whole->width, from_window->width);
    EXPECT_TRUE(from_whole->rgba == from_window->rgba) << "the window renders other pixels";
  }
}

TEST(FrameWindows, ALoopFramesWindowRendersTheSamePixelsAsTheWholeLoop) {
  const int frames = 40;
  ExpectWindowsRenderAsTheWhole(Loop(Sheep("electricsheep.244.00216.flam3"), frames), frames,
                                {0, 1, 20, frames - 2, frames - 1}, 5);
}

// Loop, edge, loop (flam3-genome sequence=) with smooth interpolation and
// motion blur three frames wide: where a loop meets the edge the motion is
// not uniform, so a window one control point short renders other pixels.
TEST(FrameWindows, WideMotionBlurAcrossALoopAndItsEdgeRendersTheSame) {
  Flame a = Sheep("electricsheep.244.00216.flam3");
  Flame b = Sheep("electricsheep.244.80692.flam3");
  a.temporal_filter_width = b.temporal_filter_width = 3;
  a.interpolation = b.interpolation = Interpolation::kSmooth;  // Catmull-Rom in the loops
  const Flame genomes[2] = {a, b};
  auto points = MakeSequence(genomes, 12);
  ASSERT_TRUE(points.ok()) << points.status().ToString();
  const int frames = static_cast<int>(points->size());
  const std::string whole = WriteFlam3(*points);
  ExpectWindowsRenderAsTheWhole(whole, frames, {0, 6, 13, 14, 23, 30, frames - 1}, 7);

  // The comparison sees a missing control point: frame 14's window without its first.
  auto range = FrameControlPointRange(*points, 14);
  ASSERT_TRUE(range.ok());
  const std::vector<Flame> short_window(points->begin() + static_cast<long>(range->first) + 1,
                                        points->begin() + static_cast<long>(range->last) + 1);
  auto from_whole = Render(whole, 14, frames);
  auto from_short = Render(WriteFlam3(short_window), 14, frames);
  ASSERT_TRUE(from_whole.ok() && from_short.ok());
  EXPECT_FALSE(from_whole->rgba == from_short->rgba);
}

TEST(FrameWindows, AnEdgeFramesWindowRendersTheSamePixels) {
  const Flame from = Sheep("electricsheep.244.00216.flam3");
  const Flame to = Sheep("electricsheep.244.80692.flam3");
  const int frames = 24;
  auto points = MakeEdge(from, to, frames);
  ASSERT_TRUE(points.ok()) << points.status().ToString();
  ExpectWindowsRenderAsTheWhole(WriteFlam3(*points), frames, {0, 1, 12, frames - 1}, 5);
}

TEST(FrameWindows, AWindowDoesNotGrowWithTheFrames) {
  const Flame genome = Sheep("electricsheep.244.00216.flam3");
  const std::string short_loop = Loop(genome, 10);
  const std::string long_loop = Loop(genome, 1000);
  const FrameWindows short_windows =
      FrameWindows::Split(std::make_shared<const std::string>(short_loop), 10);
  const FrameWindows long_windows =
      FrameWindows::Split(std::make_shared<const std::string>(long_loop), 1000);
  size_t largest = 0;
  for (int frame : {0, 5, 9}) largest = std::max(largest, (*short_windows.Window(frame))->size());
  for (int frame : {0, 5, 500, 999}) {
    auto window = long_windows.Window(frame);
    ASSERT_TRUE(window.ok());
    EXPECT_LE((*window)->size(), largest + largest / 10) << "frame " << frame;
  }
  EXPECT_GT(long_loop.size(), 50 * largest);  // what every job carried before
}

TEST(FrameWindows, ADocumentTheLibraryCannotReadIsCarriedWhole) {
  const std::string synthetic = "<!-- synthetic loop -->\n<flame name=\"test\"/>";
  const FrameWindows windows =
      FrameWindows::Split(std::make_shared<const std::string>(synthetic), 4);
  for (int frame = 0; frame < 4; ++frame) {
    auto window = windows.Window(frame);
    ASSERT_TRUE(window.ok());
    EXPECT_EQ(**window, synthetic);
  }
  EXPECT_EQ(windows.Window(4).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(windows.Window(-1).status().code(), StatusCode::kInvalidArgument);
}

TEST(FrameWindows, TheRendererRefusesAFrameOutsideItsControlPoints) {
  const int frames = 12;
  const std::string whole = Loop(Sheep("electricsheep.244.00216.flam3"), frames);
  auto window = FrameWindows::Split(std::make_shared<const std::string>(whole), frames).Window(2);
  ASSERT_TRUE(window.ok());
  auto image = Render(**window, 9, frames);
  EXPECT_EQ(image.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(image.status().message().find("outside its control points"), std::string::npos)
      << image.status().ToString();
}

}  // namespace
}  // namespace flamegrid::coordinator
