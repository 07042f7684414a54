// NetnsLab: separate hosts for multi-process tests and benchmarks, made of
// Linux network namespaces. Host i is a namespace of its own with `lo` up and
// one interface, eth0, addressed 10.77.S.(i+1)/24; a further namespace holds a
// Linux bridge joining every host's eth0 through a veth pair. The namespaces
// have no default route and no link to the root namespace (the veth pairs are
// created inside the bridge namespace), so traffic between hosts never leaves
// them, and nothing in them can reach any other address.
//
// Processes run inside with `ip netns exec NAME ...` (Command()). Every
// namespace is named "fgnet-<pid>-..." after the process that made it; the
// destructor SIGKILLs whatever still runs inside and deletes them all, and
// RemoveLeftovers() deletes those of processes that died without cleaning up.
// Needs root and iproute2 (NetnsUnavailableReason says why not).
//
// Not thread-safe; one test owns a lab.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace flamegrid::testing {

// Runs a shell command line (made only of names and addresses this file
// builds), returns its exit status; `output` gets stdout and stderr.
inline int RunShell(const std::string& command, std::string* output = nullptr) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return -1;
  std::string text;
  char buffer[512];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) text.append(buffer, n);
  const int status = pclose(pipe);
  if (output) *output = text;
  return status;
}

// The iproute2 `ip` binary, or "" when it is not installed.
inline std::string IpTool() {
  for (const char* path : {"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

// Why namespaces cannot be made here ("" when they can): not root, no
// iproute2, or a kernel or container that refuses `ip netns add`.
inline std::string NetnsUnavailableReason() {
  if (geteuid() != 0) return "network namespaces need root (CI runs as root)";
  const std::string ip = IpTool();
  if (ip.empty()) return "iproute2's ip is not installed (.ci/install-deps installs it)";
  const std::string probe = "fgnet-" + std::to_string(getpid()) + "-probe";
  std::string output;
  if (RunShell(ip + " netns add " + probe, &output) != 0) {
    return "cannot create a network namespace: " + output;
  }
  const bool linked = RunShell(ip + " -n " + probe + " link add fgbr0 type bridge") == 0;
  RunShell(ip + " netns del " + probe);
  if (!linked) return "cannot create a bridge inside a network namespace";
  return "";
}

class NetnsLab {
 public:
  static constexpr const char* kPrefix = "fgnet-";

  // `hosts` separate hosts. `subnet` is the third octet of 10.77.S.0/24 (any:
  // the namespaces are closed, so labs running at once do not meet).
  explicit NetnsLab(int hosts, int subnet = 77)
      : ip_(IpTool()),
        hosts_(hosts),
        subnet_(subnet),
        base_(std::string(kPrefix) + std::to_string(getpid()) + "-") {}
  ~NetnsLab() { Destroy(); }
  NetnsLab(const NetnsLab&) = delete;
  NetnsLab& operator=(const NetnsLab&) = delete;

  // Makes the namespaces, the bridge and the links. False with `error` set
  // (and nothing left behind) when a step fails.
  bool Create(std::string* error) {
    RemoveLeftovers();
    const std::string bridge = BridgeNamespace();
    std::vector<std::string> steps = {
        "netns add " + bridge,
        "-n " + bridge + " link set lo up",
        "-n " + bridge + " link add br0 type bridge",
        "-n " + bridge + " link set br0 up",
    };
    for (int i = 0; i < hosts_; ++i) {
      const std::string host = Namespace(i);
      const std::string port = "v" + std::to_string(i);
      steps.push_back("netns add " + host);
      steps.push_back("-n " + host + " link set lo up");
      // Made in the bridge namespace, its peer moved straight into the host's:
      // the pair never exists in the root namespace.
      steps.push_back("-n " + bridge + " link add " + port + " type veth peer name eth0 netns " +
                      host);
      steps.push_back("-n " + bridge + " link set " + port + " master br0");
      steps.push_back("-n " + bridge + " link set " + port + " up");
      steps.push_back("-n " + host + " addr add " + Address(i) + "/24 dev eth0");
      steps.push_back("-n " + host + " link set eth0 up");
    }
    created_ = true;
    for (const std::string& step : steps) {
      std::string output;
      if (RunShell(ip_ + " " + step, &output) != 0) {
        if (error) *error = "ip " + step + ": " + output;
        Destroy();
        return false;
      }
    }
    return true;
  }

  int hosts() const { return hosts_; }
  std::string Namespace(int host) const { return base_ + "h" + std::to_string(host); }
  std::string BridgeNamespace() const { return base_ + "br"; }
  // Host i's IPv4 address, reachable from every other host of the lab only.
  std::string Address(int host) const {
    return "10.77." + std::to_string(subnet_) + "." + std::to_string(host + 1);
  }
  // argv that runs `argv` inside host i (the program replaces `ip`, so the
  // pid a spawner gets is the program's own).
  std::vector<std::string> Command(int host, const std::vector<std::string>& argv) const {
    std::vector<std::string> full = {ip_, "netns", "exec", Namespace(host)};
    full.insert(full.end(), argv.begin(), argv.end());
    return full;
  }
  // Runs a shell command line inside host i; returns its exit status.
  int Shell(int host, const std::string& command, std::string* output = nullptr) const {
    return RunShell(ip_ + " netns exec " + Namespace(host) + " sh -c '" + command + "'", output);
  }

  // SIGKILLs every process still inside the lab and deletes its namespaces.
  void Destroy() {
    if (!created_) return;
    created_ = false;
    for (int i = 0; i < hosts_; ++i) RemoveNamespace(ip_, Namespace(i));
    RemoveNamespace(ip_, BridgeNamespace());
  }

  // Deletes the namespaces (and processes) of labs whose owner process died.
  static void RemoveLeftovers() {
    const std::string ip = IpTool();
    if (ip.empty()) return;
    std::string list;
    if (RunShell(ip + " netns list", &list) != 0) return;
    std::istringstream lines(list);
    std::string line;
    const std::string prefix = kPrefix;
    while (std::getline(lines, line)) {
      const std::string name = line.substr(0, line.find(' '));
      if (name.compare(0, prefix.size(), prefix) != 0) continue;
      const size_t dash = name.find('-', prefix.size());
      if (dash == std::string::npos) continue;
      const pid_t owner =
          static_cast<pid_t>(std::atol(name.substr(prefix.size(), dash - prefix.size()).c_str()));
      if (owner <= 0 || owner == getpid()) continue;
      if (::kill(owner, 0) == 0 || errno != ESRCH) continue;  // its owner still runs
      RemoveNamespace(ip, name);
    }
  }

 private:
  static void RemoveNamespace(const std::string& ip, const std::string& name) {
    std::string pids;
    if (RunShell(ip + " netns pids " + name, &pids) == 0) {
      std::istringstream in(pids);
      long pid = 0;
      while (in >> pid) {
        if (pid > 1 && pid != getpid()) ::kill(static_cast<pid_t>(pid), SIGKILL);
      }
    }
    RunShell(ip + " netns del " + name);
  }

  std::string ip_;
  int hosts_;
  int subnet_;
  std::string base_;
  bool created_ = false;
};

}  // namespace flamegrid::testing
