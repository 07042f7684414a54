#include "coordinator/web/http_router.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

namespace flamegrid::coordinator {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Matches `path` against a pattern whose "{}" parts match runs of digits.
bool MatchPattern(std::string_view pattern, std::string_view path,
                  std::vector<std::string>* params) {
  params->clear();
  size_t p = 0, s = 0;
  while (p < pattern.size()) {
    if (pattern.compare(p, 2, "{}") == 0) {
      const size_t start = s;
      while (s < path.size() && IsDigit(path[s])) ++s;
      if (s == start) return false;
      params->emplace_back(path.substr(start, s - start));
      p += 2;
      continue;
    }
    if (s >= path.size() || path[s] != pattern[p]) return false;
    ++p;
    ++s;
  }
  return s == path.size();
}

// A run of digits; saturates at the largest uint64_t (a number that long
// is past the end of any file). False when `text` is empty or not digits.
bool ParseDigits(std::string_view text, uint64_t* out) {
  if (text.empty()) return false;
  uint64_t v = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (char c : text) {
    if (!IsDigit(c)) return false;
    const auto digit = static_cast<uint64_t>(c - '0');
    v = v > (kMax - digit) / 10 ? kMax : v * 10 + digit;
  }
  *out = v;
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::string_view> HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoringCase(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::optional<std::string> HttpRequest::QueryValue(std::string_view key) const {
  std::string_view rest = query;
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) != key) continue;
    return eq == std::string_view::npos ? std::string() : PercentDecode(pair.substr(eq + 1));
  }
  return std::nullopt;
}

HttpResponse::HttpResponse(HttpResponse&& other) noexcept { *this = std::move(other); }

HttpResponse& HttpResponse::operator=(HttpResponse&& other) noexcept {
  if (this == &other) return *this;
  if (file && file->fd >= 0) close(file->fd);
  status = other.status;
  headers = std::move(other.headers);
  body = std::move(other.body);
  file = std::move(other.file);
  other.file.reset();
  return *this;
}

HttpResponse::~HttpResponse() {
  if (file && file->fd >= 0) close(file->fd);
}

void HttpResponse::SetHeader(std::string name, std::string value) {
  for (auto& [key, old] : headers) {
    if (EqualsIgnoringCase(key, name)) {
      old = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

void HttpResponse::SetBody(std::string content, std::string content_type) {
  body = std::move(content);
  SetHeader("Content-Type", std::move(content_type));
}

void HttpResponse::SetError(int code, std::string_view message) {
  status = code;
  SetBody(std::string(message) + "\n", "text/plain; charset=utf-8");
}

void HttpRouter::Get(std::string pattern, HttpHandler handler) {
  routes_.push_back(Route{std::move(pattern), std::move(handler)});
}

void HttpRouter::Handle(HttpRequest& request, HttpResponse& response) const {
  for (const Route& route : routes_) {
    if (MatchPattern(route.pattern, request.path, &request.params)) {
      route.handler(request, response);
      return;
    }
  }
  request.params.clear();
  response.SetError(404, "not found");
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

ByteRange ParseByteRange(std::optional<std::string_view> header, uint64_t size) {
  ByteRange whole;
  if (!header) return whole;
  std::string_view spec = Trim(*header);
  constexpr std::string_view kUnit = "bytes=";
  if (spec.size() < kUnit.size() || !EqualsIgnoringCase(spec.substr(0, kUnit.size()), kUnit)) {
    return whole;
  }
  spec = Trim(spec.substr(kUnit.size()));
  // Several ranges (500 overlapping ones made a 970 MB reply): the whole
  // body once, which RFC 9110 allows a server to send instead.
  if (spec.find(',') != std::string_view::npos) return whole;
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view first_text = Trim(spec.substr(0, dash));
  const std::string_view last_text = Trim(spec.substr(dash + 1));
  ByteRange part;
  part.kind = ByteRange::Kind::kPart;
  if (first_text.empty()) {  // "-N": the last N bytes
    uint64_t suffix = 0;
    if (!ParseDigits(last_text, &suffix)) return whole;
    if (suffix == 0 || size == 0) return ByteRange{ByteRange::Kind::kUnsatisfiable};
    part.length = std::min(suffix, size);
    part.offset = size - part.length;
    return part;
  }
  uint64_t first = 0, last = std::numeric_limits<uint64_t>::max();
  if (!ParseDigits(first_text, &first)) return whole;
  if (!last_text.empty() && !ParseDigits(last_text, &last)) return whole;
  if (last < first) return whole;  // not a valid range: ignored
  if (first >= size) return ByteRange{ByteRange::Kind::kUnsatisfiable};
  part.offset = first;
  part.length = std::min(last, size - 1) - first + 1;
  return part;
}

void ServeFileRange(const HttpRequest& request, const std::string& path,
                    std::string_view content_type, HttpResponse& response,
                    std::function<void(uint64_t sent)> on_sent) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat info {};
  if (fd < 0 || fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    if (fd >= 0) close(fd);
    response.SetError(404, "not found");
    return;
  }
  const auto size = static_cast<uint64_t>(info.st_size);
  const ByteRange range = ParseByteRange(request.Header("Range"), size);
  response.SetHeader("Accept-Ranges", "bytes");
  if (range.kind == ByteRange::Kind::kUnsatisfiable) {
    close(fd);
    response.SetError(416, "range not satisfiable");
    response.SetHeader("Content-Range", "bytes */" + std::to_string(size));
    return;
  }
  HttpFileRange file;
  file.fd = fd;
  file.length = size;
  file.on_sent = std::move(on_sent);
  if (range.kind == ByteRange::Kind::kPart) {
    response.status = 206;
    file.offset = range.offset;
    file.length = range.length;
    response.SetHeader("Content-Range", "bytes " + std::to_string(range.offset) + "-" +
                                            std::to_string(range.offset + range.length - 1) + "/" +
                                            std::to_string(size));
  }
  response.SetHeader("Content-Type", std::string(content_type));
  response.body.clear();
  response.file = std::move(file);
}

}  // namespace flamegrid::coordinator
