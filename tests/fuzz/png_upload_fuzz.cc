// libFuzzer target: any bytes through the decoder a coordinator runs on an
// uploaded frame (DecodePngOfSize). The first two bytes choose the size the
// job asks for (1..64 x 1..64); when the header happens to declare a small
// image, the fuzzer's bytes are decoded at the header's own size instead, so
// the pixel path is explored too. Whatever decodes must have the size asked
// for, and run.sh holds every allocation under 64 MB (-malloc_limit_mb): a
// decode bomb is a finding, not a slow run.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "renderer/image/png_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  int width = 1 + data[0] % 64;
  int height = 1 + data[1] % 64;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 2, size - 2);
  const flamegrid::Result<flamegrid::PngHeader> header = flamegrid::ReadPngHeader(bytes);
  if (header.ok() && header->width <= 256 && header->height <= 256) {
    width = static_cast<int>(header->width);
    height = static_cast<int>(header->height);
  }
  const flamegrid::Result<flamegrid::Image> image =
      flamegrid::DecodePngOfSize(bytes, width, height);
  if (image.ok() && (image->width != width || image->height != height)) std::abort();
  return 0;
}
