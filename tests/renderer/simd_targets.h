// ForEachSimdTarget: runs a test body once per SIMD target that this binary
// was built for and the CPU supports, with Highway's dynamic dispatch pinned
// to that target (and a trace naming it), then hands dispatch back to the
// CPU's own choice. Not thread-safe: the pin is process-wide.
#pragma once

#include <gtest/gtest.h>
#include <hwy/targets.h>

#include <cstdint>

namespace flamegrid::testing {

template <typename Body>
void ForEachSimdTarget(Body body) {
  struct Restore {
    ~Restore() { hwy::SetSupportedTargetsForTest(0); }
  } restore;
  for (int64_t target : hwy::SupportedAndGeneratedTargets()) {
    hwy::SetSupportedTargetsForTest(target);
    SCOPED_TRACE(hwy::TargetName(target));
    body();
  }
}

}  // namespace flamegrid::testing
