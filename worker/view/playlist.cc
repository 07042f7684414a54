#include "worker/view/playlist.h"

#include <algorithm>

namespace flamegrid::worker::view {

using cache::SequenceInfo;
using cache::SequenceKind;

Playlist::Playlist(PlaylistOptions options) : options_(options), random_(options.seed) {
  options_.loop_plays = std::max(1, options_.loop_plays);
  options_.history_limit = std::max<size_t>(2, options_.history_limit);
}

void Playlist::SetSequences(const std::vector<SequenceInfo>& sequences) {
  loops_.clear();
  edges_from_.clear();
  for (const SequenceInfo& info : sequences) {
    if (info.kind == SequenceKind::kLoop) {
      loops_[info.id] = info;
    } else {
      edges_from_[info.from].push_back(info);
    }
  }
  if (upcoming_ && !StillPresent(*upcoming_)) upcoming_.reset();
  if (loops_.empty()) {
    current_.reset();  // nothing left to play; start afresh when loops arrive
    upcoming_.reset();
  }
}

bool Playlist::StillPresent(const PlayItem& item) const {
  if (item.sequence.kind == SequenceKind::kLoop) return loops_.count(item.sequence.id) > 0;
  auto it = edges_from_.find(item.sequence.from);
  if (it == edges_from_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(),
                     [&](const SequenceInfo& edge) { return edge.id == item.sequence.id; }) &&
         loops_.count(item.sequence.to) > 0;
}

PlayItem Playlist::LoopItem(const std::string& loop_id, Transition transition,
                            const std::string& crossfade_from) const {
  PlayItem item;
  item.sequence = loops_.at(loop_id);
  item.plays = options_.loop_plays;
  item.transition = transition;
  if (transition == Transition::kCrossfade) item.crossfade_from = crossfade_from;
  return item;
}

std::string Playlist::ChooseLoop(const std::vector<std::string>& candidates) {
  // Least recently started first (never played counts as turn 0), then best rated.
  auto last = [&](const std::string& id) {
    auto it = last_played_.find(id);
    return it == last_played_.end() ? uint64_t{0} : it->second;
  };
  std::vector<std::string> best;
  for (const std::string& id : candidates) {
    if (best.empty()) {
      best.push_back(id);
      continue;
    }
    const std::string& incumbent = best.front();
    auto key = [&](const std::string& x) { return std::make_pair(last(x), -loops_.at(x).rating); };
    if (key(id) < key(incumbent)) {
      best.assign(1, id);
    } else if (key(id) == key(incumbent)) {
      best.push_back(id);
    }
  }
  std::uniform_int_distribution<size_t> pick(0, best.size() - 1);
  return best[pick(random_)];
}

void Playlist::EnterLoop(const PlayItem& item, bool append_to_history) {
  current_ = item;
  last_played_[item.sequence.id] = ++turn_;
  if (!append_to_history) return;
  if (!history_.empty()) history_.resize(history_pos_ + 1);  // a new branch drops the old future
  history_.push_back(item.sequence.id);
  if (history_.size() > options_.history_limit) history_.erase(history_.begin());
  history_pos_ = history_.size() - 1;
}

std::optional<PlayItem> Playlist::Current() {
  if (!current_ && HasLoops()) {
    std::vector<std::string> all;
    for (const auto& [id, info] : loops_) all.push_back(id);
    EnterLoop(LoopItem(ChooseLoop(all), Transition::kCut, ""), true);
  }
  return current_;
}

std::optional<PlayItem> Playlist::ComputeNext() {
  if (!Current() || loops_.empty()) return std::nullopt;
  const SequenceInfo& now = current_->sequence;
  if (now.kind == SequenceKind::kEdge) {
    if (loops_.count(now.to)) return LoopItem(now.to, Transition::kCut, "");
  }
  // The loop whose end we are at (for an edge whose target left the cache, its source).
  const std::string& here = now.kind == SequenceKind::kLoop ? now.id : now.from;

  std::vector<SequenceInfo> edges;
  if (auto it = edges_from_.find(here);
      it != edges_from_.end() && now.kind == SequenceKind::kLoop) {
    for (const SequenceInfo& edge : it->second) {
      if (loops_.count(edge.to)) edges.push_back(edge);
    }
  }

  std::string target;
  if (history_pos_ + 1 < history_.size() && loops_.count(history_[history_pos_ + 1])) {
    target = history_[history_pos_ + 1];  // walking forward again through the history
  } else if (!edges.empty()) {
    std::vector<std::string> targets;
    for (const SequenceInfo& edge : edges) targets.push_back(edge.to);
    target = ChooseLoop(targets);
  } else {
    std::vector<std::string> others;
    for (const auto& [id, info] : loops_) {
      if (id != here) others.push_back(id);
    }
    // A lone loop just keeps looping: its last frame leads into its first.
    if (others.empty())
      return LoopItem(loops_.count(here) ? here : loops_.begin()->first, Transition::kCut, "");
    target = ChooseLoop(others);
  }

  const SequenceInfo* best_edge = nullptr;
  for (const SequenceInfo& edge : edges) {
    if (edge.to == target && (!best_edge || edge.rating > best_edge->rating)) best_edge = &edge;
  }
  if (best_edge) {
    PlayItem item;
    item.sequence = *best_edge;
    item.plays = 1;
    item.transition = Transition::kCut;
    return item;
  }
  if (target == now.id) return LoopItem(target, Transition::kCut, "");
  return LoopItem(target, Transition::kCrossfade, now.id);
}

std::optional<PlayItem> Playlist::PeekNext() {
  if (!upcoming_) upcoming_ = ComputeNext();
  return upcoming_;
}

void Playlist::Advance() {
  std::optional<PlayItem> next = PeekNext();
  upcoming_.reset();
  if (!next) return;
  if (next->sequence.kind == SequenceKind::kEdge) {
    current_ = *next;
    return;
  }
  const bool following_history =
      history_pos_ + 1 < history_.size() && history_[history_pos_ + 1] == next->sequence.id;
  const bool same_loop_again = current_ && current_->sequence.id == next->sequence.id;
  if (following_history) {
    ++history_pos_;
    EnterLoop(*next, false);
  } else {
    EnterLoop(*next, !same_loop_again);
  }
}

bool Playlist::Back() {
  if (!Current()) return false;
  // During an edge, "back" is the loop the edge left; during a loop, the one before it.
  size_t target = history_pos_;
  if (current_->sequence.kind == SequenceKind::kLoop) {
    if (target == 0) return false;
    --target;
  }
  while (!loops_.count(history_[target])) {
    if (target == 0) return false;
    --target;
  }
  const std::string from = current_->sequence.id;
  history_pos_ = target;
  upcoming_.reset();
  EnterLoop(LoopItem(history_[target], Transition::kCrossfade, from), false);
  return true;
}

bool Playlist::Forward() {
  if (!Current()) return false;
  const std::string from = current_->sequence.id;
  for (size_t i = history_pos_ + 1; i < history_.size(); ++i) {
    if (!loops_.count(history_[i])) continue;
    history_pos_ = i;
    upcoming_.reset();
    EnterLoop(LoopItem(history_[i], Transition::kCrossfade, from), false);
    return true;
  }
  const std::string here = current_->sequence.kind == SequenceKind::kLoop ? current_->sequence.id
                                                                          : current_->sequence.from;
  std::vector<std::string> others;
  for (const auto& [id, info] : loops_) {
    if (id != here) others.push_back(id);
  }
  if (others.empty()) return false;
  upcoming_.reset();
  EnterLoop(LoopItem(ChooseLoop(others), Transition::kCrossfade, from), true);
  return true;
}

}  // namespace flamegrid::worker::view
