// HttpRouter: the coordinator's own small routing interface in front of the
// HTTP server library (coordinator/web/http_server.h, GNU libmicrohttpd), so
// routes (dashboard, /status.json, /metrics, tracker, torrents, web seed)
// depend on this header only: a request (method, raw path and query,
// headers, the peer's address), a response (status, headers, and a body or
// a byte range of a file the server streams), and routes by pattern.
//
// Also the one place byte ranges are read (ParseByteRange, ServeFileRange):
// a single range is served; several ranges are answered with the whole body
// (never one copy per range); a range past the end is 416 with
// `Content-Range: bytes */SIZE`.
//
// A router is filled once before the server starts and then only read:
// Handle is safe from many threads; handlers must be thread-safe themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flamegrid::coordinator {

struct HttpRequest {
  std::string method;  // "GET" or "HEAD" (the server refuses others)
  std::string path;    // as sent, before any '?', not decoded
  std::string query;   // after '?', not decoded (binary values stay intact)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string peer_address;         // "a.b.c.d" (IPv4, also when mapped) or IPv6 text
  std::vector<std::string> params;  // what the route's {} parts matched, in order

  // The first header of that name (case-insensitive); nullopt when absent.
  std::optional<std::string_view> Header(std::string_view name) const;
  // The first `key=value` of the query, %XX-decoded; nullopt when absent.
  std::optional<std::string> QueryValue(std::string_view key) const;
};

// Bytes of an open file for the server to stream (it closes `fd`).
struct HttpFileRange {
  int fd = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
  // Called once, when the exchange ends, with the bytes the server actually
  // handed to the network (0 for HEAD, part of the range when the client
  // went away). May run on any server thread.
  std::function<void(uint64_t sent)> on_sent;
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::optional<HttpFileRange> file;  // when set, sent instead of `body`

  HttpResponse() = default;
  HttpResponse(HttpResponse&& other) noexcept;
  HttpResponse& operator=(HttpResponse&& other) noexcept;
  HttpResponse(const HttpResponse&) = delete;
  HttpResponse& operator=(const HttpResponse&) = delete;
  ~HttpResponse();  // closes an unsent file

  void SetHeader(std::string name, std::string value);
  void SetBody(std::string content, std::string content_type);
  // A status with a one-line text body ("404 not found\n" style).
  void SetError(int code, std::string_view message);
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

class HttpRouter {
 public:
  // GET (and HEAD) of paths matching `pattern`: literal text in which each
  // "{}" matches one or more ASCII digits, captured into request.params.
  void Get(std::string pattern, HttpHandler handler);
  // Runs the first route matching the request's path; 404 when none does.
  // `request.params` is filled from the route's pattern.
  void Handle(HttpRequest& request, HttpResponse& response) const;

 private:
  struct Route {
    std::string pattern;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
};

// Decodes %XX escapes ('+' stays '+').
std::string PercentDecode(std::string_view text);

// A Range header read against a body of `size` bytes.
struct ByteRange {
  enum class Kind {
    kWhole,          // no range, several ranges, or one the server may ignore (bad syntax)
    kPart,           // bytes [offset, offset + length)
    kUnsatisfiable,  // starts at or past the end: 416
  };
  Kind kind = Kind::kWhole;
  uint64_t offset = 0;
  uint64_t length = 0;
};
ByteRange ParseByteRange(std::optional<std::string_view> header, uint64_t size);

// Answers with the file at `path` as `content_type`, honouring one Range:
// 200 with the whole file, 206 with Content-Range, 416 past the end, 404
// when the file cannot be opened. `on_sent` (may be empty) learns the bytes
// sent (HttpFileRange::on_sent).
void ServeFileRange(const HttpRequest& request, const std::string& path,
                    std::string_view content_type, HttpResponse& response,
                    std::function<void(uint64_t sent)> on_sent = {});

}  // namespace flamegrid::coordinator
