// GridLog: one timestamped line on stderr, for the coordinator's and the
// worker's logs ("what it is doing"). printf-style; thread-safe (one write).
#pragma once

namespace flamegrid {

void GridLog(const char* format, ...) __attribute__((format(printf, 1, 2)));

}  // namespace flamegrid
