#include "coordinator/publish/http_routes.h"

#include "renderer/base/parse_number.h"

namespace flamegrid::coordinator::publish {

namespace {

// The sequence a route's {} names; nullopt when the digits do not fit.
std::optional<int64_t> ParseId(const std::string& text) {
  Result<int64_t> parsed = ParseInt64(text, "sequence id");
  if (!parsed.ok()) return std::nullopt;
  return *parsed;
}

}  // namespace

void RegisterPublishRoutes(HttpRouter& router, Publisher& publisher) {
  router.Get("/announce", [&publisher](const HttpRequest& req, HttpResponse& res) {
    Announce announce;
    std::string error;
    std::string body;
    // The peer is where the announce came from (an `ip=` it claims is not
    // used). The raw query: info_hash is binary.
    if (!ParseIpv4(req.peer_address, &announce.ipv4)) {
      body = TrackerFailure("this tracker serves IPv4 peers only");
    } else if (!ParseAnnounceQuery(req.query, &announce, &error)) {
      body = TrackerFailure(error);
    } else {
      body = publisher.tracker().Handle(announce, TrackerNowMs());
    }
    res.SetBody(std::move(body), "text/plain");
  });
  router.Get("/sequences/{}.torrent", [&publisher](const HttpRequest& req, HttpResponse& res) {
    std::optional<std::string> torrent;
    if (std::optional<int64_t> id = ParseId(req.params[0])) torrent = publisher.TorrentFile(*id);
    if (!torrent) {
      res.SetError(404, "no such published sequence");
      return;
    }
    res.SetBody(std::move(*torrent), "application/x-bittorrent");
  });
  router.Get("/sequences/{}.mp4", [&publisher](const HttpRequest& req, HttpResponse& res) {
    const std::optional<int64_t> id = ParseId(req.params[0]);
    std::optional<std::string> path;
    if (id && publisher.Stats(*id)) path = publisher.VideoPath(*id);
    if (!path) {
      res.SetError(404, "no such published sequence");
      return;
    }
    ServeFileRange(req, *path, "video/mp4", res, [&publisher, id = *id](uint64_t sent) {
      if (sent > 0) publisher.AddWebSeedBytes(id, sent);
    });
  });
}

}  // namespace flamegrid::coordinator::publish
