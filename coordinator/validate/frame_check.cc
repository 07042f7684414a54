#include "coordinator/validate/frame_check.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "renderer/image/png_codec.h"

namespace flamegrid::coordinator {
namespace {

// Box-averages RGB (over black, by alpha) into grid x grid cells.
std::vector<double> Reduce(const Image& image, int grid) {
  std::vector<double> cells(static_cast<size_t>(grid) * grid * 3, 0.0);
  std::vector<double> counts(static_cast<size_t>(grid) * grid, 0.0);
  for (int y = 0; y < image.height; ++y) {
    const int cy = std::min(grid - 1, y * grid / image.height);
    for (int x = 0; x < image.width; ++x) {
      const int cx = std::min(grid - 1, x * grid / image.width);
      const float* p = image.Pixel(x, y);
      const size_t c = static_cast<size_t>(cy) * grid + cx;
      for (int k = 0; k < 3; ++k) cells[c * 3 + k] += p[k] * p[3];
      counts[c] += 1.0;
    }
  }
  for (size_t c = 0; c < counts.size(); ++c) {
    for (int k = 0; k < 3; ++k) cells[c * 3 + k] /= std::max(1.0, counts[c]);
  }
  return cells;
}

}  // namespace

Result<Image> CheckUploadedFrame(std::string_view bytes, int width, int height, FrameFault* fault) {
  FrameFault ignored;
  FrameFault& found = fault != nullptr ? *fault : ignored;
  found = FrameFault::kCorrupt;
  // The header alone settles the size: a few bytes claiming a huge image
  // are refused before any pixel memory is allocated for them.
  const Result<PngHeader> header = ReadPngHeader(bytes);
  if (!header.ok()) return Status::InvalidArgument("corrupt image: " + header.status().message());
  found = FrameFault::kWrongSize;
  if (static_cast<int64_t>(header->width) != width ||
      static_cast<int64_t>(header->height) != height) {
    return Status::InvalidArgument("wrong size: the frame is " + std::to_string(header->width) +
                                   "x" + std::to_string(header->height) + ", the job asked for " +
                                   std::to_string(width) + "x" + std::to_string(height));
  }
  found = FrameFault::kCorrupt;
  Result<Image> image = DecodePngOfSize(bytes, width, height);
  if (!image.ok()) {
    return Status::InvalidArgument("corrupt image: " + image.status().message());
  }
  float lo = 1e30f, hi = -1e30f;
  for (size_t i = 0; i < image->rgba.size(); i += 4) {
    const float* p = &image->rgba[i];
    const float luma = (0.2126f * p[0] + 0.7152f * p[1] + 0.0722f * p[2]) * p[3];
    lo = std::min(lo, luma);
    hi = std::max(hi, luma);
  }
  found = FrameFault::kBlank;
  if (!(hi - lo > 1.5f / 255.0f)) {
    return Status::InvalidArgument("blank frame: every pixel has the same brightness");
  }
  found = FrameFault::kNone;
  return image;
}

double FrameDifference(const Image& a, const Image& b, int grid) {
  if (a.width <= 0 || b.width <= 0 || a.height <= 0 || b.height <= 0) return 1.0;
  // No finer than the smaller image, or its cells would hold no pixels.
  grid = std::max(1, std::min({grid, a.width, a.height, b.width, b.height}));
  const std::vector<double> ra = Reduce(a, grid), rb = Reduce(b, grid);
  double sum = 0.0;
  for (size_t i = 0; i < ra.size(); ++i) sum += std::abs(ra[i] - rb[i]);
  return sum / static_cast<double>(ra.size());
}

bool IsTrusted(const ValidationPolicy& policy, int64_t verified_results, int64_t invalid_results) {
  return verified_results >= policy.trusted_after && invalid_results == 0;
}

CheckKind ChooseCheck(const ValidationPolicy& policy, int64_t verified_results,
                      int64_t invalid_results, uint64_t draw) {
  // New or suspect: another volunteer renders the frame too (BOINC's
  // replication); unless that one is trusted, the reference settles it.
  if (verified_results < policy.new_worker_replicas || invalid_results > 0) {
    return CheckKind::kReplica;
  }
  if (!IsTrusted(policy, verified_results, invalid_results)) return CheckKind::kReference;
  // Trusted: adaptive replication, an occasional spot check keeps it honest.
  const uint64_t every = static_cast<uint64_t>(std::max(1, policy.trusted_spot_check_every));
  return draw % every == 0 ? CheckKind::kReference : CheckKind::kTrusted;
}

const char* CheckKindName(CheckKind kind) {
  switch (kind) {
    case CheckKind::kReplica:
      return "replica";
    case CheckKind::kReference:
      return "reference";
    case CheckKind::kTrusted:
      return "trusted";
  }
  return "?";
}

}  // namespace flamegrid::coordinator
