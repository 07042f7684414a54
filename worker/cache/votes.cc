#include "worker/cache/votes.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>

#include "worker/cache/flat_json.h"
#include "worker/cache/sequence_cache.h"

namespace flamegrid::worker::cache {

namespace fs = std::filesystem;

const char* VoteName(Vote vote) { return vote == Vote::kUp ? "up" : "down"; }

Result<Vote> ParseVote(std::string_view text) {
  if (text == "up") return Vote::kUp;
  if (text == "down") return Vote::kDown;
  return Status::InvalidArgument("a vote is \"up\" or \"down\", not \"" + std::string(text) + "\"");
}

fs::path VotesDir(const fs::path& data_dir) { return data_dir / "votes"; }

Result<fs::path> RecordVote(const fs::path& data_dir, std::string_view sequence_id, Vote vote,
                            Env* env) {
  FG_RETURN_IF_ERROR(ValidateSequenceId(sequence_id));
  const int64_t time_ms = env->NowMs();
  FG_RETURN_IF_ERROR(env->CreateDirectories(VotesDir(data_dir).string()));
  static std::atomic<unsigned> counter{0};
  const fs::path path =
      VotesDir(data_dir) / (std::to_string(time_ms) + "-" + std::string(sequence_id) + "-" +
                            std::to_string(getpid()) + "-" + std::to_string(counter++) + ".vote");
  std::string json = "{\"id\": " + JsonQuote(sequence_id) + ", \"vote\": \"" + VoteName(vote) +
                     "\", \"time_ms\": " + std::to_string(time_ms) + "}\n";
  FG_RETURN_IF_ERROR(env->WriteFileAtomic(path.string(), json, SyncPolicy::kSync, 0644));
  return path;
}

Result<std::vector<VoteRecord>> ListPendingVotes(const fs::path& data_dir, Env* env) {
  std::vector<VoteRecord> votes;
  const fs::path dir = VotesDir(data_dir);
  Result<std::vector<std::string>> files = env->ListDirectory(dir.string());
  if (!files.ok() && files.status().code() == StatusCode::kNotFound) return votes;
  FG_RETURN_IF_ERROR(files.status());
  for (const std::string& file : *files) {
    const fs::path path = dir / file;
    if (path.extension() != ".vote" || file.starts_with(".")) continue;
    Result<std::string> text = env->ReadFile(path.string(), kMaxVoteBytes);
    if (!text.ok()) continue;
    auto object = ParseFlatJson(*text);
    if (!object.ok()) continue;
    auto id = object->find("id");
    auto vote = object->find("vote");
    auto time = object->find("time_ms");
    if (id == object->end() || vote == object->end() || time == object->end()) continue;
    const auto* id_text = std::get_if<std::string>(&id->second);
    const auto* vote_text = std::get_if<std::string>(&vote->second);
    const auto* time_value = std::get_if<double>(&time->second);
    if (!id_text || !vote_text || !time_value) continue;
    auto parsed = ParseVote(*vote_text);
    if (!parsed.ok() || !ValidateSequenceId(*id_text).ok()) continue;
    votes.push_back({*id_text, *parsed, static_cast<int64_t>(*time_value), path});
  }
  std::sort(votes.begin(), votes.end(), [](const VoteRecord& a, const VoteRecord& b) {
    return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.file < b.file;
  });
  return votes;
}

Status RemoveVote(const VoteRecord& record, Env* env) {
  Status removed = env->RemoveFile(record.file.string());
  if (removed.code() == StatusCode::kNotFound) return Status::Ok();
  return removed;
}

}  // namespace flamegrid::worker::cache
