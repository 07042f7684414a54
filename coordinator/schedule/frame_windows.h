// FrameWindows: a sequence's control points split once, so that each frame
// job carries only the control points its frame reads (its motion blur's
// interval and the neighbours interpolation needs: a handful, however many
// frames the sequence has) and still renders exactly the image the whole
// sequence renders. The scheduler splits a sequence when it first leases or
// reference-renders one of its frames, and cuts a job's window on lease.
//
// Immutable once split; safe to read from many threads.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "renderer/base/status.h"

namespace flamegrid::coordinator {

class FrameWindows {
 public:
  // Splits `control_points_xml` (flam3 XML as the loop planner and the
  // flock's edges write it: <flame> elements timed by frame index) for frames
  // 0 .. frames - 1. Each <flame> element is read on its own (so no document
  // size cap applies to the whole), once; the windows are cut from the
  // shared text, which is not copied. A document whose elements the renderer
  // library cannot read (the synthetic planner's stand-in of --fake-render,
  // whose renders ignore the points) is carried whole by every frame.
  static FrameWindows Split(std::shared_ptr<const std::string> control_points_xml, int frames);

  // The flam3 document of `frame`'s control points: the elements of its
  // window, as written. InvalidArgument when `frame` is outside
  // 0 .. frames - 1.
  Result<std::shared_ptr<const std::string>> Window(int frame) const;

  // How many control points `frame`'s window holds (0 when carried whole).
  size_t WindowPoints(int frame) const;

 private:
  struct Span {  // of text
    size_t begin = 0;
    size_t end = 0;
  };
  struct Range {  // of control points, inclusive
    size_t first = 0;
    size_t last = 0;
  };

  int frames_ = 0;
  std::shared_ptr<const std::string> xml_;
  bool whole_ = false;          // every frame carries xml_ as it is
  std::vector<Span> points_;    // each control point's <flame> element in xml_
  std::vector<Range> windows_;  // per frame
};

}  // namespace flamegrid::coordinator
