// libFuzzer target: any bytes through the flam3 reader. Whatever it accepts
// must write out and read back to an equal list of flames.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "renderer/genome/flam3_xml.h"
#include "renderer/genome/palette_library.h"

namespace {

// A one-palette library, so palette="0" takes the library path without the
// fuzzer depending on the installed flam3-palettes.xml.
const flamegrid::PaletteLibrary& FuzzLibrary() {
  static const flamegrid::PaletteLibrary library = [] {
    std::string data;
    for (int i = 0; i < 256; ++i) {
      char group[9];
      std::snprintf(group, sizeof(group), "00%02x%02x%02x", i, 255 - i, (i * 7) & 255);
      data += group;
    }
    auto parsed = flamegrid::PaletteLibrary::Parse(
        "<palettes><palette number=\"0\" name=\"fuzz\" data=\"" + data + "\"/></palettes>",
        "fuzz-palettes.xml");
    if (!parsed.ok()) std::abort();
    return std::move(parsed).value();
  }();
  return library;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  flamegrid::Flam3ReadOptions options;
  options.palettes = &FuzzLibrary();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto flames = flamegrid::ParseFlam3(input, options);
  if (!flames.ok()) return 0;
  const std::string written = flamegrid::WriteFlam3(*flames);
  auto again = flamegrid::ParseFlam3(written, options);
  if (!again.ok()) {
    std::fprintf(stderr, "our own output was refused: %s\n--- written ---\n%s\n",
                 again.status().ToString().c_str(), written.c_str());
    std::abort();
  }
  if (*again != *flames) {
    std::fprintf(stderr, "write/read changed the flames\n--- written ---\n%s\n", written.c_str());
    std::abort();
  }
  return 0;
}
