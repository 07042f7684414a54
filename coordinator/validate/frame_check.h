// Frame checks: what the coordinator verifies about an uploaded frame before
// it is trusted (decodable, the size the job asked for, not blank, and alike
// to a second render of the same frame), and the trust policy that decides
// which second render to compare with. Stateless functions and a value-type
// policy; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

#include "renderer/base/status.h"
#include "renderer/image/image.h"

namespace flamegrid::coordinator {

// Which of CheckUploadedFrame's checks an upload failed.
enum class FrameFault {
  kNone,
  kCorrupt,    // it does not decode
  kWrongSize,  // not the size the job asked for
  kBlank,      // every pixel has the same brightness
};

// Decodes `bytes` (a PNG, the format workers upload) and checks size and
// content. The size is checked from the PNG header before anything is
// decoded, so what decoding allocates is bounded by width x height.
// InvalidArgument says which check failed ("corrupt image", "wrong size",
// "blank frame"), and so does `fault` when given.
Result<Image> CheckUploadedFrame(std::string_view bytes, int width, int height,
                                 FrameFault* fault = nullptr);

// Mean absolute difference of the two images' colours, both reduced to a
// coarse grid (so a low-resolution reference compares with a full render).
// 0 is identical; noise against a real frame scores about 0.2 and more.
double FrameDifference(const Image& a, const Image& b, int grid = 16);

// Trust is earned only by verified results: results that agreed with a
// trusted worker's render or with the coordinator's own reference render
// (two untrusted workers agreeing verify nothing), and lost with the
// worker's quarantine on a disagreement.
struct ValidationPolicy {
  double replica_tolerance = 0.04;    // two full renders of the same frame
  double reference_tolerance = 0.10;  // a full render against the coordinator's small one
  int trusted_after = 10;             // verified results before a worker is trusted
  int new_worker_replicas = 3;        // a worker's first verified results come from replicas
  int trusted_spot_check_every = 10;  // a trusted worker's results: 1 in N is checked
  double reference_size_scale = 0.25;
  double reference_quality_scale = 0.25;
};

enum class CheckKind {
  kReplica,    // wait for a second worker's render of the frame
  kReference,  // compare with the coordinator's low-resolution render now
  kTrusted,    // accept on the worker's record
};

// Whether a worker with this record is trusted: enough verified results and
// no refused one.
bool IsTrusted(const ValidationPolicy& policy, int64_t verified_results, int64_t invalid_results);

// Chooses the check for a result from a worker with this record. `draw` is a
// uniform random number (the caller's), so the choice is testable.
CheckKind ChooseCheck(const ValidationPolicy& policy, int64_t verified_results,
                      int64_t invalid_results, uint64_t draw);

const char* CheckKindName(CheckKind kind);

}  // namespace flamegrid::coordinator
