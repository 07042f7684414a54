// PaletteLibrary: flam3's standard palettes (flam3-palettes.xml), by number.
//
// A genome may name its colours as palette="N" instead of listing them; N is
// the `number` attribute of a <palette> in the library file (701 palettes,
// 0..700, in Debian's flam3-palette package). An instance is immutable after
// Load, so it is safe to share between threads; Default() loads the standard
// file once, on first use, and is itself thread-safe.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "renderer/base/status.h"
#include "renderer/genome/palette.h"

namespace flamegrid {

class PaletteLibrary {
 public:
  // Reads a flam3-palettes.xml file. A missing file is NotFound and names the
  // Debian package that provides the standard one.
  static Result<PaletteLibrary> Load(const std::string& path);
  // Parses the text of such a file; `source` names it in messages.
  static Result<PaletteLibrary> Parse(std::string_view xml, const std::string& source);

  // $flam3_palettes when set (flam3's own override), else
  // /usr/share/flam3/flam3-palettes.xml.
  static std::string DefaultPath();
  // The library at DefaultPath(), loaded on first call. A failure is kept and
  // returned to every later caller too.
  static Result<const PaletteLibrary*> Default();

  // Palette `number`, its hue rotated by `hue_turns` exactly as flam3 does for
  // palette="N" hue="h" (every colour goes through HSV, even at hue 0, so the
  // result matches flam3 to the last bit). InvalidArgument when absent.
  Result<Palette> Get(int number, double hue_turns = 0.0) const;

  bool Contains(int number) const { return by_number_.contains(number); }
  int size() const { return static_cast<int>(entries_.size()); }
  // Smallest and largest palette numbers (both 0 when empty).
  int min_number() const;
  int max_number() const;
  const std::string& source() const { return source_; }
  // The palette's `name` attribute ("south-sea-bather"), empty when absent.
  std::string_view Name(int number) const;

 private:
  struct Entry {
    int number = 0;
    std::string name;
    Palette colors;
  };
  std::string source_;
  std::vector<Entry> entries_;
  std::map<int, size_t> by_number_;
};

}  // namespace flamegrid
