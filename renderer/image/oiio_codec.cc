// The OpenImageIO module (oiio_codec.h). Linked into libflamegrid_oiio.so
// only; nothing here may depend on flamegrid's static libraries.
#include "renderer/image/oiio_codec.h"

#include <OpenImageIO/filesystem.h>
#include <OpenImageIO/imageio.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace flamegrid {
namespace {

using OIIO::ImageInput;
using OIIO::ImageOutput;
using OIIO::ImageSpec;
using OIIO::TypeDesc;

constexpr const char* kGenomeAttribute = "flam3_genome";

std::string Encode(const Image& image, std::string_view format, const ImageWriteOptions& options,
                   std::string* bytes) {
  const std::string fmt(format);
  const bool exr = fmt == "exr";
  const int channels = (options.alpha && fmt != "jpg") ? 4 : 3;
  const TypeDesc type = exr ? TypeDesc::FLOAT : TypeDesc::UINT8;
  const size_t pixels = static_cast<size_t>(image.width) * image.height;
  std::vector<float> floats(exr ? pixels * channels : 0);
  std::vector<unsigned char> narrow(exr ? 0 : pixels * channels);
  for (size_t i = 0; i < pixels; ++i) {
    for (int c = 0; c < channels; ++c) {
      const float v = image.rgba[i * 4 + c];
      if (exr) {
        floats[i * channels + c] = v;
      } else {
        narrow[i * channels + c] = QuantizeTo8Bit(v);
      }
    }
  }
  std::unique_ptr<ImageOutput> output = ImageOutput::create(fmt);
  if (!output) return "OpenImageIO has no " + fmt + " writer";
  std::vector<unsigned char> buffer;
  OIIO::Filesystem::IOVecOutput proxy(buffer);
  if (!output->set_ioproxy(&proxy)) return fmt + " writer cannot write to memory";
  ImageSpec spec(image.width, image.height, channels, type);
  if (channels == 4) {
    spec.alpha_channel = 3;
    spec.attribute("oiio:UnassociatedAlpha", 1);
  }
  spec.attribute("Software", options.software);
  if (!options.genome_xml.empty()) {
    spec.attribute(kGenomeAttribute, options.genome_xml);
    // JPEG keeps no custom attributes; its comment marker holds the genome.
    if (fmt == "jpg") spec.attribute("ImageDescription", options.genome_xml);
  }
  if (fmt == "jpg") spec.attribute("Compression", "jpeg:" + std::to_string(options.jpeg_quality));
  if (exr) spec.attribute("compression", "zip");
  if (!output->open("memory." + fmt, spec))
    return "cannot encode " + fmt + ": " + output->geterror();
  const bool wrote =
      output->write_image(type, exr ? static_cast<const void*>(floats.data()) : narrow.data());
  const bool closed = output->close();
  if (!wrote || !closed) return "encoding " + fmt + " failed: " + output->geterror();
  bytes->assign(buffer.begin(), buffer.end());
  return "";
}

std::unique_ptr<ImageInput> Open(std::string_view format, OIIO::Filesystem::IOMemReader& proxy) {
  ImageSpec config;
  // Our images carry straight alpha; OpenImageIO would premultiply by default.
  config.attribute("oiio:UnassociatedAlpha", 1);
  void* proxy_pointer = &proxy;
  config.attribute("oiio:ioproxy", TypeDesc::PTR, &proxy_pointer);
  return ImageInput::open("memory." + std::string(format), &config);
}

std::string Decode(std::string_view bytes, std::string_view format, Image* image, bool* corrupt) {
  *corrupt = true;
  OIIO::Filesystem::IOMemReader proxy(bytes.data(), bytes.size());
  auto input = Open(format, proxy);
  if (!input) return "cannot decode image: " + OIIO::geterror();
  const ImageSpec& spec = input->spec();
  if (spec.width <= 0 || spec.height <= 0 || spec.nchannels <= 0) return "image has no pixels";
  if (static_cast<int64_t>(spec.width) * spec.height > (int64_t{1} << 28)) {
    *corrupt = false;
    return std::to_string(spec.width) + "x" + std::to_string(spec.height) +
           " is too large to decode";
  }
  const int channels = spec.nchannels;
  std::vector<float> data(static_cast<size_t>(spec.width) * spec.height * channels);
  if (!input->read_image(0, 0, 0, channels, TypeDesc::FLOAT, data.data())) {
    return "cannot decode: " + input->geterror();
  }
  *image = Image(spec.width, spec.height);
  image->linear = spec.format == TypeDesc::FLOAT || spec.format == TypeDesc::HALF;
  const size_t pixels = static_cast<size_t>(spec.width) * spec.height;
  for (size_t i = 0; i < pixels; ++i) {
    ExpandToRgba(&data[i * channels], channels, &image->rgba[i * 4]);
  }
  return "";
}

std::string Genome(std::string_view bytes, std::string_view format, std::string* genome) {
  OIIO::Filesystem::IOMemReader proxy(bytes.data(), bytes.size());
  auto input = Open(format, proxy);
  if (!input) return "cannot read image: " + OIIO::geterror();
  *genome = input->spec().get_string_attribute(kGenomeAttribute);
  if (genome->empty() && format == "jpg") {
    std::string comment = input->spec().get_string_attribute("ImageDescription");
    if (comment.rfind("<flame", 0) == 0) *genome = std::move(comment);
  }
  return "";
}

constexpr OiioCodec kCodec{kOiioCodecAbi, Encode, Decode, Genome};

}  // namespace
}  // namespace flamegrid

extern "C" __attribute__((visibility("default"))) const flamegrid::OiioCodec*
flamegrid_oiio_codec() {
  return &flamegrid::kCodec;
}
