// The submit limits (coordinator/schedule/submit_limits.h): each field of a
// spec and each value a genome asks for is refused past its limit, with an
// InvalidArgument naming the field, the value and the limit; NaN and the
// infinities are refused; Electric Sheep's genomes at the flock profile pass.
#include "coordinator/schedule/submit_limits.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "coordinator/flock/flock_profile.h"
#include "coordinator/schedule/scheduler.h"
#include "renderer/genome/flam3_xml.h"

namespace flamegrid::coordinator {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

const char* kSheep[] = {"electricsheep.244.00216.flam3", "electricsheep.244.80692.flam3"};

std::string SheepXml(const std::string& name) {
  auto flames = ReadFlam3File(std::string(FLAMEGRID_SOURCE_DIR) + "/assets/genomes/" + name);
  EXPECT_TRUE(flames.ok()) << flames.status().ToString();
  return flames.ok() ? WriteFlam3(*flames) : "";
}

// A loop as the flock profile makes it (Electric Sheep's 128 frames of 640x480).
SubmitSpec ProfileLoop(const std::string& genome_xml = "") {
  SubmitSpec spec;
  spec.genome_xml = genome_xml;
  EXPECT_TRUE(FillFromProfile(FlockProfile{}, spec).ok());
  return spec;
}

TEST(SubmitLimits, ElectricSheepAtTheFlockProfilePasses) {
  const SubmitLimits limits;
  for (const char* sheep : kSheep) {
    EXPECT_TRUE(CheckSubmit(ProfileLoop(SheepXml(sheep)), limits).ok()) << sheep;
    // And with the genome's own quality (2000) and size.
    SubmitSpec own = ProfileLoop(SheepXml(sheep));
    own.quality = -1;
    own.width = 800;
    own.height = 592;
    EXPECT_TRUE(CheckSubmit(own, limits).ok()) << sheep;
  }
}

struct Case {
  const char* what;
  std::function<void(SubmitSpec&)> change;
  std::vector<std::string> message;  // what the refusal names
};

TEST(SubmitLimits, EachFieldIsRefusedPastItsLimitNamingFieldValueAndLimit) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<Case> cases = {
      {"too many frames", [](SubmitSpec& s) { s.frames = 6000; }, {"frames", "6000", "1000"}},
      {"100000 frames", [](SubmitSpec& s) { s.frames = 100000; }, {"frames", "100000", "1000"}},
      {"one frame", [](SubmitSpec& s) { s.frames = 1; }, {"frames", "1", "between 2"}},
      {"wide", [](SubmitSpec& s) { s.width = 8192; }, {"width", "8192", "4096"}},
      {"tall", [](SubmitSpec& s) { s.height = 5000; }, {"height", "5000", "4096"}},
      {"tiny", [](SubmitSpec& s) { s.height = 15; }, {"height", "15", "between 16"}},
      {"4K pixels",
       [](SubmitSpec& s) {
         s.width = 3840;
         s.height = 2160;
       },
       {"size", "3840x2160", "8294400 pixels", "2073600"}},
      {"quality 1e300", [](SubmitSpec& s) { s.quality = 1e300; }, {"quality", "1e+300", "4000"}},
      {"quality 4001", [](SubmitSpec& s) { s.quality = 4001; }, {"quality", "4001", "4000"}},
      {"quality inf", [=](SubmitSpec& s) { s.quality = inf; }, {"quality", "inf", "finite"}},
      {"quality -inf", [=](SubmitSpec& s) { s.quality = -inf; }, {"quality", "-inf", "finite"}},
      {"quality NaN", [=](SubmitSpec& s) { s.quality = nan; }, {"quality", "nan", "finite"}},
      {"fps", [](SubmitSpec& s) { s.fps = 1000; }, {"fps", "1000", "240"}},
      {"negative fps", [](SubmitSpec& s) { s.fps = -1; }, {"fps", "-1"}},
      {"crf", [](SubmitSpec& s) { s.crf = 52; }, {"crf", "52", "51"}},
  };
  const SubmitLimits limits;
  for (const Case& c : cases) {
    SubmitSpec spec = ProfileLoop();
    c.change(spec);
    const Status s = CheckSubmit(spec, limits);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.what << ": " << s.ToString();
    for (const std::string& part : c.message) {
      EXPECT_THAT(s.message(), HasSubstr(part)) << c.what;
    }
  }
}

TEST(SubmitLimits, TheLimitsAreSettings) {
  SubmitLimits loose;
  loose.max_frames = 100000;
  loose.max_frame_side = 8192;
  loose.max_pixels = 8192 * 8192;
  loose.max_quality = 1e6;
  SubmitSpec spec = ProfileLoop();
  spec.frames = 6000;
  spec.width = spec.height = 8192;
  spec.quality = 1e5;
  EXPECT_TRUE(CheckSubmit(spec, loose).ok());
  SubmitLimits tight;
  tight.max_frames = 127;
  EXPECT_THAT(CheckSubmit(ProfileLoop(), tight).message(),
              AllOf(HasSubstr("128"), HasSubstr("127")));
}

TEST(SubmitLimits, TheGenomesOwnValuesAreChecked) {
  auto genomes = ParseFlam3(SheepXml(kSheep[0]));
  ASSERT_TRUE(genomes.ok());
  const Flame sheep = genomes->front();
  const SubmitLimits limits;
  const SubmitSpec profile = ProfileLoop();
  EXPECT_TRUE(CheckSubmitGenome(sheep, profile, limits).ok());

  Flame g = sheep;
  g.supersample = 8;
  EXPECT_THAT(CheckSubmitGenome(g, profile, limits).message(),
              AllOf(HasSubstr("supersample"), HasSubstr("8"), HasSubstr("4")));
  g = sheep;
  g.temporal_samples = 500;
  g.passes = 3;
  EXPECT_THAT(CheckSubmitGenome(g, profile, limits).message(),
              AllOf(HasSubstr("temporal samples"), HasSubstr("1500"), HasSubstr("1000")));
  g = sheep;
  g.temporal_filter_width = 100;
  EXPECT_THAT(CheckSubmitGenome(g, profile, limits).message(),
              AllOf(HasSubstr("temporal_filter_width"), HasSubstr("100"), HasSubstr("4")));
  // The genome's quality counts only when the spec asks for it (quality <= 0).
  g = sheep;
  g.sample_density = 1e6;
  EXPECT_TRUE(CheckSubmitGenome(g, profile, limits).ok());
  SubmitSpec own = profile;
  own.quality = -1;
  EXPECT_THAT(CheckSubmitGenome(g, own, limits).message(),
              AllOf(HasSubstr("quality"), HasSubstr("1000000"), HasSubstr("4000")));

  // Through CheckSubmit: every genome of the document (an edge carries two).
  SubmitSpec edge = ProfileLoop(WriteFlam3(std::vector<Flame>{sheep, g}));
  edge.quality = -1;
  EXPECT_EQ(CheckSubmit(edge, limits).code(), StatusCode::kInvalidArgument);
  edge.quality = 2000;
  EXPECT_TRUE(CheckSubmit(edge, limits).ok());
}

}  // namespace
}  // namespace flamegrid::coordinator
