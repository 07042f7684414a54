// Image files: PNG (8 or 16 bits), JPEG, EXR (linear float), chosen by the
// file extension when writing and by the file's signature when reading, with
// alpha when the image asks for transparency and the genome stored in the
// file's metadata. Also encoding to and decoding from memory, for frames that
// travel over the network. PNG goes through libpng (png_codec.h), JPEG and EXR
// through OpenImageIO, loaded the first time one is met (oiio_module.h).
// Stateless functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "renderer/base/status.h"
#include "renderer/image/image.h"

namespace flamegrid {

struct ImageWriteOptions {
  int bits = 8;        // PNG: 8 or 16; JPEG: 8; EXR: always 32-bit float
  bool alpha = false;  // write the alpha channel (PNG, EXR)
  int jpeg_quality = 95;
  std::string genome_xml;  // stored as the "flam3_genome" metadata (PNG text chunk, EXR attribute)
  std::string software = "flamegrid";
};

// 8-bit quantisation of a display value, as flam3 writes its images. Inline:
// the OpenImageIO module (oiio_codec.h) uses it without linking fg_image.
inline unsigned char QuantizeTo8Bit(float display_value) {
  // flam3 clips each channel to [0, 255] and truncates; the tiny bias keeps
  // values that are exact multiples of 1/255 from falling a level through
  // float rounding.
  if (!(display_value > 0.0f)) return 0;  // also NaN
  const float level = display_value * 255.0f + 1e-4f;
  return level >= 255.0f ? 255 : static_cast<unsigned char>(level);
}

Status WriteImage(const Image& image, const std::string& path, const ImageWriteOptions& options);
// Whether WriteImage can write `path`'s format here (a known extension and,
// for JPEG and EXR, a loadable codec): callers check before a long render.
Status CheckWritableFormat(const std::string& path);

// Encodes to an in-memory file of `format` ("png", "jpg", "exr").
Result<std::string> EncodeImage(const Image& image, std::string_view format,
                                const ImageWriteOptions& options);
// Decodes a PNG, JPEG or EXR from memory; values in [0, 1] for integer
// formats. Fails with kCorruption on undecodable bytes.
Result<Image> DecodeImage(std::string_view bytes);
Result<Image> ReadImage(const std::string& path);
// The genome stored in a file's metadata, or NotFound.
Result<std::string> ReadImageGenome(const std::string& path);

}  // namespace flamegrid
