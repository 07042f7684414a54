#include "proto/shared/log.h"

#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace flamegrid {

void GridLog(const char* format, ...) {
  char line[2048];
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  tm local{};
  localtime_r(&now.tv_sec, &local);
  size_t n = strftime(line, sizeof line, "%H:%M:%S", &local);
  n += static_cast<size_t>(
      snprintf(line + n, sizeof line - n, ".%03ld ", static_cast<long>(now.tv_nsec / 1000000)));
  va_list args;
  va_start(args, format);
  int body = vsnprintf(line + n, sizeof line - n - 1, format, args);
  va_end(args);
  n = body < 0 ? n : std::min(sizeof line - 2, n + static_cast<size_t>(body));
  line[n++] = '\n';
  (void)!write(STDERR_FILENO, line, n);
}

}  // namespace flamegrid
