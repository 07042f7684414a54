// FrameJob: one frame of a sequence to render under a lease, the one shape
// of a frame job on both ends of the wire. The coordinator's scheduler builds
// it from its database rows, its GridService sends it (proto/shared/job_wire.h
// converts it to and from v1::FrameJob), the worker receives and renders it,
// and the coordinator's reference render draws the same job at a smaller
// scale. FrameRenderer (proto/shared/frame_renderer.h) takes it.
//
// A plain value; copies are cheap because the control points are shared and
// immutable. Safe to read from many threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace flamegrid {

struct FrameJob {
  // Which job, which lease on it (uploads and heartbeats quote the lease),
  // which sequence. The reference render has no lease: 0.
  int64_t job_id = 0;
  int64_t lease_id = 0;
  int64_t sequence_id = 0;
  int frame = 0;         // 0 .. frames_total - 1
  int frames_total = 0;  // the sequence's frames
  int width = 0;         // full-size pixels
  int height = 0;
  uint64_t seed = 0;
  // flam3 XML: the control points the frame reads (those around it that motion
  // blur and interpolation use, a handful however long the sequence; times are
  // frame indices), size and quality already set. Immutable and shared; never
  // null in a job the wire delivered.
  std::shared_ptr<const std::string> control_points_xml;
  int64_t deadline_unix_ms = 0;   // the lease lapses then unless extended
  int heartbeat_interval_ms = 0;  // how often the worker extends the lease
  uint64_t max_upload_bytes = 0;  // the coordinator refuses bigger frames; 0: no bound
};

}  // namespace flamegrid
