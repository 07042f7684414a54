#include "worker/client/identity.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flamegrid::grid {

namespace {
std::string PathOf(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "identity").string();
}
}  // namespace

Result<std::optional<WorkerIdentity>> LoadIdentity(const std::string& data_dir) {
  const std::string path = PathOf(data_dir);
  std::ifstream in(path);
  if (!in) return std::optional<WorkerIdentity>();
  WorkerIdentity id;
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "worker_id") {
      try {
        id.worker_id = std::stoll(value);
      } catch (...) {
        return Status::Corruption(path + ": worker_id is not a number");
      }
    } else if (key == "token") {
      id.token = value;
    } else if (key == "coordinator") {
      id.coordinator = value;
    }
  }
  if (id.worker_id <= 0 || id.token.empty()) {
    return Status::Corruption(path + " lacks worker_id or token");
  }
  return std::optional<WorkerIdentity>(id);
}

Status SaveIdentity(const std::string& data_dir, const WorkerIdentity& identity) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IoError("cannot create " + data_dir + ": " + ec.message());
  const std::string path = PathOf(data_dir), temp = path + ".tmp";
  const std::string text = "worker_id=" + std::to_string(identity.worker_id) +
                           "\ntoken=" + identity.token + "\ncoordinator=" + identity.coordinator +
                           "\n";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IoError("cannot create " + temp + ": " + std::strerror(errno));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced || ::rename(temp.c_str(), path.c_str()) != 0) {
    return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace flamegrid::grid
