#include "coordinator/store/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flamegrid::coordinator {
namespace {

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

class PosixFileSystem final : public FileSystem {
 public:
  Status MakeDirectories(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::IoError("cannot create directory " + path + ": " + ec.message());
    return Status::Ok();
  }

  Status WriteFileAtomic(const std::string& path, std::string_view bytes, bool sync,
                         int mode) override {
    static std::atomic<uint64_t> counter{0};
    const std::string temp =
        path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(counter.fetch_add(1));
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return Errno("cannot create", temp);
    const char* data = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
      ssize_t n = ::write(fd, data, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        Status s = Errno("cannot write", temp);
        ::close(fd);
        ::unlink(temp.c_str());
        return s;
      }
      data += n;
      left -= static_cast<size_t>(n);
    }
    if (sync && ::fsync(fd) != 0) {
      Status s = Errno("cannot fsync", temp);
      ::close(fd);
      ::unlink(temp.c_str());
      return s;
    }
    ::close(fd);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
      Status s = Errno("cannot rename onto", path);
      ::unlink(temp.c_str());
      return s;
    }
    if (sync) {
      // The rename itself is durable only once the directory is synced.
      std::string dir = std::filesystem::path(path).parent_path().string();
      int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
      }
    }
    return Status::Ok();
  }

  Result<std::string> ReadFile(const std::string& path) override {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::NotFound("cannot open " + path);
    std::ostringstream out;
    out << in.rdbuf();
    if (in.bad()) return Status::IoError("cannot read " + path);
    return out.str();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Errno("cannot remove", path);
    return Status::Ok();
  }

  bool Exists(const std::string& path) override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
  }
};

}  // namespace

FileSystem& LocalFileSystem() {
  static PosixFileSystem fs;
  return fs;
}

}  // namespace flamegrid::coordinator
