// PNG files through libpng: the format every frame of the grid travels in.
//
// PNG is encoded and decoded here rather than through OpenImageIO because
// loading OpenImageIO (and the 260 libraries it pulls in) costs a render
// process about half a second of CPU and 130 MB before any work; the other
// formats go through it, loaded on demand (oiio_module.h).
// Stateless functions; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "renderer/base/status.h"
#include "renderer/image/image.h"
#include "renderer/image/image_io.h"

namespace flamegrid {

inline constexpr std::string_view kPngSignature = "\x89PNG\r\n\x1a\n";

// 8- or 16-bit RGB or RGBA (options.alpha), with the genome and the software
// name as text chunks.
Result<std::string> EncodePng(const Image& image, const ImageWriteOptions& options);

// Any PNG (palette, grey, 1-16 bits, with or without alpha) to RGBA in [0, 1].
// Undecodable bytes are kCorruption (so is a chunk declaring more bytes than
// follow it, refused before libpng allocates for it); more than 2^28 pixels
// kResourceExhausted.
Result<Image> DecodePng(std::string_view bytes);

// What a PNG's IHDR chunk declares, read from its first 33 bytes without
// libpng and without allocating: enough to refuse an image before decoding.
struct PngHeader {
  uint32_t width = 0;
  uint32_t height = 0;
  int bit_depth = 0;   // 1, 2, 4, 8 or 16
  int color_type = 0;  // PNG's: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
  bool interlaced = false;
};

// The signature, then IHDR as the first chunk (length 13, right CRC) with a
// combination of fields the PNG specification allows and at most 2^28
// pixels. kCorruption says which field is wrong; kResourceExhausted, a
// header over the pixel bound.
Result<PngHeader> ReadPngHeader(std::string_view bytes);

// DecodePng for an image that must be `width` x `height`: the header is read
// first and any other size is refused (kInvalidArgument, "wrong size: ...")
// before a byte of pixel memory is allocated; libpng is held to that size
// and text chunks to a few MiB, so what a hostile file can make it allocate
// is bounded by the size the caller expects.
Result<Image> DecodePngOfSize(std::string_view bytes, int width, int height);

// The most bytes a PNG of `width` x `height` honestly takes: 16-bit RGBA
// with every row's filter byte, stored uncompressed (zlib's worst case), in
// small IDAT chunks, plus 1 MiB for text chunks (the genome). A bigger
// upload of a frame that size is a lie.
uint64_t MaxPngBytes(int width, int height);

// The text chunk `keyword` ("flam3_genome"), or NotFound.
Result<std::string> PngText(std::string_view bytes, std::string_view keyword);

}  // namespace flamegrid
