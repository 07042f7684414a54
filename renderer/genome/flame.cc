#include "renderer/genome/flame.h"

namespace flamegrid {

bool Flame::HasXaos() const {
  for (const Xform& xf : xforms) {
    for (double c : xf.chaos) {
      if (c != 1.0) return true;
    }
  }
  return false;
}

}  // namespace flamegrid
