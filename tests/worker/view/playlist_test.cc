// Tests for the playlist: loop x N -> edge -> next loop, crossfades where no
// edge joins two loops, fair choice of the next loop, history for left/right.
#include "worker/view/playlist.h"

#include <gtest/gtest.h>

#include <set>

namespace flamegrid::worker::view {
namespace {

using worker::cache::SequenceInfo;
using worker::cache::SequenceKind;

SequenceInfo Loop(const std::string& id, double rating = 0) {
  SequenceInfo info;
  info.id = id;
  info.kind = SequenceKind::kLoop;
  info.rating = rating;
  info.frames = 10;
  return info;
}

SequenceInfo Edge(const std::string& from, const std::string& to, double rating = 0) {
  SequenceInfo info = Loop(from + "-" + to, rating);
  info.kind = SequenceKind::kEdge;
  info.from = from;
  info.to = to;
  return info;
}

Playlist Make(const std::vector<SequenceInfo>& sequences, int loop_plays = 3) {
  PlaylistOptions options;
  options.loop_plays = loop_plays;
  Playlist playlist(options);
  playlist.SetSequences(sequences);
  return playlist;
}

TEST(PlaylistTest, EmptyCacheHasNothingToPlay) {
  Playlist playlist = Make({Edge("a", "b")});
  EXPECT_FALSE(playlist.HasLoops());
  EXPECT_FALSE(playlist.Current().has_value());
  EXPECT_FALSE(playlist.PeekNext().has_value());
  EXPECT_FALSE(playlist.Back());
  EXPECT_FALSE(playlist.Forward());
}

TEST(PlaylistTest, StartsWithTheBestRatedLoopPlayedSeveralTimes) {
  Playlist playlist = Make({Loop("a", 1), Loop("b", 5), Loop("c", 2)}, 4);
  auto current = playlist.Current();
  ASSERT_TRUE(current);
  EXPECT_EQ(current->sequence.id, "b");
  EXPECT_EQ(current->plays, 4);
  EXPECT_EQ(current->transition, Transition::kCut);
}

TEST(PlaylistTest, LoopThenEdgeThenTheLoopItLeadsTo) {
  Playlist playlist = Make({Loop("a", 9), Loop("b"), Loop("c"), Edge("a", "b"), Edge("b", "c")});
  EXPECT_EQ(playlist.Current()->sequence.id, "a");
  auto next = playlist.PeekNext();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->sequence.id, "a-b");
  EXPECT_EQ(next->sequence.kind, SequenceKind::kEdge);
  EXPECT_EQ(next->plays, 1);
  EXPECT_EQ(next->transition, Transition::kCut);
  EXPECT_EQ(playlist.PeekNext(), next) << "peeking is stable";
  playlist.Advance();
  EXPECT_EQ(playlist.Current(), next);
  playlist.Advance();
  EXPECT_EQ(playlist.Current()->sequence.id, "b");
  EXPECT_EQ(playlist.Current()->transition, Transition::kCut);
  playlist.Advance();
  EXPECT_EQ(playlist.Current()->sequence.id, "b-c");
  playlist.Advance();
  EXPECT_EQ(playlist.Current()->sequence.id, "c");
}

TEST(PlaylistTest, CrossfadesWhereNoEdgeJoinsTwoLoops) {
  Playlist playlist = Make({Loop("a", 9), Loop("b")});
  ASSERT_EQ(playlist.Current()->sequence.id, "a");
  playlist.Advance();
  auto current = playlist.Current();
  EXPECT_EQ(current->sequence.id, "b");
  EXPECT_EQ(current->transition, Transition::kCrossfade);
  EXPECT_EQ(current->crossfade_from, "a");
}

TEST(PlaylistTest, EdgeToALoopNotInTheCacheIsIgnored) {
  Playlist playlist = Make({Loop("a", 9), Loop("b"), Edge("a", "missing")});
  playlist.Current();
  EXPECT_EQ(playlist.PeekNext()->sequence.id, "b");
  EXPECT_EQ(playlist.PeekNext()->transition, Transition::kCrossfade);
}

TEST(PlaylistTest, ALoneLoopKeepsLooping) {
  Playlist playlist = Make({Loop("a")});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(playlist.Current()->sequence.id, "a");
    EXPECT_EQ(playlist.Current()->transition, Transition::kCut);
    playlist.Advance();
  }
  EXPECT_FALSE(playlist.Forward());
}

TEST(PlaylistTest, EveryLoopGetsShownBeforeAnyRepeats) {
  std::vector<SequenceInfo> sequences;
  for (int i = 0; i < 6; ++i) sequences.push_back(Loop("l" + std::to_string(i), i % 3));
  Playlist playlist = Make(sequences);
  std::set<std::string> seen;
  for (int i = 0; i < 6; ++i) {
    seen.insert(playlist.Current()->sequence.id);
    playlist.Advance();
  }
  EXPECT_EQ(seen.size(), 6u);
}

TEST(PlaylistTest, PrefersTheEdgeToTheLeastRecentlyPlayedLoop) {
  Playlist playlist = Make({Loop("a", 9), Loop("b"), Loop("c"), Edge("a", "b"), Edge("a", "c"),
                            Edge("b", "a"), Edge("c", "a")});
  std::vector<std::string> loops;
  for (int i = 0; i < 12 && loops.size() < 5; ++i) {
    auto current = playlist.Current();
    if (current->sequence.kind == SequenceKind::kLoop) loops.push_back(current->sequence.id);
    playlist.Advance();
  }
  ASSERT_EQ(loops.size(), 5u);
  EXPECT_EQ(loops[0], "a");
  EXPECT_EQ(loops[2], "a");
  EXPECT_NE(loops[1], loops[3]) << "b and c take turns";
}

TEST(PlaylistTest, BackAndForwardWalkTheHistory) {
  Playlist playlist = Make({Loop("a", 9), Loop("b", 8), Loop("c", 7)});
  std::vector<std::string> played;
  for (int i = 0; i < 3; ++i) {
    played.push_back(playlist.Current()->sequence.id);
    if (i < 2) playlist.Advance();
  }
  EXPECT_EQ(played, (std::vector<std::string>{"a", "b", "c"}));

  ASSERT_TRUE(playlist.Back());
  EXPECT_EQ(playlist.Current()->sequence.id, "b");
  EXPECT_EQ(playlist.Current()->transition, Transition::kCrossfade);
  EXPECT_EQ(playlist.Current()->crossfade_from, "c");
  ASSERT_TRUE(playlist.Back());
  EXPECT_EQ(playlist.Current()->sequence.id, "a");
  EXPECT_FALSE(playlist.Back()) << "start of history";

  ASSERT_TRUE(playlist.Forward());
  EXPECT_EQ(playlist.Current()->sequence.id, "b");
  // Finishing b normally follows the history on to c.
  EXPECT_EQ(playlist.PeekNext()->sequence.id, "c");
  playlist.Advance();
  EXPECT_EQ(playlist.Current()->sequence.id, "c");
  // At the end of the history, right chooses a fresh loop at once.
  ASSERT_TRUE(playlist.Forward());
  EXPECT_EQ(playlist.Current()->sequence.id, "a") << "least recently played";
  EXPECT_EQ(playlist.Current()->crossfade_from, "c");
  ASSERT_TRUE(playlist.Back());
  EXPECT_EQ(playlist.Current()->sequence.id, "c");
}

TEST(PlaylistTest, BackDuringAnEdgeReturnsToItsLoop) {
  Playlist playlist = Make({Loop("a", 9), Loop("b"), Edge("a", "b")});
  playlist.Current();
  playlist.Advance();
  ASSERT_EQ(playlist.Current()->sequence.id, "a-b");
  ASSERT_TRUE(playlist.Back());
  EXPECT_EQ(playlist.Current()->sequence.id, "a");
  EXPECT_EQ(playlist.Current()->crossfade_from, "a-b");
}

TEST(PlaylistTest, NewSequencesJoinAndVanishedOnesAreNotChosen) {
  Playlist playlist = Make({Loop("a", 9), Loop("b")});
  playlist.Current();
  EXPECT_EQ(playlist.PeekNext()->sequence.id, "b");
  // b was evicted; an edge from a to the newly downloaded c arrived.
  playlist.SetSequences({Loop("a", 9), Loop("c"), Edge("a", "c")});
  EXPECT_EQ(playlist.Current()->sequence.id, "a") << "the current item carries on";
  EXPECT_EQ(playlist.PeekNext()->sequence.id, "a-c");
  playlist.Advance();
  playlist.Advance();
  EXPECT_EQ(playlist.Current()->sequence.id, "c");
}

TEST(PlaylistTest, SameSeedSameChoices) {
  std::vector<SequenceInfo> sequences;
  for (int i = 0; i < 8; ++i) sequences.push_back(Loop("l" + std::to_string(i)));
  auto run = [&] {
    Playlist playlist = Make(sequences);
    std::vector<std::string> ids;
    for (int i = 0; i < 16; ++i) {
      ids.push_back(playlist.Current()->sequence.id);
      playlist.Advance();
    }
    return ids;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace flamegrid::worker::view
