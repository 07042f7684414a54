// The frame job on the wire: FrameJob (proto/shared/frame_job.h) to and from
// v1::FrameJob, written once for both ends. The coordinator's GridService
// sends jobs with JobToWire; the worker reads them with JobFromWire, which
// checks what a (possibly hostile) coordinator sent before anything renders
// it. Pure functions, thread-safe.
#pragma once

#include "flamegrid/v1/grid.pb.h"
#include "proto/shared/frame_job.h"
#include "renderer/base/status.h"

namespace flamegrid {

// Overwrites every field of `wire` with `job`'s.
void JobToWire(const FrameJob& job, v1::FrameJob* wire);

// The job `wire` describes. InvalidArgument, naming the field, when it is not
// a job the worker can render and report: a negative id, a size outside the
// renderer's limits, a frame outside 0 .. frames_total - 1, no control points
// or a heartbeat interval that is not positive.
Result<FrameJob> JobFromWire(const v1::FrameJob& wire);

}  // namespace flamegrid
