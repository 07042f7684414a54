#include "proto/shared/job_wire.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace flamegrid {
namespace {

// A job whose every field differs from its default and from the others.
FrameJob SampleJob() {
  FrameJob job;
  job.job_id = 41;
  job.lease_id = (int64_t{1} << 61) + 3;
  job.sequence_id = 7;
  job.frame = 9;
  job.frames_total = 120;
  job.width = 800;
  job.height = 592;
  job.seed = std::numeric_limits<uint64_t>::max() - 5;
  job.control_points_xml = std::make_shared<const std::string>("<flames><flame/></flames>");
  job.deadline_unix_ms = 1'790'000'000'123;
  job.heartbeat_interval_ms = 30'000;
  job.max_upload_bytes = uint64_t{64} << 20;
  return job;
}

v1::FrameJob SampleWire() {
  v1::FrameJob wire;
  JobToWire(SampleJob(), &wire);
  return wire;
}

TEST(JobWireTest, RoundTripKeepsEveryField) {
  const FrameJob sent = SampleJob();
  v1::FrameJob wire;
  JobToWire(sent, &wire);
  // Every field of the wire message is set: a field added to the wire and
  // forgotten by JobToWire stays at its default and fails here.
  const auto* descriptor = wire.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    EXPECT_TRUE(wire.GetReflection()->HasField(wire, descriptor->field(i)))
        << descriptor->field(i)->name() << " not sent";
  }
  v1::FrameJob parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire.SerializeAsString()));
  Result<FrameJob> received = JobFromWire(parsed);
  ASSERT_TRUE(received.ok()) << received.status().ToString();
  EXPECT_EQ(received->job_id, sent.job_id);
  EXPECT_EQ(received->lease_id, sent.lease_id);
  EXPECT_EQ(received->sequence_id, sent.sequence_id);
  EXPECT_EQ(received->frame, sent.frame);
  EXPECT_EQ(received->frames_total, sent.frames_total);
  EXPECT_EQ(received->width, sent.width);
  EXPECT_EQ(received->height, sent.height);
  EXPECT_EQ(received->seed, sent.seed);
  ASSERT_NE(received->control_points_xml, nullptr);
  EXPECT_EQ(*received->control_points_xml, *sent.control_points_xml);
  EXPECT_EQ(received->deadline_unix_ms, sent.deadline_unix_ms);
  EXPECT_EQ(received->heartbeat_interval_ms, sent.heartbeat_interval_ms);
  EXPECT_EQ(received->max_upload_bytes, sent.max_upload_bytes);
}

TEST(JobWireTest, ToWireOverwritesAnEarlierJob) {
  v1::FrameJob wire = SampleWire();
  FrameJob bare;
  bare.frame = 1;
  JobToWire(bare, &wire);
  EXPECT_EQ(wire.job_id(), 0);
  EXPECT_EQ(wire.frame(), 1);
  EXPECT_EQ(wire.control_points_xml(), "");
  EXPECT_EQ(wire.max_upload_bytes(), 0u);
}

TEST(JobWireTest, RefusesJobsItCannotRenderOrReport) {
  ASSERT_TRUE(JobFromWire(SampleWire()).ok());
  struct Hostile {
    const char* what;
    std::function<void(v1::FrameJob&)> spoil;
  };
  const std::vector<Hostile> hostile = {
      {"zero width", [](v1::FrameJob& w) { w.set_width(0); }},
      {"zero height", [](v1::FrameJob& w) { w.set_height(0); }},
      {"negative width", [](v1::FrameJob& w) { w.set_width(-800); }},
      {"absurd width", [](v1::FrameJob& w) { w.set_width(1 << 20); }},
      {"absurd height", [](v1::FrameJob& w) { w.set_height(std::numeric_limits<int32_t>::max()); }},
      {"absurd width of a thin strip",
       [](v1::FrameJob& w) {
         w.set_width(40000);
         w.set_height(1);
       }},
      {"absurd pixel count",
       [](v1::FrameJob& w) {
         w.set_width(30000);
         w.set_height(30000);
       }},
      {"frame at frames total", [](v1::FrameJob& w) { w.set_frame(w.frames_total()); }},
      {"frame past frames total", [](v1::FrameJob& w) { w.set_frame(1000); }},
      {"negative frame", [](v1::FrameJob& w) { w.set_frame(-1); }},
      {"no frames",
       [](v1::FrameJob& w) {
         w.set_frame(0);
         w.set_frames_total(0);
       }},
      {"negative job id", [](v1::FrameJob& w) { w.set_job_id(-1); }},
      {"negative lease id", [](v1::FrameJob& w) { w.set_lease_id(-41); }},
      {"negative sequence id", [](v1::FrameJob& w) { w.set_sequence_id(-7); }},
      {"empty control points", [](v1::FrameJob& w) { w.clear_control_points_xml(); }},
      {"zero heartbeat interval", [](v1::FrameJob& w) { w.set_heartbeat_interval_ms(0); }},
      {"negative heartbeat interval", [](v1::FrameJob& w) { w.set_heartbeat_interval_ms(-5); }},
  };
  for (const Hostile& h : hostile) {
    v1::FrameJob wire = SampleWire();
    h.spoil(wire);
    Result<FrameJob> job = JobFromWire(wire);
    ASSERT_FALSE(job.ok()) << h.what << " was accepted";
    EXPECT_EQ(job.status().code(), StatusCode::kInvalidArgument) << h.what;
  }
}

TEST(JobWireTest, AcceptsTheEdgesOfWhatIsValid) {
  v1::FrameJob wire = SampleWire();
  wire.set_frame(wire.frames_total() - 1);
  wire.set_width(1);
  wire.set_height(1);
  wire.set_job_id(0);
  wire.set_max_upload_bytes(0);  // no bound
  EXPECT_TRUE(JobFromWire(wire).ok());
  wire = SampleWire();
  wire.set_frame(0);
  wire.set_width(16384);
  wire.set_height(8192);  // the renderer's largest image
  EXPECT_TRUE(JobFromWire(wire).ok());
}

}  // namespace
}  // namespace flamegrid
