// Reading and writing flam3 XML genomes.
//
// Reads what flam3 3.1 reads (and what Apophysis, JWildfire and Fractorium
// export in flam3 format): a bare <flame>, or any root element holding many
// <flame> children. Writing then reading gives an equal Flame. Every problem
// is reported as a Status naming the flame, element and attribute. Stateless
// functions; safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

class PaletteLibrary;

struct Flam3ReadOptions {
  // Resolves palette="N". Null: the standard library, loaded on first use from
  // PaletteLibrary::DefaultPath(); a genome that needs it fails clearly when
  // that file is missing.
  const PaletteLibrary* palettes = nullptr;
};

// Parses every <flame> in `xml`. Fails on malformed XML, unknown variations,
// non-finite or out-of-range values, and documents without a flame.
Result<std::vector<Flame>> ParseFlam3(std::string_view xml, const Flam3ReadOptions& options = {});
Result<std::vector<Flame>> ReadFlam3File(const std::string& path,
                                         const Flam3ReadOptions& options = {});

// One <flame> element (no XML declaration).
std::string WriteFlameXml(const Flame& flame);
// A document: one flame bare, or many inside <flames>.
std::string WriteFlam3(std::span<const Flame> flames);

}  // namespace flamegrid
