#include "renderer/image/image_io.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "renderer/image/oiio_module.h"
#include "renderer/image/png_codec.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

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

// The format of encoded bytes from their signature; empty when unknown.
std::string_view SniffFormat(std::string_view bytes) {
  auto starts = [&](std::string_view magic) { return bytes.substr(0, magic.size()) == magic; };
  if (starts(kPngSignature)) return "png";
  if (starts("\xff\xd8\xff")) return "jpg";
  if (starts(std::string_view("\x76\x2f\x31\x01", 4))) return "exr";
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

Result<std::string> Encode(const Image& image, const std::string& format,
                           const ImageWriteOptions& options) {
  if (format == "png") return EncodePng(image, options);
  FG_ASSIGN_OR_RETURN(const OiioCodec* codec, LoadOiioCodec());
  std::string bytes;
  std::string error = codec->encode(image, format, options, &bytes);
  if (!error.empty()) return Status::Internal(error);
  return bytes;
}

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot open " + path);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::IoError("cannot read " + path);
  return bytes;
}

}  // namespace

Status WriteImage(const Image& image, const std::string& path, const ImageWriteOptions& options) {
  FG_RETURN_IF_ERROR(CheckImage(image));
  FG_RETURN_IF_ERROR(CheckWritableFormat(path));
  const std::string format = FormatOfPath(path);
  FG_ASSIGN_OR_RETURN(std::string bytes, Encode(image, format, options));
  // Write beside the target and rename, so a failure (full disk) never leaves
  // a truncated image where a good one was expected.
  const std::string temp = path + ".partial";
  Status status;
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot open " + temp + " for writing");
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) status = Status::IoError("writing " + temp + " failed");
  }
  std::error_code ec;
  if (status.ok()) {
    fs::rename(temp, path, ec);
    if (ec) status = Status::IoError("cannot move " + temp + " to " + path + ": " + ec.message());
  }
  if (!status.ok()) fs::remove(temp, ec);
  return status;
}

Status CheckWritableFormat(const std::string& path) {
  const std::string format = FormatOfPath(path);
  if (format.empty()) {
    return Status::InvalidArgument("cannot tell the image format of '" + path +
                                   "': use .png, .jpg or .exr");
  }
  if (format != "png") return LoadOiioCodec().status();
  return Status::Ok();
}

Result<std::string> EncodeImage(const Image& image, std::string_view format,
                                const ImageWriteOptions& options) {
  FG_RETURN_IF_ERROR(CheckImage(image));
  const std::string fmt = FormatOfPath(std::string("image.") + std::string(format));
  if (fmt.empty())
    return Status::InvalidArgument("unknown image format '" + std::string(format) + "'");
  return Encode(image, fmt, options);
}

Result<Image> DecodeImage(std::string_view bytes) {
  const std::string_view format = SniffFormat(bytes);
  if (format.empty()) {
    return Status::Corruption("data is not a PNG, JPEG or EXR image (" +
                              std::to_string(bytes.size()) + " bytes)");
  }
  if (format == "png") return DecodePng(bytes);
  FG_ASSIGN_OR_RETURN(const OiioCodec* codec, LoadOiioCodec());
  Image image;
  bool corrupt = false;
  std::string error = codec->decode(bytes, format, &image, &corrupt);
  if (!error.empty()) {
    return corrupt ? Status::Corruption(error) : Status::ResourceExhausted(error);
  }
  return image;
}

Result<Image> ReadImage(const std::string& path) {
  FG_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  Result<Image> image = DecodeImage(bytes);
  if (!image.ok()) return image.status().WithContext(path);
  return image;
}

Result<std::string> ReadImageGenome(const std::string& path) {
  FG_ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  const std::string_view format = SniffFormat(bytes);
  if (format.empty()) return Status::Corruption(path + ": not a PNG, JPEG or EXR image");
  if (format == "png") {
    Result<std::string> genome = PngText(bytes, "flam3_genome");
    if (!genome.ok()) return genome.status().WithContext(path);
    return genome;
  }
  FG_ASSIGN_OR_RETURN(const OiioCodec* codec, LoadOiioCodec());
  std::string genome;
  std::string error = codec->genome(bytes, format, &genome);
  if (!error.empty()) return Status::Corruption(path + ": " + error);
  if (genome.empty()) return Status::NotFound(path + " carries no genome");
  return genome;
}

}  // namespace flamegrid
