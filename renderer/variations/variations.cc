#include "renderer/variations/variations.h"

#include "renderer/variations/formulas_blur_and_shape.h"
#include "renderer/variations/formulas_classic.h"
#include "renderer/variations/formulas_complex.h"
#include "renderer/variations/formulas_plugin_pack.h"

namespace flamegrid {

unsigned VariationPointNeeds(VariationId id) {
  switch (id) {
    case VariationId::kPolar:
      return formulas::kNeedsAtanXY;
    case VariationId::kHandkerchief:
      return formulas::kNeedsAtanXY;
    case VariationId::kHeart:
      return formulas::kNeedsAtanXY;
    case VariationId::kDisc:
      return formulas::kNeedsAtanXY;
    case VariationId::kSpiral:
      return formulas::kNeedsAngles;
    case VariationId::kHyperbolic:
      return formulas::kNeedsAngles;
    case VariationId::kDiamond:
      return formulas::kNeedsAngles;
    case VariationId::kEx:
      return formulas::kNeedsAtanXY;
    case VariationId::kJulia:
      return formulas::kNeedsAtanXY;
    case VariationId::kPower:
      return formulas::kNeedsAngles;
    case VariationId::kRings:
      return formulas::kNeedsAngles;
    case VariationId::kFan:
      return formulas::kNeedsAtanXY;
    case VariationId::kBlob:
      return formulas::kNeedsAtanXY | formulas::kNeedsAngles;
    case VariationId::kFan2:
      return formulas::kNeedsAtanXY;
    case VariationId::kRings2:
      return formulas::kNeedsAngles;
    case VariationId::kJulian:
      return formulas::kNeedsAtanYX;
    case VariationId::kJuliascope:
      return formulas::kNeedsAtanYX;
    case VariationId::kRadialBlur:
      return formulas::kNeedsAtanYX;
    case VariationId::kNgon:
      return formulas::kNeedsAtanYX;
    case VariationId::kDisc2:
      return formulas::kNeedsAtanXY;
    case VariationId::kSuperShape:
      return formulas::kNeedsAtanYX;
    case VariationId::kFlower:
      return formulas::kNeedsAtanYX;
    case VariationId::kConic:
      return formulas::kNeedsAtanYX;
    case VariationId::kCpow:
      return formulas::kNeedsAtanYX;
    case VariationId::kEscher:
      return formulas::kNeedsAtanYX;
    case VariationId::kPolar2:
      return formulas::kNeedsAtanXY;
    case VariationId::kWedge:
      return formulas::kNeedsAtanYX;
    case VariationId::kWedgeJulia:
      return formulas::kNeedsAtanYX;
    case VariationId::kWedgeSph:
      return formulas::kNeedsAtanYX;
    case VariationId::kWhorl:
      return formulas::kNeedsAtanYX;
    case VariationId::kLog:
      return formulas::kNeedsAtanYX;
    default:
      return formulas::kNeedsNothing;
  }
}

void PrecalculateTerm(PreparedTerm& term, const Affine2& affine) {
  switch (term.id) {
    case VariationId::kWaves:
      formulas::PrepareWaves(term, affine);
      break;
    case VariationId::kPopcorn:
      formulas::PreparePopcorn(term, affine);
      break;
    case VariationId::kRings:
      formulas::PrepareRings(term, affine);
      break;
    case VariationId::kFan:
      formulas::PrepareFan(term, affine);
      break;
    case VariationId::kPerspective:
      formulas::PreparePerspective(term);
      break;
    case VariationId::kJulian:
    case VariationId::kJuliascope:
      formulas::PrepareJulianLike(term);
      break;
    case VariationId::kRadialBlur:
      formulas::PrepareRadialBlur(term);
      break;
    case VariationId::kDisc2:
      formulas::PrepareDisc2(term);
      break;
    case VariationId::kSuperShape:
      formulas::PrepareSuperShape(term);
      break;
    case VariationId::kEscher:
      formulas::PrepareEscher(term);
      break;
    case VariationId::kWedgeJulia:
      formulas::PrepareWedgeJulia(term);
      break;
    default:
      break;
  }
}

Point2 EvaluateTerm(const PreparedTerm& term, const formulas::VariationInput& in, Random& rng) {
  switch (term.id) {
    case VariationId::kLinear:
      return formulas::Linear(in, term, rng);
    case VariationId::kSinusoidal:
      return formulas::Sinusoidal(in, term, rng);
    case VariationId::kSpherical:
      return formulas::Spherical(in, term, rng);
    case VariationId::kSwirl:
      return formulas::Swirl(in, term, rng);
    case VariationId::kHorseshoe:
      return formulas::Horseshoe(in, term, rng);
    case VariationId::kPolar:
      return formulas::Polar(in, term, rng);
    case VariationId::kHandkerchief:
      return formulas::Handkerchief(in, term, rng);
    case VariationId::kHeart:
      return formulas::Heart(in, term, rng);
    case VariationId::kDisc:
      return formulas::Disc(in, term, rng);
    case VariationId::kSpiral:
      return formulas::Spiral(in, term, rng);
    case VariationId::kHyperbolic:
      return formulas::Hyperbolic(in, term, rng);
    case VariationId::kDiamond:
      return formulas::Diamond(in, term, rng);
    case VariationId::kEx:
      return formulas::Ex(in, term, rng);
    case VariationId::kJulia:
      return formulas::Julia(in, term, rng);
    case VariationId::kBent:
      return formulas::Bent(in, term, rng);
    case VariationId::kWaves:
      return formulas::Waves(in, term, rng);
    case VariationId::kFisheye:
      return formulas::Fisheye(in, term, rng);
    case VariationId::kPopcorn:
      return formulas::Popcorn(in, term, rng);
    case VariationId::kExponential:
      return formulas::Exponential(in, term, rng);
    case VariationId::kPower:
      return formulas::Power(in, term, rng);
    case VariationId::kCosine:
      return formulas::Cosine(in, term, rng);
    case VariationId::kRings:
      return formulas::Rings(in, term, rng);
    case VariationId::kFan:
      return formulas::Fan(in, term, rng);
    case VariationId::kBlob:
      return formulas::Blob(in, term, rng);
    case VariationId::kPdj:
      return formulas::Pdj(in, term, rng);
    case VariationId::kFan2:
      return formulas::Fan2(in, term, rng);
    case VariationId::kRings2:
      return formulas::Rings2(in, term, rng);
    case VariationId::kEyefish:
      return formulas::Eyefish(in, term, rng);
    case VariationId::kBubble:
      return formulas::Bubble(in, term, rng);
    case VariationId::kCylinder:
      return formulas::Cylinder(in, term, rng);
    case VariationId::kPerspective:
      return formulas::Perspective(in, term, rng);
    case VariationId::kNoise:
      return formulas::Noise(in, term, rng);
    case VariationId::kJulian:
      return formulas::Julian(in, term, rng);
    case VariationId::kJuliascope:
      return formulas::Juliascope(in, term, rng);
    case VariationId::kBlur:
      return formulas::Blur(in, term, rng);
    case VariationId::kGaussianBlur:
      return formulas::GaussianBlur(in, term, rng);
    case VariationId::kRadialBlur:
      return formulas::RadialBlur(in, term, rng);
    case VariationId::kPie:
      return formulas::Pie(in, term, rng);
    case VariationId::kNgon:
      return formulas::Ngon(in, term, rng);
    case VariationId::kCurl:
      return formulas::Curl(in, term, rng);
    case VariationId::kRectangles:
      return formulas::Rectangles(in, term, rng);
    case VariationId::kArch:
      return formulas::Arch(in, term, rng);
    case VariationId::kTangent:
      return formulas::Tangent(in, term, rng);
    case VariationId::kSquare:
      return formulas::Square(in, term, rng);
    case VariationId::kRays:
      return formulas::Rays(in, term, rng);
    case VariationId::kBlade:
      return formulas::Blade(in, term, rng);
    case VariationId::kSecant2:
      return formulas::Secant2(in, term, rng);
    case VariationId::kTwintrian:
      return formulas::Twintrian(in, term, rng);
    case VariationId::kCross:
      return formulas::Cross(in, term, rng);
    case VariationId::kDisc2:
      return formulas::Disc2(in, term, rng);
    case VariationId::kSuperShape:
      return formulas::SuperShape(in, term, rng);
    case VariationId::kFlower:
      return formulas::Flower(in, term, rng);
    case VariationId::kConic:
      return formulas::Conic(in, term, rng);
    case VariationId::kParabola:
      return formulas::Parabola(in, term, rng);
    case VariationId::kBent2:
      return formulas::Bent2(in, term, rng);
    case VariationId::kBipolar:
      return formulas::Bipolar(in, term, rng);
    case VariationId::kBoarders:
      return formulas::Boarders(in, term, rng);
    case VariationId::kButterfly:
      return formulas::Butterfly(in, term, rng);
    case VariationId::kCell:
      return formulas::Cell(in, term, rng);
    case VariationId::kCpow:
      return formulas::Cpow(in, term, rng);
    case VariationId::kCurve:
      return formulas::Curve(in, term, rng);
    case VariationId::kEdisc:
      return formulas::Edisc(in, term, rng);
    case VariationId::kElliptic:
      return formulas::Elliptic(in, term, rng);
    case VariationId::kEscher:
      return formulas::Escher(in, term, rng);
    case VariationId::kFoci:
      return formulas::Foci(in, term, rng);
    case VariationId::kLazysusan:
      return formulas::Lazysusan(in, term, rng);
    case VariationId::kLoonie:
      return formulas::Loonie(in, term, rng);
    case VariationId::kPreBlur:
      return {};  // applied to the input point, see PreparedXform::Apply
    case VariationId::kModulus:
      return formulas::Modulus(in, term, rng);
    case VariationId::kOscilloscope:
      return formulas::Oscilloscope(in, term, rng);
    case VariationId::kPolar2:
      return formulas::Polar2(in, term, rng);
    case VariationId::kPopcorn2:
      return formulas::Popcorn2(in, term, rng);
    case VariationId::kScry:
      return formulas::Scry(in, term, rng);
    case VariationId::kSeparation:
      return formulas::Separation(in, term, rng);
    case VariationId::kSplit:
      return formulas::Split(in, term, rng);
    case VariationId::kSplits:
      return formulas::Splits(in, term, rng);
    case VariationId::kStripes:
      return formulas::Stripes(in, term, rng);
    case VariationId::kWedge:
      return formulas::Wedge(in, term, rng);
    case VariationId::kWedgeJulia:
      return formulas::WedgeJulia(in, term, rng);
    case VariationId::kWedgeSph:
      return formulas::WedgeSph(in, term, rng);
    case VariationId::kWhorl:
      return formulas::Whorl(in, term, rng);
    case VariationId::kWaves2:
      return formulas::Waves2(in, term, rng);
    case VariationId::kExp:
      return formulas::Exp(in, term, rng);
    case VariationId::kLog:
      return formulas::Log(in, term, rng);
    case VariationId::kSin:
      return formulas::Sin(in, term, rng);
    case VariationId::kCos:
      return formulas::Cos(in, term, rng);
    case VariationId::kTan:
      return formulas::Tan(in, term, rng);
    case VariationId::kSec:
      return formulas::Sec(in, term, rng);
    case VariationId::kCsc:
      return formulas::Csc(in, term, rng);
    case VariationId::kCot:
      return formulas::Cot(in, term, rng);
    case VariationId::kSinh:
      return formulas::Sinh(in, term, rng);
    case VariationId::kCosh:
      return formulas::Cosh(in, term, rng);
    case VariationId::kTanh:
      return formulas::Tanh(in, term, rng);
    case VariationId::kSech:
      return formulas::Sech(in, term, rng);
    case VariationId::kCsch:
      return formulas::Csch(in, term, rng);
    case VariationId::kCoth:
      return formulas::Coth(in, term, rng);
    case VariationId::kAuger:
      return formulas::Auger(in, term, rng);
    case VariationId::kFlux:
      return formulas::Flux(in, term, rng);
    case VariationId::kMobius:
      return formulas::Mobius(in, term, rng);
  }
  return {};
}

}  // namespace flamegrid
