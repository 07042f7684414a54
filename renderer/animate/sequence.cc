#include "renderer/animate/sequence.h"

// STUB: the animation helper replaces this file.
namespace flamegrid {
Result<std::vector<Flame>> MakeLoop(const Flame&, int) { return Status::Internal("not implemented yet"); }
Result<std::vector<Flame>> MakeEdge(const Flame&, const Flame&, int) { return Status::Internal("not implemented yet"); }
Result<Flame> InterpolateAt(std::span<const Flame>, double) { return Status::Internal("not implemented yet"); }
Result<Image> RenderSequenceFrame(std::span<const Flame>, int, const RenderOptions&, RenderStats*) { return Status::Internal("not implemented yet"); }
}  // namespace flamegrid
