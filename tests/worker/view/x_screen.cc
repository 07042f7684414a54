#include "tests/worker/view/x_screen.h"

#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcntl.h>

#include <cstdlib>

extern char** environ;

namespace flamegrid::worker::view::testing {

bool XvfbAvailable() {
  for (const char* dir : {"/usr/bin/Xvfb", "/usr/local/bin/Xvfb"}) {
    if (access(dir, X_OK) == 0) return true;
  }
  return false;
}

XvfbServer::XvfbServer(int width, int height) {
  int fds[2];
  if (pipe(fds) != 0) {
    error_ = "pipe failed";
    return;
  }
  const std::string fd_text = std::to_string(fds[1]);
  const std::string screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
  std::vector<std::string> args = {"Xvfb", "-displayfd", fd_text, "-screen", "0",
                                   screen, "-nolisten",  "tcp",   "-noreset"};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawnp(&pid_, "Xvfb", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    pid_ = -1;
    close(fds[0]);
    error_ = "cannot start Xvfb";
    return;
  }
  // Xvfb writes the display number once it is ready; bounded wait.
  std::string number;
  pollfd pfd{fds[0], POLLIN, 0};
  while (poll(&pfd, 1, 20000) > 0) {
    char c;
    if (read(fds[0], &c, 1) != 1 || c == '\n') break;
    number += c;
  }
  close(fds[0]);
  if (number.empty()) {
    error_ = "Xvfb did not report a display";
    return;
  }
  display_ = ":" + number;
}

XvfbServer::~XvfbServer() {
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 200; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      usleep(10000);
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
  }
}

Screenshot GrabRootWindow(const std::string& display_name) {
  Screenshot shot;
  Display* display = XOpenDisplay(display_name.c_str());
  if (!display) return shot;
  Window root = DefaultRootWindow(display);
  XWindowAttributes attributes;
  XGetWindowAttributes(display, root, &attributes);
  XImage* image =
      XGetImage(display, root, 0, 0, attributes.width, attributes.height, AllPlanes, ZPixmap);
  if (image) {
    shot.width = attributes.width;
    shot.height = attributes.height;
    shot.rgb.resize(static_cast<size_t>(shot.width) * shot.height * 3);
    for (int y = 0; y < shot.height; ++y) {
      for (int x = 0; x < shot.width; ++x) {
        unsigned long pixel = XGetPixel(image, x, y);
        uint8_t* out = &shot.rgb[(static_cast<size_t>(y) * shot.width + x) * 3];
        out[0] = static_cast<uint8_t>((pixel & image->red_mask) >> __builtin_ctzl(image->red_mask));
        out[1] =
            static_cast<uint8_t>((pixel & image->green_mask) >> __builtin_ctzl(image->green_mask));
        out[2] =
            static_cast<uint8_t>((pixel & image->blue_mask) >> __builtin_ctzl(image->blue_mask));
      }
    }
    XDestroyImage(image);
  }
  XCloseDisplay(display);
  return shot;
}

}  // namespace flamegrid::worker::view::testing
