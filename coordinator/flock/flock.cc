#include "coordinator/flock/flock.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>

#include "proto/shared/log.h"
#include "renderer/animate/cross.h"
#include "renderer/animate/mutate.h"
#include "renderer/animate/random_genome.h"
#include "renderer/animate/sequence.h"
#include "renderer/genome/flam3_xml.h"
#include "renderer/render/renderer.h"

namespace flamegrid::coordinator::flock {

Result<double> PreviewCoverage(const Flame& flame, const PreviewOptions& options) {
  RenderOptions render;
  render.threads = 1;
  render.seed = 1;
  render.size_scale = static_cast<double>(options.width) / std::max(1, flame.width);
  render.quality_scale = options.quality / std::max(1e-6, flame.sample_density);
  render.max_memory_bytes = 256ull << 20;
  FG_ASSIGN_OR_RETURN(Image image, RenderFlame(flame, render));
  return Coverage(image, options.blank);
}

Status CheckGenomeXml(const std::string& genome_xml, const PreviewOptions& options) {
  Result<std::vector<Flame>> flames = ParseFlam3(genome_xml);
  if (!flames.ok()) return Status::InvalidArgument("genome rejected: " + flames.status().message());
  if (flames->empty()) return Status::InvalidArgument("genome rejected: no <flame> element");
  Result<double> coverage = PreviewCoverage(flames->front(), options);
  if (!coverage.ok()) {
    return Status::InvalidArgument("genome rejected: preview failed: " +
                                   coverage.status().message());
  }
  if (*coverage < options.blank.min_coverage) {
    return Status::InvalidArgument("genome rejected: its preview is blank or nearly so (" +
                                   std::to_string(*coverage * 100) + "% of pixels lit)");
  }
  return Status::Ok();
}

Flock::Flock(Store& store, Scheduler& scheduler, FlockOptions options)
    : store_(store), scheduler_(scheduler), options_(std::move(options)) {
  uint64_t seed = options_.seed;
  if (seed == 0)
    seed = (static_cast<uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  rng_.Seed(seed);
}

int64_t Flock::Now() const { return scheduler_.Now(); }

Status Flock::Open(const std::string& data_dir) {
  FG_ASSIGN_OR_RETURN(db_,
                      FlockStore::Open((std::filesystem::path(data_dir) / "flock.db").string()));
  last_breed_ms_ = Now();
  return Status::Ok();
}

Status Flock::Vote(int64_t participant, int64_t sequence_id, int value,
                   const std::string& address) {
  if (value != 1 && value != -1) return Status::InvalidArgument("a vote is +1 (up) or -1 (down)");
  Result<SequenceRecord> sequence = store_.GetSequence(sequence_id);
  if (!sequence.ok()) {
    if (sequence.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("no sequence " + std::to_string(sequence_id) + " to vote on");
    }
    return sequence.status();
  }
  Result<WorkerRecord> voter = store_.GetWorker(participant);
  if (!voter.ok()) {
    if (voter.status().code() == StatusCode::kNotFound) {
      return Status::PermissionDenied("unknown participant " + std::to_string(participant));
    }
    return voter.status();
  }
  if (voter->quarantined) {
    return Status::PermissionDenied("participant " + std::to_string(participant) +
                                    " is quarantined and may not vote");
  }
  const double weight = VoteWeight(voter->valid_results, options_.vote_full_weight_results);
  if (weight <= 0) {
    return Status::FailedPrecondition(
        "participant " + std::to_string(participant) +
        " has no validated frame yet: a vote counts once its worker has rendered one");
  }
  std::lock_guard lock(vote_mu_);
  FG_ASSIGN_OR_RETURN(const int64_t neighbours, db_->VotersFrom(sequence_id, address, participant));
  if (neighbours >= options_.votes_per_address) {
    return Status::ResourceExhausted(std::to_string(neighbours) + " participants from " + address +
                                     " voted on sequence " + std::to_string(sequence_id) +
                                     " already (at most " +
                                     std::to_string(options_.votes_per_address) + " per address)");
  }
  FG_RETURN_IF_ERROR(db_->PutVote(sequence_id, participant, value, weight, address, Now()));
  GridLog("vote %s on sequence %lld from participant %lld (weight %.2f)", value > 0 ? "up" : "down",
          static_cast<long long>(sequence_id), static_cast<long long>(participant), weight);
  return Status::Ok();
}

Result<std::vector<Member>> Flock::Members() {
  std::lock_guard lock(mu_);
  return MembersLocked(nullptr);
}

Result<std::vector<Member>> Flock::MembersLocked(std::vector<SequenceRecord>* records_out) {
  FG_ASSIGN_OR_RETURN(std::vector<SequenceRecord> records, store_.ListSequences());
  FG_ASSIGN_OR_RETURN(std::vector<VoteEntry> votes, db_->Votes());
  FG_ASSIGN_OR_RETURN(auto edges, db_->Edges());
  std::map<int64_t, double> ratings;
  for (const auto& [id, tally] : TallyVotes(votes)) ratings[id] = tally.rating();
  std::vector<Member> members;
  for (const SequenceRecord& r : records) {
    Member m;
    m.id = r.id;
    m.is_edge = r.kind == "edge";
    m.done = r.state == SequenceState::kDone;
    m.retired = r.state == SequenceState::kRetired || r.state == SequenceState::kFailed;
    m.rating = ratings.count(r.id) ? ratings[r.id] : 0.0;
    m.created_ms = r.created_ms;
    if (m.is_edge) {
      auto it = edges.find(r.id);
      if (it != edges.end()) {
        m.from = it->second.from;
        m.to = it->second.to;
      }
    }
    members.push_back(m);
  }
  if (records_out) *records_out = std::move(records);
  return members;
}

Result<Flame> Flock::GenomeOf(int64_t sequence_id) {
  FG_ASSIGN_OR_RETURN(SequenceRecord record, store_.GetSequence(sequence_id));
  // A loop's first control point is its genome at rest (size and quality as planned).
  FG_ASSIGN_OR_RETURN(std::vector<Flame> points, ParseFlam3(record.control_points_xml));
  if (points.empty()) {
    return Status::FailedPrecondition("sequence " + std::to_string(sequence_id) +
                                      " has no control points");
  }
  Flame flame = points.front();
  flame.time = 0;
  return flame;
}

Result<BreedReport> Flock::Breed(int count) {
  if (count < 1 || count > 1000) return Status::InvalidArgument("breed count must be 1..1000");
  std::lock_guard lock(mu_);
  std::vector<SequenceRecord> records;
  FG_ASSIGN_OR_RETURN(std::vector<Member> members, MembersLocked(&records));
  std::map<int64_t, const SequenceRecord*> by_id;
  for (const SequenceRecord& r : records) by_id[r.id] = &r;
  BreedReport report;
  // Blank children are discarded; a few more attempts make up for them.
  const int attempts = count * 4;
  std::vector<BreedPlan> plans = PlanBreeding(members, attempts, rng_, options_.pool_size);
  if (plans.empty()) {
    return Status::FailedPrecondition(
        "no parents: breeding needs a finished loop rated 0 or better");
  }
  for (const BreedPlan& plan : plans) {
    if (static_cast<int>(report.children.size()) >= count) break;
    Result<Flame> a = GenomeOf(plan.parent_a);
    if (!a.ok()) {
      report.notes.push_back(a.status().ToString());
      continue;
    }
    Random child_rng(plan.seed);
    std::string action;
    Result<Flame> child = Status::Internal("unset");
    std::vector<int64_t> parents = {plan.parent_a};
    if (plan.parent_b != 0) {
      Result<Flame> b = GenomeOf(plan.parent_b);
      if (!b.ok()) {
        report.notes.push_back(b.status().ToString());
        continue;
      }
      child = Cross(*a, *b, CrossMethod::kAny, child_rng, &action);
      parents.push_back(plan.parent_b);
    } else {
      child = Mutate(*a, MutateOptions{}, child_rng, &action);
    }
    if (!child.ok()) {
      report.notes.push_back("breeding failed: " + child.status().ToString());
      continue;
    }
    child->name = "child of " + std::to_string(plan.parent_a) +
                  (plan.parent_b ? " x " + std::to_string(plan.parent_b) : "");
    Result<double> coverage = PreviewCoverage(*child, options_.preview);
    if (!coverage.ok() || *coverage < options_.preview.blank.min_coverage) {
      ++report.discarded;
      report.notes.push_back("discarded a blank child of " + child->name.substr(9) + " (" + action +
                             ")");
      GridLog("flock: discarded a blank child (%s)", action.c_str());
      continue;
    }
    // Children are rendered with the flock's profile, whatever their parents were
    // submitted with; only the video's compression follows the first parent.
    const SequenceRecord& pa = *by_id.at(plan.parent_a);
    SubmitSpec spec;
    spec.genome_xml = WriteFlam3(std::vector<Flame>{*child});
    spec.frames = options_.profile.frames;
    spec.width = options_.profile.width;
    spec.height = options_.profile.height;
    spec.quality = options_.profile.quality;
    spec.crf = pa.crf;
    spec.fps = options_.profile.fps;
    spec.seed = plan.seed;
    Result<int64_t> id = scheduler_.Submit(spec);
    if (!id.ok()) {
      report.notes.push_back("child refused: " + id.status().ToString());
      continue;
    }
    FG_RETURN_IF_ERROR(db_->PutLineage(*id, Lineage{parents, action}));
    GridLog("flock: sequence %lld bred from %s (%s)", static_cast<long long>(*id),
            child->name.c_str(), action.c_str());
    report.children.push_back(*id);
  }
  return report;
}

Result<BootstrapReport> Flock::Bootstrap() {
  const FlockProfile& profile = options_.profile;
  BootstrapReport report;
  if (profile.bootstrap_loops <= 0) return report;
  std::lock_guard lock(mu_);
  FG_ASSIGN_OR_RETURN(std::vector<Member> members, MembersLocked(nullptr));
  for (const Member& m : members) {
    if (!m.is_edge && !m.retired) return report;  // the flock has a live loop
  }
  GridLog("flock: no live loops; bootstrapping %d random loops of %d frames at %dx%d",
          profile.bootstrap_loops, profile.frames, profile.width, profile.height);
  const int max_attempts = profile.bootstrap_loops * kBootstrapAttemptsPerLoop;
  while (static_cast<int>(report.loops.size()) < profile.bootstrap_loops &&
         report.attempts < max_attempts) {
    ++report.attempts;
    const uint64_t seed = rng_.NextU64();
    Random genome_rng(seed);
    Result<Flame> genome = RandomGenome(RandomGenomeOptions{}, genome_rng);
    if (!genome.ok()) {
      ++report.discarded;
      GridLog("flock: bootstrap genome failed: %s", genome.status().ToString().c_str());
      continue;
    }
    // Framed for the profile before the preview, so the preview sees what the
    // loop will show (the framing follows the width, as the loop planner's does).
    Flame& flame = *genome;
    flame.pixels_per_unit *= static_cast<double>(profile.width) / std::max(1, flame.width);
    flame.width = profile.width;
    flame.height = profile.height;
    flame.sample_density = profile.quality;
    flame.name = "random " + std::to_string(seed % 100000);
    Result<double> coverage = PreviewCoverage(flame, options_.preview);
    if (!coverage.ok() || *coverage < options_.preview.blank.min_coverage) {
      ++report.discarded;
      GridLog("flock: bootstrap discarded a blank random genome (attempt %d of %d)",
              report.attempts, max_attempts);
      continue;
    }
    SubmitSpec spec;
    spec.genome_xml = WriteFlam3(std::vector<Flame>{flame});
    spec.frames = profile.frames;
    spec.width = profile.width;
    spec.height = profile.height;
    spec.quality = profile.quality;
    spec.fps = profile.fps;
    spec.seed = seed;
    Result<int64_t> id = scheduler_.Submit(spec);
    if (!id.ok()) {
      ++report.discarded;
      GridLog("flock: bootstrap genome refused: %s", id.status().ToString().c_str());
      continue;
    }
    FG_RETURN_IF_ERROR(db_->PutLineage(*id, Lineage{{}, "bootstrap"}));
    GridLog("flock: sequence %lld bootstrapped from a random genome (%zu xforms)",
            static_cast<long long>(*id), flame.xforms.size());
    report.loops.push_back(*id);
  }
  GridLog("flock: bootstrap made %zu of %d loops in %d attempts%s", report.loops.size(),
          profile.bootstrap_loops, report.attempts,
          report.loops.empty() ? "; upkeep tries again in a minute" : "");
  last_failed_bootstrap_ms_ = report.loops.empty() ? Now() : 0;
  return report;
}

Result<int64_t> Flock::CreateEdge(const EdgeSpec& e, const SequenceRecord& a) {
  FG_ASSIGN_OR_RETURN(Flame from, GenomeOf(e.from));
  FG_ASSIGN_OR_RETURN(Flame to, GenomeOf(e.to));
  // The edge is framed like the loop it leaves.
  to.width = from.width;
  to.height = from.height;
  FG_ASSIGN_OR_RETURN(std::vector<Flame> points, MakeEdge(from, to, a.frames));
  PlannedSequence edge;
  edge.kind = "edge";
  edge.name = "edge " + std::to_string(e.from) + " -> " + std::to_string(e.to);
  edge.spec.frames = a.frames;
  edge.spec.width = a.width;
  edge.spec.height = a.height;
  edge.spec.quality = a.quality;
  edge.spec.crf = a.crf;
  edge.spec.fps = a.fps;
  edge.spec.seed = a.seed;
  edge.spec.genome_xml = WriteFlam3(std::vector<Flame>{from, to});
  edge.control_points_xml = WriteFlam3(points);
  return scheduler_.SubmitPlanned(edge);
}

Result<std::vector<int64_t>> Flock::ConnectEdges() {
  std::lock_guard lock(mu_);
  std::vector<SequenceRecord> records;
  FG_ASSIGN_OR_RETURN(std::vector<Member> members, MembersLocked(&records));
  std::map<int64_t, const SequenceRecord*> by_id;
  for (const SequenceRecord& r : records) by_id[r.id] = &r;
  std::vector<int64_t> created;
  for (const EdgeSpec& e : PlanEdges(members)) {
    if (unmade_edges_.count({e.from, e.to}) > 0) continue;
    Result<int64_t> id = CreateEdge(e, *by_id.at(e.from));
    if (!id.ok() && id.status().code() == StatusCode::kInvalidArgument) {
      unmade_edges_.insert({e.from, e.to});
      GridLog("flock: no edge %lld -> %lld: %s", static_cast<long long>(e.from),
              static_cast<long long>(e.to), id.status().ToString().c_str());
      continue;
    }
    FG_RETURN_IF_ERROR(id.status());
    FG_RETURN_IF_ERROR(db_->PutEdge(*id, e.from, e.to));
    GridLog("flock: sequence %lld is the edge %lld -> %lld", static_cast<long long>(*id),
            static_cast<long long>(e.from), static_cast<long long>(e.to));
    created.push_back(*id);
  }
  return created;
}

Result<std::vector<int64_t>> Flock::Retire() {
  std::lock_guard lock(mu_);
  std::vector<SequenceRecord> records;
  FG_ASSIGN_OR_RETURN(std::vector<Member> members, MembersLocked(&records));
  std::map<int64_t, const SequenceRecord*> by_id;
  for (const SequenceRecord& r : records) by_id[r.id] = &r;
  std::vector<int64_t> retired = RetirementOrder(members, options_.quota);
  for (Member& m : members) {
    if (std::find(retired.begin(), retired.end(), m.id) != retired.end()) m.retired = true;
  }
  for (int64_t edge : OrphanedEdges(members)) retired.push_back(edge);
  for (int64_t id : retired) {
    const SequenceRecord& r = *by_id.at(id);
    FG_RETURN_IF_ERROR(
        store_.SetSequenceState(id, SequenceState::kRetired, r.video_path, r.failure));
    GridLog("flock: retired sequence %lld (%s)", static_cast<long long>(id), r.kind.c_str());
  }
  return retired;
}

Status Flock::Maintain() {
  const int64_t now = Now();
  if (options_.breed_interval_ms > 0 && now - last_breed_ms_ >= options_.breed_interval_ms) {
    last_breed_ms_ = now;
    Result<BreedReport> report = Breed(options_.breed_count);
    if (!report.ok() && report.status().code() != StatusCode::kFailedPrecondition) {
      return report.status();
    }
  }
  if (now - last_upkeep_ms_ < 2000) return Status::Ok();
  last_upkeep_ms_ = now;
  bool bootstrap_due = false;
  {
    std::lock_guard lock(mu_);
    bootstrap_due =
        last_failed_bootstrap_ms_ == 0 || now - last_failed_bootstrap_ms_ >= kBootstrapRetryMs;
  }
  if (bootstrap_due) FG_RETURN_IF_ERROR(Bootstrap().status());
  FG_RETURN_IF_ERROR(Retire().status());
  return ConnectEdges().status();
}

void Flock::Annotate(GridSnapshot& snapshot) {
  Result<std::vector<VoteEntry>> votes = db_->Votes();
  Result<std::map<int64_t, Lineage>> lineage = db_->AllLineage();
  Result<std::map<int64_t, EdgeSpec>> edges = db_->Edges();
  std::map<int64_t, Tally> tallies;
  if (votes.ok()) {
    for (const auto& [id, tally] : TallyVotes(*votes)) tallies[id] = tally;
  }
  for (SequenceRecord& s : snapshot.sequences) {
    auto t = tallies.find(s.id);
    if (t != tallies.end()) {
      s.rating = t->second.rating();
      s.votes = t->second.up + t->second.down;
    }
    if (lineage.ok()) {
      auto l = lineage->find(s.id);
      if (l != lineage->end()) s.parents = l->second.parents;
    }
    if (edges.ok()) {
      auto e = edges->find(s.id);
      if (e != edges->end()) {
        s.edge_from = e->second.from;
        s.edge_to = e->second.to;
      }
    }
  }
}

}  // namespace flamegrid::coordinator::flock
