#include "renderer/render/renderer.h"

// STUB: the pipeline helper replaces this file.
namespace flamegrid {
uint64_t EstimateRenderMemory(const Flame&, const RenderOptions&) { return 0; }
Result<Image> RenderFlame(const Flame&, const RenderOptions&, RenderStats*) {
  return Status::Internal("renderer not implemented yet");
}
Result<Image> RenderTemporalSamples(std::span<const Flame>, std::span<const double>,
                                    const RenderOptions&, RenderStats*) {
  return Status::Internal("renderer not implemented yet");
}
}  // namespace flamegrid
