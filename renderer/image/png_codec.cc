#include "renderer/image/png_codec.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <vector>

namespace flamegrid {
namespace {

constexpr int64_t kMaxPixels = int64_t{1} << 28;

// libpng reports errors by longjmp. Every libpng call runs inside Guarded(),
// whose body only calls libpng and touches objects made before it, so the
// jump never skips a destructor; the handler keeps libpng's message.
struct PngErrors {
  std::string message;
};

[[noreturn]] void OnPngError(png_structp png, png_const_charp message) {
  auto* errors = static_cast<PngErrors*>(png_get_error_ptr(png));
  if (errors != nullptr && errors->message.empty()) errors->message = message ? message : "error";
  png_longjmp(png, 1);
}

void OnPngWarning(png_structp, png_const_charp) {}

template <typename Body>
bool Guarded(png_structp png, Body& body) {
  if (setjmp(png_jmpbuf(png))) return false;
  body();
  return true;
}

// Owns a read or write struct with its info struct.
class PngHandle {
 public:
  explicit PngHandle(bool reading) : reading_(reading) {
    png_ = reading
               ? png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors_, OnPngError, OnPngWarning)
               : png_create_write_struct(PNG_LIBPNG_VER_STRING, &errors_, OnPngError, OnPngWarning);
    if (png_ != nullptr) info_ = png_create_info_struct(png_);
  }
  ~PngHandle() {
    if (png_ == nullptr) return;
    if (reading_) {
      png_destroy_read_struct(&png_, info_ ? &info_ : nullptr, nullptr);
    } else {
      png_destroy_write_struct(&png_, info_ ? &info_ : nullptr);
    }
  }
  PngHandle(const PngHandle&) = delete;
  PngHandle& operator=(const PngHandle&) = delete;

  bool ok() const { return png_ != nullptr && info_ != nullptr; }
  png_structp png() const { return png_; }
  png_infop info() const { return info_; }
  const std::string& error() const { return errors_.message; }

 private:
  bool reading_;
  PngErrors errors_;
  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
};

struct MemoryReader {
  std::string_view bytes;
  size_t offset = 0;
};

void ReadFromMemory(png_structp png, png_bytep out, size_t length) {
  auto* reader = static_cast<MemoryReader*>(png_get_io_ptr(png));
  if (length > reader->bytes.size() - reader->offset) png_error(png, "the data ends early");
  std::memcpy(out, reader->bytes.data() + reader->offset, length);
  reader->offset += length;
}

void WriteToString(png_structp png, png_bytep data, size_t length) {
  static_cast<std::string*>(png_get_io_ptr(png))
      ->append(reinterpret_cast<const char*>(data), length);
}

void FlushNothing(png_structp) {}

// The header of a PNG, with the transformations that make every PNG 8- or
// 16-bit grey, grey+alpha, RGB or RGBA applied.
struct PngLayout {
  uint32_t width = 0;
  uint32_t height = 0;
  int channels = 0;
  int bit_depth = 0;
  size_t row_bytes = 0;
  int passes = 1;  // interlaced images are read in 7
};

Status ReadHeader(PngHandle& handle, MemoryReader& reader, PngLayout& layout) {
  if (!handle.ok()) return Status::Internal("libpng could not start a decoder");
  if (reader.bytes.size() < kPngSignature.size() ||
      reader.bytes.substr(0, kPngSignature.size()) != kPngSignature) {
    return Status::Corruption("data is not a PNG image (" + std::to_string(reader.bytes.size()) +
                              " bytes)");
  }
  png_structp png = handle.png();
  png_infop info = handle.info();
  auto read_info = [&] {
    png_set_read_fn(png, &reader, ReadFromMemory);
    // Decoding refuses absurd headers before allocating rows for them.
    png_set_user_limits(png, 1u << 20, 1u << 20);
    png_read_info(png, info);
    const int color_type = png_get_color_type(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(png, info) < 8) {
      png_set_expand_gray_1_2_4_to_8(png);
    }
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    layout.passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    layout.width = png_get_image_width(png, info);
    layout.height = png_get_image_height(png, info);
    layout.channels = png_get_channels(png, info);
    layout.bit_depth = png_get_bit_depth(png, info);
    layout.row_bytes = png_get_rowbytes(png, info);
  };
  if (!Guarded(png, read_info)) return Status::Corruption("cannot decode PNG: " + handle.error());
  if (layout.width == 0 || layout.height == 0 || layout.channels < 1 || layout.channels > 4 ||
      (layout.bit_depth != 8 && layout.bit_depth != 16)) {
    return Status::Corruption("PNG has an unsupported layout");
  }
  if (static_cast<int64_t>(layout.width) * layout.height > kMaxPixels) {
    return Status::ResourceExhausted(std::to_string(layout.width) + "x" +
                                     std::to_string(layout.height) + " is too large to decode");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> EncodePng(const Image& image, const ImageWriteOptions& options) {
  if (options.bits != 8 && options.bits != 16) {
    return Status::InvalidArgument("PNG bit depth must be 8 or 16, not " +
                                   std::to_string(options.bits));
  }
  const int channels = options.alpha ? 4 : 3;
  const size_t bytes_per_value = options.bits / 8;
  const size_t row_bytes = static_cast<size_t>(image.width) * channels * bytes_per_value;
  std::vector<png_byte> pixels(row_bytes * image.height);
  for (int y = 0; y < image.height; ++y) {
    png_byte* row = &pixels[row_bytes * y];
    for (int x = 0; x < image.width; ++x) {
      const float* p = image.Pixel(x, y);
      for (int c = 0; c < channels; ++c) {
        if (options.bits == 8) {
          row[x * channels + c] = QuantizeTo8Bit(p[c]);
        } else {
          // PNG stores 16-bit samples big-endian.
          const auto v =
              static_cast<uint16_t>(std::lround(std::clamp(p[c], 0.0f, 1.0f) * 65535.0f));
          row[(x * channels + c) * 2] = static_cast<png_byte>(v >> 8);
          row[(x * channels + c) * 2 + 1] = static_cast<png_byte>(v & 0xff);
        }
      }
    }
  }
  std::vector<png_bytep> rows(image.height);
  for (int y = 0; y < image.height; ++y) rows[y] = &pixels[row_bytes * y];

  // libpng keeps pointers to the text until the header is written.
  std::string software = options.software;
  std::string genome = options.genome_xml;
  std::vector<png_text> texts;
  auto add_text = [&](const char* key, std::string& value) {
    png_text text{};
    text.compression = PNG_TEXT_COMPRESSION_NONE;
    text.key = const_cast<char*>(key);
    text.text = value.data();
    text.text_length = value.size();
    texts.push_back(text);
  };
  if (!software.empty()) add_text("Software", software);
  if (!genome.empty()) add_text("flam3_genome", genome);

  PngHandle handle(/*reading=*/false);
  if (!handle.ok()) return Status::Internal("libpng could not start an encoder");
  std::string out;
  out.reserve(pixels.size() / 2 + 1024);
  png_structp png = handle.png();
  png_infop info = handle.info();
  auto write = [&] {
    png_set_write_fn(png, &out, WriteToString, FlushNothing);
    png_set_IHDR(png, info, static_cast<png_uint_32>(image.width),
                 static_cast<png_uint_32>(image.height), options.bits,
                 options.alpha ? PNG_COLOR_TYPE_RGB_ALPHA : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (!texts.empty()) png_set_text(png, info, texts.data(), static_cast<int>(texts.size()));
    // zlib level 3 instead of the default 6: files about 10% larger, written
    // in a third of the time on noisy frames (level 6's lazy matching is most
    // of a small render's output time).
    png_set_compression_level(png, 3);
    png_set_rows(png, info, rows.data());
    png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  };
  if (!Guarded(png, write)) return Status::Internal("cannot encode PNG: " + handle.error());
  return out;
}

Result<Image> DecodePng(std::string_view bytes) {
  PngHandle handle(/*reading=*/true);
  MemoryReader reader{bytes};
  PngLayout layout;
  FG_RETURN_IF_ERROR(ReadHeader(handle, reader, layout));
  std::vector<png_byte> pixels(layout.row_bytes * layout.height);
  std::vector<png_bytep> rows(layout.height);
  for (uint32_t y = 0; y < layout.height; ++y) rows[y] = &pixels[layout.row_bytes * y];
  png_structp png = handle.png();
  png_infop info = handle.info();
  auto read_rows = [&] {
    png_read_image(png, rows.data());
    png_read_end(png, info);
  };
  if (!Guarded(png, read_rows)) return Status::Corruption("cannot decode PNG: " + handle.error());

  Image image(static_cast<int>(layout.width), static_cast<int>(layout.height));
  const int channels = layout.channels;
  const bool wide = layout.bit_depth == 16;
  const float scale = wide ? 1.0f / 65535.0f : 1.0f / 255.0f;
  float value[4];
  for (uint32_t y = 0; y < layout.height; ++y) {
    const png_byte* row = rows[y];
    for (uint32_t x = 0; x < layout.width; ++x) {
      for (int c = 0; c < channels; ++c) {
        const size_t i = static_cast<size_t>(x) * channels + c;
        const unsigned level = wide ? (unsigned{row[i * 2]} << 8) | row[i * 2 + 1] : row[i];
        value[c] = static_cast<float>(level) * scale;
      }
      ExpandToRgba(value, channels, image.Pixel(static_cast<int>(x), static_cast<int>(y)));
    }
  }
  return image;
}

Result<std::string> PngText(std::string_view bytes, std::string_view keyword) {
  PngHandle handle(/*reading=*/true);
  MemoryReader reader{bytes};
  PngLayout layout;
  FG_RETURN_IF_ERROR(ReadHeader(handle, reader, layout));
  // Text may also follow the pixels: skip them to read the end chunks.
  std::vector<png_byte> row(layout.row_bytes);
  png_structp png = handle.png();
  png_infop info = handle.info();
  png_infop end_info = nullptr;
  auto read_rest = [&] {
    end_info = png_create_info_struct(png);
    for (int pass = 0; pass < layout.passes; ++pass) {
      for (uint32_t y = 0; y < layout.height; ++y) png_read_row(png, row.data(), nullptr);
    }
    png_read_end(png, end_info);
  };
  const bool read = Guarded(png, read_rest);
  std::string found;
  bool has = false;
  for (png_infop where : {info, end_info}) {
    if (where == nullptr || has) continue;
    png_textp texts = nullptr;
    const int count = png_get_text(png, where, &texts, nullptr);
    for (int i = 0; i < count && !has; ++i) {
      if (keyword == texts[i].key) {
        found.assign(texts[i].text, texts[i].text_length);
        has = true;
      }
    }
  }
  if (end_info != nullptr) png_destroy_info_struct(png, &end_info);
  if (has) return found;
  if (!read) return Status::Corruption("cannot decode PNG: " + handle.error());
  return Status::NotFound("the image carries no " + std::string(keyword));
}

}  // namespace flamegrid
