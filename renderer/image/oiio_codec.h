// The JPEG and EXR codec: OpenImageIO, built as a module of its own
// (libflamegrid_oiio.so) that image_io loads the first time a program meets
// a format other than PNG, so programs that only write PNG never load
// OpenImageIO (see png_codec.h for why).
//
// The module exports one C symbol, kOiioCodecSymbol, returning the table
// below. Loader and module are built together from this header, so the table
// passes C++ types; `abi` guards against a stale module all the same.
// Thread-safety: the functions are stateless and safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "renderer/image/image.h"
#include "renderer/image/image_io.h"

namespace flamegrid {

inline constexpr int kOiioCodecAbi = 1;
inline constexpr const char* kOiioCodecSymbol = "flamegrid_oiio_codec";

// Each function returns an empty string on success, else the error; `corrupt`
// tells undecodable input apart from other failures.
struct OiioCodec {
  int abi;
  // `format` is "jpg" or "exr" (or "png", which image_io does not send).
  std::string (*encode)(const Image& image, std::string_view format,
                        const ImageWriteOptions& options, std::string* bytes);
  std::string (*decode)(std::string_view bytes, std::string_view format, Image* image,
                        bool* corrupt);
  // The "flam3_genome" metadata; an empty result with no error: none stored.
  std::string (*genome)(std::string_view bytes, std::string_view format, std::string* genome);
};

}  // namespace flamegrid

extern "C" {
using FlamegridOiioCodecFn = const flamegrid::OiioCodec* (*)();
}
