// Reading and writing flam3 XML genomes.
//
// Reads what flam3 3.1 reads, and what Apophysis 7x, JWildfire and
// Fractorium/Ember write: a bare <flame>, or any root element holding many
// <flame> children. The attributes it knows, and those of the other tools it
// reads and ignores, are tables in flam3_attributes.h. Writing then reading
// gives an equal Flame. Every problem is reported as a Status naming the
// flame, element and attribute. Stateless functions; safe from any thread.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

class PaletteLibrary;

// What to do with an xform attribute that is neither a known attribute, a
// variation nor a variation parameter: most often a variation of another
// tool's that flamegrid does not have.
enum class UnknownVariations {
  kError,              // the flame fails, naming every unknown variation
  kIgnoreWithWarning,  // the flame is read without them, with a warning each
};

struct Flam3ReadOptions {
  // Resolves palette="N". Null: the standard library, loaded on first use from
  // PaletteLibrary::DefaultPath(); a genome that needs it fails clearly when
  // that file is missing.
  const PaletteLibrary* palettes = nullptr;
  UnknownVariations unknown_variations = UnknownVariations::kError;
};

// One <flame> of a document, read on its own.
struct FlameReadResult {
  int index = 0;      // position among the document's flames, from 0
  std::string label;  // 'flame "name" (#2)', or 'flame #2' when unnamed
  Result<Flame> flame;
  // Things read but not applied: unknown variations skipped (with
  // kIgnoreWithWarning), other tools' attributes whose value changes the
  // picture, unknown animation modes. Each names the flame and element.
  std::vector<std::string> warnings;
};

struct Flam3Document {
  std::vector<FlameReadResult> flames;
  std::vector<std::string> warnings;  // about the document as a whole
};

// Parses every <flame> in `xml` independently: one bad flame does not stop
// the others. Fails as a whole only on a document that is too large, is not
// XML, or has no <flame>.
Result<Flam3Document> ParseFlam3Each(std::string_view xml, const Flam3ReadOptions& options = {});
Result<Flam3Document> ReadFlam3FileEach(const std::string& path,
                                        const Flam3ReadOptions& options = {});

// Parses every <flame> in `xml`, all or nothing: fails on malformed XML,
// unknown variations (unless options say otherwise), non-finite or
// out-of-range values in any flame, and documents without a flame. Warnings
// are dropped; ParseFlam3Each has them.
Result<std::vector<Flame>> ParseFlam3(std::string_view xml, const Flam3ReadOptions& options = {});
Result<std::vector<Flame>> ReadFlam3File(const std::string& path,
                                         const Flam3ReadOptions& options = {});

// One <flame> element (no XML declaration).
std::string WriteFlameXml(const Flame& flame);
// A document: one flame bare, or many inside <flames>.
std::string WriteFlam3(std::span<const Flame> flames);

}  // namespace flamegrid
