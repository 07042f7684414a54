#include "proto/shared/frame_renderer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <thread>
#include <vector>

#include "renderer/animate/sequence.h"
#include "renderer/genome/flam3_xml.h"
#include "renderer/render/renderer.h"

namespace flamegrid {
namespace {

bool Cancelled(const FrameRenderOptions& options) {
  return options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed);
}

int Scaled(int size, double scale) {
  return std::max(1, static_cast<int>(std::lround(size * scale)));
}

class LibraryFrameRenderer final : public FrameRenderer {
 public:
  Result<std::string> PlanLoop(const std::string& genome_xml, const LoopPlan& plan) override {
    if (plan.frames < 2 || plan.width < 1 || plan.height < 1) {
      return Status::InvalidArgument("a loop needs at least 2 frames and a positive size");
    }
    auto flames = ParseFlam3(genome_xml);
    if (!flames.ok()) {
      return Status::InvalidArgument("genome rejected: " + flames.status().ToString());
    }
    if (flames->empty()) return Status::InvalidArgument("genome rejected: no <flame> element");
    Flame flame = flames->front();
    // Keep the framing: the scale follows the width, as flam3's size scale does.
    const double ratio = static_cast<double>(plan.width) / std::max(1, flame.width);
    flame.pixels_per_unit *= ratio;
    flame.width = plan.width;
    flame.height = plan.height;
    if (plan.quality > 0) flame.sample_density = plan.quality;
    FG_ASSIGN_OR_RETURN(std::vector<Flame> points, MakeLoop(flame, plan.frames));
    return WriteFlam3(points);
  }

  Result<Image> RenderFrame(const FrameJob& job, const FrameRenderOptions& options) override {
    if (job.control_points_xml == nullptr) {
      return Status::InvalidArgument("frame job without control points");
    }
    FG_ASSIGN_OR_RETURN(std::vector<Flame> points, ParseFlam3(*job.control_points_xml));
    // The job carries the control points around its frame (times are frame
    // indices), not necessarily the whole sequence.
    if (points.empty() || job.frame < 0 || job.frame < points.front().time ||
        job.frame > points.back().time) {
      return Status::InvalidArgument(
          "frame " + std::to_string(job.frame) + " is outside its control points (times " +
          (points.empty() ? std::string("none")
                          : std::to_string(points.front().time) + " to " +
                                std::to_string(points.back().time)) +
          ")");
    }
    RenderOptions render;
    render.threads = options.threads;
    render.seed = job.seed;
    render.max_memory_bytes = options.max_memory_bytes;
    render.size_scale = options.size_scale;
    render.quality_scale = options.quality_scale;
    render.cancel = options.cancel;
    std::atomic<uint64_t> done{0}, own_total{0};
    std::atomic<uint64_t>& total = options.samples_total ? *options.samples_total : own_total;
    render.progress_done = &done;
    render.progress_total = &total;
    // The renderer reports progress through atomics; relay them while it runs.
    std::atomic<bool> finished{false};
    std::thread relay;
    if (options.progress != nullptr) {
      relay = std::thread([&] {
        while (!finished.load()) {
          const uint64_t t = total.load(std::memory_order_relaxed);
          if (t > 0) options.progress->store(static_cast<double>(done.load()) / t);
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
      });
    }
    RenderStats stats;
    Result<Image> image = RenderSequenceFrame(points, job.frame, render, &stats);
    if (options.iterations != nullptr) *options.iterations = stats.iterations;
    finished = true;
    if (relay.joinable()) relay.join();
    return image;
  }
};

class SyntheticFrameRenderer final : public FrameRenderer {
 public:
  explicit SyntheticFrameRenderer(int delay_ms) : delay_ms_(delay_ms) {}

  Result<std::string> PlanLoop(const std::string& genome_xml, const LoopPlan& plan) override {
    if (plan.frames < 2 || plan.width < 1 || plan.height < 1) {
      return Status::InvalidArgument("a loop needs at least 2 frames and a positive size");
    }
    // Not a parser: enough to refuse what is plainly not a flame.
    const size_t open = genome_xml.find("<flame");
    if (open == std::string::npos || genome_xml.find('>', open) == std::string::npos ||
        (genome_xml.find("</flame>") == std::string::npos &&
         genome_xml.find("/>", open) == std::string::npos)) {
      return Status::InvalidArgument("genome rejected: no complete <flame> element");
    }
    return "<!-- synthetic loop -->\n" + genome_xml;
  }

  Result<Image> RenderFrame(const FrameJob& job, const FrameRenderOptions& options) override {
    if (job.frames_total < 1 || job.frame < 0 || job.frame >= job.frames_total) {
      return Status::InvalidArgument("frame out of range");
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms_);
    while (std::chrono::steady_clock::now() < deadline) {
      if (Cancelled(options)) return Status::Cancelled("render cancelled");
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(delay_ms_, 20)));
    }
    if (Cancelled(options)) return Status::Cancelled("render cancelled");
    Image image(Scaled(job.width, options.size_scale), Scaled(job.height, options.size_scale));
    const double phase = static_cast<double>(job.frame) / job.frames_total;
    const double two_pi = 2 * std::numbers::pi;
    for (int y = 0; y < image.height; ++y) {
      for (int x = 0; x < image.width; ++x) {
        const double u = (x + 0.5) / image.width, v = (y + 0.5) / image.height;
        float* p = image.Pixel(x, y);
        p[0] = static_cast<float>(0.5 + 0.5 * std::sin(two_pi * (u * 1.5 + phase)));
        p[1] = static_cast<float>(0.5 + 0.5 * std::cos(two_pi * (v - phase)));
        p[2] = static_cast<float>(0.5 + 0.5 * std::sin(two_pi * (u + v + 2 * phase)));
        p[3] = 1.0f;
      }
    }
    if (options.progress != nullptr) options.progress->store(1.0);
    if (options.iterations != nullptr) {
      *options.iterations =
          static_cast<uint64_t>(image.width) * static_cast<uint64_t>(image.height);
    }
    return image;
  }

 private:
  int delay_ms_;
};

}  // namespace

std::unique_ptr<FrameRenderer> MakeLibraryFrameRenderer() {
  return std::make_unique<LibraryFrameRenderer>();
}
std::unique_ptr<FrameRenderer> MakeSyntheticFrameRenderer(int delay_ms) {
  return std::make_unique<SyntheticFrameRenderer>(delay_ms);
}

}  // namespace flamegrid
