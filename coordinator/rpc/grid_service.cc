#include "coordinator/rpc/grid_service.h"

#include "proto/shared/job_wire.h"
#include "proto/shared/log.h"

namespace flamegrid::coordinator {
namespace {

Credentials FromProto(const v1::WorkerCredentials& c) {
  return Credentials{c.worker_id(), c.token()};
}

// Fills a LeaseResponse from the scheduler's answer (LeaseJob and the lease
// piggybacked on an upload answer alike).
void FillLease(const LeaseOffer& offer, v1::LeaseResponse* response) {
  if (!offer.job) {
    response->set_job_available(false);
    response->set_retry_after_ms(offer.retry_after_ms);
    return;
  }
  response->set_job_available(true);
  JobToWire(*offer.job, response->mutable_job());
}

}  // namespace

void ToProto(const SequenceRecord& r, v1::SequenceInfo* info) {
  info->set_id(r.id);
  info->set_kind(r.kind);
  info->set_state(ToString(r.state));
  info->set_frames_total(r.frames);
  info->set_frames_done(r.frames_done);
  info->set_video_path(r.video_path);
  info->set_name(r.name);
  info->set_width(r.width);
  info->set_height(r.height);
  info->set_failure(r.failure);
  info->set_created_unix_ms(r.created_ms);
  info->set_rating(r.rating);
  info->set_votes(r.votes);
  for (int64_t p : r.parents) info->add_parents(p);
  info->set_edge_from(r.edge_from);
  info->set_edge_to(r.edge_to);
  info->set_sha256(r.video_sha256);
  info->set_size(r.video_size);
  info->set_seed_bytes_uploaded(r.seed_bytes_uploaded);
  info->set_peer_bytes_uploaded(r.peer_bytes_uploaded);
}

void ToProto(const WorkerRecord& r, v1::WorkerInfo* info) {
  info->set_id(r.id);
  info->set_name(r.name);
  info->set_valid_results(r.valid_results);
  info->set_invalid_results(r.invalid_results);
  info->set_quarantined(r.quarantined);
  info->set_last_seen_unix_ms(r.last_seen_ms);
  info->set_threads(r.threads);
}

Result<GridSnapshot> FromProto(const v1::StatusResponse& response) {
  GridSnapshot s;
  for (const v1::SequenceInfo& i : response.sequences()) {
    SequenceRecord r;
    r.id = i.id();
    r.kind = i.kind();
    FG_ASSIGN_OR_RETURN(r.state, ParseSequenceState(i.state()));
    r.frames = i.frames_total();
    r.frames_done = i.frames_done();
    r.video_path = i.video_path();
    r.name = i.name();
    r.width = i.width();
    r.height = i.height();
    r.failure = i.failure();
    r.created_ms = i.created_unix_ms();
    r.rating = i.rating();
    r.votes = i.votes();
    r.parents.assign(i.parents().begin(), i.parents().end());
    r.edge_from = i.edge_from();
    r.edge_to = i.edge_to();
    r.video_sha256 = i.sha256();
    r.video_size = i.size();
    r.seed_bytes_uploaded = i.seed_bytes_uploaded();
    r.peer_bytes_uploaded = i.peer_bytes_uploaded();
    s.sequences.push_back(std::move(r));
  }
  for (const v1::WorkerInfo& i : response.workers()) {
    WorkerRecord r;
    r.id = i.id();
    r.name = i.name();
    r.valid_results = i.valid_results();
    r.invalid_results = i.invalid_results();
    r.quarantined = i.quarantined();
    r.last_seen_ms = i.last_seen_unix_ms();
    r.threads = i.threads();
    s.workers.push_back(std::move(r));
  }
  s.workers_offset = response.workers_offset();
  if (response.has_workers_summary()) {
    const v1::WorkersSummary& summary = response.workers_summary();
    s.worker_counts = WorkerCounts{summary.registered(), summary.seen_recently(),
                                   summary.quarantined(), summary.trusted()};
  }
  return s;
}

grpc::Status GridService::Register(grpc::ServerContext* context, const v1::RegisterRequest* request,
                                   v1::RegisterResponse* response) {
  if (admission_ != nullptr) {
    flamegrid::Status admitted =
        admission_->Admit(context->peer(), request->pow_challenge(), request->pow_nonce());
    if (!admitted.ok()) return ToGrpc(admitted);
  }
  Result<Registration> r =
      scheduler_.Register(request->name(), request->threads(), ParsePeer(context->peer()).address);
  if (!r.ok()) return ToGrpc(r.status());
  response->set_worker_id(r->worker_id);
  response->set_token(r->token);
  response->set_public_http(public_http_);
  return grpc::Status::OK;
}

grpc::Status GridService::RegisterChallenge(grpc::ServerContext* context,
                                            const v1::RegisterChallengeRequest*,
                                            v1::RegisterChallengeResponse* response) {
  if (admission_ == nullptr) return grpc::Status::OK;  // no proof asked
  Result<coordinator::RegisterChallenge> issued = admission_->Challenge(context->peer());
  if (!issued.ok()) return ToGrpc(issued.status());
  response->set_challenge(issued->challenge);
  response->set_difficulty_bits(issued->bits);
  response->set_expires_unix_ms(issued->expires_ms);
  return grpc::Status::OK;
}

grpc::Status GridService::LeaseJob(grpc::ServerContext*, const v1::LeaseRequest* request,
                                   v1::LeaseResponse* response) {
  Result<LeaseOffer> leased = scheduler_.Lease(FromProto(request->credentials()));
  if (!leased.ok()) return ToGrpc(leased.status());
  FillLease(*leased, response);
  return grpc::Status::OK;
}

grpc::Status GridService::Heartbeat(grpc::ServerContext*, const v1::HeartbeatRequest* request,
                                    v1::HeartbeatResponse* response) {
  Result<int64_t> deadline =
      scheduler_.Heartbeat(FromProto(request->credentials()), request->lease_id());
  if (!deadline.ok()) return ToGrpc(deadline.status());
  response->set_deadline_unix_ms(*deadline);
  return grpc::Status::OK;
}

grpc::Status GridService::UploadFrame(grpc::ServerContext* context,
                                      grpc::ServerReader<v1::UploadChunk>* reader,
                                      v1::UploadResponse* response) {
  // The stream is watched from before its first Read: one that stalls, even
  // before its header, is cancelled and gives its thread back.
  Result<UploadStreams::Stream> stream =
      uploads_.Open([context] { context->TryCancel(); }, ParsePeer(context->peer()).group);
  if (!stream.ok()) return ToGrpc(stream.status());
  auto read = [&](v1::UploadChunk* chunk) {
    stream->Reading();
    const bool more = reader->Read(chunk);
    stream->Working();
    return more;
  };
  auto cut = [&] {
    return grpc::Status(grpc::StatusCode::CANCELLED,
                        "upload stream cancelled: " + stream->cancelled());
  };
  v1::UploadChunk chunk;
  if (!read(&chunk) || !chunk.has_header()) {
    if (!stream->cancelled().empty()) return cut();
    scheduler_.CountRefusedUpload(Refusal::kBadHeader);
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "an upload starts with its header");
  }
  const v1::UploadHeader& h = chunk.header();
  UploadMeta meta;
  meta.credentials = FromProto(h.credentials());
  meta.lease_id = h.lease_id();
  meta.job_id = h.job_id();
  meta.size_bytes = h.size_bytes();
  meta.sha256_hex = h.sha256_hex();
  const bool lease_next = h.lease_next();  // `h` dies when `chunk` is read into again
  // Who, which lease and how big are settled before a byte of image is read.
  int64_t lease_deadline_ms = 0;
  Status begin = scheduler_.BeginUpload(meta, &lease_deadline_ms);
  if (!begin.ok()) return ToGrpc(begin);
  if (Status claimed = stream->Claim(meta.lease_id, lease_deadline_ms); !claimed.ok()) {
    scheduler_.CountRefusedUpload(Refusal::kBadLease);
    return ToGrpc(claimed);
  }
  std::string bytes;
  bytes.reserve(meta.size_bytes);
  while (read(&chunk)) {
    if (chunk.has_header()) {
      scheduler_.CountRefusedUpload(Refusal::kBadHeader);
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "an upload has one header");
    }
    if (bytes.size() + chunk.data().size() > meta.size_bytes) {
      scheduler_.CountRefusedUpload(Refusal::kBadSize);
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "upload sent more than the " + std::to_string(meta.size_bytes) +
                              " bytes its header declared");
    }
    bytes += chunk.data();
  }
  if (!stream->cancelled().empty()) return cut();
  Result<std::string> accepted = scheduler_.FinishUpload(meta, bytes);
  if (!accepted.ok()) return ToGrpc(accepted.status());
  response->set_accepted(true);
  response->set_message(*accepted);
  if (lease_next) {
    // The frame is committed whatever happens here; a failed lease only
    // leaves `next` unset and the worker asks with LeaseJob.
    Result<LeaseOffer> next = scheduler_.Lease(meta.credentials);
    if (next.ok()) {
      FillLease(*next, response->mutable_next());
    } else {
      GridLog("no lease piggybacked for worker %lld: %s",
              static_cast<long long>(meta.credentials.worker_id),
              Printable(next.status().ToString()).c_str());
    }
  }
  return grpc::Status::OK;
}

grpc::Status GridService::GiveBack(grpc::ServerContext*, const v1::GiveBackRequest* request,
                                   v1::GiveBackResponse*) {
  return ToGrpc(scheduler_.GiveBack(FromProto(request->credentials()), request->lease_id(),
                                    request->reason(), request->render_failed()));
}

grpc::Status GridService::ListFlock(grpc::ServerContext*, const v1::ListFlockRequest*,
                                    v1::ListFlockResponse* response) {
  // The flock is public: participants list it to fetch and watch sequences.
  Result<GridSnapshot> snapshot = scheduler_.Snapshot();
  if (!snapshot.ok()) return ToGrpc(snapshot.status());
  response->set_public_http(public_http_);
  for (auto it = snapshot->sequences.rbegin(); it != snapshot->sequences.rend(); ++it) {
    if (it->state != SequenceState::kDone) continue;
    v1::SequenceInfo* info = response->add_sequences();
    ToProto(*it, info);
    // Published (digest known) sequences have a torrent on the HTTP side.
    if (!public_http_.empty() && !it->video_sha256.empty()) {
      info->set_torrent_url(public_http_ + "/sequences/" + std::to_string(it->id) + ".torrent");
    }
  }
  return grpc::Status::OK;
}

grpc::Status GridService::Vote(grpc::ServerContext* context, const v1::VoteRequest* request,
                               v1::VoteResponse*) {
  const Credentials credentials = FromProto(request->credentials());
  if (auto s = scheduler_.CheckWorker(credentials); !s.ok()) return ToGrpc(s);
  if (!flock_)
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "this coordinator has no flock");
  return ToGrpc(flock_->Vote(credentials.worker_id, request->sequence_id(), request->up() ? 1 : -1,
                             ParsePeer(context->peer()).group));
}

grpc::Status AdminService::Submit(grpc::ServerContext*, const v1::SubmitRequest* request,
                                  v1::SubmitResponse* response) {
  flamegrid::Status admin = scheduler_.CheckAdmin(request->admin_token());
  if (!admin.ok()) return ToGrpc(admin);
  SubmitSpec spec;
  spec.genome_xml = request->genome_xml();
  spec.frames = request->frames();
  spec.width = request->width();
  spec.height = request->height();
  spec.quality = request->quality();
  spec.crf = request->crf();
  spec.fps = request->fps();
  spec.seed = request->seed();
  // Fields the client left unset (0) take the coordinator's flock profile.
  const FlockProfile profile = flock_ ? flock_->profile() : FlockProfile{};
  if (flamegrid::Status filled = FillFromProfile(profile, spec); !filled.ok()) {
    return ToGrpc(filled);
  }
  Result<int64_t> id = scheduler_.Submit(spec);
  if (!id.ok()) return ToGrpc(id.status());
  response->set_sequence_id(*id);
  return grpc::Status::OK;
}

grpc::Status AdminService::Status(grpc::ServerContext*, const v1::StatusRequest* request,
                                  v1::StatusResponse* response) {
  flamegrid::Status admin = scheduler_.CheckAdmin(request->admin_token());
  if (!admin.ok()) return ToGrpc(admin);
  WorkerView view;
  view.summary = true;
  view.offset = request->workers_offset();
  view.limit = request->workers_limit() > 0 ? request->workers_limit() : kDefaultWorkerPage;
  Result<GridSnapshot> snapshot = scheduler_.Snapshot(view);
  if (!snapshot.ok()) return ToGrpc(snapshot.status());
  for (const SequenceRecord& s : snapshot->sequences) ToProto(s, response->add_sequences());
  for (const WorkerRecord& w : snapshot->workers) ToProto(w, response->add_workers());
  response->set_workers_offset(snapshot->workers_offset);
  if (snapshot->worker_counts) {
    v1::WorkersSummary* summary = response->mutable_workers_summary();
    summary->set_registered(snapshot->worker_counts->registered);
    summary->set_seen_recently(snapshot->worker_counts->seen);
    summary->set_quarantined(snapshot->worker_counts->quarantined);
    summary->set_trusted(snapshot->worker_counts->trusted);
  }
  return grpc::Status::OK;
}

grpc::Status AdminService::Breed(grpc::ServerContext*, const v1::BreedRequest* request,
                                 v1::BreedResponse* response) {
  flamegrid::Status admin = scheduler_.CheckAdmin(request->admin_token());
  if (!admin.ok()) return ToGrpc(admin);
  if (!flock_)
    return grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "this coordinator has no flock");
  Result<flock::BreedReport> report = flock_->Breed(request->count());
  if (!report.ok()) return ToGrpc(report.status());
  for (int64_t id : report->children) response->add_children(id);
  response->set_discarded(report->discarded);
  for (const std::string& note : report->notes) response->add_notes(note);
  return grpc::Status::OK;
}

}  // namespace flamegrid::coordinator
