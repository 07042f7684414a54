// Affine2: a 2-D affine map in flam3's coefficient order.
//
// flam3 XML writes coefs="a b c d e f" and maps (x, y) to
//   x' = a*x + c*y + e,   y' = b*x + d*y + f
// (flam3's c[0][0]=a, c[0][1]=b, c[1][0]=c, c[1][1]=d, c[2][0]=e, c[2][1]=f).
// Some variations read the coefficients directly (waves, popcorn, rings, fan),
// which is why the names follow flam3 rather than a matrix convention.
// A plain value type.
#pragma once

namespace flamegrid {

struct Point2 {
  double x = 0.0;
  double y = 0.0;
};

struct Affine2 {
  double a = 1.0, b = 0.0, c = 0.0, d = 1.0, e = 0.0, f = 0.0;

  static Affine2 Identity() { return {}; }
  bool IsIdentity() const {
    return a == 1.0 && b == 0.0 && c == 0.0 && d == 1.0 && e == 0.0 && f == 0.0;
  }
  Point2 Apply(Point2 p) const { return {a * p.x + c * p.y + e, b * p.x + d * p.y + f}; }
  bool operator==(const Affine2&) const = default;
};

}  // namespace flamegrid
