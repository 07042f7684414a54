#include "proto/shared/env.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

// The Status of a failed system call: a missing file is NotFound and a full
// disk ResourceExhausted, as Env promises, whatever the call was.
Status FromErrno(int error, const std::string& what, const std::string& path) {
  const std::string message = what + " " + path + ": " + std::strerror(error);
  switch (error) {
    case ENOENT:
      return Status::NotFound(message);
    case ENOSPC:
    case EDQUOT:
      return Status::ResourceExhausted(message);
    default:
      return Status::IoError(message);
  }
}

Status FromErrorCode(const std::error_code& ec, const std::string& what, const std::string& path) {
  return FromErrno(ec.value(), what, path);
}

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and says whether the close reported an error (NFS, quotas).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view bytes, const std::string& path) {
  const char* data = bytes.data();
  size_t left = bytes.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return FromErrno(errno, "cannot write", path);
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

class PosixEnv final : public Env {
 public:
  Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) override {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return FromErrno(errno, "cannot open", path);
    struct stat st;
    if (::fstat(fd.get(), &st) != 0) return FromErrno(errno, "cannot stat", path);
    if (S_ISDIR(st.st_mode)) return Status::IoError("cannot read " + path + ": it is a directory");
    if (static_cast<uint64_t>(st.st_size) > max_bytes) {
      return Status::ResourceExhausted(path + " is " + std::to_string(st.st_size) +
                                       " bytes, more than the " + std::to_string(max_bytes) +
                                       " allowed");
    }
    std::string bytes;
    bytes.reserve(static_cast<size_t>(st.st_size));
    char buffer[64 * 1024];
    for (;;) {
      const ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
      if (n < 0) {
        if (errno == EINTR) continue;
        return FromErrno(errno, "cannot read", path);
      }
      if (n == 0) break;
      if (bytes.size() + static_cast<size_t>(n) > max_bytes) {  // it grew while we read
        return Status::ResourceExhausted(path + " is larger than the " + std::to_string(max_bytes) +
                                         " bytes allowed");
      }
      bytes.append(buffer, static_cast<size_t>(n));
    }
    return bytes;
  }

  Status WriteFileAtomic(const std::string& path, std::string_view bytes, SyncPolicy sync,
                         int mode) override {
    static std::atomic<uint64_t> counter{0};
    const std::string temp =
        path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter.fetch_add(1));
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (fd.get() < 0) return FromErrno(errno, "cannot create", temp);
    Status status = WriteAll(fd.get(), bytes, temp);
    if (status.ok() && sync == SyncPolicy::kSync && ::fsync(fd.get()) != 0) {
      status = FromErrno(errno, "cannot fsync", temp);
    }
    if (fd.Close() != 0 && status.ok()) status = FromErrno(errno, "cannot close", temp);
    if (status.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
      status = FromErrno(errno, "cannot rename onto", path);
    }
    if (!status.ok()) {
      ::unlink(temp.c_str());
      return status;
    }
    if (sync == SyncPolicy::kSync) {
      // The rename itself is durable only once the directory is synced.
      const std::string dir = fs::path(path).parent_path().string();
      Fd dfd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (dfd.get() < 0 || ::fsync(dfd.get()) != 0) {
        return FromErrno(errno, "cannot fsync the directory of", path);
      }
    }
    return Status::Ok();
  }

  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0)
      return FromErrno(errno, "cannot rename " + from + " to", to);
    return Status::Ok();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return FromErrno(errno, "cannot remove", path);
    return Status::Ok();
  }

  Status RemoveTree(const std::string& path) override {
    std::error_code ec;
    fs::remove_all(path, ec);
    if (ec) return FromErrorCode(ec, "cannot remove", path);
    return Status::Ok();
  }

  Status CreateDirectories(const std::string& path) override {
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec) return FromErrorCode(ec, "cannot create directory", path);
    return Status::Ok();
  }

  bool FileExists(const std::string& path) override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
  }

  Result<uint64_t> FileSize(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return FromErrno(errno, "cannot stat", path);
    return static_cast<uint64_t>(st.st_size);
  }

  Result<std::vector<std::string>> ListDirectory(const std::string& path) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) return FromErrorCode(ec, "cannot list", path);
    std::sort(names.begin(), names.end());
    return names;
  }

  Result<uint64_t> FreeBytes(const std::string& path) override {
    struct statvfs st;
    if (::statvfs(path.c_str(), &st) != 0)
      return FromErrno(errno, "cannot stat the file system of", path);
    return static_cast<uint64_t>(st.f_bavail) * st.f_frsize;
  }

  int64_t NowMs() override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv;  // never destroyed: daemon threads may outlive main
  return env;
}

}  // namespace flamegrid
