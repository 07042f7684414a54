#include "renderer/image/image_io.h"

#include <OpenImageIO/filesystem.h>
#include <OpenImageIO/imageio.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using OIIO::ImageInput;
using OIIO::ImageOutput;
using OIIO::ImageSpec;
using OIIO::TypeDesc;

constexpr const char* kGenomeAttribute = "flam3_genome";

std::string Lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// "png", "jpg", "exr" from a path's extension; empty when unsupported.
std::string FormatOfPath(const std::string& path) {
  std::string ext = Lowercase(fs::path(path).extension().string());
  if (ext == ".png") return "png";
  if (ext == ".jpg" || ext == ".jpeg") return "jpg";
  if (ext == ".exr") return "exr";
  return "";
}

Status CheckImage(const Image& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.rgba.size() != static_cast<size_t>(image.width) * image.height * 4) {
    return Status::InvalidArgument("image of " + std::to_string(image.width) + "x" +
                                   std::to_string(image.height) + " with " +
                                   std::to_string(image.rgba.size()) + " values is malformed");
  }
  return Status::Ok();
}

// The pixels as the file stores them: channel count, type and converted data.
struct EncodedPixels {
  int channels = 3;
  TypeDesc type = TypeDesc::UINT8;
  std::vector<unsigned char> bytes;
};

Result<EncodedPixels> Convert(const Image& image, const std::string& format,
                              const ImageWriteOptions& options) {
  EncodedPixels out;
  out.channels = (options.alpha && format != "jpg") ? 4 : 3;
  const size_t pixels = static_cast<size_t>(image.width) * image.height;
  if (format == "exr") {
    out.type = TypeDesc::FLOAT;
    out.bytes.resize(pixels * out.channels * sizeof(float));
    auto* dst = reinterpret_cast<float*>(out.bytes.data());
    for (size_t i = 0; i < pixels; ++i) {
      for (int c = 0; c < out.channels; ++c) dst[i * out.channels + c] = image.rgba[i * 4 + c];
    }
    return out;
  }
  int bits = format == "jpg" ? 8 : options.bits;
  if (bits != 8 && bits != 16) {
    return Status::InvalidArgument("PNG bit depth must be 8 or 16, not " + std::to_string(bits));
  }
  if (bits == 8) {
    out.type = TypeDesc::UINT8;
    out.bytes.resize(pixels * out.channels);
    for (size_t i = 0; i < pixels; ++i) {
      for (int c = 0; c < out.channels; ++c) {
        out.bytes[i * out.channels + c] = QuantizeTo8Bit(image.rgba[i * 4 + c]);
      }
    }
  } else {
    out.type = TypeDesc::UINT16;
    out.bytes.resize(pixels * out.channels * 2);
    auto* dst = reinterpret_cast<uint16_t*>(out.bytes.data());
    for (size_t i = 0; i < pixels; ++i) {
      for (int c = 0; c < out.channels; ++c) {
        float v = std::clamp(image.rgba[i * 4 + c], 0.0f, 1.0f);
        dst[i * out.channels + c] = static_cast<uint16_t>(std::lround(v * 65535.0f));
      }
    }
  }
  return out;
}

Status WriteWith(ImageOutput& output, const std::string& target, const Image& image,
                 const std::string& format, const ImageWriteOptions& options) {
  FG_ASSIGN_OR_RETURN(EncodedPixels pixels, Convert(image, format, options));
  ImageSpec spec(image.width, image.height, pixels.channels, pixels.type);
  if (pixels.channels == 4) {
    spec.alpha_channel = 3;
    spec.attribute("oiio:UnassociatedAlpha", 1);
  }
  spec.attribute("Software", options.software);
  if (!options.genome_xml.empty()) spec.attribute(kGenomeAttribute, options.genome_xml);
  if (format == "jpg")
    spec.attribute("Compression", "jpeg:" + std::to_string(options.jpeg_quality));
  if (format == "exr") spec.attribute("compression", "zip");
  if (!output.open(target, spec)) {
    return Status::IoError("cannot open " + target + " for writing: " + output.geterror());
  }
  bool wrote = output.write_image(pixels.type, pixels.bytes.data());
  bool closed = output.close();
  if (!wrote || !closed)
    return Status::IoError("writing " + target + " failed: " + output.geterror());
  return Status::Ok();
}

// Our images carry straight alpha; OpenImageIO would premultiply by default.
ImageSpec ReadConfig() {
  ImageSpec config;
  config.attribute("oiio:UnassociatedAlpha", 1);
  return config;
}

enum class Sniffed { kUnknown, kPng, kJpeg, kExr };
Sniffed SniffFormat(std::string_view bytes) {
  auto starts = [&](std::string_view magic) { return bytes.substr(0, magic.size()) == magic; };
  if (starts("\x89PNG\r\n\x1a\n")) return Sniffed::kPng;
  if (starts("\xff\xd8\xff")) return Sniffed::kJpeg;
  if (starts(std::string_view("\x76\x2f\x31\x01", 4))) return Sniffed::kExr;
  return Sniffed::kUnknown;
}

Result<Image> ReadFrom(ImageInput& input, const std::string& what) {
  const ImageSpec& spec = input.spec();
  if (spec.width <= 0 || spec.height <= 0 || spec.nchannels <= 0) {
    return Status::Corruption(what + ": image has no pixels");
  }
  if (static_cast<int64_t>(spec.width) * spec.height > (int64_t{1} << 28)) {
    return Status::ResourceExhausted(what + ": " + std::to_string(spec.width) + "x" +
                                     std::to_string(spec.height) + " is too large to decode");
  }
  const int channels = spec.nchannels;
  const size_t values = static_cast<size_t>(spec.width) * spec.height * channels;
  std::vector<float> data(values);
  // 8- and 16-bit files are read natively and scaled here: read_image goes
  // through a large temporary buffer that it allocates and frees on every
  // call (an mmap, page faults and a munmap per frame on the coordinator's
  // upload path).
  bool read = false;
  if (spec.format == TypeDesc::UINT8 || spec.format == TypeDesc::UINT16) {
    const bool bytes = spec.format == TypeDesc::UINT8;
    std::vector<uint16_t> wide(bytes ? 0 : values);
    std::vector<uint8_t> narrow(bytes ? values : 0);
    read = input.read_native_scanlines(0, 0, spec.y, spec.y + spec.height, spec.z,
                                       bytes ? static_cast<void*>(narrow.data()) : wide.data());
    const float scale = bytes ? 1.0f / 255.0f : 1.0f / 65535.0f;
    for (size_t i = 0; read && i < values; ++i) {
      data[i] = static_cast<float>(bytes ? narrow[i] : wide[i]) * scale;
    }
  } else {
    read = input.read_image(0, 0, 0, channels, TypeDesc::FLOAT, data.data());
  }
  if (!read) return Status::Corruption(what + ": cannot decode: " + input.geterror());
  Image image(spec.width, spec.height);
  image.linear = spec.format == TypeDesc::FLOAT || spec.format == TypeDesc::HALF;
  const size_t pixels = static_cast<size_t>(spec.width) * spec.height;
  for (size_t i = 0; i < pixels; ++i) {
    const float* src = &data[i * channels];
    float* dst = &image.rgba[i * 4];
    if (channels >= 3) {
      dst[0] = src[0], dst[1] = src[1], dst[2] = src[2];
    } else {
      dst[0] = dst[1] = dst[2] = src[0];
    }
    dst[3] = channels == 4 ? src[3] : (channels == 2 ? src[1] : 1.0f);
  }
  return image;
}

}  // namespace

unsigned char QuantizeTo8Bit(float display_value) {
  // flam3 clips each channel to [0, 255] and truncates; the tiny bias keeps
  // values that are exact multiples of 1/255 from falling a level through
  // float rounding.
  if (!(display_value > 0.0f)) return 0;  // also NaN
  float level = display_value * 255.0f + 1e-4f;
  return level >= 255.0f ? 255 : static_cast<unsigned char>(level);
}

Status WriteImage(const Image& image, const std::string& path, const ImageWriteOptions& options) {
  FG_RETURN_IF_ERROR(CheckImage(image));
  const std::string format = FormatOfPath(path);
  if (format.empty()) {
    return Status::InvalidArgument("cannot tell the image format of '" + path +
                                   "': use .png, .jpg or .exr");
  }
  std::unique_ptr<ImageOutput> output = ImageOutput::create(format);
  if (!output) return Status::Internal("OpenImageIO has no " + format + " writer");
  // Write beside the target and rename, so a failure (full disk) never leaves
  // a truncated image where a good one was expected.
  const std::string temp = path + ".partial";
  Status status = WriteWith(*output, temp, image, format, options);
  std::error_code ec;
  if (status.ok()) {
    fs::rename(temp, path, ec);
    if (ec) status = Status::IoError("cannot move " + temp + " to " + path + ": " + ec.message());
  }
  if (!status.ok()) fs::remove(temp, ec);
  return status;
}

Result<std::string> EncodeImage(const Image& image, std::string_view format,
                                const ImageWriteOptions& options) {
  FG_RETURN_IF_ERROR(CheckImage(image));
  const std::string fmt = FormatOfPath(std::string("image.") + std::string(format));
  if (fmt.empty())
    return Status::InvalidArgument("unknown image format '" + std::string(format) + "'");
  std::unique_ptr<ImageOutput> output = ImageOutput::create(fmt);
  if (!output) return Status::Internal("OpenImageIO has no " + fmt + " writer");
  std::vector<unsigned char> buffer;
  OIIO::Filesystem::IOVecOutput proxy(buffer);
  if (!output->set_ioproxy(&proxy)) return Status::Internal(fmt + " writer cannot write to memory");
  FG_RETURN_IF_ERROR(WriteWith(*output, "memory." + fmt, image, fmt, options));
  return std::string(buffer.begin(), buffer.end());
}

Result<Image> DecodeImage(std::string_view bytes) {
  const char* format = nullptr;
  switch (SniffFormat(bytes)) {
    case Sniffed::kPng:
      format = "png";
      break;
    case Sniffed::kJpeg:
      format = "jpg";
      break;
    case Sniffed::kExr:
      format = "exr";
      break;
    case Sniffed::kUnknown:
      return Status::Corruption("data is not a PNG, JPEG or EXR image (" +
                                std::to_string(bytes.size()) + " bytes)");
  }
  OIIO::Filesystem::IOMemReader proxy(bytes.data(), bytes.size());
  ImageSpec config = ReadConfig();
  void* proxy_pointer = &proxy;
  config.attribute("oiio:ioproxy", TypeDesc::PTR, &proxy_pointer);
  auto input = ImageInput::open(std::string("memory.") + format, &config);
  if (!input) return Status::Corruption("cannot decode image: " + OIIO::geterror());
  return ReadFrom(*input, "image");
}

Result<Image> ReadImage(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file");
  ImageSpec config = ReadConfig();
  auto input = ImageInput::open(path, &config);
  if (!input) return Status::Corruption(path + ": cannot read image: " + OIIO::geterror());
  return ReadFrom(*input, path);
}

Result<std::string> ReadImageGenome(const std::string& path) {
  auto input = ImageInput::open(path);
  if (!input) return Status::Corruption(path + ": cannot read image: " + OIIO::geterror());
  std::string genome = input->spec().get_string_attribute(kGenomeAttribute);
  if (genome.empty()) return Status::NotFound(path + " carries no genome");
  return genome;
}

}  // namespace flamegrid
