// Idle priority: the worker renders only with CPU time the machine's owner
// is not using. Call once at start-up, before any thread is created, so every
// render thread inherits it. Not thread-safe (process-wide setting).
#pragma once

#include "renderer/base/status.h"

namespace flamegrid::worker {

// nice 19 and, on Linux, the SCHED_IDLE policy.
Status EnterIdlePriority();

}  // namespace flamegrid::worker
