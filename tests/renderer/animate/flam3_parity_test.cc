// Our sequences against flam3-genome's, control point by control point, and a
// rendered frame against flam3-animate's. Skips when the flam3 tools, the
// genome parser or the renderer are not available.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>

#include "renderer/animate/sequence.h"
#include "renderer/genome/flam3_xml.h"
#include "renderer/image/image_io.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[65536];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

bool HaveTool(const char* name) {
  return std::system((std::string("command -v ") + name + " >/dev/null 2>&1").c_str()) == 0;
}

struct AffineError {
  double max_coef = 0.0;
  double max_weight = 0.0;
  double max_palette = 0.0;
  double max_camera = 0.0;
};

// Compares two control points after flam3 wrote its own with 6 significant digits.
void Accumulate(const Flame& ours, const Flame& theirs, AffineError& e) {
  auto rel = [](double x, double y) { return std::fabs(x - y) / std::max(1.0, std::fabs(y)); };
  ASSERT_EQ(ours.xforms.size(), theirs.xforms.size());
  for (size_t i = 0; i < ours.xforms.size(); ++i) {
    const Xform& p = ours.xforms[i];
    const Xform& q = theirs.xforms[i];
    for (auto [x, y] : {std::pair{p.affine.a, q.affine.a},
                        {p.affine.b, q.affine.b},
                        {p.affine.c, q.affine.c},
                        {p.affine.d, q.affine.d},
                        {p.affine.e, q.affine.e},
                        {p.affine.f, q.affine.f},
                        {p.post.a, q.post.a},
                        {p.post.b, q.post.b},
                        {p.post.c, q.post.c},
                        {p.post.d, q.post.d},
                        {p.post.e, q.post.e},
                        {p.post.f, q.post.f}}) {
      e.max_coef = std::max(e.max_coef, rel(x, y));
    }
    e.max_weight = std::max(e.max_weight, rel(p.weight, q.weight));
    e.max_weight = std::max(e.max_weight, rel(p.color, q.color));
    for (int v = 0; v < kVariationCount; ++v) {
      e.max_weight = std::max(e.max_weight, rel(p.variations[v], q.variations[v]));
    }
  }
  for (int i = 0; i < kPaletteSize; ++i) {
    const Rgba& x = ours.palette.colors[i];
    const Rgba& y = theirs.palette.colors[i];
    e.max_palette =
        std::max({e.max_palette, std::fabs(x.r - y.r), std::fabs(x.g - y.g), std::fabs(x.b - y.b)});
  }
  for (auto [x, y] : {std::pair{ours.center_x, theirs.center_x},
                      {ours.center_y, theirs.center_y},
                      {ours.pixels_per_unit, theirs.pixels_per_unit},
                      {ours.rotate, theirs.rotate},
                      {ours.gamma, theirs.gamma},
                      {ours.brightness, theirs.brightness}}) {
    e.max_camera = std::max(e.max_camera, rel(x, y));
  }
}

class Flam3Parity : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveTool("flam3-genome")) GTEST_SKIP() << "flam3-genome not installed";
    const fs::path dir = FLAMEGRID_SHEEP_GENOMES;
        for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".flam3") files_.push_back(entry.path().string());
    }
    std::sort(files_.begin(), files_.end());
    if (files_.size() < 2) GTEST_SKIP() << "need two genomes";
    auto probe = ReadFlam3File(files_[0]);
    if (!probe.ok()) GTEST_SKIP() << "genome parser not available: " << probe.status().ToString();
  }
  std::vector<std::string> files_;
};

TEST_F(Flam3Parity, SequenceControlPointsMatchFlam3Genome) {
  const int frames = 6;
  for (size_t pair = 0; pair + 1 < files_.size(); pair += 2) {
    const fs::path tmp =
        fs::temp_directory_path() / ("fg_animate_pair_" + std::to_string(::getpid()) + ".flam3");
    std::string joined = "<flames>\n";
    std::vector<Flame> flames;
    for (size_t k = pair; k < pair + 2; ++k) {
      auto f = ReadFlam3File(files_[k]);
      ASSERT_TRUE(f.ok()) << f.status().ToString();
      flames.push_back((*f)[0]);
      joined += WriteFlameXml((*f)[0]) + "\n";
    }
    joined += "</flames>\n";
    {
      FILE* out = std::fopen(tmp.c_str(), "w");
      ASSERT_NE(out, nullptr);
      std::fwrite(joined.data(), 1, joined.size(), out);
      std::fclose(out);
    }
    const std::string xml =
        RunCommand("env sequence=" + tmp.string() + " nframes=" + std::to_string(frames) +
                   " flam3-genome 2>/dev/null");
    fs::remove(tmp);
    auto theirs = ParseFlam3(xml);
    ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
    auto ours = MakeSequence(flames, frames);
    ASSERT_TRUE(ours.ok());
    ASSERT_EQ(ours->size(), theirs->size());
    AffineError e;
    for (size_t i = 0; i < ours->size(); ++i) {
      SCOPED_TRACE("control point " + std::to_string(i));
      Accumulate((*ours)[i], (*theirs)[i], e);
    }
    std::printf("pair %zu: max rel coef %.3g, weights %.3g, palette %.3g, camera %.3g\n", pair,
                e.max_coef, e.max_weight, e.max_palette, e.max_camera);
    // flam3 prints 6 significant digits; palettes go through 8-bit... or floats.
    EXPECT_LT(e.max_coef, 2e-5);
    EXPECT_LT(e.max_weight, 2e-5);
    EXPECT_LT(e.max_palette, 1.0 / 255 + 1e-6);
    EXPECT_LT(e.max_camera, 2e-5);
  }
}

// Peak signal-to-noise ratio of the RGB channels, in dB.
double Psnr(const Image& x, const Image& y) {
  double sum = 0.0;
  size_t n = 0;
  for (size_t i = 0; i < x.rgba.size(); ++i) {
    if (i % 4 == 3) continue;
    const double d = std::clamp<double>(x.rgba[i], 0, 1) - std::clamp<double>(y.rgba[i], 0, 1);
    sum += d * d;
    ++n;
  }
  const double mse = sum / std::max<size_t>(n, 1);
  return mse == 0.0 ? 99.0 : 10.0 * std::log10(1.0 / mse);
}

TEST_F(Flam3Parity, SequenceFramesRenderLikeFlam3Animate) {
  if (!HaveTool("flam3-animate")) GTEST_SKIP() << "flam3-animate not installed";
  const fs::path dir = fs::temp_directory_path() / ("fg_animate_img_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string pair = (dir / "pair.flam3").string();
  RunCommand("(echo '<flames>'; grep -hv '^<?xml' '" + files_[0] + "' '" + files_[1] +
             "'; echo '</flames>') > '" + pair + "'");
  std::string xml = RunCommand("env sequence=" + pair + " nframes=4 flam3-genome 2>/dev/null");
  // Tiny and quick: 64x48, quality 50, 20 temporal samples.
  xml = std::regex_replace(xml, std::regex("size=\"800 592\""), "size=\"64 48\"");
  xml = std::regex_replace(xml, std::regex("quality=\"[0-9.]+\""), "quality=\"50\"");
  xml = std::regex_replace(xml, std::regex("supersample=\"[0-9]+\""), "supersample=\"1\"");
  xml =
      std::regex_replace(xml, std::regex("temporal_samples=\"[0-9]+\""), "temporal_samples=\"20\"");
  const std::string seq = (dir / "seq.flam3").string();
  {
    FILE* out = std::fopen(seq.c_str(), "w");
    ASSERT_NE(out, nullptr);
    std::fwrite(xml.data(), 1, xml.size(), out);
    std::fclose(out);
  }
  auto cps = ParseFlam3(xml);
  ASSERT_TRUE(cps.ok()) << cps.status().ToString();
  for (int frame : {2, 6}) {  // inside loop A, inside the edge
    Image flam3_runs[2];
    for (int seed = 0; seed < 2; ++seed) {
      const std::string prefix = (dir / ("s" + std::to_string(seed) + ".")).string();
      RunCommand("env in=" + seq + " begin=" + std::to_string(frame) +
                 " end=" + std::to_string(frame) + " prefix=" + prefix + " format=png isaac_seed=" +
                 std::to_string(seed + 1) + " flam3-animate >/dev/null 2>&1");
      char name[32];
      std::snprintf(name, sizeof name, "%05d.png", frame);
      auto image = ReadImage(prefix + name);
      ASSERT_TRUE(image.ok()) << image.status().ToString();
      flam3_runs[seed] = std::move(*image);
    }
    RenderOptions options;
    options.seed = 7;
    options.threads = 1;
    auto ours = RenderSequenceFrame(*cps, frame, options);
    if (!ours.ok()) GTEST_SKIP() << "renderer not available: " << ours.status().ToString();
    ASSERT_EQ(ours->width, flam3_runs[0].width);
    ASSERT_EQ(ours->height, flam3_runs[0].height);
    const double noise = Psnr(flam3_runs[0], flam3_runs[1]);
    const double ours_vs = Psnr(*ours, flam3_runs[0]);
    std::printf("frame %d: flam3 seed-to-seed %.2f dB, ours vs flam3 %.2f dB\n", frame, noise,
                ours_vs);
    EXPECT_GE(ours_vs, noise - 3.0) << "frame " << frame;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace flamegrid
