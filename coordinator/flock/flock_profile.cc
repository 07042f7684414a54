#include "coordinator/flock/flock_profile.h"

#include "coordinator/schedule/scheduler.h"

namespace flamegrid::coordinator {

Status FillFromProfile(const FlockProfile& profile, SubmitSpec& spec) {
  if ((spec.width == 0) != (spec.height == 0)) {
    return Status::InvalidArgument("give both width and height, or neither for the profile's " +
                                   std::to_string(profile.width) + "x" +
                                   std::to_string(profile.height));
  }
  if (spec.frames == 0) spec.frames = profile.frames;
  if (spec.width == 0) {
    spec.width = profile.width;
    spec.height = profile.height;
  }
  if (spec.quality == 0) spec.quality = profile.quality;
  if (spec.fps == 0) spec.fps = profile.fps;
  return Status::Ok();
}

}  // namespace flamegrid::coordinator
