// The participant's sequence cache: the on-disk layout, the metadata record of
// one sequence, an atomic writer and a tolerant reader.
//
// Layout under the worker's data folder DIR (the grid client and, later, the
// BitTorrent peer session write here; flamegrid-view reads):
//
//   DIR/cache/<id>.mp4    the sequence's video (H.264 MP4, as the coordinator
//                         assembles it; a loop's last frame leads into its first)
//   DIR/cache/<id>.json   its metadata, one flat JSON object:
//                           {"id": "244.00216", "kind": "loop" | "edge",
//                            "from": "<loop id>", "to": "<loop id>",   (edges only)
//                            "name": "...", "artist_nick": "...", "artist_url": "...",
//                            "rating": 3.5, "frames": 128, "fps": 30}
//   DIR/cache/.tmp-*      writes in progress; readers ignore them
//
// A sequence id is 1-128 characters of [A-Za-z0-9._-], not starting with '.',
// so it is a safe file name. The metadata file is the commit marker: a writer
// puts the video in place first and the metadata last, each by writing a
// temporary file and renaming it, so a reader that sees <id>.json sees a whole
// video. The reader skips (and says why) entries whose metadata is missing,
// malformed or inconsistent, or whose video is missing or empty.
//
// Plain functions over the file system, through an Env (proto/shared/env.h;
// Env::Default() unless a test passes a faulty one); safe from any thread.
// Concurrent writers of the same id race benignly (last rename wins).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace flamegrid::worker::cache {

enum class SequenceKind { kLoop, kEdge };

const char* SequenceKindName(SequenceKind kind);  // "loop" or "edge"

struct SequenceInfo {
  std::string id;
  SequenceKind kind = SequenceKind::kLoop;
  std::string from;  // edges: the loop this edge starts from
  std::string to;    // edges: the loop it leads into
  std::string name;
  std::string artist_nick;
  std::string artist_url;
  double rating = 0;  // the flock's opinion; higher is liked more
  int frames = 0;
  double fps = 30;

  bool operator==(const SequenceInfo&) const = default;
};

// Where things live under the data folder.
std::filesystem::path CacheDir(const std::filesystem::path& data_dir);
std::filesystem::path VideoPath(const std::filesystem::path& data_dir, std::string_view id);
std::filesystem::path InfoPath(const std::filesystem::path& data_dir, std::string_view id);

// kInvalidArgument unless `id` is a safe sequence id (see above).
Status ValidateSequenceId(std::string_view id);

// kInvalidArgument naming the field when the record is inconsistent: bad ids,
// an edge without from/to, a loop with them, frames < 1, fps not in (0, 1000].
Status ValidateSequenceInfo(const SequenceInfo& info);

std::string SequenceInfoToJson(const SequenceInfo& info);
// Unknown keys are ignored (newer writers may add some); missing optional text is empty.
Result<SequenceInfo> SequenceInfoFromJson(std::string_view json);

// The largest metadata file a reader accepts; a bigger one is skipped.
inline constexpr uint64_t kMaxInfoBytes = 64 << 10;

// Adds (or replaces) a sequence: copies `video_file` into the cache, then
// writes the metadata, both atomically. Creates DIR/cache if needed.
// With `expected_sha256` (64 hex digits, as the coordinator published it),
// the copy is hashed as it is made and a mismatch is kCorruption, naming
// both digests: nothing enters the cache and the temporary copy is removed.
// The metadata is written with SyncPolicy::kSync; when that write fails the
// entry stays as it was (a new video without metadata is not in the cache).
Status AddSequence(const std::filesystem::path& data_dir, const SequenceInfo& info,
                   const std::filesystem::path& video_file, std::string_view expected_sha256 = {},
                   Env* env = Env::Default());

// SHA-256 of a file as 64 lowercase hex digits, read in chunks.
Result<std::string> Sha256OfFile(const std::filesystem::path& path);

struct SkippedEntry {
  std::filesystem::path path;
  std::string reason;
};

struct CacheContents {
  std::vector<SequenceInfo> sequences;  // sorted by id
  std::vector<SkippedEntry> skipped;    // entries left out, with why
};

// Reads every complete entry. A missing cache folder is an empty cache; only
// an unreadable folder is an error.
Result<CacheContents> ReadCache(const std::filesystem::path& data_dir, Env* env = Env::Default());

}  // namespace flamegrid::worker::cache
