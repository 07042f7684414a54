#include "worker/view/player.h"

#include <algorithm>

namespace flamegrid::worker::view {

struct Player::Stream {
  PlayItem item;
  std::unique_ptr<SequenceDecoder> decoder;
  int slot = 0;
  std::optional<DecodedFrame> shown;
  uint64_t serial = 0;
  double fps = 30;
  double position = 0;  // frames of this video elapsed since its first frame went on screen
  double fade = 1;      // opacity; below 1 while fading in
  bool failed = false;
};

Player::Player(std::filesystem::path data_dir, PlayerOptions options)
    : data_dir_(std::move(data_dir)),
      options_(options),
      playlist_(PlaylistOptions{.loop_plays = options.loop_plays, .seed = options.seed}) {}

Player::~Player() = default;

void Player::SetSequences(const std::vector<cache::SequenceInfo>& sequences) {
  sequences_ = sequences;
  std::vector<cache::SequenceInfo> playable;
  for (const auto& info : sequences) {
    if (!unplayable_.count(info.id)) playable.push_back(info);
  }
  playlist_.SetSequences(playable);
}

std::vector<std::string> Player::TakeMessages() { return std::exchange(messages_, {}); }

void Player::DropSequence(const std::string& id, const Status& why) {
  messages_.push_back("cannot play " + id + ", skipping it: " + why.ToString());
  unplayable_.insert(id);
  SetSequences(sequences_);
}

std::unique_ptr<Player::Stream> Player::StartStream(const PlayItem& item) {
  auto stream = std::make_unique<Stream>();
  stream->item = item;
  stream->slot = next_slot_++;
  stream->fps = item.sequence.fps > 0 ? item.sequence.fps : 30;
  // Loops decode round and round; the player counts the passes.
  DecoderOptions decoder_options;
  decoder_options.loop = item.sequence.kind == cache::SequenceKind::kLoop;
  stream->decoder = std::make_unique<SequenceDecoder>(cache::VideoPath(data_dir_, item.sequence.id),
                                                      decoder_options);
  return stream;
}

void Player::AdvanceStream(Stream& stream, double seconds, bool stop_at_item_end) {
  while (auto event = stream.decoder->PollEvent()) {
    if (event->kind == DecoderEventKind::kOpened && event->fps > 0) stream.fps = event->fps;
    if (event->kind == DecoderEventKind::kFailed && !stream.failed) {
      stream.failed = true;
      DropSequence(stream.item.sequence.id, event->status);
    }
  }
  if (!stream.shown) {
    // Nothing on screen yet: this stream's clock starts with its first frame.
    if (auto frame = stream.decoder->TryPopFrame()) {
      stream.shown = std::move(frame);
      stream.serial = next_serial_++;
      stream.position = 0;
    }
    return;
  }
  stream.position += seconds * stream.fps;
  while (auto next = stream.decoder->NextFrameNumber()) {
    if (static_cast<double>(*next) > stream.position) break;
    // Past a loop's last pass the frames belong to whoever plays it on (a crossfade).
    if (stop_at_item_end && stream.decoder->NextFramePass().value_or(0) >= stream.item.plays) break;
    stream.shown = stream.decoder->TryPopFrame();
    stream.serial = next_serial_++;
  }
  // A decoder behind the clock holds the picture rather than skipping ahead later.
  const double after_shown = static_cast<double>(stream.shown->number) + 1;
  if (stream.position > after_shown && !stream.decoder->NextFrameNumber()) {
    stream.position = after_shown;
  }
}

bool Player::StreamFinished(const Stream& stream) const {
  if (stream.failed) return true;
  if (!stream.shown) return false;
  if (stream.item.sequence.kind == cache::SequenceKind::kLoop) {
    auto next = stream.decoder->NextFrameNumber();
    auto pass = stream.decoder->NextFramePass();
    return next && pass && *pass >= stream.item.plays &&
           stream.position >= static_cast<double>(*next);
  }
  return stream.decoder->finished() &&
         stream.position >= static_cast<double>(stream.shown->number) + 1;
}

void Player::EnterCurrent(bool navigation) {
  std::optional<PlayItem> item = playlist_.Current();
  if (!item) {
    current_.reset();
    outgoing_.reset();
    prepared_.reset();
    return;
  }
  std::unique_ptr<Stream> next;
  if (!navigation && prepared_ && prepared_->item == *item) {
    next = std::move(prepared_);
  } else {
    next = StartStream(*item);
  }
  prepared_.reset();
  // A cut keeps the old picture up only until the new stream has its first frame.
  next->fade = (navigation || item->transition == Transition::kCrossfade) ? 0 : 1;
  if (current_ && current_->shown && !current_->failed) outgoing_ = std::move(current_);
  current_ = std::move(next);
}

void Player::Tick(double seconds) {
  seconds = std::clamp(seconds, 0.0, 0.25);  // after a stall, carry on rather than race
  if (!playlist_.HasLoops()) {
    current_.reset();
    outgoing_.reset();
    prepared_.reset();
    return;
  }
  if (!current_) EnterCurrent(false);
  if (!current_) return;
  if (outgoing_) AdvanceStream(*outgoing_, seconds, false);
  AdvanceStream(*current_, seconds, true);
  if (current_->shown && current_->fade < 1) {
    current_->fade = options_.crossfade_seconds > 0
                         ? std::min(1.0, current_->fade + seconds / options_.crossfade_seconds)
                         : 1.0;
  }
  if (outgoing_ && ((current_->shown && current_->fade >= 1) || outgoing_->failed)) {
    outgoing_.reset();
  }
  if (StreamFinished(*current_)) {
    playlist_.Advance();
    EnterCurrent(false);
    if (!current_) return;
  }
  if (auto upcoming = playlist_.PeekNext()) {
    if (!prepared_ || prepared_->item != *upcoming) prepared_ = StartStream(*upcoming);
  }
}

std::vector<Layer> Player::Layers() const {
  std::vector<Layer> layers;
  const bool current_covers = current_ && current_->shown && current_->fade >= 1;
  if (outgoing_ && outgoing_->shown && !current_covers) {
    layers.push_back({outgoing_->slot, outgoing_->serial, &*outgoing_->shown, 1.0f});
  }
  if (current_ && current_->shown) {
    layers.push_back(
        {current_->slot, current_->serial, &*current_->shown, static_cast<float>(current_->fade)});
  }
  return layers;
}

std::optional<cache::SequenceInfo> Player::Showing() const {
  if (current_ && current_->shown) return current_->item.sequence;
  if (outgoing_ && outgoing_->shown) return outgoing_->item.sequence;
  return std::nullopt;
}

void Player::Back() {
  if (playlist_.Back()) EnterCurrent(true);
}

void Player::Forward() {
  if (playlist_.Forward()) EnterCurrent(true);
}

}  // namespace flamegrid::worker::view
