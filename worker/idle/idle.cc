#include "worker/idle/idle.h"

#include <sched.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace flamegrid::worker {

Status EnterIdlePriority() {
  if (setpriority(PRIO_PROCESS, 0, 19) != 0) {
    return Status::PermissionDenied(std::string("cannot lower priority: ") + std::strerror(errno));
  }
#ifdef SCHED_IDLE
  sched_param param{};
  if (sched_setscheduler(0, SCHED_IDLE, &param) != 0) {
    return Status::PermissionDenied(std::string("cannot enter SCHED_IDLE: ") +
                                    std::strerror(errno));
  }
#endif
  return Status::Ok();
}

}  // namespace flamegrid::worker
