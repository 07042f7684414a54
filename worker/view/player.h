// Player: the playback engine between the playlist and the screen. It runs
// a decoder for the item on screen, one for the item that will follow (started
// early, so transitions never wait for a file to open), and one for an item
// fading out; it advances them by the display's clock and says which frames
// to draw, with what opacity.
//
// No SDL here: the presentation draws Layers(). A decoder that fails marks its
// sequence unplayable (logged) and the playlist moves on, so one bad file
// never stops the show. Not thread-safe: the viewer's main thread owns it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "worker/cache/sequence_cache.h"
#include "worker/view/decoder.h"
#include "worker/view/playlist.h"

namespace flamegrid::worker::view {

struct PlayerOptions {
  int loop_plays = 3;
  double crossfade_seconds = 2.0;
  uint64_t seed = 1;
};

// One picture to draw, bottom layer first. `serial` changes whenever the
// picture in `slot` changes, so the screen uploads a texture only then.
struct Layer {
  int slot = 0;
  uint64_t serial = 0;
  const DecodedFrame* frame = nullptr;
  float alpha = 1;
};

class Player {
 public:
  Player(std::filesystem::path data_dir, PlayerOptions options);
  ~Player();

  void SetSequences(const std::vector<cache::SequenceInfo>& sequences);
  bool HasLoops() const { return playlist_.HasLoops(); }

  // Moves playback on by `seconds` of wall-clock time.
  void Tick(double seconds);
  std::vector<Layer> Layers() const;

  // What is on screen now (nullopt before the first frame arrives).
  std::optional<cache::SequenceInfo> Showing() const;

  void Back();
  void Forward();

  // Messages worth a log line (decoder failures), oldest first; clears them.
  std::vector<std::string> TakeMessages();

 private:
  struct Stream;
  std::unique_ptr<Stream> StartStream(const PlayItem& item);
  void AdvanceStream(Stream& stream, double seconds, bool stop_at_item_end);
  bool StreamFinished(const Stream& stream) const;
  void EnterCurrent(bool navigation);
  void DropSequence(const std::string& id, const Status& why);

  const std::filesystem::path data_dir_;
  const PlayerOptions options_;
  Playlist playlist_;
  std::vector<cache::SequenceInfo> sequences_;
  std::set<std::string> unplayable_;
  std::unique_ptr<Stream> current_;
  std::unique_ptr<Stream> outgoing_;
  std::unique_ptr<Stream> prepared_;
  int next_slot_ = 0;
  uint64_t next_serial_ = 1;
  std::vector<std::string> messages_;
};

}  // namespace flamegrid::worker::view
