// Tests for the sequence cache: metadata round trip, atomic add, the tolerant reader, votes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/proto/shared/faulty_env.h"
#include "worker/cache/flat_json.h"
#include "worker/cache/sequence_cache.h"
#include "worker/cache/votes.h"

namespace flamegrid::worker::cache {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "fg-cache-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

SequenceInfo Loop(const std::string& id) {
  SequenceInfo info;
  info.id = id;
  info.kind = SequenceKind::kLoop;
  info.name = "sheep " + id;
  info.artist_nick = "spot";
  info.artist_url = "https://example.org/~spot";
  info.rating = 2.5;
  info.frames = 120;
  info.fps = 30;
  return info;
}

SequenceInfo Edge(const std::string& id, const std::string& from, const std::string& to) {
  SequenceInfo info = Loop(id);
  info.kind = SequenceKind::kEdge;
  info.from = from;
  info.to = to;
  return info;
}

TEST(FlatJsonTest, ParsesStringsNumbersBooleansAndNull) {
  auto object = ParseFlatJson(R"( {"a": "x\"y\u00e9\n", "b": -2.5e1, "c": true, "d": null} )");
  ASSERT_TRUE(object.ok()) << object.status().ToString();
  EXPECT_EQ(std::get<std::string>(object->at("a")), "x\"y\xc3\xa9\n");
  EXPECT_EQ(std::get<double>(object->at("b")), -25);
  EXPECT_EQ(std::get<bool>(object->at("c")), true);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(object->at("d")));
}

TEST(FlatJsonTest, RejectsMalformedAndNestedInput) {
  for (const char* text : {"", "{", "{\"a\" 1}", "{\"a\": [1]}", "{\"a\": {}}", "{\"a\": 1,}",
                           "{\"a\": \"unterminated}", "{\"a\": 1} trailing", "{\"a\": nope}"}) {
    auto object = ParseFlatJson(text);
    EXPECT_FALSE(object.ok()) << text;
    if (!object.ok()) {
      EXPECT_EQ(object.status().code(), StatusCode::kCorruption) << text;
    }
  }
}

TEST(FlatJsonTest, QuoteRoundTripsAwkwardText) {
  std::string awkward = "tab\t quote\" backslash\\ bell\x07 é";
  auto object = ParseFlatJson("{\"k\": " + JsonQuote(awkward) + "}");
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(std::get<std::string>(object->at("k")), awkward);
}

TEST(SequenceInfoTest, JsonRoundTripForLoopsAndEdges) {
  for (const SequenceInfo& info :
       {Loop("244.00216"), Edge("244.00216-244.80692", "244.00216", "244.80692")}) {
    auto back = SequenceInfoFromJson(SequenceInfoToJson(info));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, info);
  }
}

TEST(SequenceInfoTest, RejectsInconsistentRecords) {
  EXPECT_FALSE(SequenceInfoFromJson(R"({"id": "a", "kind": "loop", "fps": 30})").ok());
  EXPECT_FALSE(
      SequenceInfoFromJson(R"({"id": "a", "kind": "spiral", "frames": 2, "fps": 30})").ok());
  EXPECT_FALSE(SequenceInfoFromJson(R"({"id": "a", "kind": "edge", "frames": 2, "fps": 30})").ok());
  EXPECT_FALSE(
      SequenceInfoFromJson(R"({"id": "../x", "kind": "loop", "frames": 2, "fps": 30})").ok());
  EXPECT_FALSE(
      SequenceInfoFromJson(R"({"id": "a", "kind": "loop", "frames": 2.5, "fps": 30})").ok());
  EXPECT_FALSE(SequenceInfoFromJson(R"({"id": "a", "kind": "loop", "frames": 2, "fps": 0})").ok());
  auto minimal = SequenceInfoFromJson(
      R"({"id": "a", "kind": "loop", "frames": 2, "fps": 25, "future_key": [1, 2]})");
  EXPECT_FALSE(minimal.ok()) << "nested values are not flat JSON";
  auto ok = SequenceInfoFromJson(R"({"id": "a", "kind": "loop", "frames": 2, "fps": 25, "x": 1})");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->frames, 2);
  EXPECT_EQ(ok->name, "");
}

TEST(SequenceIdTest, OnlySafeFileNames) {
  EXPECT_TRUE(ValidateSequenceId("244.00216_a-b").ok());
  for (const char* bad : {"", ".hidden", "a/b", "a b", "..", "é"}) {
    EXPECT_FALSE(ValidateSequenceId(bad).ok()) << bad;
  }
  EXPECT_FALSE(ValidateSequenceId(std::string(129, 'a')).ok());
}

TEST(SequenceCacheTest, MissingCacheFolderIsEmpty) {
  TempDir dir;
  auto contents = ReadCache(dir.path() / "nothing-here");
  ASSERT_TRUE(contents.ok());
  EXPECT_TRUE(contents->sequences.empty());
  EXPECT_TRUE(contents->skipped.empty());
}

TEST(SequenceCacheTest, AddThenReadBack) {
  TempDir dir;
  WriteText(dir.path() / "source.mp4", "not really a video but not empty");
  ASSERT_TRUE(AddSequence(dir.path(), Loop("b"), dir.path() / "source.mp4").ok());
  ASSERT_TRUE(AddSequence(dir.path(), Loop("a"), dir.path() / "source.mp4").ok());
  ASSERT_TRUE(AddSequence(dir.path(), Edge("a-b", "a", "b"), dir.path() / "source.mp4").ok());
  auto contents = ReadCache(dir.path());
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->sequences.size(), 3u);
  EXPECT_EQ(contents->sequences[0], Loop("a"));
  EXPECT_EQ(contents->sequences[1], Edge("a-b", "a", "b"));
  EXPECT_EQ(contents->sequences[2], Loop("b"));
  EXPECT_TRUE(contents->skipped.empty());
  EXPECT_TRUE(fs::exists(VideoPath(dir.path(), "a")));
  for (const auto& entry : fs::directory_iterator(CacheDir(dir.path()))) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".tmp-")) << entry.path();
  }
}

TEST(SequenceCacheTest, AddRefusesBadRecordsAndMissingVideo) {
  TempDir dir;
  EXPECT_EQ(AddSequence(dir.path(), Loop("a"), dir.path() / "absent.mp4").code(),
            StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(InfoPath(dir.path(), "a")));
  WriteText(dir.path() / "source.mp4", "x");
  EXPECT_EQ(AddSequence(dir.path(), Loop("../evil"), dir.path() / "source.mp4").code(),
            StatusCode::kInvalidArgument);
}

TEST(SequenceCacheTest, OnlyTheVideoWithThePublishedDigestEntersTheCache) {
  TempDir dir;
  WriteText(dir.path() / "source.mp4", "abc");
  // SHA-256("abc"), as the coordinator would publish it.
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  auto digest = Sha256OfFile(dir.path() / "source.mp4");
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, abc);
  const Status wrong =
      AddSequence(dir.path(), Loop("a"), dir.path() / "source.mp4", std::string(64, 'f'));
  EXPECT_EQ(wrong.code(), StatusCode::kCorruption);
  EXPECT_NE(wrong.message().find("SHA-256 mismatch"), std::string::npos) << wrong.message();
  EXPECT_NE(wrong.message().find(abc), std::string::npos) << wrong.message();
  EXPECT_FALSE(fs::exists(InfoPath(dir.path(), "a")));
  EXPECT_FALSE(fs::exists(VideoPath(dir.path(), "a")));
  for (const auto& entry : fs::directory_iterator(CacheDir(dir.path()))) {
    ADD_FAILURE() << "left in the cache: " << entry.path();
  }
  ASSERT_TRUE(AddSequence(dir.path(), Loop("a"), dir.path() / "source.mp4", abc).ok());
  EXPECT_TRUE(fs::exists(InfoPath(dir.path(), "a")));
}

TEST(SequenceCacheTest, ReaderSkipsPartialAndCorruptEntriesWithReasons) {
  TempDir dir;
  const fs::path cache = CacheDir(dir.path());
  WriteText(dir.path() / "source.mp4", "video bytes");
  ASSERT_TRUE(AddSequence(dir.path(), Loop("good"), dir.path() / "source.mp4").ok());
  WriteText(cache / "truncated.json", R"({"id": "truncated", "kind": "lo)");
  WriteText(cache / "truncated.mp4", "video bytes");
  WriteText(cache / "novideo.json", SequenceInfoToJson(Loop("novideo")));
  WriteText(cache / "emptyvideo.json", SequenceInfoToJson(Loop("emptyvideo")));
  WriteText(cache / "emptyvideo.mp4", "");
  WriteText(cache / "renamed.json", SequenceInfoToJson(Loop("other")));
  WriteText(cache / "renamed.mp4", "video bytes");
  WriteText(cache / ".tmp-123-0-half.json", "{");
  WriteText(cache / "orphan.mp4", "a video whose metadata has not arrived yet");

  auto contents = ReadCache(dir.path());
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->sequences.size(), 1u);
  EXPECT_EQ(contents->sequences[0].id, "good");
  std::map<std::string, std::string> reasons;
  for (const auto& skipped : contents->skipped) {
    reasons[skipped.path.filename().string()] = skipped.reason;
  }
  ASSERT_EQ(reasons.size(), 4u);
  EXPECT_NE(reasons["truncated.json"].find("JSON"), std::string::npos) << reasons["truncated.json"];
  EXPECT_NE(reasons["novideo.json"].find("missing"), std::string::npos);
  EXPECT_NE(reasons["emptyvideo.json"].find("empty"), std::string::npos);
  EXPECT_NE(reasons["renamed.json"].find("other"), std::string::npos);
}

TEST(SequenceCacheTest, AFailedIndexWriteIsAnErrorAndKeepsWhatWasCached) {
  TempDir dir;
  testing::FaultyEnv env;
  WriteText(dir.path() / "source.mp4", "video bytes");
  ASSERT_TRUE(AddSequence(dir.path(), Loop("a"), dir.path() / "source.mp4", {}, &env).ok());
  // The disk fills up as the metadata (the commit marker) is written.
  env.Fail(testing::FaultyEnv::Op::kWrite, testing::FaultyEnv::DiskFull(), 2, ".json");
  SequenceInfo rerated = Loop("a");
  rerated.rating = 4.5;
  const Status replaced = AddSequence(dir.path(), rerated, dir.path() / "source.mp4", {}, &env);
  EXPECT_EQ(replaced.code(), StatusCode::kResourceExhausted) << replaced.ToString();
  const Status added = AddSequence(dir.path(), Loop("b"), dir.path() / "source.mp4", {}, &env);
  EXPECT_EQ(added.code(), StatusCode::kResourceExhausted) << added.ToString();
  EXPECT_EQ(env.Injected(), 2);

  auto contents = ReadCache(dir.path(), &env);
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->sequences.size(), 1u);
  EXPECT_EQ(contents->sequences[0], Loop("a")) << "the old record stands";
  EXPECT_TRUE(contents->skipped.empty());
  EXPECT_FALSE(fs::exists(InfoPath(dir.path(), "b")));
}

TEST(SequenceCacheTest, AnOversizedIndexIsSkippedNotRead) {
  TempDir dir;
  WriteText(dir.path() / "source.mp4", "video bytes");
  ASSERT_TRUE(AddSequence(dir.path(), Loop("a"), dir.path() / "source.mp4").ok());
  WriteText(InfoPath(dir.path(), "big"), std::string(kMaxInfoBytes + 1, ' '));
  WriteText(VideoPath(dir.path(), "big"), "video bytes");
  auto contents = ReadCache(dir.path());
  ASSERT_TRUE(contents.ok());
  ASSERT_EQ(contents->sequences.size(), 1u);
  ASSERT_EQ(contents->skipped.size(), 1u);
  EXPECT_EQ(contents->skipped[0].path.filename(), "big.json");
  EXPECT_NE(contents->skipped[0].reason.find("allowed"), std::string::npos)
      << contents->skipped[0].reason;
}

TEST(SequenceCacheTest, AnUnlistableCacheIsAnError) {
  TempDir dir;
  testing::FaultyEnv env;
  WriteText(dir.path() / "source.mp4", "video bytes");
  ASSERT_TRUE(AddSequence(dir.path(), Loop("a"), dir.path() / "source.mp4").ok());
  env.Fail(testing::FaultyEnv::Op::kList, Status::IoError("injected: permission"));
  EXPECT_EQ(ReadCache(dir.path(), &env).status().code(), StatusCode::kIoError);
  EXPECT_EQ(ReadCache(dir.path(), &env)->sequences.size(), 1u);
}

TEST(VotesTest, RecordListRemove) {
  TempDir dir;
  testing::FaultyEnv env;
  env.SetNowMs(2000);
  ASSERT_TRUE(RecordVote(dir.path(), "b", Vote::kDown, &env).ok());
  env.SetNowMs(1000);
  ASSERT_TRUE(RecordVote(dir.path(), "a", Vote::kUp, &env).ok());
  ASSERT_TRUE(RecordVote(dir.path(), "a", Vote::kUp, &env).ok()) << "two votes, two files";
  WriteText(VotesDir(dir.path()) / "garbage.vote", "{\"id\": \"a\"}");
  auto votes = ListPendingVotes(dir.path());
  ASSERT_TRUE(votes.ok());
  ASSERT_EQ(votes->size(), 3u);
  EXPECT_EQ((*votes)[0].sequence_id, "a");
  EXPECT_EQ((*votes)[0].vote, Vote::kUp);
  EXPECT_EQ((*votes)[2].sequence_id, "b");
  EXPECT_EQ((*votes)[2].vote, Vote::kDown);
  EXPECT_EQ((*votes)[2].time_ms, 2000);
  ASSERT_TRUE(RemoveVote((*votes)[2]).ok());
  EXPECT_EQ(ListPendingVotes(dir.path())->size(), 2u);
  EXPECT_FALSE(RecordVote(dir.path(), "bad id", Vote::kUp).ok());
}

TEST(VotesTest, AFailedWriteIsAnErrorAndKeepsTheVotesAlreadyRecorded) {
  TempDir dir;
  testing::FaultyEnv env;
  env.SetNowMs(5000);
  ASSERT_TRUE(RecordVote(dir.path(), "a", Vote::kUp, &env).ok());
  env.Fail(testing::FaultyEnv::Op::kWrite, testing::FaultyEnv::DiskFull());
  auto failed = RecordVote(dir.path(), "b", Vote::kDown, &env);
  EXPECT_EQ(failed.status().code(), StatusCode::kResourceExhausted) << failed.status().ToString();
  auto votes = ListPendingVotes(dir.path(), &env);
  ASSERT_TRUE(votes.ok());
  ASSERT_EQ(votes->size(), 1u);
  EXPECT_EQ((*votes)[0].sequence_id, "a");
  EXPECT_EQ((*votes)[0].time_ms, 5000) << "the Env's clock stamps the vote";
  size_t files = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(VotesDir(dir.path()))) ++files;
  EXPECT_EQ(files, 1u) << "no half-written vote left behind";
  // A vote someone else removed already is forgotten without an error.
  ASSERT_TRUE(RemoveVote((*votes)[0], &env).ok());
  EXPECT_TRUE(RemoveVote((*votes)[0], &env).ok());
}

TEST(VotesTest, ParseVote) {
  EXPECT_EQ(*ParseVote("up"), Vote::kUp);
  EXPECT_EQ(*ParseVote("down"), Vote::kDown);
  EXPECT_FALSE(ParseVote("sideways").ok());
}

}  // namespace
}  // namespace flamegrid::worker::cache
