// Votes the participant cast from the viewer, kept locally until the worker
// sends them to the coordinator (`flamegrid-worker vote --data DIR ID up|down`
// records one the same way).
//
// Layout: DIR/votes/<unix-ms>-<sequence id>-<pid>-<n>.vote, one vote per file,
// each a flat JSON object {"id": "...", "vote": "up" | "down", "time_ms": N},
// written atomically (temp + rename). A sender lists pending votes, sends
// them oldest first, and removes each file once the coordinator has it.
// Plain functions over the file system, through an Env (proto/shared/env.h;
// Env::Default() unless a test passes a faulty one); safe from any thread
// and process.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace flamegrid::worker::cache {

enum class Vote { kUp, kDown };

const char* VoteName(Vote vote);  // "up" or "down"
// "up" or "down"; kInvalidArgument otherwise.
Result<Vote> ParseVote(std::string_view text);

struct VoteRecord {
  std::string sequence_id;
  Vote vote = Vote::kUp;
  int64_t time_ms = 0;  // Unix time the vote was cast, milliseconds
  std::filesystem::path file;
};

std::filesystem::path VotesDir(const std::filesystem::path& data_dir);

// The largest vote file a reader accepts; a bigger one is left out.
inline constexpr uint64_t kMaxVoteBytes = 4 << 10;

// Records one vote now (by the Env's clock); returns its file. A failed
// write leaves no vote file behind.
Result<std::filesystem::path> RecordVote(const std::filesystem::path& data_dir,
                                         std::string_view sequence_id, Vote vote,
                                         Env* env = Env::Default());

// Every well-formed pending vote, oldest first; malformed files are left out.
Result<std::vector<VoteRecord>> ListPendingVotes(const std::filesystem::path& data_dir,
                                                 Env* env = Env::Default());

// Forgets a vote once it has been delivered; a vote already gone is forgotten.
Status RemoveVote(const VoteRecord& record, Env* env = Env::Default());

}  // namespace flamegrid::worker::cache
