// Playlist: what the viewer plays next, as pure logic over the cache's
// sequences (no decoding, no drawing, no clock).
//
// The flock is a graph: loops are nodes, edges are one-way transitions whose
// first frame is their `from` loop's first frame and whose last frame leads
// into their `to` loop's first frame. The playlist plays a loop `loop_plays`
// times, then an edge that starts at it, then the loop the edge leads to.
// Where no edge leaves the loop (or none reaches a loop in the cache), the
// next loop enters with a crossfade instead. Next loops are chosen so every
// loop gets shown: the least recently played candidate first, then the best
// rated, then a seeded coin. Left/right walk the history of loops played.
//
// Not thread-safe: the player's thread owns it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "worker/cache/sequence_cache.h"

namespace flamegrid::worker::view {

// How an item replaces the one before it.
enum class Transition {
  kCut,        // seamless: the previous item ends on this one's first frame
  kCrossfade,  // the previous item keeps playing while this one fades in over it
};

struct PlayItem {
  cache::SequenceInfo sequence;
  int plays = 1;  // times through the video before the item is finished
  Transition transition = Transition::kCut;
  std::string crossfade_from;  // kCrossfade: the sequence fading out ("" at start)

  bool operator==(const PlayItem&) const = default;
};

struct PlaylistOptions {
  int loop_plays = 3;
  uint64_t seed = 1;
  size_t history_limit = 200;  // loops remembered for left/right
};

class Playlist {
 public:
  explicit Playlist(PlaylistOptions options = {});

  // Replaces the known sequences (the cache was read again). The current item
  // carries on even if it left the cache; the upcoming choice is kept when all
  // of its sequences are still there.
  void SetSequences(const std::vector<cache::SequenceInfo>& sequences);

  bool HasLoops() const { return !loops_.empty(); }

  // What plays now; starts the playlist on the first call that finds a loop.
  // nullopt only while the cache holds no loop.
  std::optional<PlayItem> Current();

  // What Advance() will make current; stable until SetSequences or navigation.
  std::optional<PlayItem> PeekNext();

  // The current item finished playing: move on to PeekNext().
  void Advance();

  // Left: the loop played before the current one (crossfading). False at the
  // start of the history.
  bool Back();
  // Right: the loop played after this one in the history, or, at its end, a
  // newly chosen loop (crossfading, without waiting for the plays to finish).
  bool Forward();

 private:
  PlayItem LoopItem(const std::string& loop_id, Transition transition,
                    const std::string& crossfade_from) const;
  std::string ChooseLoop(const std::vector<std::string>& candidates);
  std::optional<PlayItem> ComputeNext();
  void EnterLoop(const PlayItem& item, bool append_to_history);
  bool StillPresent(const PlayItem& item) const;

  PlaylistOptions options_;
  std::mt19937_64 random_;
  std::map<std::string, cache::SequenceInfo> loops_;
  std::map<std::string, std::vector<cache::SequenceInfo>> edges_from_;  // by `from` loop
  std::optional<PlayItem> current_;
  std::optional<PlayItem> upcoming_;
  std::vector<std::string> history_;             // loops, oldest first
  size_t history_pos_ = 0;                       // index of the current (or last) loop in history_
  std::map<std::string, uint64_t> last_played_;  // loop id -> turn it last started
  uint64_t turn_ = 0;
};

}  // namespace flamegrid::worker::view
