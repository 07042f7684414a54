// Metrics: the coordinator's Prometheus metrics (prometheus-cpp's registry and
// typed handles to every flamegrid_* family), served as text at GET /metrics
// (coordinator/web/metrics_route.h).
//
// Two kinds of figures:
//   - events, counted where they happen (frames leased, accepted, refused by
//     reason; store commits timed): the handles are made up front, so counting
//     is an atomic add on the upload path, with no lookup and no lock;
//   - levels (sequences by state, leases outstanding, workers seen, bytes the
//     coordinator and its peers uploaded), set on scrape by hooks that read
//     the existing snapshots (OnScrape), which costs nothing between scrapes.
//
// Owned by the serve command (or a test) and passed by pointer to the parts
// that count; it must outlive them and the HTTP server. Thread-safe: counters
// are atomic; Scrape runs the hooks and serialises one scrape at a time.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace prometheus {
class Counter;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace flamegrid::coordinator {

// Why an upload was refused: the `reason` label of flamegrid_frames_refused_total.
enum class Refusal {
  kUnauthorized,        // unknown worker, wrong token, quarantined worker
  kBadLease,            // lease unknown, lapsed, spent, or held by another worker
  kBadHeader,           // no header, two headers, 0 bytes declared, no SHA-256
  kTooLarge,            // declared more than the upload bound
  kBadSize,             // sent other than the bytes declared
  kBadHash,             // bytes do not match the declared SHA-256
  kDecodeFailure,       // not a decodable image
  kWrongDimensions,     // decoded, but not the job's width x height
  kBlankFrame,          // every pixel has the same brightness
  kValidationMismatch,  // differs from the reference render (the worker is quarantined)
  kInternal,            // the coordinator failed (store, disk): not the worker's fault
};
inline constexpr int kRefusalCount = static_cast<int>(Refusal::kInternal) + 1;
// The label value: "bad_hash", "validation_mismatch", ...
const char* RefusalName(Refusal reason);

// The levels a scrape hook sets (see Metrics::SetGrid).
struct GridLevels {
  std::map<std::string, int64_t> sequences_by_state;
  int64_t leases_outstanding = 0;
  int64_t workers_seen_last_hour = 0;
};

class Metrics {
 public:
  // The content type of Scrape()'s text (Prometheus text exposition 0.0.4).
  static constexpr const char* kContentType = "text/plain; version=0.0.4";

  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // Events. Cheap and lock-free: call them on the hot paths.
  void FrameLeased();
  void FrameAccepted();
  void FrameRefused(Refusal reason);
  // One group commit of the store: how long its COMMIT took and how many
  // writes it carried.
  void StoreCommitted(double seconds, int writes);

  // Levels, set by scrape hooks. States missing from `levels` read 0.
  void SetGrid(const GridLevels& levels);
  // Bytes the coordinator sent for its published sequences (its BitTorrent
  // seed and its web seed, as persisted across restarts) and the bytes the
  // peers report uploading in their tracker announces.
  void SetDelivery(uint64_t seed_bittorrent_bytes, uint64_t seed_web_bytes,
                   uint64_t peer_reported_bytes);

  // Adds a hook run at the start of every Scrape, under the scrape lock; it
  // sets levels from the coordinator's state. What it captures must outlive
  // the last Scrape.
  void OnScrape(std::function<void(Metrics&)> hook);
  // Runs the hooks and returns every metric in the text exposition format.
  std::string Scrape();

  // Values, for tests.
  double FramesLeased() const;
  double FramesAccepted() const;
  double FramesRefused(Refusal reason) const;

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Counter* leased_ = nullptr;
  prometheus::Counter* accepted_ = nullptr;
  std::array<prometheus::Counter*, kRefusalCount> refused_{};
  prometheus::Histogram* commit_seconds_ = nullptr;
  prometheus::Histogram* commit_writes_ = nullptr;
  prometheus::Gauge* leases_outstanding_ = nullptr;
  prometheus::Gauge* workers_seen_ = nullptr;
  prometheus::Gauge* seed_bittorrent_bytes_ = nullptr;
  prometheus::Gauge* seed_web_bytes_ = nullptr;
  prometheus::Gauge* peer_uploaded_bytes_ = nullptr;

  prometheus::Family<prometheus::Gauge>* sequences_ = nullptr;

  std::mutex levels_mu_;  // guards sequence_states_ (SetGrid may run outside a scrape)
  std::map<std::string, prometheus::Gauge*> sequence_states_;
  std::mutex scrape_mu_;  // one scrape at a time; guards hooks_
  std::vector<std::function<void(Metrics&)>> hooks_;
};

}  // namespace flamegrid::coordinator
