#include "renderer/image/image_io.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

Image Gradient(int w, int h) {
  Image image(w, h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      float* p = image.Pixel(x, y);
      p[0] = static_cast<float>(x) / (w - 1);
      p[1] = static_cast<float>(y) / (h - 1);
      p[2] = 0.25f;
      p[3] = (x + y) % 2 ? 1.0f : 0.5f;
    }
  }
  return image;
}

class ImageIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fg_image_io_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(QuantizeTest, RoundsAndClamps) {
  EXPECT_EQ(QuantizeTo8Bit(-1.0f), 0);
  EXPECT_EQ(QuantizeTo8Bit(std::nanf("")), 0);
  EXPECT_EQ(QuantizeTo8Bit(2.0f), 255);
  EXPECT_EQ(QuantizeTo8Bit(1.0f), 255);
  EXPECT_EQ(QuantizeTo8Bit(0.5f), 127);  // truncates, as flam3 does
  EXPECT_EQ(QuantizeTo8Bit(128.0f / 255.0f), 128);
  EXPECT_EQ(QuantizeTo8Bit(254.99f / 255.0f), 254);
}

TEST_F(ImageIoTest, PngRoundTripKeepsPixelsAlphaAndGenome) {
  Image image = Gradient(17, 9);
  ImageWriteOptions options;
  options.alpha = true;
  options.genome_xml = "<flame name=\"x\"/>";
  const std::string path = (dir_ / "a.png").string();
  ASSERT_TRUE(WriteImage(image, path, options).ok());
  EXPECT_FALSE(fs::exists(path + ".partial"));
  auto read = ReadImage(path);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->width, 17);
  ASSERT_EQ(read->height, 9);
  for (size_t i = 0; i < image.rgba.size(); ++i) {
    ASSERT_NEAR(read->rgba[i], QuantizeTo8Bit(image.rgba[i]) / 255.0f, 1e-6) << i;
  }
  auto genome = ReadImageGenome(path);
  ASSERT_TRUE(genome.ok()) << genome.status().ToString();
  EXPECT_EQ(*genome, options.genome_xml);
}

TEST_F(ImageIoTest, SixteenBitPngIsFiner) {
  Image image = Gradient(300, 2);
  ImageWriteOptions options;
  options.bits = 16;
  const std::string path = (dir_ / "b.png").string();
  ASSERT_TRUE(WriteImage(image, path, options).ok());
  auto read = ReadImage(path);
  ASSERT_TRUE(read.ok());
  for (size_t i = 0; i < image.rgba.size(); i += 4) {
    ASSERT_NEAR(read->rgba[i], image.rgba[i], 1.0 / 65535);
  }
  EXPECT_EQ(read->rgba[3], 1.0f);  // no alpha asked: opaque
}

TEST_F(ImageIoTest, ExrKeepsLinearValuesAboveOne) {
  Image image = Gradient(8, 8);
  image.linear = true;
  image.Pixel(3, 3)[0] = 7.5f;
  const std::string path = (dir_ / "c.exr").string();
  ASSERT_TRUE(WriteImage(image, path, {}).ok());
  auto read = ReadImage(path);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->linear);
  EXPECT_FLOAT_EQ(read->Pixel(3, 3)[0], 7.5f);
}

TEST_F(ImageIoTest, JpegIsClose) {
  Image image = Gradient(32, 32);
  const std::string path = (dir_ / "d.jpg").string();
  ASSERT_TRUE(WriteImage(image, path, {}).ok());
  auto read = ReadImage(path);
  ASSERT_TRUE(read.ok());
  EXPECT_NEAR(read->Pixel(16, 16)[0], image.Pixel(16, 16)[0], 0.05);
}

TEST_F(ImageIoTest, EncodeDecodeInMemory) {
  Image image = Gradient(10, 4);
  auto bytes = EncodeImage(image, "png", {});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto decoded = DecodeImage(*bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->width, 10);
  EXPECT_NEAR(decoded->Pixel(9, 3)[0], 1.0f, 1e-6);
}

TEST_F(ImageIoTest, GarbageIsCorruptionNotACrash) {
  EXPECT_EQ(DecodeImage("").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DecodeImage("hello, not an image").status().code(), StatusCode::kCorruption);
  auto bytes = EncodeImage(Gradient(10, 10), "png", {});
  ASSERT_TRUE(bytes.ok());
  std::string truncated = bytes->substr(0, bytes->size() / 2);
  EXPECT_FALSE(DecodeImage(truncated).ok());
  std::string flipped = *bytes;
  for (size_t i = 40; i < flipped.size(); i += 7) flipped[i] ^= 0x5a;
  EXPECT_FALSE(DecodeImage(flipped).ok());
}

TEST_F(ImageIoTest, BadPathsAndImagesAreErrors) {
  Image image = Gradient(4, 4);
  EXPECT_EQ(WriteImage(image, (dir_ / "x.bmpx").string(), {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(WriteImage(image, (dir_ / "no/such/dir/x.png").string(), {}).code(),
            StatusCode::kIoError);
  ImageWriteOptions bad_bits;
  bad_bits.bits = 12;
  EXPECT_EQ(WriteImage(image, (dir_ / "x.png").string(), bad_bits).code(),
            StatusCode::kInvalidArgument);
  Image broken;
  broken.width = 3;
  broken.height = 3;
  EXPECT_EQ(WriteImage(broken, (dir_ / "y.png").string(), {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadImage((dir_ / "missing.png").string()).status().code(), StatusCode::kNotFound);
  std::ofstream((dir_ / "junk.png").string()) << "junk";
  EXPECT_FALSE(ReadImage((dir_ / "junk.png").string()).ok());
}

}  // namespace
}  // namespace flamegrid
