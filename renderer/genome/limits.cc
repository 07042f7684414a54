#include "renderer/genome/limits.h"

#include "renderer/genome/flam3_attributes.h"

#include <cmath>
#include <string_view>
#include <vector>

namespace flamegrid {
namespace {

std::string Describe(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  return std::to_string(value);
}

// Collects the first problem; later checks are skipped once one is found.
class Checker {
 public:
  explicit Checker(std::string where) : where_(std::move(where)) {}

  void Finite(std::string_view attribute, double value) {
    if (status_.ok() && !std::isfinite(value)) {
      Fail(attribute, "is " + Describe(value) + ", not a finite number");
    }
  }
  void AtLeast(std::string_view attribute, double value, double min) {
    Finite(attribute, value);
    if (status_.ok() && value < min) {
      Fail(attribute, "is " + Describe(value) + ", below the minimum " + Describe(min));
    }
  }
  void InRange(std::string_view attribute, double value, double min, double max) {
    AtLeast(attribute, value, min);
    if (status_.ok() && value > max) {
      Fail(attribute, "is " + Describe(value) + ", above the maximum " + Describe(max));
    }
  }
  void Positive(std::string_view attribute, double value) {
    Finite(attribute, value);
    if (status_.ok() && !(value > 0.0)) Fail(attribute, "is " + Describe(value) + ", not > 0");
  }
  void Fail(std::string_view attribute, const std::string& problem,
            StatusCode code = StatusCode::kInvalidArgument) {
    if (status_.ok()) {
      status_ = Status(code, where_ + ": attribute \"" + std::string(attribute) + "\" " + problem);
    }
  }
  void Affine(std::string_view attribute, const Affine2& m) {
    for (double v : {m.a, m.b, m.c, m.d, m.e, m.f}) Finite(attribute, v);
  }
  Status status() const { return status_; }

 private:
  std::string where_;
  Status status_;
};

Status CheckXform(const Xform& xf, const std::string& where, size_t xform_count, bool is_motion) {
  Checker check(where);
  // The numbers the attribute table maps to members; a <motion> holds deltas,
  // which may be negative, so only finiteness applies to it.
  for (const XformAttributeSpec& spec : XformAttributes()) {
    if (spec.real == nullptr) continue;
    if (is_motion) {
      check.Finite(spec.name, xf.*spec.real);
    } else {
      check.InRange(spec.name, xf.*spec.real, spec.limits.min, spec.limits.max);
    }
  }
  check.Affine("coefs", xf.affine);
  check.Affine("post", xf.post);
  for (const VariationInfo& info : AllVariations()) {
    check.Finite(info.name, xf.variations[VariationIndex(info.id)]);
  }
  for (int p = 0; p < kVariationParamCount; ++p) {
    check.Finite(kVariationParams[p].name, xf.params[p]);
  }
  if (xf.chaos.size() > xform_count) {
    check.Fail("chaos", "has " + std::to_string(xf.chaos.size()) + " entries but the flame has " +
                            std::to_string(xform_count) + " xforms");
  }
  for (double c : xf.chaos) check.AtLeast("chaos", c, 0.0);
  if (xf.motion.size() > static_cast<size_t>(kMaxMotionElements)) {
    check.Fail("motion",
               "has " + std::to_string(xf.motion.size()) + " elements, more than " +
                   std::to_string(kMaxMotionElements),
               StatusCode::kResourceExhausted);
  }
  FG_RETURN_IF_ERROR(check.status());
  for (size_t m = 0; m < xf.motion.size(); ++m) {
    if (!xf.motion[m].motion.empty()) {
      return Status::InvalidArgument(where + ": motion " + std::to_string(m) +
                                     " has motion elements of its own");
    }
    FG_RETURN_IF_ERROR(
        CheckXform(xf.motion[m], where + ": motion " + std::to_string(m), xform_count, true));
  }
  return Status::Ok();
}

}  // namespace

std::string FlameLabel(const Flame& flame, int index) {
  if (!flame.name.empty()) return "flame \"" + flame.name + "\"";
  return "flame #" + std::to_string(index);
}

Status ValidateFlame(const Flame& flame, const std::string& label) {
  Checker check(label);
  if (flame.width <= 0 || flame.height <= 0 || flame.width > kMaxImageDimension ||
      flame.height > kMaxImageDimension) {
    check.Fail("size",
               "is " + std::to_string(flame.width) + "x" + std::to_string(flame.height) +
                   "; each side must be 1.." + std::to_string(kMaxImageDimension),
               flame.width <= 0 || flame.height <= 0 ? StatusCode::kInvalidArgument
                                                     : StatusCode::kResourceExhausted);
  } else if (int64_t{flame.width} * flame.height > kMaxImagePixels) {
    check.Fail("size",
               "is " + std::to_string(flame.width) + "x" + std::to_string(flame.height) +
                   ", more than the cap of " + std::to_string(kMaxImagePixels) + " pixels",
               StatusCode::kResourceExhausted);
  }
  // Every number the attribute table maps to a member: finite, and within its limits.
  for (const FlameAttributeSpec& spec : FlameAttributes()) {
    if (spec.use != AttributeUse::kMember) continue;
    const AttributeLimits& limits = spec.limits;
    if (spec.integer != nullptr) {
      const int value = flame.*spec.integer;
      if (value < limits.min || value > limits.max) {
        check.Fail(spec.name, "is " + std::to_string(value) + ", outside " + Describe(limits.min) +
                                  ".." + Describe(limits.max));
      }
    } else if (spec.real != nullptr) {
      const double value = flame.*spec.real;
      check.InRange(spec.name, value, limits.min, limits.max);
      if (limits.min_exclusive && value == limits.min) {
        check.Fail(spec.name, "is " + Describe(value) + ", not > " + Describe(limits.min));
      }
    }
  }
  check.Finite("center", flame.center_x);
  check.Finite("center", flame.center_y);
  for (double v :
       {flame.background.r, flame.background.g, flame.background.b, flame.background.a}) {
    check.Finite("background", v);
  }
  check.Finite("hue", flame.hue_rotation);
  for (const Rgba& c : flame.palette.colors) {
    for (double v : {c.r, c.g, c.b, c.a}) check.InRange("palette colour", v, 0.0, 1.0);
  }
  FG_RETURN_IF_ERROR(check.status());

  if (flame.xforms.empty()) return Status::InvalidArgument(label + ": has no <xform>");
  if (flame.xforms.size() > static_cast<size_t>(kMaxXforms)) {
    return Status::ResourceExhausted(label + ": has " + std::to_string(flame.xforms.size()) +
                                     " xforms, more than " + std::to_string(kMaxXforms));
  }
  bool any_weight = false;
  for (size_t i = 0; i < flame.xforms.size(); ++i) {
    FG_RETURN_IF_ERROR(CheckXform(flame.xforms[i], label + ": xform " + std::to_string(i),
                                  flame.xforms.size(), false));
    any_weight = any_weight || flame.xforms[i].weight > 0.0;
  }
  if (!any_weight) {
    return Status::InvalidArgument(label + ": attribute \"weight\" is 0 on every xform");
  }
  // After xform i the next one is drawn by weight times chaos; flam3 refuses to
  // render when that leaves nothing to draw.
  for (size_t i = 0; i < flame.xforms.size(); ++i) {
    const std::vector<double>& chaos = flame.xforms[i].chaos;
    if (chaos.empty()) continue;
    double total = 0.0;
    for (size_t j = 0; j < flame.xforms.size(); ++j) {
      total += flame.xforms[j].weight * (j < chaos.size() ? chaos[j] : 1.0);
    }
    if (!(total > 0.0)) {
      return Status::InvalidArgument(label + ": xform " + std::to_string(i) +
                                     ": attribute \"chaos\" leaves no xform to go to next");
    }
  }
  if (flame.final_xform) {
    FG_RETURN_IF_ERROR(
        CheckXform(*flame.final_xform, label + ": finalxform", flame.xforms.size(), false));
    if (!flame.final_xform->chaos.empty()) {
      return Status::InvalidArgument(label + ": finalxform: attribute \"chaos\" is not allowed");
    }
  }
  return Status::Ok();
}

}  // namespace flamegrid
