// Flame: one flam3 genome (a <flame> element) with every attribute flam3 3.1 reads.
//
// Field defaults are flam3's defaults for an attribute that is absent. Names
// follow the XML attribute where it is unambiguous; comments give the XML name
// where it differs. A plain value type.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "renderer/genome/palette.h"
#include "renderer/genome/xform.h"

namespace flamegrid {

// The 14 spatial filter shapes of flam3 ("filter_shape").
enum class FilterShape {
  kGaussian,
  kHermite,
  kBox,
  kTriangle,
  kBell,
  kBspline,
  kLanczos3,
  kLanczos2,
  kMitchell,
  kBlackman,
  kCatrom,
  kHamming,
  kHanning,
  kQuadratic
};
enum class TemporalFilterType { kBox, kGaussian, kExp };
enum class PaletteMode { kStep, kLinear };
enum class Interpolation { kLinear, kSmooth };
enum class InterpolationType { kLinear, kLog, kOld, kOlder };  // "old" = flam3's compat
enum class PaletteInterpolation { kHsv, kSweep, kRgb, kHsvCircular };

struct Flame {
  std::string name;                       // "name"
  double time = 0.0;                      // "time": position in an animation
  int width = 100, height = 100;          // "size"
  double center_x = 0.0, center_y = 0.0;  // "center"
  double pixels_per_unit = 50.0;          // "scale"
  double zoom = 0.0;                      // "zoom": log2 scale; keeps sample density per area
  double rotate = 0.0;                    // "rotate", degrees
  double sample_density = 1.0;            // "quality"
  int supersample = 1;                    // "supersample" (legacy "oversample")
  int passes = 1;                         // "passes" (legacy batches; read and kept)
  double spatial_filter_radius = 0.5;     // "filter"
  FilterShape filter_shape = FilterShape::kGaussian;  // "filter_shape"
  int temporal_samples = 1000;                        // "temporal_samples"
  TemporalFilterType temporal_filter_type = TemporalFilterType::kBox;
  double temporal_filter_width = 1.0;
  double temporal_filter_exp = 0.0;
  double estimator_radius = 9.0;   // "estimator_radius"
  double estimator_minimum = 0.0;  // "estimator_minimum"
  double estimator_curve = 0.4;    // "estimator_curve"
  double gamma = 4.0;
  double gamma_threshold = 0.01;
  double vibrancy = 1.0;
  double highlight_power = -1.0;  // < 0: flam3's classic clipping
  double brightness = 4.0;
  double contrast = 1.0;                // flam3 3.1 ignores "contrast"; we read and keep it
  Rgba background{0.0, 0.0, 0.0, 0.0};  // "background", 0..1
  // Always the resolved colours, whatever the source. flam3 premultiplies
  // <color rgba> entries by their alpha on read, and so do we.
  Palette palette;
  // "palette" when given by number in flam3-palettes.xml (-1: inline only). The
  // writer emits the number as well as the inline colours, and a reader that has
  // the library takes the library's colours: set it to -1 after editing `palette`.
  int palette_index = -1;
  double hue_rotation = 0.0;  // "hue", in turns, kept as fmod(hue, 1) like flam3
  PaletteMode palette_mode = PaletteMode::kStep;
  Interpolation interpolation = Interpolation::kLinear;
  InterpolationType interpolation_type = InterpolationType::kLog;
  // flam3 3.1 clears a genome to hsv_circular (the parser and writer call it "hsv_circular").
  PaletteInterpolation palette_interpolation = PaletteInterpolation::kHsvCircular;
  double hsv_rgb_palette_blend = 0.0;  // "hsv_rgb_palette_blend", used with hsv_circular
  // The symmetry flam3's <symmetry kind="N"/> added (its xforms are already in
  // `xforms`). Written back as the attribute symmetry="N", which flam3 ignores,
  // so a round trip does not add the symmetry xforms twice.
  int symmetry = 0;

  std::vector<Xform> xforms;
  std::optional<Xform> final_xform;

  // Attributes we do not interpret (nick, url, version, genebank ids...) and
  // child elements we pass through (<edit> genealogy), kept verbatim so that a
  // genome survives a read/write round trip.
  std::vector<std::pair<std::string, std::string>> extra_attributes;
  std::string extra_children_xml;

  bool HasXaos() const;
  bool operator==(const Flame&) const = default;
};

}  // namespace flamegrid
