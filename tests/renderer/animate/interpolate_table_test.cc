// The attribute tables' interpolation rules: every entry the reader uses has
// one, the rules are flam3's, and interpolation follows them member by member.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "renderer/animate/align.h"
#include "renderer/animate/interpolate.h"
#include "renderer/genome/flam3_attributes.h"
#include "tests/renderer/animate/test_genomes.h"

namespace flamegrid {
namespace {

using I = AttributeInterpolation;

template <typename Target>
bool HasMember(const AttributeSpec<Target>& spec) {
  return spec.real != nullptr || spec.integer != nullptr || spec.text != nullptr ||
         spec.enumeration.get != nullptr;
}

template <typename Target>
void ExpectEveryEntryHasARule(std::span<const AttributeSpec<Target>> table, const char* which) {
  for (const AttributeSpec<Target>& spec : table) {
    if (spec.use == AttributeUse::kIgnored) continue;  // the reader drops it: nothing to blend
    const std::string name = std::string(which) + " " + std::string(spec.name);
    EXPECT_NE(spec.interpolation, I::kUnset) << name << " has no interpolation rule";
    switch (spec.interpolation) {
      case I::kLinear:
      case I::kLinearPositive:
      case I::kLinearUnit:
        EXPECT_TRUE(spec.real != nullptr || spec.integer != nullptr)
            << name << ": a weighted sum needs a number";
        break;
      case I::kFirst:
      case I::kReset:
        EXPECT_TRUE(HasMember(spec)) << name << ": the rule needs a member";
        break;
      case I::kNone:
        EXPECT_FALSE(HasMember(spec)) << name << ": a member of its own needs a rule";
        EXPECT_NE(spec.use, AttributeUse::kMember) << name;
        break;
      case I::kCustom:
        EXPECT_NE(spec.use, AttributeUse::kMember) << name << ": a plain member needs no hand code";
        break;
      case I::kUnset:
        break;
    }
  }
}

TEST(InterpolationTable, EveryEntryTheReaderUsesHasARule) {
  ExpectEveryEntryHasARule(FlameAttributes(), "flame");
  ExpectEveryEntryHasARule(XformAttributes(), "xform");
}

// flam3_interpolate_n's choices: INTERP/INTERI for these, the first control
// point's value for the modes and filters, a fresh value for the rest.
TEST(InterpolationTable, RulesAreFlam3s) {
  const std::set<std::string> linear = {"scale",
                                        "zoom",
                                        "rotate",
                                        "supersample",
                                        "filter",
                                        "quality",
                                        "passes",
                                        "temporal_samples",
                                        "brightness",
                                        "gamma",
                                        "highlight_power",
                                        "vibrancy",
                                        "contrast",
                                        "hue",
                                        "estimator_radius",
                                        "estimator_minimum",
                                        "estimator_curve",
                                        "gamma_threshold",
                                        "temporal_filter_width",
                                        "temporal_filter_exp"};
  const std::set<std::string> first = {"filter_shape", "temporal_filter_type", "palette_mode",
                                       "interpolation_type", "palette_interpolation"};
  const std::set<std::string> reset = {"symmetry", "interpolation", "time", "name"};
  size_t checked = 0;
  for (const FlameAttributeSpec& spec : FlameAttributes()) {
    const std::string name(spec.name);
    I expected = I::kUnset;
    if (linear.count(name)) expected = I::kLinear;
    if (first.count(name)) expected = I::kFirst;
    if (reset.count(name)) expected = I::kReset;
    if (expected == I::kUnset) continue;
    EXPECT_EQ(spec.interpolation, expected) << name;
    ++checked;
  }
  EXPECT_EQ(checked, linear.size() + first.size() + reset.size());
  EXPECT_EQ(FindXformAttribute("weight")->interpolation, I::kLinearPositive);
  EXPECT_EQ(FindXformAttribute("color")->interpolation, I::kLinearUnit);
  EXPECT_EQ(FindXformAttribute("animate")->interpolation, I::kLinear);
  EXPECT_EQ(FindXformAttribute("opacity")->interpolation, I::kLinear);
}

// Two values for an attribute under `rule`, and what blending them with
// `weights` must give.
struct Case {
  double a, b, expected;
};

Case NumberCase(I rule, bool extrapolate) {
  // Inside: weights 0.75 / 0.25; extrapolating: 1.5 / -0.5, past the clamps.
  switch (rule) {
    case I::kLinearUnit:
      return extrapolate ? Case{0.9, 0.1, 1.0} : Case{0.2, 0.6, 0.3};
    case I::kLinearPositive:
      return extrapolate ? Case{0.1, 1.0, 0.0} : Case{0.2, 1.0, 0.4};
    default:
      return extrapolate ? Case{4.0, 2.0, 5.0} : Case{2.0, 6.0, 3.0};
  }
}

// Blends `a` and `b` (which differ in one attribute) and returns the result.
Flame BlendPair(const Flame& a, const Flame& b, bool extrapolate) {
  const Flame pair[2] = {a, b};
  const std::vector<AlignedFlame> aligned = AlignFlames(pair);
  const double inside[2] = {0.75, 0.25};
  const double outside[2] = {1.5, -0.5};
  return BlendAligned(aligned, extrapolate ? outside : inside);
}

// Sets the member of `spec` on a and b, blends, and checks the result by the rule.
template <typename Target, typename Access>
void CheckEntry(const AttributeSpec<Target>& spec, Access target_of, const std::string& name) {
  const Flame base = testing::TwoXformFlame();
  const Target defaults{};
  for (bool extrapolate : {false, true}) {
    Flame a = base, b = base;
    Target& ta = target_of(a);
    Target& tb = target_of(b);
    const I rule = spec.interpolation;
    const std::string where = name + (extrapolate ? " (extrapolated)" : "");
    if (spec.real != nullptr || spec.integer != nullptr) {
      const Case c = NumberCase(rule, extrapolate);
      if (spec.real != nullptr) {
        ta.*spec.real = c.a;
        tb.*spec.real = c.b;
      } else {
        ta.*spec.integer = static_cast<int>(c.a);
        tb.*spec.integer = static_cast<int>(c.b);
      }
      Flame out = BlendPair(a, b, extrapolate);
      const double got =
          spec.real != nullptr ? target_of(out).*spec.real : target_of(out).*spec.integer;
      const double fresh = spec.real != nullptr ? defaults.*spec.real : defaults.*spec.integer;
      switch (rule) {
        case I::kLinear:
        case I::kLinearPositive:
        case I::kLinearUnit:
          EXPECT_NEAR(got, c.expected, 1e-12) << where;
          break;
        case I::kFirst:
          EXPECT_EQ(got, c.a) << where;
          break;
        case I::kReset:
          EXPECT_EQ(got, fresh) << where;
          break;
        default:
          ADD_FAILURE() << where << ": no rule to check";
      }
    } else if (spec.text != nullptr) {
      ta.*spec.text = "first";
      tb.*spec.text = "second";
      Flame out = BlendPair(a, b, extrapolate);
      const std::string& got = target_of(out).*spec.text;
      if (rule == I::kFirst) {
        EXPECT_EQ(got, "first") << where;
      } else {
        ASSERT_EQ(rule, I::kReset) << where;
        EXPECT_EQ(got, defaults.*spec.text) << where;
      }
    } else if (spec.enumeration.get != nullptr) {
      // Two values, neither the default, so that holding and resetting differ.
      const int fresh = spec.enumeration.get(defaults);
      std::vector<int> others;
      for (const EnumName& e : spec.enumeration.names) {
        if (e.value != fresh) others.push_back(e.value);
      }
      ASSERT_GE(others.size(), 1u) << where;
      spec.enumeration.set(ta, others.front());
      spec.enumeration.set(tb, others.size() > 1 ? others[1] : fresh);
      Flame out = BlendPair(a, b, extrapolate);
      const int got = spec.enumeration.get(target_of(out));
      if (rule == I::kFirst) {
        EXPECT_EQ(got, others.front()) << where;
      } else {
        ASSERT_EQ(rule, I::kReset) << where;
        EXPECT_EQ(got, fresh) << where;
      }
    }
  }
}

TEST(InterpolationTable, EveryMemberMovesAsItsRuleSays) {
  int flame_checked = 0, xform_checked = 0;
  for (const FlameAttributeSpec& spec : FlameAttributes()) {
    if (spec.use == AttributeUse::kIgnored || !HasMember(spec)) continue;
    if (spec.interpolation == I::kCustom) continue;
    CheckEntry(
        spec, [](Flame& f) -> Flame& { return f; }, "flame " + std::string(spec.name));
    ++flame_checked;
  }
  for (const XformAttributeSpec& spec : XformAttributes()) {
    if (spec.use == AttributeUse::kIgnored || !HasMember(spec)) continue;
    if (spec.interpolation == I::kCustom) continue;
    CheckEntry(
        spec, [](Flame& f) -> Xform& { return f.xforms[0]; }, "xform " + std::string(spec.name));
    ++xform_checked;
  }
  EXPECT_GE(flame_checked, 30);
  EXPECT_GE(xform_checked, 7);
}

}  // namespace
}  // namespace flamegrid
