#include "coordinator/web/http_server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <memory>
#include <utility>

namespace flamegrid::coordinator {
namespace {

// Bytes read from a file per call of the content reader (MHD's buffer).
constexpr size_t kFileBlockBytes = 64 << 10;

// A file range being sent. MHD asks for the bytes at `pos` only once
// everything before `pos` went out, so `confirmed` is what was sent when
// the exchange ends early.
struct FileStream {
  HttpFileRange range;
  bool head = false;
  std::atomic<uint64_t> confirmed{0};
  ~FileStream() {
    if (range.fd >= 0) close(range.fd);
  }
};

// One request, from its raw URI (MHD_OPTION_URI_LOG_CALLBACK) to its end
// (MHD_OPTION_NOTIFY_COMPLETED).
struct RequestContext {
  std::string uri;  // as sent: path and query, nothing decoded
  std::shared_ptr<FileStream> stream;
};

void* OnUri(void*, const char* uri, MHD_Connection*) {
  auto* context = new RequestContext;
  context->uri = uri == nullptr ? "" : uri;
  return context;
}

void OnCompleted(void*, MHD_Connection*, void** request_context, MHD_RequestTerminationCode how) {
  auto* context = static_cast<RequestContext*>(*request_context);
  *request_context = nullptr;
  if (context == nullptr) return;
  if (const std::shared_ptr<FileStream>& stream = context->stream;
      stream && stream->range.on_sent) {
    uint64_t sent = 0;
    if (!stream->head) {
      sent = how == MHD_REQUEST_TERMINATED_COMPLETED_OK ? stream->range.length
                                                        : stream->confirmed.load();
    }
    stream->range.on_sent(sent);
  }
  delete context;
}

ssize_t ReadFileBlock(void* cls, uint64_t pos, char* buffer, size_t max) {
  FileStream& stream = **static_cast<std::shared_ptr<FileStream>*>(cls);
  stream.confirmed.store(pos);
  if (pos >= stream.range.length) return MHD_CONTENT_READER_END_OF_STREAM;
  const size_t want = static_cast<size_t>(std::min<uint64_t>(max, stream.range.length - pos));
  for (;;) {
    const ssize_t n =
        pread(stream.range.fd, buffer, want, static_cast<off_t>(stream.range.offset + pos));
    if (n > 0) return n;
    if (n < 0 && errno == EINTR) continue;
    return MHD_CONTENT_READER_END_WITH_ERROR;  // the file shrank or cannot be read
  }
}

void FreeFileStream(void* cls) { delete static_cast<std::shared_ptr<FileStream>*>(cls); }

void FreeBody(void* cls) { delete static_cast<std::string*>(cls); }

MHD_Result CollectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<HttpRequest*>(cls)->headers.emplace_back(key == nullptr ? "" : key,
                                                       value == nullptr ? "" : value);
  return MHD_YES;
}

// "a.b.c.d" for IPv4 (also IPv4-mapped IPv6), else the IPv6 text.
std::string PeerAddress(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) return "";
  char text[INET6_ADDRSTRLEN] = {};
  if (info->client_addr->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(info->client_addr);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    return text;
  }
  if (info->client_addr->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(info->client_addr);
    if (IN6_IS_ADDR_V4MAPPED(&v6->sin6_addr)) {
      inet_ntop(AF_INET, &v6->sin6_addr.s6_addr[12], text, sizeof text);
    } else {
      inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    }
    return text;
  }
  return "";
}

MHD_Result Queue(MHD_Connection* connection, HttpResponse& answer, RequestContext* context,
                 bool head) {
  MHD_Response* response = nullptr;
  if (answer.file) {
    auto stream = std::make_shared<FileStream>();
    stream->range = std::move(*answer.file);
    answer.file.reset();
    stream->head = head;
    const uint64_t length = stream->range.length;
    auto* holder = new std::shared_ptr<FileStream>(stream);
    response = MHD_create_response_from_callback(length, kFileBlockBytes, ReadFileBlock, holder,
                                                 FreeFileStream);
    if (response == nullptr) {
      delete holder;
    } else {
      context->stream = std::move(stream);
    }
  } else {
    auto* body = new std::string(std::move(answer.body));
    response = MHD_create_response_from_buffer_with_free_callback_cls(body->size(), body->data(),
                                                                      FreeBody, body);
    if (response == nullptr) delete body;
  }
  if (response == nullptr) return MHD_NO;
  for (const auto& [name, value] : answer.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  const MHD_Result queued =
      MHD_queue_response(connection, static_cast<unsigned int>(answer.status), response);
  MHD_destroy_response(response);
  return queued;
}

MHD_Result OnRequest(void* cls, MHD_Connection* connection, const char*, const char* method,
                     const char*, const char*, size_t* upload_data_size, void** request_context) {
  const HttpRouter& router = *static_cast<const HttpRouter*>(cls);
  auto* context = static_cast<RequestContext*>(*request_context);
  if (context == nullptr) return MHD_NO;  // OnUri runs first for every request
  // Answered on the first call, once the headers are in: a body, if the
  // client sends one, is never read (MHD closes the connection after).
  *upload_data_size = 0;
  const std::string_view verb = method == nullptr ? "" : method;
  HttpResponse answer;
  if (verb != MHD_HTTP_METHOD_GET && verb != MHD_HTTP_METHOD_HEAD) {
    answer.SetError(405, "only GET and HEAD");
    answer.SetHeader("Allow", "GET, HEAD");
    return Queue(connection, answer, context, false);
  }
  HttpRequest request;
  request.method = std::string(verb);
  const size_t q = context->uri.find('?');
  request.path = context->uri.substr(0, q);
  if (q != std::string::npos) request.query = context->uri.substr(q + 1);
  request.peer_address = PeerAddress(connection);
  MHD_get_connection_values(connection, MHD_HEADER_KIND, CollectHeader, &request);
  router.Handle(request, answer);
  return Queue(connection, answer, context, verb == MHD_HTTP_METHOD_HEAD);
}

}  // namespace

HttpServer::HttpServer(HttpRouter router, HttpServerOptions options)
    : router_(std::move(router)), options_(options) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const std::string& host, int port) {
  const std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found) != 0 ||
      found == nullptr) {
    return Status::Unavailable("cannot listen for HTTP on " + where + ": unknown host");
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> addresses(found, freeaddrinfo);
  const int threads = std::max(1, options_.threads);
  unsigned int flags = MHD_USE_EPOLL_INTERNAL_THREAD;
  if (found->ai_family == AF_INET6) flags |= MHD_USE_DUAL_STACK;
  daemon_ =
      MHD_start_daemon(flags, static_cast<uint16_t>(port), nullptr, nullptr, OnRequest, &router_,
                       MHD_OPTION_SOCK_ADDR, found->ai_addr, MHD_OPTION_THREAD_POOL_SIZE,
                       static_cast<unsigned int>(threads), MHD_OPTION_CONNECTION_LIMIT,
                       static_cast<unsigned int>(std::max(threads, options_.max_connections)),
                       MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                       static_cast<unsigned int>(std::max(1, options_.max_connections_per_address)),
                       MHD_OPTION_CONNECTION_TIMEOUT,
                       static_cast<unsigned int>(std::max(1, options_.timeout_seconds)),
                       MHD_OPTION_CONNECTION_MEMORY_LIMIT, options_.connection_memory_bytes,
                       MHD_OPTION_URI_LOG_CALLBACK, OnUri, nullptr, MHD_OPTION_NOTIFY_COMPLETED,
                       OnCompleted, nullptr, MHD_OPTION_END);
  if (daemon_ == nullptr) return Status::Unavailable("cannot listen for HTTP on " + where);
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info == nullptr ? port : info->port;
  return Status::Ok();
}

void HttpServer::Stop() {
  if (daemon_ != nullptr) MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

}  // namespace flamegrid::coordinator
