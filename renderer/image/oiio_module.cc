#include "renderer/image/oiio_module.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

constexpr const char* kModuleName = "libflamegrid_oiio.so";

std::vector<std::string> Candidates() {
  std::vector<std::string> paths;
  // An explicit path is the only one tried, so a wrong one is never masked.
  if (const char* env = std::getenv("FLAMEGRID_OIIO_MODULE"); env != nullptr && *env != '\0') {
    return {env};
  }
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) paths.push_back((self.parent_path().parent_path() / "lib/flamegrid" / kModuleName));
#ifdef FLAMEGRID_OIIO_MODULE_BUILD_PATH
  paths.emplace_back(FLAMEGRID_OIIO_MODULE_BUILD_PATH);
#endif
  paths.emplace_back(kModuleName);
  return paths;
}

Result<const OiioCodec*> Load() {
  std::string tried;
  for (const std::string& path : Candidates()) {
    const bool bare = path.find('/') == std::string::npos;
    if (!bare && !fs::exists(path)) {
      tried += "\n  " + path + ": no such file";
      continue;
    }
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      tried += "\n  " + path + ": " + (why ? why : "cannot load");
      continue;
    }
    auto entry = reinterpret_cast<FlamegridOiioCodecFn>(dlsym(handle, kOiioCodecSymbol));
    const OiioCodec* codec = entry != nullptr ? entry() : nullptr;
    if (codec == nullptr || codec->abi != kOiioCodecAbi) {
      tried += "\n  " + path + ": not a flamegrid OpenImageIO module of ABI " +
               std::to_string(kOiioCodecAbi);
      dlclose(handle);
      continue;
    }
    return codec;  // kept loaded for the life of the process
  }
  return Status::FailedPrecondition(
      "JPEG and EXR need the OpenImageIO module " + std::string(kModuleName) +
      ", which could not be loaded (set FLAMEGRID_OIIO_MODULE to its path)" + ":" + tried);
}

}  // namespace

Result<const OiioCodec*> LoadOiioCodec() {
  static const Result<const OiioCodec*> codec = Load();
  return codec;
}

}  // namespace flamegrid
