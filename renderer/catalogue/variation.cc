#include "renderer/catalogue/variation.h"

#include <algorithm>
#include <utility>

namespace flamegrid {
namespace {

// What the entries say, in id order (first_param and param_count filled below).
constexpr std::array<VariationInfo, kRegularVariationCount> kEntries = {{
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

// The entries, then their pre_ and post_ forms: a form reads its entry's
// formula, needs, precalculation and vector path, under its own name and
// parameters.
constexpr std::array<VariationInfo, kVariationCount> BuildTable() {
  std::array<VariationInfo, kVariationCount> table{};
  for (int v = 0; v < kRegularVariationCount; ++v) {
    table[v] = kEntries[v];
    table[v].base = kEntries[v].id;
    for (std::string_view added : kFormsAddedToThePoint) {
      table[v].form_adds_to_point |= table[v].name == added;
    }
  }
  for (int v = kRegularVariationCount; v < kVariationCount; ++v) {
    const VariationId id = static_cast<VariationId>(v);
    VariationInfo& info = table[v];
    info = table[static_cast<int>(BaseOf(id))];
    info.id = id;
    info.form = FormOf(id);
    info.base = BaseOf(id);  // has_vector_formula stays the entry's: a form runs its path
  }
  // The generated names, in catalogue_internal::ForEachFormName's order.
  int name = 0;
  int next_form[2] = {kRegularVariationCount, kRegularVariationCount + kPreFormCount};
  catalogue_internal::ForEachFormName(
      [&](int form, std::string_view, std::string_view, const VariationParamInfo* param) {
        const int index = name++;
        if (param == nullptr) table[next_form[form]++].name = catalogue_internal::FormName(index);
      });
  // One pass over the parameters (a pass per variation would be 200,000
  // steps, past clang's constexpr limit).
  for (VariationInfo& info : table) {
    info.first_param = kVariationParamCount;
    info.param_count = 0;
  }
  for (int p = 0; p < kVariationParamCount; ++p) {
    VariationInfo& info = table[static_cast<int>(kVariationParams[p].variation)];
    if (info.param_count == 0) info.first_param = p;
    ++info.param_count;
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
// flam3's 99 (109 parameters, and Ember's log_base), then 42 Apophysis/Ember ones (101 parameters);
// each but pre_blur with a post_ form, and each but pre_blur and blur with a pre_ form.
static_assert(kRegularVariationCount == 141 && catalogue_internal::kEntryParamCount == 211);
static_assert(kPreFormCount == 139 && kPostFormCount == 140 && kVariationParamCount == 3 * 211);
static_assert(kTable[kRegularVariationCount].name == "pre_linear");
static_assert(kTable[kRegularVariationCount + kPreFormCount].name == "post_linear");

// Names in sorted order, for the reader's look-ups (a binary search among the
// entries, their forms and all their parameters).
using NameAndIndex = std::pair<std::string_view, int>;

constexpr std::array<NameAndIndex, kVariationCount> SortVariationNames() {
  std::array<NameAndIndex, kVariationCount> names{};
  for (int v = 0; v < kVariationCount; ++v) names[v] = {kTable[v].name, v};
  std::sort(names.begin(), names.end());
  return names;
}
constexpr std::array<NameAndIndex, kVariationCount> kVariationsByName = SortVariationNames();

constexpr std::array<NameAndIndex, kVariationParamCount> SortParamNames() {
  std::array<NameAndIndex, kVariationParamCount> names{};
  for (int p = 0; p < kVariationParamCount; ++p) names[p] = {kVariationParams[p].name, p};
  std::sort(names.begin(), names.end());
  return names;
}
constexpr std::array<NameAndIndex, kVariationParamCount> kParamsByName = SortParamNames();

template <size_t kCount>
std::optional<int> FindName(const std::array<NameAndIndex, kCount>& sorted, std::string_view name) {
  auto it = std::lower_bound(
      sorted.begin(), sorted.end(), name,
      [](const NameAndIndex& entry, std::string_view wanted) { return entry.first < wanted; });
  if (it == sorted.end() || it->first != name) return std::nullopt;
  return it->second;
}

}  // namespace

const VariationInfo& GetVariationInfo(VariationId id) { return kTable[static_cast<int>(id)]; }

std::span<const VariationInfo> AllVariations() { return kTable; }

std::optional<VariationId> FindVariation(std::string_view name) {
  const std::optional<int> index = FindName(kVariationsByName, name);
  if (!index) return std::nullopt;
  return static_cast<VariationId>(*index);
}

std::optional<int> FindVariationParam(std::string_view attribute_name) {
  return FindName(kParamsByName, attribute_name);
}

}  // namespace flamegrid
