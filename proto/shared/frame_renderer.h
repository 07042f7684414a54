// FrameRenderer: how the grid turns a genome into a sequence's control points
// and a frame job into an image. The worker renders jobs with it; the
// coordinator plans loops with it and makes its cheap low-resolution
// reference renders with it.
//
// Two implementations: LibraryFrameRenderer (the renderer library: ParseFlam3,
// MakeLoop, RenderSequenceFrame) and SyntheticFrameRenderer (a smooth pattern
// that depends on the frame; fast, for tests, benchmarks and --fake-render).
// Both are stateless and thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "proto/shared/frame_job.h"
#include "renderer/base/status.h"
#include "renderer/image/image.h"

namespace flamegrid {

struct LoopPlan {
  int frames = 0;
  int width = 0;
  int height = 0;
  double quality = 0.0;  // samples per pixel; <= 0 keeps the genome's
};

struct FrameRenderOptions {
  int threads = 0;
  uint64_t max_memory_bytes = 0;
  double size_scale = 1.0;     // < 1 for the coordinator's reference render
  double quality_scale = 1.0;  // < 1 for the coordinator's reference render
  const std::atomic<bool>* cancel = nullptr;
  std::atomic<double>* progress = nullptr;  // 0..1, written by the renderer
  // Optional, written as the chaos game starts: the points it will compute
  // (how the worker's render budget sizes a job; the synthetic renderer
  // leaves it alone).
  std::atomic<uint64_t>* samples_total = nullptr;
  // Optional, written when the render returns: the points the chaos game
  // computed (the synthetic renderer counts one per pixel).
  uint64_t* iterations = nullptr;
};

class FrameRenderer {
 public:
  virtual ~FrameRenderer() = default;
  // Checks `genome_xml` and returns the control points of its loop (flam3 XML,
  // one per frame) at the planned size and quality. InvalidArgument when the
  // genome is malformed.
  virtual Result<std::string> PlanLoop(const std::string& genome_xml, const LoopPlan& plan) = 0;
  // Renders the job's frame; the image is job.width x job.height times
  // size_scale. Only the frame, size, seed and control points matter here:
  // the whole sequence's or only those around the frame (FrameControlPoints
  // in renderer/animate/sequence.h), which render the same image.
  virtual Result<Image> RenderFrame(const FrameJob& job, const FrameRenderOptions& options) = 0;
};

std::unique_ptr<FrameRenderer> MakeLibraryFrameRenderer();
// `delay_ms`: how long each full-size render pretends to take (cancellable).
std::unique_ptr<FrameRenderer> MakeSyntheticFrameRenderer(int delay_ms = 0);

}  // namespace flamegrid
