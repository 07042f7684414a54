// FileSystem: the few file operations the coordinator needs (frame files,
// videos, tokens), behind an interface so tests can make them fail.
// LocalFileSystem writes atomically (temporary file, optional fsync, rename).
// Implementations are thread-safe.
#pragma once

#include <memory>
#include <string>

#include "renderer/base/status.h"

namespace flamegrid::coordinator {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Creates `path` and its parents; OK when it exists.
  virtual Status MakeDirectories(const std::string& path) = 0;
  // Writes `bytes` to `path` so that a reader sees either nothing or all of
  // it; with `sync`, the data is on disk when this returns.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view bytes, bool sync,
                                 int mode = 0644) = 0;
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
};

// The real file system. Shared, stateless: one instance serves everyone.
FileSystem& LocalFileSystem();

}  // namespace flamegrid::coordinator
