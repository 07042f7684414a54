#include "renderer/genome/flam3_xml.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "renderer/genome/flam3_attributes.h"
#include "renderer/genome/limits.h"
#include "renderer/genome/palette_library.h"

namespace flamegrid {
namespace {

// ---------------------------------------------------------------------------
// Numbers. flam3 converts with strtod/strtol and rejects trailing characters;
// we do the same with from_chars, which is locale-independent and exact, and
// read as leniently as the other tools do: surrounding whitespace, "2.0"
// where an integer is expected, and a decimal comma where it cannot be a
// separator (see ParseDouble).

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsXmlSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsXmlSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> SplitWhitespace(std::string_view text) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < text.size()) {
    while (pos < text.size() && IsXmlSpace(text[pos])) ++pos;
    size_t end = pos;
    while (end < text.size() && !IsXmlSpace(text[end])) ++end;
    if (end > pos) words.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return words;
}

// strtod accepts a leading '+'; from_chars does not.
std::string_view StripPlus(std::string_view text) {
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  return text;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// "0,5" as written by a program formatting numbers in a locale with a decimal
// comma (Apophysis under a German Windows): exactly one comma, between digits,
// and no point. Anything else is left alone.
std::optional<std::string> DecimalCommaAsPoint(std::string_view word) {
  const size_t comma = word.find(',');
  if (comma == std::string_view::npos || word.find(',', comma + 1) != std::string_view::npos ||
      word.find('.') != std::string_view::npos || comma == 0 || comma + 1 >= word.size() ||
      !IsDigit(word[comma - 1]) || !IsDigit(word[comma + 1])) {
    return std::nullopt;
  }
  std::string point(word);
  point[comma] = '.';
  return point;
}

template <typename Number>
bool FromChars(std::string_view text, Number& value) {
  text = StripPlus(Trim(text));
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

// One number. `decimal_comma`: the caller knows the text holds exactly one
// number (a single-number attribute, or one word of a list whose count of
// whitespace-separated words is already the expected one), so a comma in it
// can only be a decimal comma. In lists of variable length ("chaos") a comma
// could separate numbers, and is refused.
template <typename Number>
bool ParseNumber(std::string_view text, Number& value, bool decimal_comma) {
  if (FromChars(text, value)) return true;
  if (!decimal_comma) return false;
  const std::optional<std::string> point = DecimalCommaAsPoint(Trim(text));
  return point && FromChars(std::string_view(*point), value);
}

bool ParseDouble(std::string_view text, double& value, bool decimal_comma = true) {
  return ParseNumber(text, value, decimal_comma);
}

bool ParseLongDouble(std::string_view text, long double& value) {
  return ParseNumber(text, value, true);
}

// An integer, or a number with no fractional part ("1.0", "2.000": JWildfire
// writes integers so).
bool ParseInt(std::string_view text, int& value) {
  if (FromChars(text, value)) return true;
  double real;
  if (!ParseDouble(text, real)) return false;
  if (!(real >= std::numeric_limits<int>::min() && real <= std::numeric_limits<int>::max()) ||
      real != std::trunc(real)) {
    return false;
  }
  value = static_cast<int>(real);
  return true;
}

// Text that is not valid UTF-8 is taken as Latin-1 (older Apophysis versions
// write names in the Windows code page without declaring it) and converted.
std::string AsUtf8(std::string_view text) {
  size_t i = 0;
  bool valid = true;
  while (i < text.size() && valid) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const int length = c < 0x80           ? 1
                       : (c >> 5) == 0x6  ? 2
                       : (c >> 4) == 0xe  ? 3
                       : (c >> 3) == 0x1e ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) {
      valid = false;
      break;
    }
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) valid = false;
    }
    i += length;
  }
  if (valid) return std::string(text);
  std::string utf8;
  for (char ch : text) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      utf8 += ch;
    } else {
      utf8 += static_cast<char>(0xc0 | (c >> 6));
      utf8 += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return utf8;
}

// ---------------------------------------------------------------------------
// Where we are, for messages: 'flame "x" (#0): xform 2'.

std::string Quote(std::string_view value) {
  constexpr size_t kMaxShown = 60;
  std::string shown(value.substr(0, kMaxShown));
  if (value.size() > kMaxShown) shown += "...";
  return "\"" + shown + "\"";
}

struct Where {
  std::string flame;    // 'flame "x" (#3)' or 'flame #3'
  std::string element;  // "<flame>", "xform 2", "finalxform", "<color>"

  std::string Describe(std::string_view attribute, std::string_view value) const {
    return flame + ": " + element + ": attribute \"" + std::string(attribute) +
           "\"=" + Quote(value);
  }
  Status Bad(std::string_view attribute, std::string_view value, std::string_view problem) const {
    return Status::InvalidArgument(Describe(attribute, value) + ": " + std::string(problem));
  }
  Status Problem(std::string_view problem) const {
    return Status::InvalidArgument(flame + ": " + element + ": " + std::string(problem));
  }
};

Status ReadDouble(const Where& where, const pugi::xml_attribute& attribute, double& value) {
  if (!ParseDouble(attribute.value(), value)) {
    return where.Bad(attribute.name(), attribute.value(), "not a number");
  }
  return Status::Ok();
}

Status ReadInt(const Where& where, const pugi::xml_attribute& attribute, int& value) {
  if (!ParseInt(attribute.value(), value)) {
    return where.Bad(attribute.name(), attribute.value(), "not an integer");
  }
  return Status::Ok();
}

// Exactly `count` numbers (or, with min_count, between min_count and count).
// Only a list of fixed length may use decimal commas: there the number of
// words tells that a comma is not a separator.
Status ReadDoubles(const Where& where, const pugi::xml_attribute& attribute, double* values,
                   size_t count, size_t min_count = 0) {
  if (min_count == 0) min_count = count;
  const std::vector<std::string_view> words = SplitWhitespace(attribute.value());
  if (words.size() < min_count || words.size() > count) {
    const std::string expected = min_count == count
                                     ? std::to_string(count)
                                     : std::to_string(min_count) + " to " + std::to_string(count);
    return where.Bad(attribute.name(), attribute.value(),
                     "expected " + expected + " numbers, found " + std::to_string(words.size()));
  }
  const bool decimal_comma = min_count == count || words.size() == 1;
  for (size_t i = 0; i < words.size(); ++i) {
    if (!ParseDouble(words[i], values[i], decimal_comma)) {
      return where.Bad(attribute.name(), attribute.value(), Quote(words[i]) + " is not a number");
    }
  }
  return Status::Ok();
}

Status ReadAffine(const Where& where, const pugi::xml_attribute& attribute, Affine2& affine) {
  double v[6];
  FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, v, 6));
  affine = Affine2{v[0], v[1], v[2], v[3], v[4], v[5]};
  return Status::Ok();
}

std::string EnumChoices(std::span<const EnumName> names) {
  std::string allowed;
  for (const EnumName& entry : names) {
    if (!allowed.empty()) allowed += ", ";
    allowed += entry.name;
  }
  return allowed;
}

// Warnings and unknown variations met while reading one flame.
struct ReadLog {
  std::vector<std::string> warnings;
  // Per element ("xform 0"), the attribute names that are neither known
  // attributes, variations nor variation parameters.
  std::vector<std::pair<std::string, std::vector<std::string>>> unknown;
};

// An enumerated attribute: the value must be one of `names`, except where the
// table says an unknown one only warns.
template <typename Target>
Status ReadEnum(const Where& where, const pugi::xml_attribute& attribute,
                const EnumAccess<Target>& access, Target& target, ReadLog& log) {
  const std::string_view text = Trim(attribute.value());
  for (const EnumName& entry : access.names) {
    if (text == entry.name) {
      access.set(target, entry.value);
      return Status::Ok();
    }
  }
  const std::string problem = "expected one of " + EnumChoices(access.names);
  if (!access.unknown_warns) return where.Bad(attribute.name(), attribute.value(), problem);
  log.warnings.push_back(where.Describe(attribute.name(), attribute.value()) + ": " + problem +
                         "; the default " +
                         std::string(EnumValueName(access.names, access.get(target))) + " is used");
  return Status::Ok();
}

// An attribute of kMember use: parsed by its kind into its member.
template <typename Target>
Status ReadMember(const AttributeSpec<Target>& spec, const Where& where,
                  const pugi::xml_attribute& attribute, Target& target, ReadLog& log) {
  switch (spec.kind) {
    case AttributeKind::kDouble:
      return ReadDouble(where, attribute, target.*spec.real);
    case AttributeKind::kInt:
      return ReadInt(where, attribute, target.*spec.integer);
    case AttributeKind::kEnum:
      return ReadEnum(where, attribute, spec.enumeration, target, log);
    case AttributeKind::kText:
      target.*spec.text = AsUtf8(attribute.value());
      return Status::Ok();
    default:
      return Status::Internal(where.Describe(attribute.name(), attribute.value()) +
                              ": the attribute table has no reader for this kind");
  }
}

// Numbers equal, word by word ("1 0 0 1 0 0" == "1.0 0 0 1 0 0"); text equal otherwise.
bool SameValue(std::string_view a, std::string_view b) {
  const std::vector<std::string_view> x = SplitWhitespace(a), y = SplitWhitespace(b);
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    double u, v;
    if (ParseDouble(x[i], u) && ParseDouble(y[i], v)) {
      if (u != v) return false;
    } else if (x[i] != y[i]) {
      return false;
    }
  }
  return true;
}

// An ignored attribute: nothing to do, unless its value is one at which
// ignoring it changes the picture; then say so.
template <typename Target>
void NoteIgnored(const AttributeSpec<Target>& spec, const Where& where,
                 const pugi::xml_attribute& attribute, ReadLog& log) {
  if (spec.neutral.empty() || SameValue(attribute.value(), spec.neutral)) return;
  log.warnings.push_back(where.Describe(attribute.name(), attribute.value()) + " is not applied (" +
                         std::string(spec.note) + "); the image will differ from the tool's");
}

// Parameter names other tools write: flam3's short oscope_ names, and
// Apophysis' unprefixed Re_A ... Im_D for its Mobius (Ember and Fractorium
// write Mobius_Re_A ...). flam3 reads Re_A ... as mobius's too; they are
// Apophysis' Mobius's own.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kParamAliases = {{
    {"oscope_separation", "oscilloscope_separation"},
    {"oscope_frequency", "oscilloscope_frequency"},
    {"oscope_amplitude", "oscilloscope_amplitude"},
    {"oscope_damping", "oscilloscope_damping"},
    {"Re_A", "Mobius_Re_A"},
    {"Im_A", "Mobius_Im_A"},
    {"Re_B", "Mobius_Re_B"},
    {"Im_B", "Mobius_Im_B"},
    {"Re_C", "Mobius_Re_C"},
    {"Im_C", "Mobius_Im_C"},
    {"Re_D", "Mobius_Re_D"},
    {"Im_D", "Mobius_Im_D"},
}};

// ---------------------------------------------------------------------------
// Reading xforms.

// A <motion> element starts from all zeros (it holds deltas), unlike an xform.
Xform ZeroXform() {
  Xform xf;
  xf.weight = xf.color = xf.color_speed = xf.animate = xf.opacity = 0.0;
  xf.affine = Affine2{0, 0, 0, 0, 0, 0};
  xf.post = Affine2{0, 0, 0, 0, 0, 0};
  xf.params.fill(0.0);
  return xf;
}

enum class XformKind { kNormal, kFinal, kMotion };

struct XformState {
  bool disabled = false;  // Apophysis enabled="0"
};

// The attributes the table marks kCustom.
Status ReadCustomXformAttribute(const XformAttributeSpec& spec,
                                const pugi::xml_attribute& attribute, const Where& where,
                                XformKind kind, Xform& xf, XformState& state) {
  const std::string_view name = spec.name;
  const std::string_view text = attribute.value();
  if (name == "color") {
    // flam3 accepts "c" or "c1 c2" (an old two-coordinate form) and keeps the first.
    double colors[2];
    FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, colors, 2, 1));
    xf.color = colors[0];
  } else if (name == "symmetry") {
    // Before color_speed and animate, one number s set both: speed (1 - s) / 2,
    // and s > 0 meant "do not rotate in loops".
    double s;
    FG_RETURN_IF_ERROR(ReadDouble(where, attribute, s));
    xf.color_speed = (1.0 - s) / 2.0;
    xf.animate = s > 0.0 ? 0.0 : 1.0;
  } else if (name == "plotmode") {
    if (kind == XformKind::kMotion)
      return where.Bad(attribute.name(), text, "not allowed in <motion>");
    if (Trim(text) == "off") xf.opacity = 0.0;
  } else if (name == "coefs") {
    FG_RETURN_IF_ERROR(ReadAffine(where, attribute, xf.affine));
  } else if (name == "post") {
    FG_RETURN_IF_ERROR(ReadAffine(where, attribute, xf.post));
  } else if (name == "chaos") {
    if (kind != XformKind::kNormal) {
      return where.Bad(attribute.name(), text, "only an <xform> may have chaos");
    }
    const std::vector<std::string_view> words = SplitWhitespace(text);
    if (words.size() > static_cast<size_t>(kMaxXforms)) {
      return where.Bad(attribute.name(), text,
                       "more than " + std::to_string(kMaxXforms) + " entries");
    }
    xf.chaos.assign(words.size(), 1.0);
    for (size_t i = 0; i < words.size(); ++i) {
      if (!ParseDouble(words[i], xf.chaos[i], /*decimal_comma=*/false)) {
        return where.Bad(attribute.name(), text, Quote(words[i]) + " is not a number");
      }
    }
  } else if (name == "motion_frequency") {
    FG_RETURN_IF_ERROR(ReadInt(where, attribute, xf.motion_frequency));
    if (kind != XformKind::kMotion && xf.motion_frequency != 0) {
      return where.Bad(attribute.name(), text,
                       "only a <motion> element may have motion parameters");
    }
  } else if (name == "motion_function") {
    if (kind != XformKind::kMotion) {
      return where.Bad(attribute.name(), text,
                       "only a <motion> element may have motion parameters");
    }
    ReadLog strict;  // motion_function is strict: no warnings to collect
    FG_RETURN_IF_ERROR(ReadEnum(where, attribute, spec.enumeration, xf, strict));
  } else if (name == "motion_offset") {
    double offset;
    FG_RETURN_IF_ERROR(ReadDouble(where, attribute, offset));
    if (offset != 0.0) {
      return where.Bad(attribute.name(), text, "a <motion> phase offset is not supported");
    }
  } else if (name == "var1") {
    // Oldest form: the index of the one variation, at weight 1.
    int index;
    FG_RETURN_IF_ERROR(ReadInt(where, attribute, index));
    if (index < 0 || index >= kRegularVariationCount) {
      return where.Bad(attribute.name(), text, "no variation has this number");
    }
    xf.variations.fill(0.0);
    xf.variations[index] = 1.0;
  } else if (name == "var") {
    // Old form: variation weights in flam3's numbering. Genomes from older flam3
    // versions list fewer than today's 99; the rest are zero.
    std::array<double, kRegularVariationCount> weights{};
    FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, weights.data(), kRegularVariationCount, 1));
    xf.variations.fill(0.0);
    std::copy(weights.begin(), weights.end(), xf.variations.begin());
  } else if (name == "linear3D") {
    // With z always 0, linear3D moves x and y exactly as linear does, and its
    // pre_ and post_ forms as linear's (Ember renders them identically).
    double weight;
    FG_RETURN_IF_ERROR(ReadDouble(where, attribute, weight));
    const std::string_view spelled = attribute.name();
    const std::optional<VariationId> form =
        spelled.starts_with("pre_")    ? PreForm(VariationId::kLinear)
        : spelled.starts_with("post_") ? PostForm(VariationId::kLinear)
                                       : VariationId::kLinear;
    xf.Variation(*form) += weight;
    NoteFormListed(xf, *form);
  } else if (name == "enabled") {
    int enabled;
    FG_RETURN_IF_ERROR(ReadInt(where, attribute, enabled));
    state.disabled = kind == XformKind::kFinal && enabled == 0;
  } else {
    return where.Bad(attribute.name(), text, "unknown variation or xform attribute");
  }
  return Status::Ok();
}

// Variation names other tools spell differently for the same variation:
// JWildfire writes spherical3D (its T.I.N.A examples), which Ember renders as
// Apophysis' Spherical3D.
constexpr std::array<std::pair<std::string_view, std::string_view>, 1> kVariationAliases = {{
    {"spherical3D", "Spherical3D"},
}};

std::optional<VariationId> FindVariationOrAlias(std::string_view name) {
  for (const auto& [alias, canonical] : kVariationAliases) {
    if (name == alias) return FindVariation(canonical);
  }
  return FindVariation(name);
}

Status ReadXformAttributes(const pugi::xml_node& node, const Where& where, XformKind kind,
                           Xform& xf, XformState& state, ReadLog& log) {
  std::vector<std::string> unknown;
  for (const pugi::xml_attribute& attribute : node.attributes()) {
    const std::string_view name = attribute.name();
    if (const XformAttributeSpec* spec = FindXformAttribute(name)) {
      switch (spec->use) {
        case AttributeUse::kMember:
          FG_RETURN_IF_ERROR(ReadMember(*spec, where, attribute, xf, log));
          break;
        case AttributeUse::kCustom:
          FG_RETURN_IF_ERROR(ReadCustomXformAttribute(*spec, attribute, where, kind, xf, state));
          break;
        case AttributeUse::kIgnored:
          NoteIgnored(*spec, where, attribute, log);
          break;
      }
    } else if (std::optional<VariationId> id = FindVariationOrAlias(name)) {
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, xf.variations[VariationIndex(*id)]));
      NoteFormListed(xf, *id);
    } else {
      std::string_view param_name = name;
      for (const auto& [alias, canonical] : kParamAliases) {
        if (name == alias) param_name = canonical;
      }
      std::optional<int> param = FindVariationParam(param_name);
      if (!param) {
        unknown.emplace_back(name);
        continue;
      }
      double& value = xf.params[*param];
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, value));
      // flam3 clamps super_shape_rnd to [0, 1] as it reads it.
      if (param_name == "super_shape_rnd") value = std::clamp(value, 0.0, 1.0);
    }
  }
  if (!unknown.empty()) log.unknown.emplace_back(where.element, std::move(unknown));
  return Status::Ok();
}

Status ReadXform(const pugi::xml_node& node, const Where& where, XformKind kind, Xform& xf,
                 XformState& state, ReadLog& log) {
  FG_RETURN_IF_ERROR(ReadXformAttributes(node, where, kind, xf, state, log));
  if (kind == XformKind::kFinal && xf.weight != 0.0) {
    // flam3 refuses this; JWildfire writes a weight on every xform, and it and
    // Fractorium pay it no attention on the final one. So do we.
    log.warnings.push_back(where.flame + ": " + where.element + ": attribute \"weight\" ignored: " +
                           "a final xform is applied to every point, not chosen by weight");
    xf.weight = 0.0;
  }
  if (kind == XformKind::kMotion) return Status::Ok();
  for (const pugi::xml_node& child : node.children("motion")) {
    if (xf.motion.size() >= static_cast<size_t>(kMaxMotionElements)) {
      return where.Problem("more than " + std::to_string(kMaxMotionElements) +
                           " <motion> elements");
    }
    Xform motion = ZeroXform();
    Where motion_where = where;
    motion_where.element += ": motion " + std::to_string(xf.motion.size());
    XformState motion_state;
    FG_RETURN_IF_ERROR(
        ReadXform(child, motion_where, XformKind::kMotion, motion, motion_state, log));
    xf.motion.push_back(std::move(motion));
  }
  return Status::Ok();
}

// "xform 0: unknown variation "foo" (with its parameters "foo_a")", one per
// unknown name that is not a parameter of another unknown name.
std::vector<std::string> DescribeUnknown(const ReadLog& log) {
  std::vector<std::string> lines;
  for (const auto& [element, names] : log.unknown) {
    for (const std::string& name : names) {
      auto is_parameter_of = [&name](const std::string& other) {
        return other != name && name.size() > other.size() + 1 && name.starts_with(other) &&
               name[other.size()] == '_';
      };
      if (std::any_of(names.begin(), names.end(), is_parameter_of)) continue;
      std::string line = element + ": unknown variation \"" + name + "\"";
      std::string parameters;
      for (const std::string& other : names) {
        if (other.size() > name.size() + 1 && other.starts_with(name) &&
            other[name.size()] == '_') {
          parameters += (parameters.empty() ? "" : ", ") + ("\"" + other + "\"");
        }
      }
      if (!parameters.empty()) line += " (with its parameters " + parameters + ")";
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Hexadecimal colours, `digits` per colour ("00RRGGBB" = 8 with a pad byte, "RRGGBB" =
// 6, "RRGGBBAA" = 8 with alpha), whitespace allowed between colours. Sets `count` entries.
Status ReadHexColors(const Where& where, std::string_view attribute, std::string_view data,
                     int count, int digits, bool has_pad, bool has_alpha, Palette& palette,
                     std::array<bool, kPaletteSize>& set) {
  size_t pos = 0;
  for (int i = 0; i < count; ++i) {
    while (pos < data.size() && IsXmlSpace(data[pos])) ++pos;
    if (pos + digits > data.size()) {
      return where.Bad(attribute, data,
                       "has " + std::to_string(i) + " colours, expected " + std::to_string(count));
    }
    std::array<int, 4> bytes{};
    for (int k = 0; k < digits / 2; ++k) {
      const int hi = HexValue(data[pos + 2 * k]), lo = HexValue(data[pos + 2 * k + 1]);
      if (hi < 0 || lo < 0) {
        return where.Bad(attribute, data,
                         "bad hexadecimal colour " + Quote(data.substr(pos, digits)));
      }
      bytes[k] = hi * 16 + lo;
    }
    const int first = has_pad ? 1 : 0;
    palette.colors[i] = Rgba{bytes[first] / 255.0, bytes[first + 1] / 255.0,
                             bytes[first + 2] / 255.0, has_alpha ? bytes[3] / 255.0 : 1.0};
    set[i] = true;
    pos += digits;
  }
  while (pos < data.size() && IsXmlSpace(data[pos])) ++pos;
  if (pos != data.size()) return where.Bad(attribute, data, "extra data after the last colour");
  return Status::Ok();
}

// "a b c" or "a b c d" as long doubles (see InlineChannel for why).
Status ReadChannels(const Where& where, const pugi::xml_attribute& attribute, long double* values,
                    size_t count) {
  const std::vector<std::string_view> words = SplitWhitespace(attribute.value());
  if (words.size() != count) {
    return where.Bad(
        attribute.name(), attribute.value(),
        "expected " + std::to_string(count) + " numbers, found " + std::to_string(words.size()));
  }
  for (size_t i = 0; i < count; ++i) {
    if (!ParseLongDouble(words[i], values[i])) {
      return where.Bad(attribute.name(), attribute.value(), Quote(words[i]) + " is not a number");
    }
  }
  return Status::Ok();
}

// An inline colour channel: flam3 computes alpha * value / 255, premultiplying
// by alpha = a / 255. We evaluate that in long double and round once at the
// end: the results agree with flam3's to the last bit for ordinary palettes,
// and the writer can then always find a text that reads back exactly (the
// products it needs fit in long double's 64-bit mantissa), which plain double
// arithmetic cannot promise for interpolated colours.
double InlineChannel(long double alpha, long double value) {
  return static_cast<double>(alpha * value / 255.0L);
}

Status ReadColorElement(const pugi::xml_node& node, const Where& where, Palette& palette,
                        std::array<bool, kPaletteSize>& set) {
  int index = -1;
  long double rgb[3] = {0, 0, 0};
  long double alpha255 = 255.0L;
  bool has_color = false;
  for (const pugi::xml_attribute& attribute : node.attributes()) {
    const std::string_view name = attribute.name();
    if (name == "index") {
      FG_RETURN_IF_ERROR(ReadInt(where, attribute, index));
      if (index < 0 || index >= kPaletteSize) {
        return where.Bad(name, attribute.value(), "a colour index must be 0..255");
      }
    } else if (name == "rgb") {
      FG_RETURN_IF_ERROR(ReadChannels(where, attribute, rgb, 3));
      has_color = true;
    } else if (name == "rgba") {
      long double rgba[4];
      FG_RETURN_IF_ERROR(ReadChannels(where, attribute, rgba, 4));
      std::copy(rgba, rgba + 3, rgb);
      alpha255 = rgba[3];
      has_color = true;
    } else if (name == "a") {
      FG_RETURN_IF_ERROR(ReadChannels(where, attribute, &alpha255, 1));
    } else {
      return where.Bad(name, attribute.value(), "unknown <color> attribute");
    }
  }
  if (index < 0) return where.Problem("<color> without an index");
  if (!has_color) {
    return where.Problem("<color index=\"" + std::to_string(index) + "\"> without rgb");
  }
  const long double alpha = alpha255 / 255.0L;
  palette.colors[index] = Rgba{InlineChannel(alpha, rgb[0]), InlineChannel(alpha, rgb[1]),
                               InlineChannel(alpha, rgb[2]), static_cast<double>(alpha)};
  set[index] = true;
  return Status::Ok();
}

Status ReadColorsElement(const pugi::xml_node& node, const Where& where, Palette& palette,
                         std::array<bool, kPaletteSize>& set) {
  int count = kPaletteSize;
  std::optional<pugi::xml_attribute> data;
  for (const pugi::xml_attribute& attribute : node.attributes()) {
    const std::string_view name = attribute.name();
    if (name == "count") {
      FG_RETURN_IF_ERROR(ReadInt(where, attribute, count));
      if (count < 0 || count > kPaletteSize) {
        return where.Bad(name, attribute.value(), "a palette has at most 256 colours");
      }
    } else if (name == "data") {
      data = attribute;
    } else {
      return where.Bad(name, attribute.value(), "unknown <colors> attribute");
    }
  }
  if (!data) return where.Problem("<colors> without data");
  return ReadHexColors(where, "data", data->value(), count, 8, /*has_pad=*/true,
                       /*has_alpha=*/false, palette, set);
}

Status ReadPaletteElement(const pugi::xml_node& node, const Where& where, Palette& palette,
                          std::array<bool, kPaletteSize>& set) {
  int count = kPaletteSize;
  int bytes_per_color = 3;
  for (const pugi::xml_attribute& attribute : node.attributes()) {
    const std::string_view name = attribute.name();
    if (name == "count") {
      FG_RETURN_IF_ERROR(ReadInt(where, attribute, count));
      if (count < 0 || count > kPaletteSize) {
        return where.Bad(name, attribute.value(), "a palette has at most 256 colours");
      }
    } else if (name == "format") {
      const std::string_view format = attribute.value();
      if (format == "RGB") {
        bytes_per_color = 3;
      } else if (format == "RGBA") {
        bytes_per_color = 4;
      } else {
        return where.Bad(name, format, "expected RGB or RGBA");
      }
    } else if (name == "source_colors") {
      // Fractorium: the colour stops its palette editor made the palette from.
    } else if (name == "index0" || name == "index1" || name == "hue0" || name == "hue1" ||
               name == "blend") {
      return where.Bad(name, attribute.value(),
                       "the old <palette index0 index1 blend> form is not supported");
    } else {
      return where.Bad(name, attribute.value(), "unknown <palette> attribute");
    }
  }
  return ReadHexColors(where, "palette text", node.text().get(), count, 2 * bytes_per_color,
                       /*has_pad=*/false, /*has_alpha=*/bytes_per_color == 4, palette, set);
}

// Fills colours the genome did not list by linear interpolation between the
// listed neighbours, wrapping around the ends, as flam3 does.
void FillMissingColors(Palette& palette, const std::array<bool, kPaletteSize>& set) {
  std::vector<int> known;
  for (int i = 0; i < kPaletteSize; ++i) {
    if (set[i]) known.push_back(i);
  }
  if (known.empty() || known.size() == kPaletteSize) return;
  for (size_t k = 0; k < known.size(); ++k) {
    const int left = known[k];
    const int right_index = known[(k + 1) % known.size()];
    // Distance to the next known entry, going up and wrapping past 255.
    const int right = right_index > left ? right_index : right_index + kPaletteSize;
    const Rgba& a = palette.colors[left];
    const Rgba& b = palette.colors[right_index];
    for (int j = left + 1; j < right; ++j) {
      const double t = static_cast<double>(j - left) / (right - left);
      palette.colors[j % kPaletteSize] = Rgba{a.r * (1.0 - t) + b.r * t, a.g * (1.0 - t) + b.g * t,
                                              a.b * (1.0 - t) + b.b * t, a.a * (1.0 - t) + b.a * t};
    }
  }
}

// flam3's <symmetry kind="N"/>: N >= 2 adds N-1 rotations, N <= -1 adds a
// reflection and |N|-1 rotations. 0 (flam3: "pick one at random") and 1 add nothing.
void AddSymmetry(Flame& flame, int kind) {
  if (kind == 0 || kind == 1) return;
  flame.symmetry = kind;
  auto add = [&flame](double color, const Affine2& affine) {
    Xform xf;
    xf.weight = 1.0;
    xf.color_speed = 0.0;
    xf.animate = 0.0;
    xf.Variation(VariationId::kLinear) = 1.0;
    xf.color = color;
    xf.affine = affine;
    flame.xforms.push_back(std::move(xf));
  };
  int order = kind;
  if (order < 0) {
    add(1.0, Affine2{-1.0, 0.0, 0.0, 1.0, 0.0, 0.0});
    order = -order;
  }
  // Rotation coefficients are rounded to 6 decimals, as flam3 stores them.
  auto round6 = [](double x) { return 1e-6 * std::round(x * 1e6); };
  const double step = 2.0 * M_PI / order;
  for (int k = 1; k < order; ++k) {
    const double cos_k = round6(std::cos(k * step));
    const double sin_k = round6(std::sin(k * step));
    add(order < 3 ? 0.0 : (k - 1.0) / (order - 2.0),
        Affine2{cos_k, sin_k, round6(-sin_k), cos_k, 0.0, 0.0});
  }
}

std::string NodeXml(const pugi::xml_node& node) {
  std::ostringstream out;
  node.print(out, "", pugi::format_raw);
  return out.str();
}

// pugixml prints decoded text as is, so a character reference such as &#10;
// in a passed-through element comes out as a raw newline, which the next read
// normalises (to a space in attributes, or drops as blank text). Printing and
// re-reading until nothing changes gives the form that survives every later
// round trip; it settles after one or two passes.
std::string StableXml(std::string xml) {
  for (int pass = 0; pass < 4; ++pass) {
    pugi::xml_document doc;
    if (!doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_fragment)) {
      return xml;
    }
    std::string again;
    for (const pugi::xml_node& node : doc.children()) again += NodeXml(node);
    if (again == xml) break;
    xml = std::move(again);
  }
  return xml;
}

// "flame "name" (#3)", or "flame #3" when it has none.
std::string FlameWhere(const pugi::xml_node& node, int index) {
  const pugi::xml_attribute name = node.attribute("name");
  if (!name) return "flame #" + std::to_string(index);
  return "flame \"" + AsUtf8(name.value()) + "\" (#" + std::to_string(index) + ")";
}

class FlameReader {
 public:
  explicit FlameReader(const Flam3ReadOptions& options) : options_(options) {}

  Result<Flame> Read(const pugi::xml_node& node, int index, ReadLog& log) {
    Flame flame;
    Where where;
    where.flame = FlameWhere(node, index);
    where.element = "<flame>";
    FlameState state;
    for (const pugi::xml_attribute& attribute : node.attributes()) {
      FG_RETURN_IF_ERROR(ReadFlameAttribute(attribute, where, flame, state, log));
    }
    if (state.angle && !state.has_rotate) flame.rotate = -*state.angle * 180.0 / M_PI;

    Palette inline_palette;
    std::array<bool, kPaletteSize> color_set{};
    int symmetry_xforms = 0;
    for (const pugi::xml_node& child : node.children()) {
      if (child.type() != pugi::node_element) continue;
      const std::string_view tag = child.name();
      Where child_where = where;
      child_where.element = "<" + std::string(tag) + ">";
      if (tag == "color") {
        FG_RETURN_IF_ERROR(ReadColorElement(child, child_where, inline_palette, color_set));
      } else if (tag == "colors") {
        FG_RETURN_IF_ERROR(ReadColorsElement(child, child_where, inline_palette, color_set));
      } else if (tag == "palette") {
        FG_RETURN_IF_ERROR(ReadPaletteElement(child, child_where, inline_palette, color_set));
      } else if (tag == "symmetry") {
        int kind = 0;
        for (const pugi::xml_attribute& attribute : child.attributes()) {
          if (std::string_view(attribute.name()) != "kind") {
            return child_where.Bad(attribute.name(), attribute.value(),
                                   "unknown <symmetry> attribute");
          }
          FG_RETURN_IF_ERROR(ReadInt(child_where, attribute, kind));
        }
        if (kind < -kMaxXforms / 2 || kind > kMaxXforms / 2 || ++symmetry_xforms > 16) {
          return child_where.Problem("symmetry kind " + std::to_string(kind) + " is too large");
        }
        AddSymmetry(flame, kind);
      } else if (tag == "xform" || tag == "finalxform") {
        const bool is_final = tag == "finalxform";
        if (is_final && flame.final_xform) {
          return where.Problem("more than one <finalxform>");
        }
        if (!is_final && flame.xforms.size() >= static_cast<size_t>(kMaxXforms)) {
          return Status::ResourceExhausted(where.flame + ": more than " +
                                           std::to_string(kMaxXforms) + " xforms");
        }
        Xform xf;
        // flam3 starts every new xform with colour 0 or 1 by the parity of its
        // position among all xforms read so far, final included.
        const size_t position = flame.xforms.size() + (flame.final_xform ? 1 : 0);
        xf.color = static_cast<double>(position & 1);
        child_where.element =
            is_final ? "finalxform" : "xform " + std::to_string(flame.xforms.size());
        XformState xform_state;
        FG_RETURN_IF_ERROR(ReadXform(child, child_where,
                                     is_final ? XformKind::kFinal : XformKind::kNormal, xf,
                                     xform_state, log));
        if (is_final) {
          if (!xform_state.disabled) flame.final_xform = std::move(xf);
        } else {
          flame.xforms.push_back(std::move(xf));
        }
      } else {
        // <edit> genealogy and anything else flam3 passes over: kept verbatim.
        flame.extra_children_xml += StableXml(NodeXml(child));
      }
    }

    if (state.solo_xform && *state.solo_xform >= 0) {
      for (size_t i = 0; i < flame.xforms.size(); ++i) {
        if (static_cast<int>(i) != *state.solo_xform) flame.xforms[i].opacity = 0.0;
      }
    }

    FillMissingColors(inline_palette, color_set);
    const bool full_inline_palette =
        std::all_of(color_set.begin(), color_set.end(), [](bool b) { return b; });
    flame.palette = inline_palette;
    if (flame.palette_index >= 0) {
      FG_RETURN_IF_ERROR(ResolvePalette(where, full_inline_palette, flame));
    }

    const std::vector<std::string> unknown = DescribeUnknown(log);
    if (!unknown.empty()) {
      if (options_.unknown_variations == UnknownVariations::kError) {
        std::string message = where.flame + ": ";
        for (size_t i = 0; i < unknown.size(); ++i) message += (i ? "; " : "") + unknown[i];
        return Status::InvalidArgument(message + " (not in flamegrid's variation catalogue)");
      }
      for (const std::string& line : unknown) {
        log.warnings.push_back(where.flame + ": " + line + " ignored");
      }
    }

    SendDeadEndChaosToTheFirstXform(where, flame, log);
    FG_RETURN_IF_ERROR(ValidateFlame(flame, where.flame));
    return flame;
  }

 private:
  struct FlameState {
    std::optional<int> solo_xform;
    std::optional<double> angle;
    bool has_rotate = false;
  };

  Status ReadFlameAttribute(const pugi::xml_attribute& attribute, const Where& where, Flame& flame,
                            FlameState& state, ReadLog& log) {
    const std::string_view name = attribute.name();
    const FlameAttributeSpec* spec = FindFlameAttribute(name);
    if (spec == nullptr || spec->use == AttributeUse::kIgnored) {
      // Attributes we do not interpret (nick, url, genebank ids, other tools'
      // settings) are kept verbatim so the genome survives a round trip.
      if (spec != nullptr) NoteIgnored(*spec, where, attribute, log);
      flame.extra_attributes.emplace_back(std::string(name), std::string(attribute.value()));
      return Status::Ok();
    }
    if (spec->name == "rotate") state.has_rotate = true;
    if (spec->use == AttributeUse::kMember) return ReadMember(*spec, where, attribute, flame, log);
    return ReadCustomFlameAttribute(*spec, attribute, where, flame, state);
  }

  // The attributes the table marks kCustom.
  Status ReadCustomFlameAttribute(const FlameAttributeSpec& spec,
                                  const pugi::xml_attribute& attribute, const Where& where,
                                  Flame& flame, FlameState& state) {
    const std::string_view name = spec.name;
    const std::string_view text = attribute.value();
    if (name == "size") {
      const std::vector<std::string_view> words = SplitWhitespace(text);
      if (words.size() != 2 || !ParseInt(words[0], flame.width) ||
          !ParseInt(words[1], flame.height)) {
        return where.Bad(attribute.name(), text, "expected two integers, width and height");
      }
    } else if (name == "center") {
      double center[2];
      FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, center, 2));
      flame.center_x = center[0];
      flame.center_y = center[1];
    } else if (name == "background") {
      double rgba[4];
      FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, rgba, 4, 3));
      flame.background.r = rgba[0];
      flame.background.g = rgba[1];
      flame.background.b = rgba[2];
    } else if (name == "palette") {
      FG_RETURN_IF_ERROR(ReadInt(where, attribute, flame.palette_index));
      // flam3 reads -1 as "a random palette"; we read it as "no library palette".
      if (flame.palette_index < -1) {
        return where.Bad(attribute.name(), text, "palette index out of range (must be >= 0)");
      }
    } else if (name == "hue") {
      double hue;
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, hue));
      flame.hue_rotation = std::fmod(hue, 1.0);
    } else if (name == "soloxform") {
      double solo;
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, solo));
      if (!(solo >= -1.0 && solo < kMaxXforms)) {
        return where.Bad(attribute.name(), text, "not an xform index");
      }
      state.solo_xform = static_cast<int>(solo);
    } else if (name == "angle") {
      double angle;
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, angle));
      state.angle = angle;
    } else {
      return Status::Internal(where.Describe(attribute.name(), text) +
                              ": the attribute table has no reader for it");
    }
    return Status::Ok();
  }

  // A chaos row that leaves no xform to go to (all zero, or zero on every
  // xform with a weight): flam3 refuses the flame; Fractorium, which writes
  // such rows, goes to the first xform every time (its render is byte for byte
  // that of the row "1 0 0 ..."). So do we, with a warning.
  static void SendDeadEndChaosToTheFirstXform(const Where& where, Flame& flame, ReadLog& log) {
    for (size_t i = 0; i < flame.xforms.size(); ++i) {
      std::vector<double>& chaos = flame.xforms[i].chaos;
      if (chaos.empty()) continue;
      double total = 0.0;
      for (size_t j = 0; j < flame.xforms.size(); ++j) {
        total += flame.xforms[j].weight * (j < chaos.size() ? chaos[j] : 1.0);
      }
      if (total != 0.0 ||
          !std::all_of(chaos.begin(), chaos.end(), [](double c) { return c >= 0.0; })) {
        continue;  // a row that goes somewhere, or a negative one ValidateFlame names
      }
      chaos.assign(flame.xforms.size(), 0.0);
      chaos[0] = 1.0;
      log.warnings.push_back(where.flame + ": xform " + std::to_string(i) +
                             ": attribute \"chaos\" leaves no xform to go to next; as in "
                             "Fractorium, the first xform follows it");
    }
  }

  Status ResolvePalette(const Where& where, bool full_inline_palette, Flame& flame) {
    const PaletteLibrary* library = options_.palettes;
    Status library_status;
    if (library == nullptr) {
      Result<const PaletteLibrary*> standard = PaletteLibrary::Default();
      if (standard.ok()) {
        library = *standard;
      } else {
        library_status = standard.status();
      }
    }
    if (library == nullptr) {
      // Our own writer puts the colours inline too; they are what the library
      // would give, so a complete inline palette stands in for a missing file.
      if (full_inline_palette) return Status::Ok();
      return Status(library_status.code(),
                    where.flame + ": attribute \"palette\"=\"" +
                        std::to_string(flame.palette_index) +
                        "\" needs the palette library: " + library_status.message());
    }
    Result<Palette> palette = library->Get(flame.palette_index, flame.hue_rotation);
    if (!palette.ok()) {
      return where.Bad("palette", std::to_string(flame.palette_index),
                       "palette index out of range: " + palette.status().message());
    }
    flame.palette = *palette;
    return Status::Ok();
  }

  const Flam3ReadOptions& options_;
};

// Every <flame> in document order, not looking inside a flame; iterative, so a
// deeply nested document cannot exhaust the stack.
std::vector<pugi::xml_node> FindFlames(const pugi::xml_document& doc) {
  std::vector<pugi::xml_node> flames;
  pugi::xml_node node = doc.first_child();
  while (node) {
    if (node.type() == pugi::node_element) {
      if (std::strcmp(node.name(), "flame") == 0) {
        flames.push_back(node);
      } else if (node.first_child()) {
        node = node.first_child();
        continue;
      }
    }
    while (node && !node.next_sibling()) {
      node = node.parent();
      if (node == doc) node = pugi::xml_node();
    }
    if (node) node = node.next_sibling();
  }
  return flames;
}

// ---------------------------------------------------------------------------
// Writing.

void AppendEscaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          // Character references keep tabs and newlines through attribute normalisation.
          out += "&#" + std::to_string(static_cast<int>(c)) + ";";
        } else {
          out += c;
        }
    }
  }
}

// Shortest text that reads back as exactly `value`.
void AppendNumber(std::string& out, double value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, error == std::errc() ? end : buffer);
}

void AppendNumber(std::string& out, int value) {
  char buffer[16];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, error == std::errc() ? end : buffer);
}

class AttributeWriter {
 public:
  explicit AttributeWriter(std::string& out) : out_(out) {}
  template <typename... Values>
  void Numbers(std::string_view name, Values... values) {
    Open(name);
    bool first = true;
    ((Separator(first), AppendNumber(out_, values)), ...);
    out_ += '"';
  }
  void Text(std::string_view name, std::string_view text) {
    Open(name);
    AppendEscaped(out_, text);
    out_ += '"';
  }
  void Affine(std::string_view name, const Affine2& m) {
    Numbers(name, m.a, m.b, m.c, m.d, m.e, m.f);
  }

 private:
  void Open(std::string_view name) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
  }
  void Separator(bool& first) {
    if (!first) out_ += ' ';
    first = false;
  }
  std::string& out_;
};

void WriteXform(std::string& out, const Xform& xf, XformKind kind, int indent) {
  out.append(indent, ' ');
  const char* tag = kind == XformKind::kFinal    ? "finalxform"
                    : kind == XformKind::kMotion ? "motion"
                                                 : "xform";
  out += '<';
  out += tag;
  AttributeWriter attributes(out);
  const bool motion = kind == XformKind::kMotion;
  // A motion element is a set of deltas: only non-zero ones are written, all
  // others are zero when read back. An xform writes every field.
  auto wanted = [motion](double value) { return !motion || value != 0.0; };
  const Affine2 zero{0, 0, 0, 0, 0, 0};
  for (const XformAttributeSpec& spec : XformAttributes()) {
    if (spec.write == AttributeWrite::kNever) continue;
    if (spec.write != AttributeWrite::kCustom) {
      if (spec.real != nullptr && wanted(xf.*spec.real))
        attributes.Numbers(spec.name, xf.*spec.real);
      continue;
    }
    const std::string_view name = spec.name;
    if (name == "motion_frequency") {
      if (motion) attributes.Numbers(name, xf.motion_frequency);
    } else if (name == "motion_function") {
      if (motion) {
        attributes.Text(name, EnumValueName(spec.enumeration.names, spec.enumeration.get(xf)));
      }
    } else if (name == "weight") {
      if (kind != XformKind::kFinal && wanted(xf.weight)) attributes.Numbers(name, xf.weight);
    } else if (name == "*variations*") {
      // The entries in id order, then the forms in the order they apply (the
      // order a reader sees them in is the order Ember applies them).
      for (const VariationInfo& info : AllVariations()) {
        if (info.form != VariationForm::kRegular) break;
        const double weight = xf.variations[VariationIndex(info.id)];
        if (weight != 0.0) attributes.Numbers(info.name, weight);
      }
      for (VariationForm form : {VariationForm::kPre, VariationForm::kPost}) {
        for (VariationId id : ActiveForms(xf, form)) {
          attributes.Numbers(GetVariationInfo(id).name, xf.Variation(id));
        }
      }
      // Every parameter off its default is written, even for a variation at
      // weight 0: the Xform is dense, and so must its round trip be.
      for (int p = 0; p < kVariationParamCount; ++p) {
        const double fallback = motion ? 0.0 : kVariationParams[p].default_value;
        if (xf.params[p] != fallback) attributes.Numbers(kVariationParams[p].name, xf.params[p]);
      }
    } else if (name == "coefs") {
      if (!motion || !(xf.affine == zero)) attributes.Affine(name, xf.affine);
    } else if (name == "post") {
      if (motion ? !(xf.post == zero) : !xf.post.IsIdentity()) attributes.Affine(name, xf.post);
    } else if (name == "chaos") {
      if (!xf.chaos.empty()) {
        out += " chaos=\"";
        for (size_t i = 0; i < xf.chaos.size(); ++i) {
          if (i > 0) out += ' ';
          AppendNumber(out, xf.chaos[i]);
        }
        out += '"';
      }
    }
  }
  if (motion || xf.motion.empty()) {
    out += "/>\n";
    return;
  }
  out += ">\n";
  for (const Xform& element : xf.motion) WriteXform(out, element, XformKind::kMotion, indent + 3);
  out.append(indent, ' ');
  out += "</";
  out += tag;
  out += ">\n";
}

// The flame's own attributes, in table order; extra attributes after them.
void WriteFlameAttributes(std::string& out, const Flame& flame) {
  AttributeWriter attributes(out);
  static const Flame defaults;
  for (const FlameAttributeSpec& spec : FlameAttributes()) {
    if (spec.use == AttributeUse::kIgnored || spec.write == AttributeWrite::kNever) continue;
    const std::string_view name = spec.name;
    if (spec.write == AttributeWrite::kCustom) {
      if (name == "size") {
        attributes.Numbers(name, flame.width, flame.height);
      } else if (name == "center") {
        attributes.Numbers(name, flame.center_x, flame.center_y);
      } else if (name == "background") {
        attributes.Numbers(name, flame.background.r, flame.background.g, flame.background.b);
      } else if (name == "palette") {
        if (flame.palette_index >= 0) {
          attributes.Numbers("palette", flame.palette_index);
          attributes.Numbers("hue", flame.hue_rotation);
        } else if (flame.hue_rotation != 0.0) {
          // Without a library palette flam3 ignores hue, but the field still round-trips.
          attributes.Numbers("hue", flame.hue_rotation);
        }
      }
      // "hue" is written with "palette".
      continue;
    }
    const bool unless_default = spec.write == AttributeWrite::kUnlessDefault;
    if (spec.real != nullptr) {
      if (!unless_default || flame.*spec.real != defaults.*spec.real) {
        attributes.Numbers(name, flame.*spec.real);
      }
    } else if (spec.integer != nullptr) {
      if (!unless_default || flame.*spec.integer != defaults.*spec.integer) {
        attributes.Numbers(name, flame.*spec.integer);
      }
    } else if (spec.text != nullptr) {
      if (!unless_default || flame.*spec.text != defaults.*spec.text) {
        attributes.Text(name, flame.*spec.text);
      }
    } else if (spec.enumeration.get != nullptr) {
      attributes.Text(name, EnumValueName(spec.enumeration.names, spec.enumeration.get(flame)));
    }
  }
  for (const auto& [name, value] : flame.extra_attributes) attributes.Text(name, value);
}

// The text x for which InlineChannel(alpha, x) gives back `target` exactly:
// the shortest double near target * 255 / alpha when one works (an 8-bit
// palette writes as integers), else the long double product, which is exact
// when alpha is 1 and within a few long-double ulps otherwise.
void AppendChannel(std::string& out, double target, long double alpha) {
  if (alpha == 0.0L) {
    out += '0';
    return;
  }
  // Each candidate is judged by what the reader will make of its text.
  auto reads_back = [&](const std::string& text) {
    long double value;
    return ParseLongDouble(text, value) && InlineChannel(alpha, value) == target;
  };
  const long double estimate = static_cast<long double>(target) * 255.0L / alpha;
  double simple = static_cast<double>(estimate);
  for (int step = 0; step < 3; ++step) {
    for (double candidate :
         {simple, std::nextafter(simple, -HUGE_VAL), std::nextafter(simple, HUGE_VAL)}) {
      std::string text;
      AppendNumber(text, candidate);
      if (reads_back(text)) {
        out += text;
        return;
      }
    }
    simple = std::nextafter(simple, HUGE_VAL);
  }
  auto format = [](long double value) {
    char buffer[64];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return std::string(buffer, error == std::errc() ? end : buffer);
  };
  long double up = estimate, down = estimate;
  for (int step = 0; step < 16; ++step) {
    for (long double candidate : {up, down}) {
      const std::string text = format(candidate);
      if (reads_back(text)) {
        out += text;
        return;
      }
    }
    up = std::nextafter(up, HUGE_VALL);
    down = std::nextafter(down, -HUGE_VALL);
  }
  out += format(estimate);  // not reached in practice: the closest we have
}

void WritePalette(std::string& out, const Palette& palette) {
  for (int i = 0; i < kPaletteSize; ++i) {
    const Rgba& color = palette.colors[i];
    out += "   <color index=\"";
    AppendNumber(out, i);
    if (color.a == 1.0) {
      out += "\" rgb=\"";
    } else {
      out += "\" rgba=\"";
    }
    // Alpha is read as a255 / 255, the same as a channel at alpha 1.
    std::string alpha_text;
    AppendChannel(alpha_text, color.a, 1.0L);
    long double alpha255 = 255.0L;
    ParseLongDouble(alpha_text, alpha255);
    const long double alpha = alpha255 / 255.0L;
    AppendChannel(out, color.r, alpha);
    out += ' ';
    AppendChannel(out, color.g, alpha);
    out += ' ';
    AppendChannel(out, color.b, alpha);
    if (color.a != 1.0) {
      out += ' ';
      out += alpha_text;
    }
    out += "\"/>\n";
  }
}

// Apophysis 7x writes an xform's name="..." straight before var_color="..."
// with no space between, which XML forbids; Apophysis, JWildfire and
// Fractorium read such files anyway. Inserts the missing space after every
// attribute value inside a tag that is followed directly by another name.
// Linear in the document; comments, CDATA, processing instructions and text
// are copied unchanged. Returns the number of spaces inserted.
size_t InsertMissingAttributeSpaces(std::string_view xml, std::string& out) {
  out.clear();
  out.reserve(xml.size() + 64);
  size_t inserted = 0;
  size_t i = 0;
  auto copy_through = [&](std::string_view end) {
    const size_t stop = xml.find(end, i);
    const size_t until = stop == std::string_view::npos ? xml.size() : stop + end.size();
    out.append(xml.substr(i, until - i));
    i = until;
  };
  while (i < xml.size()) {
    if (xml[i] != '<') {
      out += xml[i++];
      continue;
    }
    const std::string_view rest = xml.substr(i);
    if (rest.starts_with("<!--")) {
      copy_through("-->");
    } else if (rest.starts_with("<![CDATA[")) {
      copy_through("]]>");
    } else if (rest.starts_with("<?")) {
      copy_through("?>");
    } else if (rest.starts_with("<!")) {
      copy_through(">");
    } else {
      // A start or end tag: copy to its '>', outside quoted values.
      char quote = 0;
      while (i < xml.size()) {
        const char c = xml[i];
        out += c;
        ++i;
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
            if (i < xml.size()) {
              const unsigned char next = static_cast<unsigned char>(xml[i]);
              if (std::isalpha(next) || next == '_' || next == ':' || next >= 0x80) {
                out += ' ';
                ++inserted;
              }
            }
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
    }
  }
  return inserted;
}

}  // namespace

Result<Flam3Document> ParseFlam3Each(std::string_view xml, const Flam3ReadOptions& options) {
  if (xml.size() > kMaxDocumentBytes) {
    return Status::ResourceExhausted("genome document is " + std::to_string(xml.size()) +
                                     " bytes, more than the limit of " +
                                     std::to_string(kMaxDocumentBytes));
  }
  Flam3Document document;
  pugi::xml_document doc;
  // pugixml skips a UTF-8 byte-order mark and converts a declared Latin-1 document.
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  std::string repaired;
  if (parsed.status == pugi::status_bad_attribute) {
    const size_t inserted = InsertMissingAttributeSpaces(xml, repaired);
    if (inserted > 0) {
      pugi::xml_document again;
      const pugi::xml_parse_result reparsed = again.load_buffer(repaired.data(), repaired.size());
      if (reparsed) {
        doc.reset(again);
        parsed = reparsed;
        document.warnings.push_back(std::to_string(inserted) +
                                    " attribute(s) not separated from the one before by a space "
                                    "(as Apophysis 7x writes them); read as if they were");
      }
    }
  }
  if (!parsed) {
    return Status::InvalidArgument(std::string("malformed XML: ") + parsed.description() +
                                   " at byte " + std::to_string(parsed.offset));
  }
  const std::vector<pugi::xml_node> nodes = FindFlames(doc);
  if (nodes.empty()) return Status::InvalidArgument("no <flame> element in the document");
  FlameReader reader(options);
  document.flames.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    ReadLog log;
    Result<Flame> flame = reader.Read(nodes[i], static_cast<int>(i), log);
    document.flames.push_back(FlameReadResult{static_cast<int>(i),
                                              FlameWhere(nodes[i], static_cast<int>(i)),
                                              std::move(flame), std::move(log.warnings)});
  }
  return document;
}

Result<std::vector<Flame>> ParseFlam3(std::string_view xml, const Flam3ReadOptions& options) {
  FG_ASSIGN_OR_RETURN(Flam3Document document, ParseFlam3Each(xml, options));
  std::vector<Flame> flames;
  flames.reserve(document.flames.size());
  for (FlameReadResult& read : document.flames) {
    if (!read.flame.ok()) return read.flame.status();
    flames.push_back(std::move(read.flame).value());
  }
  return flames;
}

namespace {

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open genome file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read genome file " + path);
  return text.str();
}

}  // namespace

Result<Flam3Document> ReadFlam3FileEach(const std::string& path, const Flam3ReadOptions& options) {
  FG_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  Result<Flam3Document> document = ParseFlam3Each(text, options);
  if (!document.ok()) return document.status().WithContext(path);
  for (FlameReadResult& read : document->flames) {
    if (!read.flame.ok()) read.flame = read.flame.status().WithContext(path);
  }
  return document;
}

Result<std::vector<Flame>> ReadFlam3File(const std::string& path, const Flam3ReadOptions& options) {
  FG_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  Result<std::vector<Flame>> flames = ParseFlam3(text, options);
  if (!flames.ok()) return flames.status().WithContext(path);
  return flames;
}

std::string WriteFlameXml(const Flame& flame) {
  std::string out;
  out.reserve(16384);
  out += "<flame";
  WriteFlameAttributes(out, flame);
  out += ">\n";
  for (const Xform& xf : flame.xforms) WriteXform(out, xf, XformKind::kNormal, 3);
  if (flame.final_xform) WriteXform(out, *flame.final_xform, XformKind::kFinal, 3);
  WritePalette(out, flame.palette);
  if (!flame.extra_children_xml.empty()) {
    out += "   ";
    out += flame.extra_children_xml;
    out += '\n';
  }
  out += "</flame>\n";
  return out;
}

std::string WriteFlam3(std::span<const Flame> flames) {
  if (flames.size() == 1) return WriteFlameXml(flames[0]);
  std::string out = "<flames>\n";
  for (const Flame& flame : flames) out += WriteFlameXml(flame);
  out += "</flames>\n";
  return out;
}

}  // namespace flamegrid
