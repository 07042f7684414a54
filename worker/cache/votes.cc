#include "worker/cache/votes.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <system_error>

#include "worker/cache/flat_json.h"
#include "worker/cache/sequence_cache.h"

namespace flamegrid::cache {

namespace fs = std::filesystem;

const char* VoteName(Vote vote) { return vote == Vote::kUp ? "up" : "down"; }

Result<Vote> ParseVote(std::string_view text) {
  if (text == "up") return Vote::kUp;
  if (text == "down") return Vote::kDown;
  return Status::InvalidArgument("a vote is \"up\" or \"down\", not \"" + std::string(text) + "\"");
}

fs::path VotesDir(const fs::path& data_dir) { return data_dir / "votes"; }

Result<fs::path> RecordVote(const fs::path& data_dir, std::string_view sequence_id, Vote vote,
                            int64_t time_ms) {
  FG_RETURN_IF_ERROR(ValidateSequenceId(sequence_id));
  if (time_ms < 0) {
    time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  }
  std::error_code error;
  fs::create_directories(VotesDir(data_dir), error);
  if (error) {
    return Status::IoError("cannot create " + VotesDir(data_dir).string() + ": " + error.message());
  }
  static std::atomic<unsigned> counter{0};
  const fs::path path =
      VotesDir(data_dir) / (std::to_string(time_ms) + "-" + std::string(sequence_id) + "-" +
                            std::to_string(getpid()) + "-" + std::to_string(counter++) + ".vote");
  std::string json = "{\"id\": " + JsonQuote(sequence_id) + ", \"vote\": \"" + VoteName(vote) +
                     "\", \"time_ms\": " + std::to_string(time_ms) + "}\n";
  FG_RETURN_IF_ERROR(WriteFileAtomically(path, json));
  return path;
}

Result<std::vector<VoteRecord>> ListPendingVotes(const fs::path& data_dir) {
  std::vector<VoteRecord> votes;
  const fs::path dir = VotesDir(data_dir);
  std::error_code error;
  if (!fs::exists(dir, error)) return votes;
  fs::directory_iterator it(dir, error);
  if (error) return Status::IoError("cannot list " + dir.string() + ": " + error.message());
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) return Status::IoError("cannot list " + dir.string() + ": " + error.message());
    const fs::path& path = it->path();
    if (path.extension() != ".vote" || path.filename().string().starts_with(".")) continue;
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    auto object = ParseFlatJson(text.str());
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

Status RemoveVote(const VoteRecord& record) {
  std::error_code error;
  fs::remove(record.file, error);
  if (error)
    return Status::IoError("cannot remove " + record.file.string() + ": " + error.message());
  return Status::Ok();
}

}  // namespace flamegrid::cache
