#include "renderer/variations/prepared_xform.h"

// STUB: the variations helper replaces this file (linear only).
namespace flamegrid {
PreparedXform PreparedXform::Prepare(const Xform& xform) {
  PreparedXform p;
  p.affine_ = xform.affine;
  p.post_ = xform.post;
  p.has_post_ = !xform.post.IsIdentity();
  return p;
}
Point2 PreparedXform::Apply(Point2 p, Random&) const {
  Point2 t = affine_.Apply(p);
  return has_post_ ? post_.Apply(t) : t;
}
}  // namespace flamegrid
