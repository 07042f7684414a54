#include "renderer/genome/flam3_xml.h"

#include <algorithm>
#include <array>
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

#include "renderer/genome/limits.h"
#include "renderer/genome/palette_library.h"

namespace flamegrid {
namespace {

// ---------------------------------------------------------------------------
// Numbers. flam3 converts with strtod/strtol and rejects trailing characters;
// we do the same with from_chars, which is locale-independent and exact.

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

bool ParseDouble(std::string_view text, double& value) {
  text = StripPlus(Trim(text));
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

bool ParseInt(std::string_view text, int& value) {
  text = StripPlus(Trim(text));
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

// ---------------------------------------------------------------------------
// Where we are, for messages: 'flame "x": xform 2'.

std::string Quote(std::string_view value) {
  constexpr size_t kMaxShown = 60;
  std::string shown(value.substr(0, kMaxShown));
  if (value.size() > kMaxShown) shown += "...";
  return "\"" + shown + "\"";
}

struct Where {
  std::string flame;    // 'flame "x"' or 'flame #3'
  std::string element;  // "<flame>", "xform 2", "finalxform", "<color>"

  Status Bad(std::string_view attribute, std::string_view value, std::string_view problem) const {
    return Status::InvalidArgument(flame + ": " + element + ": attribute \"" +
                                   std::string(attribute) + "\"=" + Quote(value) + ": " +
                                   std::string(problem));
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
  for (size_t i = 0; i < words.size(); ++i) {
    if (!ParseDouble(words[i], values[i])) {
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

// An enumerated attribute: the value must be one of `names`.
template <typename Enum, size_t N>
Status ReadEnum(const Where& where, const pugi::xml_attribute& attribute,
                const std::array<std::pair<std::string_view, Enum>, N>& names, Enum& value) {
  const std::string_view text = attribute.value();
  for (const auto& [name, candidate] : names) {
    if (text == name) {
      value = candidate;
      return Status::Ok();
    }
  }
  std::string allowed;
  for (const auto& entry : names) {
    if (!allowed.empty()) allowed += ", ";
    allowed += entry.first;
  }
  return where.Bad(attribute.name(), text, "expected one of " + allowed);
}

template <typename Enum, size_t N>
std::string_view EnumName(const std::array<std::pair<std::string_view, Enum>, N>& names,
                          Enum value) {
  for (const auto& [name, candidate] : names) {
    if (candidate == value) return name;
  }
  return names[0].first;
}

constexpr std::array<std::pair<std::string_view, FilterShape>, 14> kFilterShapes = {{
    {"gaussian", FilterShape::kGaussian},
    {"hermite", FilterShape::kHermite},
    {"box", FilterShape::kBox},
    {"triangle", FilterShape::kTriangle},
    {"bell", FilterShape::kBell},
    {"bspline", FilterShape::kBspline},
    {"lanczos3", FilterShape::kLanczos3},
    {"lanczos2", FilterShape::kLanczos2},
    {"mitchell", FilterShape::kMitchell},
    {"blackman", FilterShape::kBlackman},
    {"catrom", FilterShape::kCatrom},
    {"hamming", FilterShape::kHamming},
    {"hanning", FilterShape::kHanning},
    {"quadratic", FilterShape::kQuadratic},
}};
constexpr std::array<std::pair<std::string_view, TemporalFilterType>, 3> kTemporalFilters = {{
    {"box", TemporalFilterType::kBox},
    {"gaussian", TemporalFilterType::kGaussian},
    {"exp", TemporalFilterType::kExp},
}};
constexpr std::array<std::pair<std::string_view, PaletteMode>, 2> kPaletteModes = {{
    {"step", PaletteMode::kStep},
    {"linear", PaletteMode::kLinear},
}};
constexpr std::array<std::pair<std::string_view, Interpolation>, 2> kInterpolations = {{
    {"linear", Interpolation::kLinear},
    {"smooth", Interpolation::kSmooth},
}};
constexpr std::array<std::pair<std::string_view, InterpolationType>, 4> kInterpolationTypes = {{
    {"linear", InterpolationType::kLinear},
    {"log", InterpolationType::kLog},
    {"old", InterpolationType::kOld},
    {"older", InterpolationType::kOlder},
}};
constexpr std::array<std::pair<std::string_view, PaletteInterpolation>, 4> kPaletteInterpolations =
    {{
        {"hsv", PaletteInterpolation::kHsv},
        {"sweep", PaletteInterpolation::kSweep},
        {"rgb", PaletteInterpolation::kRgb},
        {"hsv_circular", PaletteInterpolation::kHsvCircular},
    }};
constexpr std::array<std::pair<std::string_view, MotionFunction>, 3> kMotionFunctions = {{
    {"sin", MotionFunction::kSin},
    {"triangle", MotionFunction::kTriangle},
    {"hill", MotionFunction::kHill},
}};

// Parameter names flam3 also accepts: Apophysis' mobius names and the short oscope_ names.
constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kParamAliases = {{
    {"Re_A", "mobius_re_a"},
    {"Re_B", "mobius_re_b"},
    {"Re_C", "mobius_re_c"},
    {"Re_D", "mobius_re_d"},
    {"Im_A", "mobius_im_a"},
    {"Im_B", "mobius_im_b"},
    {"Im_C", "mobius_im_c"},
    {"Im_D", "mobius_im_d"},
    {"oscope_separation", "oscilloscope_separation"},
    {"oscope_frequency", "oscilloscope_frequency"},
    {"oscope_amplitude", "oscilloscope_amplitude"},
    {"oscope_damping", "oscilloscope_damping"},
}};

// ---------------------------------------------------------------------------
// Reading.

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

Status ReadXformAttributes(const pugi::xml_node& node, const Where& where, XformKind kind,
                           Xform& xf) {
  for (const pugi::xml_attribute& attribute : node.attributes()) {
    const std::string_view name = attribute.name();
    const std::string_view text = attribute.value();
    if (name == "weight") {
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, xf.weight));
    } else if (name == "color") {
      // flam3 accepts "c" or "c1 c2" (an old two-coordinate form) and keeps the first.
      double colors[2];
      FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, colors, 2, 1));
      xf.color = colors[0];
    } else if (name == "color_speed") {
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, xf.color_speed));
    } else if (name == "symmetry") {
      // Before color_speed and animate, one number s set both: speed (1 - s) / 2,
      // and s > 0 meant "do not rotate in loops".
      double s;
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, s));
      xf.color_speed = (1.0 - s) / 2.0;
      xf.animate = s > 0.0 ? 0.0 : 1.0;
    } else if (name == "animate") {
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, xf.animate));
    } else if (name == "opacity") {
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, xf.opacity));
    } else if (name == "plotmode") {
      if (kind == XformKind::kMotion) return where.Bad(name, text, "not allowed in <motion>");
      if (text == "off") xf.opacity = 0.0;
    } else if (name == "coefs") {
      FG_RETURN_IF_ERROR(ReadAffine(where, attribute, xf.affine));
    } else if (name == "post") {
      FG_RETURN_IF_ERROR(ReadAffine(where, attribute, xf.post));
    } else if (name == "chaos") {
      if (kind != XformKind::kNormal) {
        return where.Bad(name, text, "only an <xform> may have chaos");
      }
      const std::vector<std::string_view> words = SplitWhitespace(text);
      if (words.size() > static_cast<size_t>(kMaxXforms)) {
        return where.Bad(name, text, "more than " + std::to_string(kMaxXforms) + " entries");
      }
      xf.chaos.assign(words.size(), 1.0);
      for (size_t i = 0; i < words.size(); ++i) {
        if (!ParseDouble(words[i], xf.chaos[i])) {
          return where.Bad(name, text, Quote(words[i]) + " is not a number");
        }
      }
    } else if (name == "motion_frequency") {
      FG_RETURN_IF_ERROR(ReadInt(where, attribute, xf.motion_frequency));
      if (kind != XformKind::kMotion && xf.motion_frequency != 0) {
        return where.Bad(name, text, "only a <motion> element may have motion parameters");
      }
    } else if (name == "motion_function") {
      if (kind != XformKind::kMotion) {
        return where.Bad(name, text, "only a <motion> element may have motion parameters");
      }
      FG_RETURN_IF_ERROR(ReadEnum(where, attribute, kMotionFunctions, xf.motion_function));
    } else if (name == "var1") {
      // Oldest form: the index of the one variation, at weight 1.
      int index;
      FG_RETURN_IF_ERROR(ReadInt(where, attribute, index));
      if (index < 0 || index >= kVariationCount) {
        return where.Bad(name, text, "no variation has this number");
      }
      xf.variations.fill(0.0);
      xf.variations[index] = 1.0;
    } else if (name == "var") {
      // Old form: variation weights in flam3's numbering. Genomes from older flam3
      // versions list fewer than today's 99; the rest are zero.
      std::array<double, kVariationCount> weights{};
      FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, weights.data(), kVariationCount, 1));
      xf.variations = weights;
    } else if (name == "amw_amp") {
      // A parameter flam3 still reads for a variation it no longer has: ignored.
    } else if (std::optional<VariationId> id = FindVariation(name)) {
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, xf.variations[VariationIndex(*id)]));
    } else {
      std::string_view param_name = name;
      for (const auto& [alias, canonical] : kParamAliases) {
        if (name == alias) param_name = canonical;
      }
      std::optional<int> param = FindVariationParam(param_name);
      if (!param) return where.Bad(name, text, "unknown variation or xform attribute");
      double& value = xf.params[*param];
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, value));
      // flam3 clamps super_shape_rnd to [0, 1] as it reads it.
      if (param_name == "super_shape_rnd") value = std::clamp(value, 0.0, 1.0);
    }
  }
  return Status::Ok();
}

Status ReadXform(const pugi::xml_node& node, const Where& where, XformKind kind, Xform& xf) {
  FG_RETURN_IF_ERROR(ReadXformAttributes(node, where, kind, xf));
  if (kind == XformKind::kFinal && xf.weight != 0.0) {
    return where.Problem("a finalxform must not have a weight");
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
    FG_RETURN_IF_ERROR(ReadXform(child, motion_where, XformKind::kMotion, motion));
    xf.motion.push_back(std::move(motion));
  }
  return Status::Ok();
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

bool ParseLongDouble(std::string_view text, long double& value) {
  text = StripPlus(Trim(text));
  if (text.empty()) return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
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

class FlameReader {
 public:
  explicit FlameReader(const Flam3ReadOptions& options) : options_(options) {}

  Result<Flame> Read(const pugi::xml_node& node, int index) {
    Flame flame;
    Where where;
    const pugi::xml_attribute name = node.attribute("name");
    where.flame =
        name ? "flame \"" + std::string(name.value()) + "\"" : "flame #" + std::to_string(index);
    where.element = "<flame>";
    std::optional<int> solo_xform;
    for (const pugi::xml_attribute& attribute : node.attributes()) {
      FG_RETURN_IF_ERROR(ReadFlameAttribute(attribute, where, flame, solo_xform));
    }

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
        FG_RETURN_IF_ERROR(
            ReadXform(child, child_where, is_final ? XformKind::kFinal : XformKind::kNormal, xf));
        if (is_final) {
          flame.final_xform = std::move(xf);
        } else {
          flame.xforms.push_back(std::move(xf));
        }
      } else {
        // <edit> genealogy and anything else flam3 passes over: kept verbatim.
        flame.extra_children_xml += StableXml(NodeXml(child));
      }
    }

    if (solo_xform && *solo_xform >= 0) {
      for (size_t i = 0; i < flame.xforms.size(); ++i) {
        if (static_cast<int>(i) != *solo_xform) flame.xforms[i].opacity = 0.0;
      }
    }

    FillMissingColors(inline_palette, color_set);
    const bool full_inline_palette =
        std::all_of(color_set.begin(), color_set.end(), [](bool b) { return b; });
    flame.palette = inline_palette;
    if (flame.palette_index >= 0) {
      FG_RETURN_IF_ERROR(ResolvePalette(where, full_inline_palette, flame));
    }

    FG_RETURN_IF_ERROR(ValidateFlame(flame, where.flame));
    return flame;
  }

 private:
  Status ReadFlameAttribute(const pugi::xml_attribute& attribute, const Where& where, Flame& flame,
                            std::optional<int>& solo_xform) {
    const std::string_view name = attribute.name();
    const std::string_view text = attribute.value();
    if (name == "name") {
      flame.name = text;
    } else if (name == "time") {
      return ReadDouble(where, attribute, flame.time);
    } else if (name == "size") {
      const std::vector<std::string_view> words = SplitWhitespace(text);
      if (words.size() != 2 || !ParseInt(words[0], flame.width) ||
          !ParseInt(words[1], flame.height)) {
        return where.Bad(name, text, "expected two integers, width and height");
      }
    } else if (name == "center") {
      double center[2];
      FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, center, 2));
      flame.center_x = center[0];
      flame.center_y = center[1];
    } else if (name == "scale") {
      return ReadDouble(where, attribute, flame.pixels_per_unit);
    } else if (name == "zoom") {
      return ReadDouble(where, attribute, flame.zoom);
    } else if (name == "rotate") {
      return ReadDouble(where, attribute, flame.rotate);
    } else if (name == "quality") {
      return ReadDouble(where, attribute, flame.sample_density);
    } else if (name == "supersample" || name == "oversample") {
      return ReadInt(where, attribute, flame.supersample);
    } else if (name == "passes" || name == "batches") {
      return ReadInt(where, attribute, flame.passes);
    } else if (name == "filter") {
      return ReadDouble(where, attribute, flame.spatial_filter_radius);
    } else if (name == "filter_shape") {
      return ReadEnum(where, attribute, kFilterShapes, flame.filter_shape);
    } else if (name == "temporal_samples") {
      return ReadInt(where, attribute, flame.temporal_samples);
    } else if (name == "temporal_filter_type") {
      return ReadEnum(where, attribute, kTemporalFilters, flame.temporal_filter_type);
    } else if (name == "temporal_filter_width") {
      return ReadDouble(where, attribute, flame.temporal_filter_width);
    } else if (name == "temporal_filter_exp") {
      return ReadDouble(where, attribute, flame.temporal_filter_exp);
    } else if (name == "estimator_radius" || name == "estimator") {
      return ReadDouble(where, attribute, flame.estimator_radius);
    } else if (name == "estimator_minimum") {
      return ReadDouble(where, attribute, flame.estimator_minimum);
    } else if (name == "estimator_curve") {
      return ReadDouble(where, attribute, flame.estimator_curve);
    } else if (name == "gamma") {
      return ReadDouble(where, attribute, flame.gamma);
    } else if (name == "gamma_threshold") {
      return ReadDouble(where, attribute, flame.gamma_threshold);
    } else if (name == "vibrancy") {
      return ReadDouble(where, attribute, flame.vibrancy);
    } else if (name == "highlight_power") {
      return ReadDouble(where, attribute, flame.highlight_power);
    } else if (name == "brightness") {
      return ReadDouble(where, attribute, flame.brightness);
    } else if (name == "contrast") {
      return ReadDouble(where, attribute, flame.contrast);
    } else if (name == "background") {
      double rgb[3];
      FG_RETURN_IF_ERROR(ReadDoubles(where, attribute, rgb, 3));
      flame.background.r = rgb[0];
      flame.background.g = rgb[1];
      flame.background.b = rgb[2];
    } else if (name == "palette") {
      FG_RETURN_IF_ERROR(ReadInt(where, attribute, flame.palette_index));
      // flam3 reads -1 as "a random palette"; we read it as "no library palette".
      if (flame.palette_index < -1) {
        return where.Bad(name, text, "palette index out of range (must be >= 0)");
      }
    } else if (name == "hue") {
      double hue;
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, hue));
      flame.hue_rotation = std::fmod(hue, 1.0);
    } else if (name == "palette_mode") {
      return ReadEnum(where, attribute, kPaletteModes, flame.palette_mode);
    } else if (name == "interpolation") {
      return ReadEnum(where, attribute, kInterpolations, flame.interpolation);
    } else if (name == "interpolation_type" || name == "interpolation_space") {
      return ReadEnum(where, attribute, kInterpolationTypes, flame.interpolation_type);
    } else if (name == "palette_interpolation") {
      return ReadEnum(where, attribute, kPaletteInterpolations, flame.palette_interpolation);
    } else if (name == "hsv_rgb_palette_blend") {
      return ReadDouble(where, attribute, flame.hsv_rgb_palette_blend);
    } else if (name == "symmetry") {
      return ReadInt(where, attribute, flame.symmetry);
    } else if (name == "soloxform") {
      double solo;
      FG_RETURN_IF_ERROR(ReadDouble(where, attribute, solo));
      if (!(solo >= -1.0 && solo < kMaxXforms)) {
        return where.Bad(name, text, "not an xform index");
      }
      solo_xform = static_cast<int>(solo);
    } else {
      flame.extra_attributes.emplace_back(std::string(name), std::string(text));
    }
    return Status::Ok();
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
  if (motion) {
    attributes.Numbers("motion_frequency", xf.motion_frequency);
    attributes.Text("motion_function", EnumName(kMotionFunctions, xf.motion_function));
  }
  if (kind != XformKind::kFinal && wanted(xf.weight)) attributes.Numbers("weight", xf.weight);
  if (wanted(xf.color)) attributes.Numbers("color", xf.color);
  if (wanted(xf.color_speed)) attributes.Numbers("color_speed", xf.color_speed);
  if (wanted(xf.animate)) attributes.Numbers("animate", xf.animate);
  if (wanted(xf.opacity)) attributes.Numbers("opacity", xf.opacity);
  for (const VariationInfo& info : AllVariations()) {
    const double weight = xf.variations[VariationIndex(info.id)];
    if (weight != 0.0) attributes.Numbers(info.name, weight);
  }
  // Every parameter off its default is written, even for a variation at weight
  // 0: the Xform is dense, and so must its round trip be.
  for (int p = 0; p < kVariationParamCount; ++p) {
    const double fallback = motion ? 0.0 : kVariationParams[p].default_value;
    if (xf.params[p] != fallback) attributes.Numbers(kVariationParams[p].name, xf.params[p]);
  }
  const Affine2 zero{0, 0, 0, 0, 0, 0};
  if (!motion || !(xf.affine == zero)) attributes.Affine("coefs", xf.affine);
  if (motion ? !(xf.post == zero) : !xf.post.IsIdentity()) attributes.Affine("post", xf.post);
  if (!xf.chaos.empty()) {
    out += " chaos=\"";
    for (size_t i = 0; i < xf.chaos.size(); ++i) {
      if (i > 0) out += ' ';
      AppendNumber(out, xf.chaos[i]);
    }
    out += '"';
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

}  // namespace

Result<std::vector<Flame>> ParseFlam3(std::string_view xml, const Flam3ReadOptions& options) {
  if (xml.size() > kMaxDocumentBytes) {
    return Status::ResourceExhausted("genome document is " + std::to_string(xml.size()) +
                                     " bytes, more than the limit of " +
                                     std::to_string(kMaxDocumentBytes));
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return Status::InvalidArgument(std::string("malformed XML: ") + parsed.description() +
                                   " at byte " + std::to_string(parsed.offset));
  }
  const std::vector<pugi::xml_node> nodes = FindFlames(doc);
  if (nodes.empty()) return Status::InvalidArgument("no <flame> element in the document");
  FlameReader reader(options);
  std::vector<Flame> flames;
  flames.reserve(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    FG_ASSIGN_OR_RETURN(Flame flame, reader.Read(nodes[i], static_cast<int>(i)));
    flames.push_back(std::move(flame));
  }
  return flames;
}

Result<std::vector<Flame>> ReadFlam3File(const std::string& path, const Flam3ReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot open genome file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::IoError("cannot read genome file " + path);
  Result<std::vector<Flame>> flames = ParseFlam3(text.str(), options);
  if (!flames.ok()) return flames.status().WithContext(path);
  return flames;
}

std::string WriteFlameXml(const Flame& flame) {
  std::string out;
  out.reserve(16384);
  out += "<flame";
  AttributeWriter attributes(out);
  if (!flame.name.empty()) attributes.Text("name", flame.name);
  attributes.Numbers("time", flame.time);
  attributes.Numbers("size", flame.width, flame.height);
  attributes.Numbers("center", flame.center_x, flame.center_y);
  attributes.Numbers("scale", flame.pixels_per_unit);
  attributes.Numbers("zoom", flame.zoom);
  attributes.Numbers("rotate", flame.rotate);
  attributes.Numbers("supersample", flame.supersample);
  attributes.Numbers("filter", flame.spatial_filter_radius);
  attributes.Text("filter_shape", EnumName(kFilterShapes, flame.filter_shape));
  attributes.Text("temporal_filter_type", EnumName(kTemporalFilters, flame.temporal_filter_type));
  attributes.Numbers("temporal_filter_width", flame.temporal_filter_width);
  attributes.Numbers("temporal_filter_exp", flame.temporal_filter_exp);
  attributes.Numbers("quality", flame.sample_density);
  attributes.Numbers("passes", flame.passes);
  attributes.Numbers("temporal_samples", flame.temporal_samples);
  attributes.Numbers("background", flame.background.r, flame.background.g, flame.background.b);
  attributes.Numbers("brightness", flame.brightness);
  attributes.Numbers("gamma", flame.gamma);
  attributes.Numbers("highlight_power", flame.highlight_power);
  attributes.Numbers("vibrancy", flame.vibrancy);
  if (flame.contrast != 1.0) attributes.Numbers("contrast", flame.contrast);
  attributes.Numbers("estimator_radius", flame.estimator_radius);
  attributes.Numbers("estimator_minimum", flame.estimator_minimum);
  attributes.Numbers("estimator_curve", flame.estimator_curve);
  attributes.Numbers("gamma_threshold", flame.gamma_threshold);
  attributes.Text("palette_mode", EnumName(kPaletteModes, flame.palette_mode));
  attributes.Text("interpolation", EnumName(kInterpolations, flame.interpolation));
  attributes.Text("interpolation_type", EnumName(kInterpolationTypes, flame.interpolation_type));
  attributes.Text("palette_interpolation",
                  EnumName(kPaletteInterpolations, flame.palette_interpolation));
  if (flame.hsv_rgb_palette_blend != 0.0) {
    attributes.Numbers("hsv_rgb_palette_blend", flame.hsv_rgb_palette_blend);
  }
  if (flame.palette_index >= 0) {
    attributes.Numbers("palette", flame.palette_index);
    attributes.Numbers("hue", flame.hue_rotation);
  } else if (flame.hue_rotation != 0.0) {
    // Without a library palette flam3 ignores hue, but the field still round-trips.
    attributes.Numbers("hue", flame.hue_rotation);
  }
  if (flame.symmetry != 0) attributes.Numbers("symmetry", flame.symmetry);
  for (const auto& [name, value] : flame.extra_attributes) attributes.Text(name, value);
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
