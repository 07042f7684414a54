#include "proto/shared/log.h"

#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <ctime>

namespace flamegrid {
namespace {

// The length of the well-formed UTF-8 sequence at the start of `text` (RFC
// 3629: no overlong forms, no surrogates, nothing above U+10FFFF); 0 if none.
size_t Utf8Length(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  size_t n = 0;
  unsigned char low = 0x80, high = 0xbf;  // the range of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) {
    n = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    n = 3;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    n = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  if (text.size() < n || byte(1) < low || byte(1) > high) return 0;
  for (size_t i = 2; i < n; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) return 0;
  }
  return n;
}

void AppendEscaped(unsigned char c, std::string& out) {
  static const char* digits = "0123456789abcdef";
  out += "\\x";
  out += digits[c >> 4];
  out += digits[c & 15];
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t n = Utf8Length(text);
    const unsigned char lead = static_cast<unsigned char>(text[0]);
    const bool control = lead < 0x20 || lead == 0x7f || lead == '\\';
    // U+0080..U+009F: C2 80..C2 9F.
    const bool c1 = n == 2 && lead == 0xc2 && static_cast<unsigned char>(text[1]) <= 0x9f;
    if (n == 0 || control || c1) {
      AppendEscaped(lead, out);
      if (c1) AppendEscaped(static_cast<unsigned char>(text[1]), out);
      text.remove_prefix(c1 ? 2 : 1);
      continue;
    }
    out.append(text.substr(0, n));
    text.remove_prefix(n);
  }
  return out;
}

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
