#include "renderer/catalogue/variation.h"

#include <algorithm>

namespace flamegrid {
namespace {

// What the entries say, in id order (first_param and param_count filled below).
constexpr std::array<VariationInfo, kVariationCount> kEntries = {{
#define FLAMEGRID_VARIATION_ENTRY(Name, xml, needs, precalc, vector, ...) \
  {VariationId::k##Name,                                                  \
   xml,                                                                   \
   0,                                                                     \
   0,                                                                     \
   needs,                                                                 \
   std::string_view(#precalc) != "NoPrecalc",                             \
   std::string_view(#vector) == "Vector"},
    FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_ENTRY)
#undef FLAMEGRID_VARIATION_ENTRY
}};

constexpr std::array<VariationInfo, kVariationCount> BuildTable() {
  std::array<VariationInfo, kVariationCount> table = kEntries;
  for (int v = 0; v < kVariationCount; ++v) {
    int first = kVariationParamCount;
    int count = 0;
    for (int p = 0; p < kVariationParamCount; ++p) {
      if (static_cast<int>(kVariationParams[p].variation) == v) {
        if (count == 0) first = p;
        ++count;
      }
    }
    table[v].first_param = first;
    table[v].param_count = count;
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
static_assert(kTable[98].name == "mobius", "flam3 numbering: mobius is 98");
// flam3's 99 (109 parameters, and Ember's log_base), then 21 Apophysis/Ember
// ones (25 parameters).
static_assert(kVariationCount == 120 && kVariationParamCount == 135);

}  // namespace

const VariationInfo& GetVariationInfo(VariationId id) { return kTable[static_cast<int>(id)]; }

std::span<const VariationInfo> AllVariations() { return kTable; }

std::optional<VariationId> FindVariation(std::string_view name) {
  auto it = std::find_if(kTable.begin(), kTable.end(),
                         [name](const VariationInfo& info) { return info.name == name; });
  if (it == kTable.end()) return std::nullopt;
  return it->id;
}

std::optional<int> FindVariationParam(std::string_view attribute_name) {
  for (int p = 0; p < kVariationParamCount; ++p) {
    if (kVariationParams[p].name == attribute_name) return p;
  }
  return std::nullopt;
}

}  // namespace flamegrid
