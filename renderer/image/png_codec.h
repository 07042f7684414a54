// PNG files through libpng: the format every frame of the grid travels in.
//
// PNG is encoded and decoded here rather than through OpenImageIO because
// loading OpenImageIO (and the 260 libraries it pulls in) costs a render
// process about half a second of CPU and 130 MB before any work; the other
// formats go through it, loaded on demand (oiio_module.h).
// Stateless functions; safe from any thread.
#pragma once

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
// Undecodable bytes are kCorruption; more than 2^28 pixels kResourceExhausted.
Result<Image> DecodePng(std::string_view bytes);

// The text chunk `keyword` ("flam3_genome"), or NotFound.
Result<std::string> PngText(std::string_view bytes, std::string_view keyword);

}  // namespace flamegrid
