#include "coordinator/publish/http_routes.h"

#include <httplib.h>

#include <fstream>
#include <memory>

#include "renderer/base/parse_number.h"

namespace flamegrid::coordinator::publish {

namespace {

bool ParseId(const std::string& text, int64_t* id) {
  Result<int64_t> parsed = ParseInt64(text, "sequence id");
  if (!parsed.ok()) return false;
  *id = *parsed;
  return true;
}

}  // namespace

void RegisterPublishRoutes(httplib::Server& server, Publisher& publisher) {
  server.Get("/announce", [&publisher](const httplib::Request& req, httplib::Response& res) {
    // The raw query: info_hash is binary and must not be re-decoded as text.
    const size_t q = req.target.find('?');
    const std::string query = q == std::string::npos ? "" : req.target.substr(q + 1);
    Announce announce;
    std::string error;
    std::string body;
    // The peer is where the announce came from (an `ip=` it claims is not
    // used); an IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d.
    std::string remote = req.remote_addr;
    if (remote.rfind("::ffff:", 0) == 0) remote = remote.substr(7);
    if (!ParseIpv4(remote, &announce.ipv4)) {
      body = TrackerFailure("this tracker serves IPv4 peers only");
    } else if (!ParseAnnounceQuery(query, &announce, &error)) {
      body = TrackerFailure(error);
    } else {
      body = publisher.tracker().Handle(announce, TrackerNowMs());
    }
    res.set_content(body, "text/plain");
  });
  server.Get(R"(/sequences/(\d+)\.torrent)",
             [&publisher](const httplib::Request& req, httplib::Response& res) {
               int64_t id = 0;
               std::optional<std::string> torrent;
               if (ParseId(req.matches[1].str(), &id)) torrent = publisher.TorrentFile(id);
               if (!torrent) {
                 res.status = 404;
                 res.set_content("no such published sequence\n", "text/plain");
                 return;
               }
               res.set_content(*torrent, "application/x-bittorrent");
             });
  server.Get(R"(/sequences/(\d+)\.mp4)",
             [&publisher](const httplib::Request& req, httplib::Response& res) {
               int64_t id = 0;
               std::optional<PublishedStats> stats;
               std::optional<std::string> path;
               if (ParseId(req.matches[1].str(), &id)) {
                 stats = publisher.Stats(id);
                 path = publisher.VideoPath(id);
               }
               if (!stats || !path) {
                 res.status = 404;
                 return;
               }
               auto in = std::make_shared<std::ifstream>(*path, std::ios::binary);
               if (!*in) {
                 res.status = 404;
                 return;
               }
               // cpp-httplib answers Range requests by asking this provider for the range.
               res.set_content_provider(
                   stats->size, "video/mp4",
                   [in, id, &publisher](size_t offset, size_t length, httplib::DataSink& sink) {
                     char buffer[64 * 1024];
                     const size_t n = std::min(length, sizeof buffer);
                     in->clear();
                     in->seekg(static_cast<std::streamoff>(offset));
                     in->read(buffer, static_cast<std::streamsize>(n));
                     const auto got = static_cast<size_t>(in->gcount());
                     if (got == 0) return false;
                     // Counted before the write, so a client that has the
                     // bytes already finds them counted (a failed write
                     // over-counts one buffer at most).
                     publisher.AddWebSeedBytes(id, got);
                     return sink.write(buffer, got);
                   });
             });
}

}  // namespace flamegrid::coordinator::publish
