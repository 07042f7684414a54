#include "renderer/animate/validate.h"

#include <cmath>
#include <string>

#include "renderer/animate/xform_fields.h"

namespace flamegrid {
namespace {

Status CheckXform(const Xform& xf, const std::string& where) {
  bool finite = true;
  Xform copy = xf;
  animate_internal::ForEachXformScalar(copy, [&](double& v) { finite &= std::isfinite(v); });
  for (double v : animate_internal::AffineValues(xf.affine)) finite &= std::isfinite(v);
  for (double v : animate_internal::AffineValues(xf.post)) finite &= std::isfinite(v);
  for (double v : xf.chaos) finite &= std::isfinite(v) && v >= 0.0;
  if (!finite) return Status::InvalidArgument(where + " has a non-finite or negative value");
  if (xf.weight < 0.0) return Status::InvalidArgument(where + " has a negative weight");
  if (xf.color < 0.0 || xf.color > 1.0) {
    return Status::InvalidArgument(where + " has colour " + std::to_string(xf.color) +
                                   " outside [0, 1]");
  }
  return Status::Ok();
}

}  // namespace

Status ValidateGenome(const Flame& flame) {
  const std::string name =
      flame.name.empty() ? std::string("genome") : "genome '" + flame.name + "'";
  if (flame.xforms.empty()) return Status::InvalidArgument(name + " has no xforms");
  double total_weight = 0.0;
  for (size_t i = 0; i < flame.xforms.size(); ++i) {
    FG_RETURN_IF_ERROR(CheckXform(flame.xforms[i], name + " xform " + std::to_string(i)));
    total_weight += flame.xforms[i].weight;
  }
  if (flame.final_xform) FG_RETURN_IF_ERROR(CheckXform(*flame.final_xform, name + " finalxform"));
  if (!(total_weight > 0.0))
    return Status::InvalidArgument(name + " has xform weights summing to 0");
  if (flame.width <= 0 || flame.height <= 0) {
    return Status::InvalidArgument(name + " has size " + std::to_string(flame.width) + "x" +
                                   std::to_string(flame.height));
  }
  for (double v : {flame.center_x, flame.center_y, flame.pixels_per_unit, flame.zoom, flame.rotate,
                   flame.sample_density, flame.gamma, flame.brightness}) {
    if (!std::isfinite(v)) return Status::InvalidArgument(name + " has a non-finite camera value");
  }
  for (const Rgba& c : flame.palette.colors) {
    if (!(c.r >= 0 && c.r <= 1 && c.g >= 0 && c.g <= 1 && c.b >= 0 && c.b <= 1)) {
      return Status::InvalidArgument(name + " has a palette colour outside [0, 1]");
    }
  }
  return Status::Ok();
}

}  // namespace flamegrid
