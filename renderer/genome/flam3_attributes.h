// The flame and xform attribute tables: every attribute the flam3 reader
// knows, what it sets, the limits ValidateFlame holds it to, and how it
// interpolates.
//
// One entry per attribute: its XML name and aliases, its kind, the member it
// sets (or how it is handled when that takes more than one member), whether
// and how the writer emits it, its limits, how animation blends it, and for
// attributes that other tools write (Apophysis 7x, JWildfire, Fractorium/Ember)
// but that change nothing in a 2D render, that they are read and ignored, and
// why. The reader and writer in flam3_xml.cc, the range checks in limits.cc
// and interpolation (renderer/animate) follow the tables rather than lists of
// names of their own. Constant data; thread-safe.
#pragma once

#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "renderer/genome/flame.h"
#include "renderer/genome/xform.h"

namespace flamegrid {

// What the XML value looks like.
enum class AttributeKind {
  kDouble,  // one number
  kInt,     // one integer ("2.0" is read as 2; "2.5" is refused)
  kBool,    // 0 or 1
  kEnum,    // one of a list of names
  kText,    // any text
  kColour,  // "r g b" numbers in [0, 1] (an optional fourth, alpha, is read and ignored)
  kList,    // several numbers separated by whitespace
};

// What the reader does with it.
enum class AttributeUse {
  kMember,   // parsed by kind into `real`, `integer`, `text` or `enumeration`
  kCustom,   // needs more than one member or a rule; handled by name in flam3_xml.cc
  kIgnored,  // read and dropped: changes nothing in a 2D render (see `note`)
};

// When the writer emits it (only for kMember entries; kCustom ones have their own rule).
enum class AttributeWrite {
  kAlways,
  kUnlessDefault,  // only when it differs from a default-constructed value
  kNever,          // read only: an alias form, a legacy form, or ignored
  kCustom,
};

// How genome interpolation (flam3_interpolate's rules) blends the member.
// Every entry the reader does not ignore has one; the affines (log-polar per
// column under interpolation_type "log"), palettes, chaos and the members an
// entry shares with another (size, center, background) are kCustom, blended
// by hand in renderer/animate/interpolate.cc.
enum class AttributeInterpolation {
  kUnset,           // no rule given: a table test refuses it for a used entry
  kLinear,          // the weighted sum (flam3's INTERP; integers round: INTERI)
  kLinearPositive,  // the weighted sum, then at least 0 (an xform's weight)
  kLinearUnit,      // the weighted sum, then clamped to [0, 1] (colour, colour speed)
  kFirst,           // held: the first control point's value (modes and filters)
  kReset,           // not interpolated: the result takes a default genome's value
  kCustom,          // blended by hand in interpolate.cc (see there)
  kNone,            // stores nothing of its own (a read-only form of another entry)
};

struct EnumName {
  std::string_view name{};
  int value;
};

template <typename Target>
struct EnumAccess {
  std::span<const EnumName> names;
  int (*get)(const Target&) = nullptr;
  void (*set)(Target&, int) = nullptr;
  // An unknown name is a warning and keeps the default, for attributes that
  // only matter to animation (other tools add their own interpolation modes).
  bool unknown_warns = false;
};

// The range ValidateFlame accepts; every number must also be finite.
struct AttributeLimits {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;  // value must be > min
};

template <typename Target>
struct AttributeSpec {
  std::string_view name{};
  std::string_view aliases{};  // other names read the same way, space-separated
  AttributeKind kind = AttributeKind::kDouble;
  AttributeUse use = AttributeUse::kMember;
  AttributeWrite write = AttributeWrite::kAlways;
  double Target::*real = nullptr;
  int Target::*integer = nullptr;
  std::string Target::*text = nullptr;
  EnumAccess<Target> enumeration{};
  AttributeLimits limits{};
  // For ignored attributes: the value at which ignoring them loses nothing
  // ("0", "1 0 0 1 0 0"). Another value is read with a warning that the
  // image will differ from the tool's. Empty: ignoring never matters.
  std::string_view neutral{};
  std::string_view note{};  // what it is and who writes it
  AttributeInterpolation interpolation = AttributeInterpolation::kUnset;
};

using FlameAttributeSpec = AttributeSpec<Flame>;
using XformAttributeSpec = AttributeSpec<Xform>;

// In writing order; read-only and ignored entries last.
std::span<const FlameAttributeSpec> FlameAttributes();
std::span<const XformAttributeSpec> XformAttributes();

// By XML name or alias; null when the table has no such attribute (for an
// xform, the name may still be a variation or a variation parameter).
const FlameAttributeSpec* FindFlameAttribute(std::string_view name);
const XformAttributeSpec* FindXformAttribute(std::string_view name);

// The XML name of an enumerated value (the first name when none matches).
std::string_view EnumValueName(std::span<const EnumName> names, int value);

// Enumerations shared with the writer of flam3's own form.
std::span<const EnumName> MotionFunctionNames();

}  // namespace flamegrid
