#include "renderer/image/png_codec.h"

#include <png.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <vector>

namespace flamegrid {
namespace {

constexpr int64_t kMaxPixels = int64_t{1} << 28;
// Text chunks (the genome) and other ancillary chunks libpng keeps: a
// compressed zTXt or iCCP inflates to at most this much.
constexpr png_alloc_size_t kMaxChunkBytes = png_alloc_size_t{8} << 20;
// The signature, IHDR's length and type, its 13 bytes of data and its CRC.
constexpr size_t kIhdrEnd = 8 + 4 + 4 + 13 + 4;

uint32_t BigEndian32(std::string_view bytes, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

// Every chunk's declared length fits in the bytes that follow it. libpng
// allocates a chunk's buffer by its declared length before reading it, so
// this holds what a hostile file can make it allocate to the file's size.
Status CheckChunkLengths(std::string_view bytes) {
  if (!bytes.starts_with(kPngSignature)) return Status::Ok();  // ReadHeader says what it is
  for (size_t at = kPngSignature.size(); at + 8 <= bytes.size();) {
    const uint32_t length = BigEndian32(bytes, at);
    const std::string_view type = bytes.substr(at + 4, 4);
    if (length > bytes.size() - at - 8 || bytes.size() - at - 8 - length < 4) {
      return Status::Corruption("PNG chunk \"" + std::string(type) + "\" at byte " +
                                std::to_string(at) + " declares " + std::to_string(length) +
                                " bytes, more than the file holds");
    }
    if (type == "IEND") break;
    at += 12 + static_cast<size_t>(length);
  }
  return Status::Ok();
}

// The bit depths the PNG specification allows for a colour type (table 11.1).
bool DepthAllowed(int color_type, int bit_depth) {
  switch (color_type) {
    case 0:
      return bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8 ||
             bit_depth == 16;
    case 3:
      return bit_depth == 1 || bit_depth == 2 || bit_depth == 4 || bit_depth == 8;
    case 2:
    case 4:
    case 6:
      return bit_depth == 8 || bit_depth == 16;
    default:
      return false;
  }
}

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

// Reads the header through libpng, holding it to `max_width` x `max_height`
// (libpng refuses a bigger IHDR before allocating rows for it).
Status ReadHeader(PngHandle& handle, MemoryReader& reader, PngLayout& layout,
                  uint32_t max_width = 1u << 20, uint32_t max_height = 1u << 20) {
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
    png_set_user_limits(png, max_width, max_height);
    png_set_chunk_malloc_max(png, kMaxChunkBytes);
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

// DecodePng held to at most `max_width` x `max_height` pixels.
Result<Image> DecodeWithin(std::string_view bytes, uint32_t max_width, uint32_t max_height);

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

Result<PngHeader> ReadPngHeader(std::string_view bytes) {
  if (bytes.size() < kPngSignature.size() ||
      bytes.substr(0, kPngSignature.size()) != kPngSignature) {
    return Status::Corruption("data is not a PNG image (" + std::to_string(bytes.size()) +
                              " bytes)");
  }
  if (bytes.size() < kIhdrEnd) {
    return Status::Corruption("PNG ends before its header (" + std::to_string(bytes.size()) +
                              " bytes)");
  }
  if (BigEndian32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") {
    return Status::Corruption("PNG does not start with a 13-byte IHDR chunk");
  }
  const auto* chunk = reinterpret_cast<const Bytef*>(bytes.data() + 12);
  if (crc32(crc32(0, nullptr, 0), chunk, 4 + 13) != BigEndian32(bytes, 29)) {
    return Status::Corruption("PNG header fails its CRC");
  }
  PngHeader header;
  header.width = BigEndian32(bytes, 16);
  header.height = BigEndian32(bytes, 20);
  header.bit_depth = static_cast<unsigned char>(bytes[24]);
  header.color_type = static_cast<unsigned char>(bytes[25]);
  const int compression = static_cast<unsigned char>(bytes[26]);
  const int filter = static_cast<unsigned char>(bytes[27]);
  const int interlace = static_cast<unsigned char>(bytes[28]);
  header.interlaced = interlace == 1;
  const std::string size = std::to_string(header.width) + "x" + std::to_string(header.height);
  if (header.width == 0 || header.height == 0 || header.width > 0x7fffffffu ||
      header.height > 0x7fffffffu) {
    return Status::Corruption("PNG header declares an impossible size " + size);
  }
  if (!DepthAllowed(header.color_type, header.bit_depth)) {
    return Status::Corruption("PNG header declares colour type " +
                              std::to_string(header.color_type) + " at " +
                              std::to_string(header.bit_depth) + " bits, which PNG has not");
  }
  if (compression != 0 || filter != 0 || interlace > 1) {
    return Status::Corruption("PNG header declares an unknown compression, filter or interlace");
  }
  if (static_cast<int64_t>(header.width) * header.height > kMaxPixels) {
    return Status::ResourceExhausted(size + " is too large to decode");
  }
  return header;
}

uint64_t MaxPngBytes(int width, int height) {
  const uint64_t raw = (uint64_t{1} + uint64_t{8} * static_cast<uint64_t>(std::max(width, 0))) *
                       static_cast<uint64_t>(std::max(height, 0));
  // Stored deflate blocks cost 5 bytes per 64 KiB, IDAT chunks 12 bytes
  // each: a 64th covers both with chunks down to 1 KiB.
  return kIhdrEnd + raw + raw / 64 + (uint64_t{1} << 20);
}

Result<Image> DecodePngOfSize(std::string_view bytes, int width, int height) {
  FG_ASSIGN_OR_RETURN(PngHeader header, ReadPngHeader(bytes));
  if (width <= 0 || height <= 0 || header.width != static_cast<uint32_t>(width) ||
      header.height != static_cast<uint32_t>(height)) {
    return Status::InvalidArgument("wrong size: the PNG header says " +
                                   std::to_string(header.width) + "x" +
                                   std::to_string(header.height) + ", expected " +
                                   std::to_string(width) + "x" + std::to_string(height));
  }
  return DecodeWithin(bytes, header.width, header.height);
}

Result<Image> DecodePng(std::string_view bytes) { return DecodeWithin(bytes, 1u << 20, 1u << 20); }

namespace {

Result<Image> DecodeWithin(std::string_view bytes, uint32_t max_width, uint32_t max_height) {
  PngHandle handle(/*reading=*/true);
  MemoryReader reader{bytes};
  PngLayout layout;
  FG_RETURN_IF_ERROR(CheckChunkLengths(bytes));
  FG_RETURN_IF_ERROR(ReadHeader(handle, reader, layout, max_width, max_height));
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

}  // namespace

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
