// GridLog: one timestamped line on stderr, for the coordinator's and the
// worker's logs ("what it is doing"). printf-style; thread-safe (one write).
// Printable: text from the other end of the wire (a worker's name, a
// give-back reason, an error message) made safe for a log line or a page:
// pass every such string through it before it reaches GridLog's %s.
#pragma once

#include <string>
#include <string_view>

namespace flamegrid {

void GridLog(const char* format, ...) __attribute__((format(printf, 1, 2)));

// `text` with every byte that could forge or colour a line written as \xNN:
// C0 controls (newline, carriage return, ESC, ...), DEL, the backslash itself
// (so an escape in the output always means an escaped byte), UTF-8 C1
// controls (U+0080..U+009F, which some terminals read as ESC [) and every
// byte that is not part of well-formed UTF-8. Other UTF-8 passes unchanged.
// Pure; safe from any thread.
std::string Printable(std::string_view text);

}  // namespace flamegrid
