#include "worker/client/identity.h"

#include <filesystem>
#include <sstream>

#include "renderer/base/parse_number.h"

namespace flamegrid::worker {

namespace {
std::string PathOf(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "identity").string();
}
}  // namespace

Result<std::optional<WorkerIdentity>> LoadIdentity(const std::string& data_dir, Env* env) {
  const std::string path = PathOf(data_dir);
  Result<std::string> text = env->ReadFile(path, kMaxIdentityBytes);
  if (text.status().code() == StatusCode::kNotFound) return std::optional<WorkerIdentity>();
  FG_RETURN_IF_ERROR(text.status());
  WorkerIdentity id;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "worker_id") {
      Result<int64_t> worker_id = ParseInt64(value, "worker_id");
      if (!worker_id.ok()) return Status::Corruption(path + ": " + worker_id.status().message());
      id.worker_id = *worker_id;
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

Status SaveIdentity(const std::string& data_dir, const WorkerIdentity& identity, Env* env) {
  FG_RETURN_IF_ERROR(env->CreateDirectories(data_dir));
  const std::string text = "worker_id=" + std::to_string(identity.worker_id) +
                           "\ntoken=" + identity.token + "\ncoordinator=" + identity.coordinator +
                           "\n";
  return env->WriteFileAtomic(PathOf(data_dir), text, SyncPolicy::kSync, 0600);
}

}  // namespace flamegrid::worker
