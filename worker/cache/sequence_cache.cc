#include "worker/cache/sequence_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <sstream>

#include "proto/shared/digest.h"
#include "worker/cache/flat_json.h"

namespace flamegrid::worker::cache {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kInfoSuffix = ".json";
constexpr std::string_view kVideoSuffix = ".mp4";
constexpr std::string_view kTempPrefix = ".tmp-";

std::string ErrnoText() { return std::strerror(errno); }

fs::path TempPathBeside(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  return path.parent_path() / (std::string(kTempPrefix) + std::to_string(getpid()) + "-" +
                               std::to_string(counter++) + "-" + path.filename().string());
}

Status WriteAll(int fd, const char* data, size_t size, const fs::path& path) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("cannot write " + path.string() + ": " + ErrnoText());
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
  return Status::Ok();
}

// Writes the temp file through `fill` and renames it over `path`; the temp is removed on failure.
template <typename Fill>
Status WriteThroughTemp(const fs::path& path, Fill fill) {
  fs::path temp = TempPathBeside(path);
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot create " + temp.string() + ": " + ErrnoText());
  Status status = fill(fd, temp);
  if (status.ok() && ::fsync(fd) != 0) {
    status = Status::IoError("cannot flush " + temp.string() + ": " + ErrnoText());
  }
  if (::close(fd) != 0 && status.ok()) {
    status = Status::IoError("cannot close " + temp.string() + ": " + ErrnoText());
  }
  if (status.ok() && std::rename(temp.c_str(), path.c_str()) != 0) {
    status = Status::IoError("cannot rename " + temp.string() + " to " + path.string() + ": " +
                             ErrnoText());
  }
  if (!status.ok()) ::unlink(temp.c_str());
  return status;
}

bool IsIdCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<std::string> Sha256OfFile(const fs::path& path) {
  int in = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Status::NotFound("cannot open " + path.string() + ": " + ErrnoText());
  Sha256Hasher sha;
  char buffer[1 << 16];
  while (true) {
    ssize_t got = ::read(in, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      Status error = Status::IoError("cannot read " + path.string() + ": " + ErrnoText());
      ::close(in);
      return error;
    }
    if (got == 0) break;
    sha.Add(std::string_view(buffer, static_cast<size_t>(got)));
  }
  ::close(in);
  return sha.HexDigest();
}

const char* SequenceKindName(SequenceKind kind) {
  return kind == SequenceKind::kLoop ? "loop" : "edge";
}

fs::path CacheDir(const fs::path& data_dir) { return data_dir / "cache"; }

fs::path VideoPath(const fs::path& data_dir, std::string_view id) {
  return CacheDir(data_dir) / (std::string(id) + std::string(kVideoSuffix));
}

fs::path InfoPath(const fs::path& data_dir, std::string_view id) {
  return CacheDir(data_dir) / (std::string(id) + std::string(kInfoSuffix));
}

Status ValidateSequenceId(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return Status::InvalidArgument("sequence id must be 1-128 characters");
  }
  if (id.front() == '.') return Status::InvalidArgument("sequence id may not start with '.'");
  for (char c : id) {
    if (!IsIdCharacter(c)) {
      return Status::InvalidArgument("sequence id \"" + std::string(id) +
                                     "\" has a character outside [A-Za-z0-9._-]");
    }
  }
  return Status::Ok();
}

Status ValidateSequenceInfo(const SequenceInfo& info) {
  FG_RETURN_IF_ERROR(ValidateSequenceId(info.id).WithContext("id"));
  if (info.kind == SequenceKind::kEdge) {
    FG_RETURN_IF_ERROR(ValidateSequenceId(info.from).WithContext("edge " + info.id + " from"));
    FG_RETURN_IF_ERROR(ValidateSequenceId(info.to).WithContext("edge " + info.id + " to"));
  } else if (!info.from.empty() || !info.to.empty()) {
    return Status::InvalidArgument("loop " + info.id + " has from/to, which only edges have");
  }
  if (info.frames < 1) {
    return Status::InvalidArgument("sequence " + info.id + ": frames must be at least 1");
  }
  if (!(info.fps > 0 && info.fps <= 1000)) {
    return Status::InvalidArgument("sequence " + info.id + ": fps must be in (0, 1000]");
  }
  if (!std::isfinite(info.rating)) {
    return Status::InvalidArgument("sequence " + info.id + ": rating is not finite");
  }
  return Status::Ok();
}

std::string SequenceInfoToJson(const SequenceInfo& info) {
  std::ostringstream out;
  out.precision(17);
  out << "{\"id\": " << JsonQuote(info.id) << ", \"kind\": \"" << SequenceKindName(info.kind)
      << "\"";
  if (info.kind == SequenceKind::kEdge) {
    out << ", \"from\": " << JsonQuote(info.from) << ", \"to\": " << JsonQuote(info.to);
  }
  out << ", \"name\": " << JsonQuote(info.name)
      << ", \"artist_nick\": " << JsonQuote(info.artist_nick)
      << ", \"artist_url\": " << JsonQuote(info.artist_url) << ", \"rating\": " << info.rating
      << ", \"frames\": " << info.frames << ", \"fps\": " << info.fps << "}\n";
  return out.str();
}

Result<SequenceInfo> SequenceInfoFromJson(std::string_view json) {
  FG_ASSIGN_OR_RETURN(FlatJsonObject object, ParseFlatJson(json));
  auto text = [&](const char* key, std::string& out, bool required) -> Status {
    auto it = object.find(key);
    if (it == object.end() || std::holds_alternative<std::monostate>(it->second)) {
      return required ? Status::Corruption(std::string("missing \"") + key + "\"") : Status::Ok();
    }
    if (!std::holds_alternative<std::string>(it->second)) {
      return Status::Corruption(std::string("\"") + key + "\" is not text");
    }
    out = std::get<std::string>(it->second);
    return Status::Ok();
  };
  auto number = [&](const char* key, double& out, bool required) -> Status {
    auto it = object.find(key);
    if (it == object.end() || std::holds_alternative<std::monostate>(it->second)) {
      return required ? Status::Corruption(std::string("missing \"") + key + "\"") : Status::Ok();
    }
    if (!std::holds_alternative<double>(it->second)) {
      return Status::Corruption(std::string("\"") + key + "\" is not a number");
    }
    out = std::get<double>(it->second);
    return Status::Ok();
  };

  SequenceInfo info;
  std::string kind;
  FG_RETURN_IF_ERROR(text("id", info.id, true));
  FG_RETURN_IF_ERROR(text("kind", kind, true));
  if (kind == "loop") {
    info.kind = SequenceKind::kLoop;
  } else if (kind == "edge") {
    info.kind = SequenceKind::kEdge;
  } else {
    return Status::Corruption("\"kind\" is \"" + kind + "\", not loop or edge");
  }
  FG_RETURN_IF_ERROR(text("from", info.from, info.kind == SequenceKind::kEdge));
  FG_RETURN_IF_ERROR(text("to", info.to, info.kind == SequenceKind::kEdge));
  FG_RETURN_IF_ERROR(text("name", info.name, false));
  FG_RETURN_IF_ERROR(text("artist_nick", info.artist_nick, false));
  FG_RETURN_IF_ERROR(text("artist_url", info.artist_url, false));
  double frames = 0;
  FG_RETURN_IF_ERROR(number("rating", info.rating, false));
  FG_RETURN_IF_ERROR(number("frames", frames, true));
  FG_RETURN_IF_ERROR(number("fps", info.fps, true));
  if (frames != std::floor(frames) || frames < 1 || frames > 1e7) {
    return Status::Corruption("\"frames\" is not a whole number of frames");
  }
  info.frames = static_cast<int>(frames);
  Status valid = ValidateSequenceInfo(info);
  if (!valid.ok()) return Status::Corruption(valid.message());
  return info;
}

Status AddSequence(const fs::path& data_dir, const SequenceInfo& info, const fs::path& video_file,
                   std::string_view expected_sha256, Env* env) {
  FG_RETURN_IF_ERROR(ValidateSequenceInfo(info));
  FG_RETURN_IF_ERROR(env->CreateDirectories(CacheDir(data_dir).string()));
  int in = ::open(video_file.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return Status::NotFound("cannot open " + video_file.string() + ": " + ErrnoText());
  Sha256Hasher sha;
  Status copied = WriteThroughTemp(VideoPath(data_dir, info.id), [&](int out,
                                                                     const fs::path& temp) {
    char buffer[1 << 16];
    while (true) {
      ssize_t got = ::read(in, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0)
        return Status::IoError("cannot read " + video_file.string() + ": " + ErrnoText());
      if (got == 0) break;
      sha.Add(std::string_view(buffer, static_cast<size_t>(got)));
      FG_RETURN_IF_ERROR(WriteAll(out, buffer, static_cast<size_t>(got), temp));
    }
    // Checked before the rename: a copy that is not the published video
    // never appears under its cache name.
    if (expected_sha256.empty()) return Status::Ok();
    const std::string got_sha256 = sha.HexDigest();
    if (got_sha256 != Lowercase(expected_sha256)) {
      return Status::Corruption("SHA-256 mismatch for " + info.id + ": the file is " + got_sha256 +
                                ", the coordinator published " + std::string(expected_sha256));
    }
    return Status::Ok();
  });
  ::close(in);
  FG_RETURN_IF_ERROR(copied);
  // The commit marker: the video is in place, so a reader may now see it.
  return env->WriteFileAtomic(InfoPath(data_dir, info.id).string(), SequenceInfoToJson(info),
                              SyncPolicy::kSync, 0644);
}

Result<CacheContents> ReadCache(const fs::path& data_dir, Env* env) {
  CacheContents contents;
  const fs::path dir = CacheDir(data_dir);
  Result<std::vector<std::string>> files = env->ListDirectory(dir.string());
  if (!files.ok() && files.status().code() == StatusCode::kNotFound) return contents;
  FG_RETURN_IF_ERROR(files.status());
  for (const std::string& file : *files) {
    if (file.starts_with(kTempPrefix) || !EndsWith(file, kInfoSuffix)) continue;
    const fs::path path = dir / file;
    const std::string id = file.substr(0, file.size() - kInfoSuffix.size());
    auto skip = [&](const std::string& reason) { contents.skipped.push_back({path, reason}); };
    auto text = env->ReadFile(path.string(), kMaxInfoBytes);
    if (!text.ok()) {
      skip(text.status().message());
      continue;
    }
    auto info = SequenceInfoFromJson(*text);
    if (!info.ok()) {
      skip(info.status().message());
      continue;
    }
    if (info->id != id) {
      skip("metadata names id \"" + info->id + "\" but the file is named for \"" + id + "\"");
      continue;
    }
    const fs::path video = VideoPath(data_dir, id);
    auto size = env->FileSize(video.string());
    if (!size.ok() || *size == 0) {
      skip("video " + video.filename().string() + (size.ok() ? " is empty" : " is missing"));
      continue;
    }
    contents.sequences.push_back(std::move(*info));
  }
  std::sort(contents.sequences.begin(), contents.sequences.end(),
            [](const SequenceInfo& a, const SequenceInfo& b) { return a.id < b.id; });
  return contents;
}

}  // namespace flamegrid::worker::cache
