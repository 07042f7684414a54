// The "Submit" attack of issue 15 against a real coordinator (real loop
// planner): absurd submissions (quality 1e300, inf, NaN; 6,000 frames; a
// huge size; a genome asking for absurd supersampling) are each refused with
// INVALID_ARGUMENT naming the field, never accepted nor INTERNAL; and a
// sequence at the frame limit hands out jobs whose control points are a few
// kilobytes, however many frames it has (before: every job carried every
// frame's control points, 69 MB at 6,000 frames, more than any worker could
// lease).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

#include "tests/security/hostile_grid.h"

namespace flamegrid::testing {
namespace {

std::string SheepGenome() {
  std::ifstream in(std::string(FLAMEGRID_SOURCE_DIR) +
                   "/assets/genomes/electricsheep.244.00216.flam3");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Submission {
  int frames = 128;
  int width = 64;
  int height = 48;
  double quality = 10;
  std::string genome = SheepGenome();
};

grpc::Status Submit(HostileGrid& grid, const Submission& s, int64_t* sequence_id = nullptr) {
  v1::SubmitRequest request;
  request.set_admin_token(ReadAdminToken(grid.data_dir()));
  request.set_genome_xml(s.genome);
  request.set_frames(s.frames);
  request.set_width(s.width);
  request.set_height(s.height);
  request.set_quality(s.quality);
  v1::SubmitResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  grpc::Status status = grid.admin().Submit(&context, request, &response);
  if (sequence_id != nullptr) *sequence_id = response.sequence_id();
  return status;
}

TEST(SubmitAttack, AbsurdSubmissionsAreRefusedNamingTheField) {
  HostileGrid grid("security_submit_refused");
  ASSERT_TRUE(grid.Start({}, /*fake_render=*/false)) << grid.Log();

  struct Attack {
    const char* what;
    Submission submission;
    const char* field;
  };
  Submission huge_quality, inf_quality, nan_quality, many_frames, huge_size, supersampled;
  huge_quality.quality = 1e300;
  inf_quality.quality = std::numeric_limits<double>::infinity();
  nan_quality.quality = std::numeric_limits<double>::quiet_NaN();
  many_frames.frames = 6000;
  huge_size.width = huge_size.height = 8192;
  std::string genome = SheepGenome();
  const size_t at = genome.find("supersample=\"4\"");
  ASSERT_NE(at, std::string::npos);
  supersampled.genome = genome.replace(at, 15, "supersample=\"16\"");
  const Attack attacks[] = {
      {"quality 1e300", huge_quality, "quality"}, {"quality inf", inf_quality, "quality"},
      {"quality NaN", nan_quality, "quality"},    {"6000 frames", many_frames, "frames"},
      {"8192x8192", huge_size, "width"},          {"supersample 16", supersampled, "supersample"},
  };
  for (const Attack& attack : attacks) {
    int64_t id = 0;
    const grpc::Status s = Submit(grid, attack.submission, &id);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << attack.what << ": code " << s.error_code() << " " << s.error_message() << " (sequence "
        << id << ")";
    EXPECT_NE(s.error_message().find(attack.field), std::string::npos)
        << attack.what << ": " << s.error_message();
  }
  // Nothing entered the grid; an honest loop still does.
  auto status = AdminStatus(grid.admin(), grid.data_dir());
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->sequences_size(), 0);
  EXPECT_TRUE(Submit(grid, Submission{}).ok());
}

TEST(SubmitAttack, AJobAtTheFrameLimitCarriesAFewControlPointsNotTheSequence) {
  constexpr int kFrames = 6000;  // the attack, here at the configured limit
  HostileGrid grid("security_submit_window");
  ASSERT_TRUE(grid.Start({"--max-frames", std::to_string(kFrames)}, /*fake_render=*/false))
      << grid.Log();
  Submission at_limit;
  at_limit.frames = kFrames;
  int64_t id = 0;
  const grpc::Status submitted = Submit(grid, at_limit, &id);
  ASSERT_TRUE(submitted.ok()) << submitted.error_message();
  Submission over = at_limit;
  over.frames = kFrames + 1;
  EXPECT_EQ(Submit(grid, over).error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  // Leased with the gRPC client's default 4 MB receive limit, as a worker does.
  for (int i = 0; i < 3; ++i) {
    const v1::WorkerCredentials me = RegisterWorker(grid.grid(), "w" + std::to_string(i));
    v1::LeaseRequest request;
    *request.mutable_credentials() = me;
    v1::LeaseResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    const grpc::Status leased = grid.grid().LeaseJob(&context, request, &response);
    ASSERT_TRUE(leased.ok()) << leased.error_code() << " " << leased.error_message();
    ASSERT_TRUE(response.job_available());
    const v1::FrameJob& job = response.job();
    EXPECT_EQ(job.sequence_id(), id);
    EXPECT_EQ(job.frames_total(), kFrames);
    EXPECT_LT(job.control_points_xml().size(), 64u << 10) << "frame " << job.frame();
    std::printf("frame %d of %d: %zu bytes of control points; coordinator peak %lld kB\n",
                job.frame(), kFrames, job.control_points_xml().size(),
                static_cast<long long>(grid.PeakRssKb()));
  }
}

}  // namespace
}  // namespace flamegrid::testing
