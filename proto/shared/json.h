// JSON text helpers shared by every component that writes small JSON by hand
// (status pages, cache metadata). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace flamegrid {

// `text` as a quoted JSON string: quotes, backslashes and control characters
// escaped; other bytes (UTF-8 included) passed through.
std::string JsonQuote(std::string_view text);

}  // namespace flamegrid
