#include "renderer/genome/palette_library.h"

#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include <pugixml.hpp>

namespace flamegrid {
namespace {

constexpr const char* kStandardPath = "/usr/share/flam3/flam3-palettes.xml";
constexpr const char* kPathVariable = "flam3_palettes";  // the name flam3 itself reads

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The library stores 256 colours as "00RRGGBB" groups, whitespace allowed between groups.
Status DecodeLibraryColors(std::string_view data, Palette& palette) {
  size_t pos = 0;
  for (int i = 0; i < kPaletteSize; ++i) {
    while (pos < data.size() && std::isspace(static_cast<unsigned char>(data[pos]))) ++pos;
    if (pos + 8 > data.size()) {
      return Status::InvalidArgument("data has " + std::to_string(i) + " colours, expected " +
                                     std::to_string(kPaletteSize));
    }
    int bytes[4];
    for (int k = 0; k < 4; ++k) {
      const int hi = HexDigit(data[pos + 2 * k]), lo = HexDigit(data[pos + 2 * k + 1]);
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("bad hexadecimal colour \"" +
                                       std::string(data.substr(pos, 8)) + "\"");
      }
      bytes[k] = hi * 16 + lo;
    }
    palette.colors[i] = Rgba{bytes[1] / 255.0, bytes[2] / 255.0, bytes[3] / 255.0, 1.0};
    pos += 8;
  }
  return Status::Ok();
}

}  // namespace

std::string PaletteLibrary::DefaultPath() {
  const char* override_path = std::getenv(kPathVariable);
  if (override_path != nullptr && override_path[0] != '\0') return override_path;
  return kStandardPath;
}

Result<PaletteLibrary> PaletteLibrary::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("cannot open the flam3 palette library " + path +
                            " (the standard one comes with the Debian package flam3-palette; "
                            "set " +
                            kPathVariable + " to use another file)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read the flam3 palette library " + path);
  return Parse(text.str(), path);
}

Result<PaletteLibrary> PaletteLibrary::Parse(std::string_view xml, const std::string& source) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return Status::Corruption(source + ": not XML (" + parsed.description() + " at byte " +
                              std::to_string(parsed.offset) + ")");
  }
  PaletteLibrary library;
  library.source_ = source;
  for (const pugi::xpath_node& found : doc.select_nodes("//palette")) {
    const pugi::xml_node node = found.node();
    Entry entry;
    const char* number_text = node.attribute("number").value();
    const char* number_end = number_text + std::char_traits<char>::length(number_text);
    auto [end, error] = std::from_chars(number_text, number_end, entry.number);
    if (error != std::errc() || end != number_end) {
      return Status::Corruption(source + ": <palette> with number=\"" + number_text +
                                "\" is not an integer");
    }
    entry.name = node.attribute("name").value();
    Status decoded = DecodeLibraryColors(node.attribute("data").value(), entry.colors);
    if (!decoded.ok()) {
      return Status::Corruption(source + ": palette " + std::to_string(entry.number) + ": " +
                                decoded.message());
    }
    if (library.by_number_.contains(entry.number)) {
      return Status::Corruption(source + ": palette number " + std::to_string(entry.number) +
                                " appears twice");
    }
    library.by_number_[entry.number] = library.entries_.size();
    library.entries_.push_back(std::move(entry));
  }
  if (library.entries_.empty()) {
    return Status::Corruption(source + ": no <palette> elements");
  }
  return library;
}

Result<const PaletteLibrary*> PaletteLibrary::Default() {
  // A function-local static is initialised exactly once, even under concurrent first calls.
  static const Result<PaletteLibrary> loaded = Load(DefaultPath());
  if (!loaded.ok()) return loaded.status();
  return &loaded.value();
}

Result<Palette> PaletteLibrary::Get(int number, double hue_turns) const {
  auto it = by_number_.find(number);
  if (it == by_number_.end()) {
    return Status::InvalidArgument("palette " + std::to_string(number) + " is not in " + source_ +
                                   " (it has palettes " + std::to_string(min_number()) + ".." +
                                   std::to_string(max_number()) + ")");
  }
  return RotateHue(entries_[it->second].colors, hue_turns);
}

int PaletteLibrary::min_number() const {
  return by_number_.empty() ? 0 : by_number_.begin()->first;
}

int PaletteLibrary::max_number() const {
  return by_number_.empty() ? 0 : by_number_.rbegin()->first;
}

std::string_view PaletteLibrary::Name(int number) const {
  auto it = by_number_.find(number);
  return it == by_number_.end() ? std::string_view() : std::string_view(entries_[it->second].name);
}

}  // namespace flamegrid
