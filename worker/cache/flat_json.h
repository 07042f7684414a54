// FlatJson: reads and writes the one JSON shape the cache stores, a single
// flat object whose values are strings, numbers, booleans or null.
//
// Not a general JSON library: nested objects and arrays are rejected with a
// reason, which is what a tolerant cache reader wants from a file it does not
// understand. Plain functions over values; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "proto/shared/json.h"
#include "renderer/base/status.h"

namespace flamegrid::worker::cache {

// A value in a flat object: text, a number, a boolean, or null (monostate).
using FlatJsonValue = std::variant<std::monostate, std::string, double, bool>;
using FlatJsonObject = std::map<std::string, FlatJsonValue, std::less<>>;

// Writers quote strings with flamegrid::JsonQuote (proto/shared/json.h).

// Parses `{"key": value, ...}`; kCorruption naming the offset of the first problem.
Result<FlatJsonObject> ParseFlatJson(std::string_view text);

}  // namespace flamegrid::worker::cache
