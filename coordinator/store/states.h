// States of the grid's records (sequences, frame jobs, results) as enums,
// each with the one table of the names the database, the status JSON, the
// wire and the /metrics labels use. Constant tables and pure functions;
// header-only, so the metrics module reads the table without linking the store.
#pragma once

#include <string>
#include <string_view>

#include "renderer/base/status.h"

namespace flamegrid::coordinator {

enum class SequenceState {
  kRendering,   // frames are being rendered
  kAssembling,  // every frame is in; the video is being made
  kDone,        // the video is made
  kFailed,      // a frame failed too often, or assembly failed
  kRetired,     // dropped from the flock (coordinator/flock)
};

// A frame job: free, leased, holding one unconfirmed result (free for a
// second worker), leased for that replica, done, failed for good.
enum class JobState { kPending, kLeased, kReplica, kReplicaLeased, kDone, kFailed };

// A result: awaiting a replica, valid, invalid.
enum class ResultState { kPending, kValid, kInvalid };

template <typename State>
struct StateName {
  State state;
  const char* name;
};

inline constexpr StateName<SequenceState> kSequenceStates[] = {
    {SequenceState::kRendering, "rendering"}, {SequenceState::kAssembling, "assembling"},
    {SequenceState::kDone, "done"},           {SequenceState::kFailed, "failed"},
    {SequenceState::kRetired, "retired"},
};
inline constexpr StateName<JobState> kJobStates[] = {
    {JobState::kPending, "pending"}, {JobState::kLeased, "leased"},
    {JobState::kReplica, "replica"}, {JobState::kReplicaLeased, "replica_leased"},
    {JobState::kDone, "done"},       {JobState::kFailed, "failed"},
};
inline constexpr StateName<ResultState> kResultStates[] = {
    {ResultState::kPending, "pending"},
    {ResultState::kValid, "valid"},
    {ResultState::kInvalid, "invalid"},
};

namespace state_names {

template <typename State, size_t N>
constexpr const char* Find(const StateName<State> (&table)[N], State state) {
  for (const StateName<State>& entry : table) {
    if (entry.state == state) return entry.name;
  }
  return "?";  // unreachable while every enumerator has its row
}

template <typename State, size_t N>
Result<State> Parse(const StateName<State> (&table)[N], std::string_view text, const char* what) {
  for (const StateName<State>& entry : table) {
    if (text == entry.name) return entry.state;
  }
  return Status::InvalidArgument("unknown " + std::string(what) + " state \"" + std::string(text) +
                                 "\"");
}

}  // namespace state_names

constexpr const char* ToString(SequenceState state) {
  return state_names::Find(kSequenceStates, state);
}
constexpr const char* ToString(JobState state) { return state_names::Find(kJobStates, state); }
constexpr const char* ToString(ResultState state) {
  return state_names::Find(kResultStates, state);
}

inline Result<SequenceState> ParseSequenceState(std::string_view text) {
  return state_names::Parse(kSequenceStates, text, "sequence");
}
inline Result<JobState> ParseJobState(std::string_view text) {
  return state_names::Parse(kJobStates, text, "job");
}
inline Result<ResultState> ParseResultState(std::string_view text) {
  return state_names::Parse(kResultStates, text, "result");
}

}  // namespace flamegrid::coordinator
