#include "proto/shared/job_wire.h"

#include <string>
#include <utility>

#include "renderer/genome/limits.h"

namespace flamegrid {
namespace {

Status Refused(const std::string& why) {
  return Status::InvalidArgument("coordinator sent a frame job with " + why);
}

}  // namespace

void JobToWire(const FrameJob& job, v1::FrameJob* wire) {
  wire->set_job_id(job.job_id);
  wire->set_lease_id(job.lease_id);
  wire->set_sequence_id(job.sequence_id);
  wire->set_frame(job.frame);
  wire->set_frames_total(job.frames_total);
  wire->set_width(job.width);
  wire->set_height(job.height);
  wire->set_seed(job.seed);
  if (job.control_points_xml != nullptr) {
    wire->set_control_points_xml(*job.control_points_xml);
  } else {
    wire->clear_control_points_xml();
  }
  wire->set_deadline_unix_ms(job.deadline_unix_ms);
  wire->set_heartbeat_interval_ms(job.heartbeat_interval_ms);
  wire->set_max_upload_bytes(job.max_upload_bytes);
}

Result<FrameJob> JobFromWire(const v1::FrameJob& wire) {
  if (wire.job_id() < 0 || wire.lease_id() < 0 || wire.sequence_id() < 0) {
    return Refused("a negative id (job " + std::to_string(wire.job_id()) + ", lease " +
                   std::to_string(wire.lease_id()) + ", sequence " +
                   std::to_string(wire.sequence_id()) + ")");
  }
  if (wire.width() < 1 || wire.height() < 1 || wire.width() > kMaxImageDimension ||
      wire.height() > kMaxImageDimension ||
      int64_t{wire.width()} * wire.height() > kMaxImagePixels) {
    return Refused("a size of " + std::to_string(wire.width()) + "x" +
                   std::to_string(wire.height()) + " pixels");
  }
  if (wire.frame() < 0 || wire.frame() >= wire.frames_total()) {
    return Refused("frame " + std::to_string(wire.frame()) + " of a sequence of " +
                   std::to_string(wire.frames_total()) + " frames");
  }
  if (wire.control_points_xml().empty()) return Refused("no control points");
  if (wire.heartbeat_interval_ms() <= 0) {
    return Refused("a heartbeat interval of " + std::to_string(wire.heartbeat_interval_ms()) +
                   " ms");
  }
  FrameJob job;
  job.job_id = wire.job_id();
  job.lease_id = wire.lease_id();
  job.sequence_id = wire.sequence_id();
  job.frame = wire.frame();
  job.frames_total = wire.frames_total();
  job.width = wire.width();
  job.height = wire.height();
  job.seed = wire.seed();
  job.control_points_xml = std::make_shared<const std::string>(wire.control_points_xml());
  job.deadline_unix_ms = wire.deadline_unix_ms();
  job.heartbeat_interval_ms = wire.heartbeat_interval_ms();
  job.max_upload_bytes = wire.max_upload_bytes();
  return job;
}

}  // namespace flamegrid
