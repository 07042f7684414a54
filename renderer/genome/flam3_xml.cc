#include "renderer/genome/flam3_xml.h"

// STUB: the genome helper replaces this file.
namespace flamegrid {
Result<std::vector<Flame>> ParseFlam3(std::string_view, const Flam3ReadOptions&) { return Status::Internal("not implemented yet"); }
Result<std::vector<Flame>> ReadFlam3File(const std::string&, const Flam3ReadOptions&) { return Status::Internal("not implemented yet"); }
std::string WriteFlameXml(const Flame&) { return {}; }
std::string WriteFlam3(std::span<const Flame>) { return {}; }
}  // namespace flamegrid
