#include "renderer/render/spatial_filter.h"

#include <cmath>
#include <numbers>
#include <string>

namespace flamegrid {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kMitchellB = 1.0 / 3.0;
constexpr double kMitchellC = 1.0 / 3.0;

double Sinc(double x) {
  x *= kPi;
  return x != 0.0 ? std::sin(x) / x : 1.0;
}

double Gaussian(double x) { return std::exp(-2.0 * x * x) * std::sqrt(2.0 / kPi); }

double Hermite(double x) {
  x = std::fabs(x);
  return x < 1.0 ? (2.0 * x - 3.0) * x * x + 1.0 : 0.0;
}

double Box(double x) { return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0; }

double Triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Three boxes convolved.
double Bell(double x) {
  x = std::fabs(x);
  if (x < 0.5) return 0.75 - x * x;
  if (x < 1.5) return 0.5 * (x - 1.5) * (x - 1.5);
  return 0.0;
}

// Four boxes convolved.
double BSpline(double x) {
  x = std::fabs(x);
  if (x < 1.0) return 0.5 * x * x * x - x * x + 2.0 / 3.0;
  if (x < 2.0) {
    const double r = 2.0 - x;
    return r * r * r / 6.0;
  }
  return 0.0;
}

double Mitchell(double x) {
  x = std::fabs(x);
  const double x2 = x * x;
  const double x3 = x2 * x;
  constexpr double b = kMitchellB, c = kMitchellC;
  if (x < 1.0) {
    return ((12.0 - 9.0 * b - 6.0 * c) * x3 + (-18.0 + 12.0 * b + 6.0 * c) * x2 + (6.0 - 2.0 * b)) /
           6.0;
  }
  if (x < 2.0) {
    return ((-b - 6.0 * c) * x3 + (6.0 * b + 30.0 * c) * x2 + (-12.0 * b - 48.0 * c) * x +
            (8.0 * b + 24.0 * c)) /
           6.0;
  }
  return 0.0;
}

double CatmullRom(double x) {
  x = std::fabs(x);
  if (x < 1.0) return 0.5 * (2.0 + x * x * (-5.0 + 3.0 * x));
  if (x < 2.0) return 0.5 * (4.0 + x * (-8.0 + x * (5.0 - x)));
  return 0.0;
}

double Quadratic(double x) {
  x = std::fabs(x);
  if (x < 0.5) return 0.75 - x * x;
  if (x < 1.5) return 0.5 * (x - 1.5) * (x - 1.5);
  return 0.0;
}

double Lanczos(double x, double lobes) {
  x = std::fabs(x);
  return x < lobes ? Sinc(x) * Sinc(x / lobes) : 0.0;
}

}  // namespace

double FilterSupport(FilterShape shape) {
  switch (shape) {
    case FilterShape::kGaussian:
      return 1.5;
    case FilterShape::kHermite:
      return 1.0;
    case FilterShape::kBox:
      return 0.5;
    case FilterShape::kTriangle:
      return 1.0;
    case FilterShape::kBell:
      return 1.5;
    case FilterShape::kBspline:
      return 2.0;
    case FilterShape::kMitchell:
      return 2.0;
    case FilterShape::kBlackman:
      return 1.0;
    case FilterShape::kCatrom:
      return 2.0;
    case FilterShape::kHanning:
      return 1.0;
    case FilterShape::kHamming:
      return 1.0;
    case FilterShape::kLanczos3:
      return 3.0;
    case FilterShape::kLanczos2:
      return 2.0;
    case FilterShape::kQuadratic:
      return 1.5;
  }
  return 1.0;
}

double FilterValue(FilterShape shape, double x) {
  switch (shape) {
    case FilterShape::kGaussian:
      return Gaussian(x);
    case FilterShape::kHermite:
      return Hermite(x);
    case FilterShape::kBox:
      return Box(x);
    case FilterShape::kTriangle:
      return Triangle(x);
    case FilterShape::kBell:
      return Bell(x);
    case FilterShape::kBspline:
      return BSpline(x);
    case FilterShape::kMitchell:
      return Mitchell(x);
    // The windowed sincs are not clipped at their support: flam3 only ever
    // samples them inside it.
    case FilterShape::kBlackman:
      return Sinc(x) * (0.42 + 0.5 * std::cos(kPi * x) + 0.08 * std::cos(2.0 * kPi * x));
    case FilterShape::kCatrom:
      return CatmullRom(x);
    case FilterShape::kHanning:
      return Sinc(x) * (0.5 + 0.5 * std::cos(kPi * x));
    case FilterShape::kHamming:
      return Sinc(x) * (0.54 + 0.46 * std::cos(kPi * x));
    // flam3 multiplies its Lanczos kernels by one more sinc window; kept for parity.
    case FilterShape::kLanczos3:
      return Lanczos(x, 3.0) * Sinc(x / 3.0);
    case FilterShape::kLanczos2:
      return Lanczos(x, 2.0) * Sinc(x / 2.0);
    case FilterShape::kQuadratic:
      return Quadratic(x);
  }
  return 0.0;
}

Result<SpatialFilter> SpatialFilter::Create(FilterShape shape, double radius, int supersample) {
  if (!std::isfinite(radius) || radius < 0.0) {
    return Status::InvalidArgument("spatial filter radius must be finite and >= 0, not " +
                                   std::to_string(radius));
  }
  if (supersample < 1) {
    return Status::InvalidArgument("supersample must be >= 1, not " + std::to_string(supersample));
  }
  const double support = FilterSupport(shape);
  const double exact_width = 2.0 * support * supersample * radius;
  if (exact_width >= kMaxWidth) {
    return Status::InvalidArgument("spatial filter radius " + std::to_string(radius) +
                                   " gives a kernel wider than " + std::to_string(kMaxWidth) +
                                   " cells");
  }
  int width = static_cast<int>(exact_width) + 1;
  if ((width ^ supersample) & 1) ++width;  // same parity: the kernel centres on a pixel
  // Stretch the sample positions so that the kernel's edge falls on its support.
  const double adjust = exact_width > 0.0 ? support * width / exact_width : 1.0;

  std::vector<double> taps(width);
  for (int i = 0; i < width; ++i) {
    taps[i] = FilterValue(shape, ((2.0 * i + 1.0) / width - 1.0) * adjust);
  }
  SpatialFilter filter;
  filter.width_ = width;
  filter.weights_.resize(static_cast<size_t>(width) * width);
  double sum = 0.0;
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      const double w = taps[x] * taps[y];
      filter.weights_[y * width + x] = w;
      sum += w;
    }
  }
  if (sum == 0.0 || !std::isfinite(sum)) {
    return Status::InvalidArgument("spatial filter radius " + std::to_string(radius) +
                                   " is too small: the kernel's weights sum to zero");
  }
  for (double& w : filter.weights_) w /= sum;
  double tap_sum = 0.0;  // nonzero: its square is `sum`
  for (double t : taps) tap_sum += t;
  filter.taps_ = taps;
  for (double& t : filter.taps_) t /= tap_sum;
  return filter;
}

}  // namespace flamegrid
