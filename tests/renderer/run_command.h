// RunCommand: runs a shell command for a test and keeps its exit code and
// standard output (add " 2>&1" to the command to keep its errors too).
// Used by the tests that drive command-line tools: ours and flam3's.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace flamegrid {

struct CommandOutput {
  int exit_code = -1;  // -1: the command could not start or was killed
  std::string text;
};

inline CommandOutput RunCommand(const std::string& command) {
  CommandOutput result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.text.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace flamegrid
