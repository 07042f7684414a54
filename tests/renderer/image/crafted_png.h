// Hand-made PNG files for tests: any IHDR (lies included) over any scanline
// bytes, deflated at any zlib level, so a test can build the files a hostile
// volunteer would send, and the worst case an honest encoder can reach.
// Header-only pure functions; safe from any thread.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

namespace flamegrid::testing {

inline void AppendBigEndian32(std::string& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

// One chunk: length, type, data and the CRC of type and data.
inline void AppendPngChunk(std::string& png, std::string_view type, std::string_view data) {
  AppendBigEndian32(png, static_cast<uint32_t>(data.size()));
  const size_t start = png.size();
  png.append(type);
  png.append(data);
  const auto* crc_from = reinterpret_cast<const Bytef*>(png.data() + start);
  AppendBigEndian32(png, static_cast<uint32_t>(crc32(0, crc_from, png.size() - start)));
}

// A PNG whose IHDR says `width` x `height` at `bit_depth` and `color_type`
// (whatever the data holds), whose IDAT chunks of at most `idat_chunk` bytes
// hold `scanlines` deflated at zlib `level` (0: stored, zlib's largest).
inline std::string CraftedPng(uint32_t width, uint32_t height, int bit_depth, int color_type,
                              std::string_view scanlines, int level = 6, size_t idat_chunk = 8192) {
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  AppendBigEndian32(ihdr, width);
  AppendBigEndian32(ihdr, height);
  ihdr.push_back(static_cast<char>(bit_depth));
  ihdr.push_back(static_cast<char>(color_type));
  ihdr.append(3, '\0');  // deflate, adaptive filtering, not interlaced
  AppendPngChunk(png, "IHDR", ihdr);
  uLongf packed_size = compressBound(scanlines.size());
  std::string packed(packed_size, '\0');
  compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
            reinterpret_cast<const Bytef*>(scanlines.data()), scanlines.size(), level);
  packed.resize(packed_size);
  for (size_t at = 0; at < packed.size(); at += idat_chunk) {
    AppendPngChunk(png, "IDAT", std::string_view(packed).substr(at, idat_chunk));
  }
  AppendPngChunk(png, "IEND", "");
  return png;
}

// The decode bomb of issue 15: a few dozen bytes whose header says
// 16384x16384 16-bit RGBA (2 GiB of rows for a decoder that trusts it).
inline std::string DecodeBombPng() {
  return CraftedPng(16384, 16384, 16, 6, std::string(16, '\0'));
}

}  // namespace flamegrid::testing
