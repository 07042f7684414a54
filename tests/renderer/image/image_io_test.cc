#include "renderer/image/image_io.h"

#include <gtest/gtest.h>
#include <png.h>
#include <sys/resource.h>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

#include "renderer/image/png_codec.h"
#include "tests/renderer/image/crafted_png.h"

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

// A PNG written by libpng itself in a layout flamegrid never writes.
std::string WritePngWithLibpng(int width, int height, int bit_depth, int color_type, bool interlace,
                               const std::vector<png_byte>& pixels, bool palette_with_alpha) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  std::string out;
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<char*>(data), n);
      },
      nullptr);
  png_set_IHDR(png, info, width, height, bit_depth, color_type,
               interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  if (color_type == PNG_COLOR_TYPE_PALETTE) {
    png_color palette[2] = {{0, 0, 0}, {255, 128, 0}};
    png_set_PLTE(png, info, palette, 2);
    png_byte alpha[1] = {64};  // entry 0 is translucent
    if (palette_with_alpha) png_set_tRNS(png, info, alpha, 1, nullptr);
  }
  const size_t row_bytes = pixels.size() / height;
  std::vector<png_bytep> rows(height);
  for (int y = 0; y < height; ++y) rows[y] = const_cast<png_byte*>(&pixels[row_bytes * y]);
  png_set_rows(png, info, rows.data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

TEST(PngCodecTest, DecodesSixteenBitGreyAlphaInterlaced) {
  // 5x3, grey+alpha, 16 bits big-endian: grey = 1000 * x, alpha = 65535 - y.
  std::vector<png_byte> pixels;
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 5; ++x) {
      for (int v : {1000 * x, 65535 - y}) {
        pixels.push_back(static_cast<png_byte>(v >> 8));
        pixels.push_back(static_cast<png_byte>(v & 0xff));
      }
    }
  }
  auto image = DecodePng(
      WritePngWithLibpng(5, 3, 16, PNG_COLOR_TYPE_GRAY_ALPHA, /*interlace=*/true, pixels, false));
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  ASSERT_EQ(image->width, 5);
  ASSERT_EQ(image->height, 3);
  const float* p = image->Pixel(4, 2);
  EXPECT_FLOAT_EQ(p[0], 4000.0f / 65535.0f);
  EXPECT_FLOAT_EQ(p[1], p[0]);
  EXPECT_FLOAT_EQ(p[2], p[0]);
  EXPECT_FLOAT_EQ(p[3], 65533.0f / 65535.0f);
}

TEST(PngCodecTest, DecodesPaletteWithTransparency) {
  // 8x1, 1-bit palette indices 0,1,0,1,...
  auto image = DecodePng(WritePngWithLibpng(8, 1, 1, PNG_COLOR_TYPE_PALETTE, false, {0x55}, true));
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_FLOAT_EQ(image->Pixel(0, 0)[3], 64.0f / 255.0f);
  EXPECT_FLOAT_EQ(image->Pixel(1, 0)[0], 1.0f);
  EXPECT_FLOAT_EQ(image->Pixel(1, 0)[1], 128.0f / 255.0f);
  EXPECT_FLOAT_EQ(image->Pixel(1, 0)[3], 1.0f);
}

TEST(PngCodecTest, AnAbsurdHeaderIsRefusedBeforeAllocating) {
  auto bytes = EncodePng(Gradient(4, 4), {});
  ASSERT_TRUE(bytes.ok());
  std::string png = *bytes;
  // IHDR's width and height sit right after the 8-byte signature, the chunk
  // length and type; its CRC follows its 13 data bytes.
  auto put32 = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) png[at + i] = static_cast<char>(v >> (24 - 8 * i));
  };
  put32(16, 30000);
  put32(20, 30000);
  put32(29, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17)));
  EXPECT_EQ(DecodeImage(png).status().code(), StatusCode::kResourceExhausted)
      << DecodeImage(png).status().ToString();
  put32(16, 0x7fffffff);
  put32(29, static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17)));
  EXPECT_EQ(DecodeImage(png).status().code(), StatusCode::kCorruption);
}

// This process's peak resident set (kB): what a decode really allocated.
int64_t PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(PngHeaderTest, ReadsWhatTheHeaderDeclares) {
  auto png = EncodePng(Gradient(17, 9), {});
  ASSERT_TRUE(png.ok());
  Result<PngHeader> header = ReadPngHeader(*png);
  ASSERT_TRUE(header.ok()) << header.status().ToString();
  EXPECT_EQ(header->width, 17u);
  EXPECT_EQ(header->height, 9u);
  EXPECT_EQ(header->bit_depth, 8);
  EXPECT_EQ(header->color_type, 2);
  EXPECT_FALSE(header->interlaced);
  // The first 33 bytes are enough.
  EXPECT_TRUE(ReadPngHeader(png->substr(0, 33)).ok());
}

TEST(PngHeaderTest, RefusesEachBrokenFieldByName) {
  const std::string rows(16, '\0');
  auto refusal = [](const std::string& bytes) {
    Result<PngHeader> header = ReadPngHeader(bytes);
    EXPECT_FALSE(header.ok());
    return header.ok() ? std::string() : header.status().message();
  };
  EXPECT_NE(refusal("GIF89a").find("not a PNG"), std::string::npos);
  const std::string good = testing::CraftedPng(2, 2, 8, 6, rows);
  EXPECT_NE(refusal(good.substr(0, 30)).find("ends before its header"), std::string::npos);
  std::string bad_crc = good;
  bad_crc[32] ^= 1;
  EXPECT_NE(refusal(bad_crc).find("CRC"), std::string::npos);
  std::string not_ihdr = good;
  not_ihdr[12] = 'X';
  EXPECT_NE(refusal(not_ihdr).find("IHDR"), std::string::npos);
  EXPECT_NE(refusal(testing::CraftedPng(0, 2, 8, 6, rows)).find("impossible size"),
            std::string::npos);
  EXPECT_NE(refusal(testing::CraftedPng(2, 2, 4, 2, rows)).find("colour type 2 at 4 bits"),
            std::string::npos);
  EXPECT_NE(refusal(testing::CraftedPng(2, 2, 8, 5, rows)).find("colour type 5"),
            std::string::npos);
  // Past the pixel bound: refused as too large, not as corrupt.
  EXPECT_EQ(ReadPngHeader(testing::CraftedPng(40000, 40000, 8, 2, rows)).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(PngHeaderTest, ADecodeBombIsRefusedFromItsHeaderWithoutAllocating) {
  const std::string bomb = testing::DecodeBombPng();
  EXPECT_LT(bomb.size(), 100u);
  const int64_t before_kb = PeakRssKb();
  Result<Image> image = DecodePngOfSize(bomb, 64, 48);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(image.status().message().find("wrong size: the PNG header says 16384x16384, expected "
                                          "64x48"),
            std::string::npos)
      << image.status().ToString();
  // A decoder that trusted the header would have touched 2 GiB of rows.
  EXPECT_LT(PeakRssKb() - before_kb, 100 * 1024);
}

TEST(PngHeaderTest, DecodesAnImageOfTheExpectedSize) {
  auto png = EncodePng(Gradient(17, 9), {});
  ASSERT_TRUE(png.ok());
  Result<Image> image = DecodePngOfSize(*png, 17, 9);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, 17);
  EXPECT_FLOAT_EQ(image->Pixel(16, 8)[0], DecodePng(*png)->Pixel(16, 8)[0]);
  EXPECT_EQ(DecodePngOfSize(*png, 9, 17).status().code(), StatusCode::kInvalidArgument);
  // A header that matches over rows that do not is still corrupt, bounded.
  const std::string short_rows = testing::CraftedPng(64, 48, 16, 6, std::string(100, '\0'));
  EXPECT_EQ(DecodePngOfSize(short_rows, 64, 48).status().code(), StatusCode::kCorruption);
}

TEST(PngHeaderTest, AChunkLongerThanTheFileIsRefusedBeforeLibpngAllocatesIt) {
  // png_upload_fuzz's first finding: one flipped bit made a zTXt chunk
  // declare 512 MiB, which libpng allocated before reading it.
  std::string png = testing::CraftedPng(2, 2, 8, 6, std::string(18, '\0'));
  std::string text;
  testing::AppendPngChunk(text, "zTXt", std::string("flam3_genome\0\0", 14) + "x");
  text[0] = 0x20;
  png.insert(33, text);
  Result<Image> image = DecodePngOfSize(png, 2, 2);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), StatusCode::kCorruption);
  EXPECT_NE(image.status().message().find(
                "PNG chunk \"zTXt\" at byte 33 declares 536870927 bytes, more than the file holds"),
            std::string::npos)
      << image.status().ToString();
  EXPECT_EQ(DecodePng(png).status().code(), StatusCode::kCorruption);
}

TEST(PngHeaderTest, TheUploadBoundHoldsTheLargestHonestEncoding) {
  // 16-bit RGBA noise, every row's filter byte, stored uncompressed in
  // 1 KiB IDAT chunks: as large as a PNG of this size honestly gets.
  for (const auto& [w, h] : {std::pair{64, 48}, std::pair{640, 360}}) {
    std::string rows((1 + 8 * static_cast<size_t>(w)) * h, '\0');
    uint32_t x = 12345;
    for (char& c : rows) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
    const std::string png = testing::CraftedPng(w, h, 16, 6, rows, /*level=*/0, 1024);
    EXPECT_LE(png.size() + (1u << 20) / 2, MaxPngBytes(w, h)) << w << "x" << h;
    // And the bound is not loose by more than the text allowance and a few percent.
    EXPECT_LT(MaxPngBytes(w, h), png.size() * 1.03 + (1u << 20));
  }
}

TEST(PngCodecTest, ReadsTheGenomeFlam3Stores) {
  // flam3-render stores the genome compressed (zTXt) among other text chunks.
  const std::string path = std::string(FLAMEGRID_TEST_DATA) + "/parity/variation-split.b.png";
  auto genome = ReadImageGenome(path);
  ASSERT_TRUE(genome.ok()) << genome.status().ToString();
  EXPECT_NE(genome->find("<flame"), std::string::npos);
  EXPECT_NE(genome->find("split"), std::string::npos);
  auto image = ReadImage(path);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_GT(image->width, 0);
}

TEST_F(ImageIoTest, AnImageWithoutGenomeSaysSo) {
  const std::string path = (dir_ / "plain.png").string();
  ASSERT_TRUE(WriteImage(Gradient(3, 3), path, {}).ok());
  EXPECT_EQ(ReadImageGenome(path).status().code(), StatusCode::kNotFound);
  const std::string jpg = (dir_ / "plain.jpg").string();
  ASSERT_TRUE(WriteImage(Gradient(3, 3), jpg, {}).ok());
  EXPECT_EQ(ReadImageGenome(jpg).status().code(), StatusCode::kNotFound);
}

TEST_F(ImageIoTest, JpegAndExrCarryTheGenomeToo) {
  ImageWriteOptions options;
  options.genome_xml = "<flame name=\"j\"/>";
  for (const char* name : {"g.jpg", "g.exr"}) {
    const std::string path = (dir_ / name).string();
    Status written = WriteImage(Gradient(6, 6), path, options);
    ASSERT_TRUE(written.ok()) << name << ": " << written.ToString();
    auto genome = ReadImageGenome(path);
    ASSERT_TRUE(genome.ok()) << name << ": " << genome.status().ToString();
    EXPECT_EQ(*genome, options.genome_xml);
  }
}

}  // namespace
}  // namespace flamegrid
