#include "coordinator/web/metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>

#include "coordinator/store/states.h"

namespace flamegrid::coordinator {

const char* RefusalName(Refusal reason) {
  switch (reason) {
    case Refusal::kUnauthorized:
      return "unauthorized";
    case Refusal::kBadLease:
      return "bad_lease";
    case Refusal::kBadHeader:
      return "bad_header";
    case Refusal::kTooLarge:
      return "too_large";
    case Refusal::kBadSize:
      return "bad_size";
    case Refusal::kBadHash:
      return "bad_hash";
    case Refusal::kDecodeFailure:
      return "decode_failure";
    case Refusal::kWrongDimensions:
      return "wrong_dimensions";
    case Refusal::kBlankFrame:
      return "blank_frame";
    case Refusal::kValidationMismatch:
      return "validation_mismatch";
    case Refusal::kInternal:
      return "internal";
  }
  return "internal";
}

Metrics::Metrics() : registry_(std::make_shared<prometheus::Registry>()) {
  prometheus::Registry& r = *registry_;
  leased_ = &prometheus::BuildCounter()
                 .Name("flamegrid_frames_leased_total")
                 .Help("Frame jobs leased to workers (a reissued job counts again).")
                 .Register(r)
                 .Add({});
  accepted_ = &prometheus::BuildCounter()
                   .Name("flamegrid_frames_accepted_total")
                   .Help(
                       "Uploaded frames validated and committed (including those waiting for "
                       "a replica).")
                   .Register(r)
                   .Add({});
  auto& refused = prometheus::BuildCounter()
                      .Name("flamegrid_frames_refused_total")
                      .Help("Uploads refused, by reason.")
                      .Register(r);
  for (int i = 0; i < kRefusalCount; ++i) {
    refused_[static_cast<size_t>(i)] =
        &refused.Add({{"reason", RefusalName(static_cast<Refusal>(i))}});
  }
  commit_seconds_ =
      &prometheus::BuildHistogram()
           .Name("flamegrid_store_commit_seconds")
           .Help("Time one group commit of the store took (the COMMIT statement).")
           .Register(r)
           .Add({}, prometheus::Histogram::BucketBoundaries{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                            0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5});
  commit_writes_ = &prometheus::BuildHistogram()
                        .Name("flamegrid_store_commit_writes")
                        .Help("Write transactions one group commit of the store carried.")
                        .Register(r)
                        .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64});
  leases_outstanding_ = &prometheus::BuildGauge()
                             .Name("flamegrid_leases_outstanding")
                             .Help("Frame jobs leased to a worker and not yet returned.")
                             .Register(r)
                             .Add({});
  workers_seen_ = &prometheus::BuildGauge()
                       .Name("flamegrid_workers_seen_last_hour")
                       .Help("Workers that registered, leased or uploaded in the last hour.")
                       .Register(r)
                       .Add({});
  sequences_ =
      &prometheus::BuildGauge().Name("flamegrid_sequences").Help("Sequences by state.").Register(r);
  // Every sequence state is exported, 0 when no sequence is in it.
  for (const auto& [state, name] : kSequenceStates) {
    sequence_states_[name] = &sequences_->Add({{"state", name}});
  }
  auto& seed = prometheus::BuildGauge()
                   .Name("flamegrid_seed_uploaded_bytes")
                   .Help(
                       "Bytes the coordinator sent for its published sequences, by way "
                       "(BitTorrent seed or web seed); kept across restarts.")
                   .Register(r);
  seed_bittorrent_bytes_ = &seed.Add({{"via", "bittorrent"}});
  seed_web_bytes_ = &seed.Add({{"via", "webseed"}});
  peer_uploaded_bytes_ = &prometheus::BuildGauge()
                              .Name("flamegrid_peer_reported_uploaded_bytes")
                              .Help(
                                  "Bytes the peers report uploading in their tracker announces, "
                                  "summed over peers since the coordinator started.")
                              .Register(r)
                              .Add({});
  const double start_seconds =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  prometheus::BuildGauge()
      .Name("flamegrid_process_start_time_seconds")
      .Help("When the coordinator started, in seconds since the Unix epoch.")
      .Register(r)
      .Add({})
      .Set(start_seconds);
}

Metrics::~Metrics() = default;

void Metrics::FrameLeased() { leased_->Increment(); }
void Metrics::FrameAccepted() { accepted_->Increment(); }
void Metrics::FrameRefused(Refusal reason) { refused_[static_cast<size_t>(reason)]->Increment(); }

void Metrics::StoreCommitted(double seconds, int writes) {
  commit_seconds_->Observe(seconds);
  commit_writes_->Observe(writes);
}

void Metrics::SetGrid(const GridLevels& levels) {
  {
    std::lock_guard lock(levels_mu_);
    for (auto& [state, gauge] : sequence_states_) gauge->Set(0);
    for (const auto& [state, count] : levels.sequences_by_state) {
      prometheus::Gauge*& gauge = sequence_states_[state];
      if (gauge == nullptr) gauge = &sequences_->Add({{"state", state}});
      gauge->Set(static_cast<double>(count));
    }
  }
  leases_outstanding_->Set(static_cast<double>(levels.leases_outstanding));
  workers_seen_->Set(static_cast<double>(levels.workers_seen_last_hour));
}

void Metrics::SetDelivery(uint64_t seed_bittorrent_bytes, uint64_t seed_web_bytes,
                          uint64_t peer_reported_bytes) {
  seed_bittorrent_bytes_->Set(static_cast<double>(seed_bittorrent_bytes));
  seed_web_bytes_->Set(static_cast<double>(seed_web_bytes));
  peer_uploaded_bytes_->Set(static_cast<double>(peer_reported_bytes));
}

void Metrics::OnScrape(std::function<void(Metrics&)> hook) {
  std::lock_guard lock(scrape_mu_);
  hooks_.push_back(std::move(hook));
}

std::string Metrics::Scrape() {
  std::lock_guard lock(scrape_mu_);
  for (const auto& hook : hooks_) hook(*this);
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

double Metrics::FramesLeased() const { return leased_->Value(); }
double Metrics::FramesAccepted() const { return accepted_->Value(); }
double Metrics::FramesRefused(Refusal reason) const {
  return refused_[static_cast<size_t>(reason)]->Value();
}

}  // namespace flamegrid::coordinator
