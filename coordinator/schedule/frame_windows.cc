#include "coordinator/schedule/frame_windows.h"

#include <algorithm>
#include <string_view>

#include "renderer/animate/sequence.h"
#include "renderer/genome/flam3_xml.h"

namespace flamegrid::coordinator {
namespace {

bool IsNameEnd(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '>' || c == '/';
}

// Where each <flame> element of `xml` starts and ends; empty when the text
// is not a plain sequence of them (an unterminated element).
std::vector<std::string_view> FlameElements(std::string_view xml) {
  std::vector<std::string_view> elements;
  constexpr std::string_view kOpen = "<flame", kClose = "</flame>";
  for (size_t at = xml.find(kOpen); at != std::string_view::npos; at = xml.find(kOpen, at)) {
    const size_t name_end = at + kOpen.size();
    if (name_end >= xml.size() || !IsNameEnd(xml[name_end])) {  // <flames>
      at = name_end;
      continue;
    }
    // The start tag ends at the first '>' outside a quoted attribute value.
    size_t tag_end = name_end;
    char quote = 0;
    for (; tag_end < xml.size(); ++tag_end) {
      const char c = xml[tag_end];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    if (tag_end >= xml.size()) return {};
    size_t end = tag_end + 1;
    if (xml[tag_end - 1] != '/') {
      const size_t close = xml.find(kClose, end);
      if (close == std::string_view::npos) return {};
      end = close + kClose.size();
    }
    elements.push_back(xml.substr(at, end - at));
    at = end;
  }
  return elements;
}

}  // namespace

FrameWindows FrameWindows::Split(std::shared_ptr<const std::string> control_points_xml,
                                 int frames) {
  FrameWindows windows;
  windows.frames_ = std::max(frames, 0);
  windows.xml_ = control_points_xml != nullptr ? std::move(control_points_xml)
                                               : std::make_shared<const std::string>();
  const std::string_view xml(*windows.xml_);
  const std::vector<std::string_view> elements = FlameElements(xml);
  std::vector<Flame> points;
  points.reserve(elements.size());
  for (std::string_view element : elements) {
    Result<std::vector<Flame>> point = ParseFlam3(element);
    if (!point.ok() || point->size() != 1) break;
    points.push_back(std::move(point->front()));
  }
  windows.whole_ = points.empty() || points.size() != elements.size();
  if (windows.whole_) return windows;
  windows.windows_.reserve(static_cast<size_t>(windows.frames_));
  for (int frame = 0; frame < windows.frames_; ++frame) {
    Result<ControlPointRange> range = FrameControlPointRange(points, frame);
    if (!range.ok()) {
      windows.whole_ = true;
      windows.windows_.clear();
      return windows;
    }
    windows.windows_.push_back({range->first, range->last});
  }
  windows.points_.reserve(elements.size());
  for (std::string_view element : elements) {
    const size_t begin = static_cast<size_t>(element.data() - xml.data());
    windows.points_.push_back({begin, begin + element.size()});
  }
  return windows;
}

Result<std::shared_ptr<const std::string>> FrameWindows::Window(int frame) const {
  if (frame < 0 || frame >= frames_) {
    return Status::InvalidArgument("frame " + std::to_string(frame) + " of a sequence of " +
                                   std::to_string(frames_) + " frames");
  }
  if (whole_) return xml_;
  const Range& window = windows_[static_cast<size_t>(frame)];
  const size_t begin = points_[window.first].begin;
  const std::string_view text =
      std::string_view(*xml_).substr(begin, points_[window.last].end - begin);
  // As WriteFlam3 writes them: one flame bare, many inside <flames>.
  if (window.first == window.last) return std::make_shared<const std::string>(text);
  std::string document;
  document.reserve(text.size() + 20);
  document += "<flames>\n";
  document += text;
  document += "\n</flames>\n";
  return std::make_shared<const std::string>(std::move(document));
}

size_t FrameWindows::WindowPoints(int frame) const {
  if (whole_ || frame < 0 || frame >= frames_) return 0;
  const Range& window = windows_[static_cast<size_t>(frame)];
  return window.last - window.first + 1;
}

}  // namespace flamegrid::coordinator
