#include "renderer/catalogue/variation.h"

#include <algorithm>

namespace flamegrid {
namespace {

constexpr std::array<std::string_view, kVariationCount> kNames = {
#define FLAMEGRID_VARIATION_NAME(name, xml) xml,
    FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_NAME)
#undef FLAMEGRID_VARIATION_NAME
};

constexpr std::array<VariationInfo, kVariationCount> BuildTable() {
  std::array<VariationInfo, kVariationCount> table{};
  for (int v = 0; v < kVariationCount; ++v) {
    int first = kVariationParamCount;
    int count = 0;
    for (int p = 0; p < kVariationParamCount; ++p) {
      if (static_cast<int>(kVariationParams[p].variation) == v) {
        if (count == 0) first = p;
        ++count;
      }
    }
    table[v] = VariationInfo{static_cast<VariationId>(v), kNames[v], first, count};
  }
  return table;
}

constexpr std::array<VariationInfo, kVariationCount> kTable = BuildTable();

// The dense parameter layout relies on each variation's parameters being contiguous.
constexpr bool ParamsAreGrouped() {
  for (const auto& info : kTable) {
    for (int p = info.first_param; p < info.first_param + info.param_count; ++p) {
      if (kVariationParams[p].variation != info.id) return false;
    }
    if (info.param_count > kMaxParamsPerVariation) return false;
  }
  return true;
}
static_assert(ParamsAreGrouped(), "kVariationParams must group each variation's parameters");
static_assert(kNames[98] == "mobius", "flam3 numbering: mobius is 98");

}  // namespace

const VariationInfo& GetVariationInfo(VariationId id) { return kTable[static_cast<int>(id)]; }

std::span<const VariationInfo> AllVariations() { return kTable; }

std::optional<VariationId> FindVariation(std::string_view name) {
  auto it = std::find(kNames.begin(), kNames.end(), name);
  if (it == kNames.end()) return std::nullopt;
  return static_cast<VariationId>(it - kNames.begin());
}

std::optional<int> FindVariationParam(std::string_view attribute_name) {
  for (int p = 0; p < kVariationParamCount; ++p) {
    if (kVariationParams[p].name == attribute_name) return p;
  }
  return std::nullopt;
}

}  // namespace flamegrid
