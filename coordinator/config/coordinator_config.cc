#include "coordinator/config/coordinator_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "coordinator/config/serve_options.h"
#include "renderer/base/parse_number.h"

namespace flamegrid::coordinator {
namespace {

// "FILE:LINE:COLUMN" of a node or key, as toml++ recorded it.
std::string Where(const std::string& source, const toml::source_region& region) {
  return source + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

Status Refuse(const std::string& source, const toml::source_region& region, const std::string& key,
              const std::string& why) {
  return Status::InvalidArgument(Where(source, region) + ": " + key + ": " + why);
}

std::string TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

std::string ShortestText(double v) {
  char text[64];
  auto [end, error] = std::to_chars(text, text + sizeof text, v);
  return error == std::errc() ? std::string(text, end) : std::to_string(v);
}

// The node's value as the command line would give it for `option` (nullopt:
// a flag set to false, as if not given), or why its type does not fit.
Result<std::optional<std::string>> NodeText(const ServeOption& option, const toml::node& node) {
  const std::string got = " (got " + TypeName(node) + ")";
  switch (option.kind) {
    case OptionKind::kText:
    case OptionKind::kAddress:
      if (const auto* s = node.as_string()) return std::optional<std::string>(s->get());
      return Status::InvalidArgument("must be a string" + got);
    case OptionKind::kCount:
      if (const auto* i = node.as_integer()) {
        return std::optional<std::string>(std::to_string(i->get()));
      }
      if (const auto* s = node.as_string()) return std::optional<std::string>(s->get());
      return Status::InvalidArgument("must be a whole number" + got);
    case OptionKind::kNumber:
      if (const auto* i = node.as_integer()) {
        return std::optional<std::string>(std::to_string(i->get()));
      }
      if (const auto* f = node.as_floating_point()) {
        return std::optional<std::string>(ShortestText(f->get()));
      }
      if (const auto* s = node.as_string()) return std::optional<std::string>(s->get());
      return Status::InvalidArgument("must be a number" + got);
    case OptionKind::kSwitch:
      if (const auto* b = node.as_boolean()) {
        return std::optional<std::string>(b->get() ? "on" : "off");
      }
      if (const auto* s = node.as_string()) return std::optional<std::string>(s->get());
      return Status::InvalidArgument("must be true, false, \"on\" or \"off\"" + got);
    case OptionKind::kFlag:
      if (const auto* b = node.as_boolean()) {
        return b->get() ? std::optional<std::string>("1") : std::nullopt;
      }
      if (const auto* s = node.as_string();
          s != nullptr && (s->get() == "on" || s->get() == "off")) {
        return s->get() == "on" ? std::optional<std::string>("1") : std::nullopt;
      }
      return Status::InvalidArgument("must be true or false" + got);
  }
  return Status::Internal("unknown option kind");
}

// Edit distance, for "did you mean" on unknown keys.
size_t Distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Suggestion(std::string_view key, const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = 3;  // further than two edits is no suggestion
  for (const std::string& candidate : known) {
    const size_t d = Distance(key, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best.empty() ? "" : " (did you mean " + best + "?)";
}

std::vector<std::string> TopLevelKeys() {
  std::vector<std::string> keys;
  for (const ServeOption& option : ServeOptions()) keys.push_back(ConfigKey(option.flag));
  keys.push_back(kFlockTable);
  return keys;
}

// The [flock] keys as option rows, so their values are read and checked like
// the serve flags' (size is read apart).
const ServeOption* FlockOption(std::string_view key) {
  static constexpr ServeOption kRows[] = {
      {"frames", OptionKind::kCount, kMinLoopFrames, kMaxLoopFrames},
      {"quality", OptionKind::kNumber, 0, kMaxQuality, /*min_exclusive=*/true},
      {"fps", OptionKind::kCount, 1, kMaxFps},
      {"bootstrap_loops", OptionKind::kCount, 0, kMaxBootstrapLoops},
  };
  for (const ServeOption& row : kRows) {
    if (key == row.flag) return &row;
  }
  return nullptr;
}

Status ReadFlock(const toml::table& flock, const std::string& source, FlockProfile* profile) {
  const std::vector<std::string> known(std::begin(kFlockKeys), std::end(kFlockKeys));
  for (const auto& [key, node] : flock) {
    const std::string name = std::string(kFlockTable) + "." + std::string(key.str());
    if (key.str() == "size") {
      const auto* text = node.as_string();
      if (text == nullptr) {
        return Refuse(source, node.source(), name,
                      "must be a string \"WxH\", e.g. \"640x480\" (got " + TypeName(node) + ")");
      }
      int width = 0, height = 0;
      if (!ParseSize(text->get(), &width, &height)) {
        return Refuse(source, node.source(), name,
                      "must be \"WxH\", e.g. \"640x480\" (got \"" + text->get() + "\")");
      }
      if (width < kMinFrameSide || height < kMinFrameSide || width > kMaxFrameSide ||
          height > kMaxFrameSide) {
        return Refuse(source, node.source(), name,
                      "each side must be " + std::to_string(kMinFrameSide) + " to " +
                          std::to_string(kMaxFrameSide) + " pixels (got \"" + text->get() + "\")");
      }
      profile->width = width;
      profile->height = height;
      continue;
    }
    const ServeOption* row = FlockOption(key.str());
    if (row == nullptr) {
      std::string hint = Suggestion(key.str(), known);
      std::string flag = "--" + std::string(key.str());
      std::replace(flag.begin(), flag.end(), '_', '-');
      if (hint.empty() && FindServeOption(flag) != nullptr) {
        hint = " (" + std::string(key.str()) + " is a top-level key: put it above [flock])";
      }
      return Refuse(source, key.source(), name, "unknown key" + hint);
    }
    Result<std::optional<std::string>> text = NodeText(*row, node);
    if (!text.ok()) return Refuse(source, node.source(), name, text.status().message());
    if (Status s = CheckOptionValue(*row, **text); !s.ok()) {
      return Refuse(source, node.source(), name, s.message());
    }
    // CheckOptionValue took the value, so it parses.
    const std::string& value = **text;
    if (key.str() == "quality") {
      FG_ASSIGN_OR_RETURN(profile->quality, ParseDouble(value, name));
    } else {
      FG_ASSIGN_OR_RETURN(const int v, ParseInt(value, name));
      if (key.str() == "frames") profile->frames = v;
      if (key.str() == "fps") profile->fps = v;
      if (key.str() == "bootstrap_loops") profile->bootstrap_loops = v;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<CoordinatorConfig> ParseCoordinatorConfig(std::string_view text, const std::string& source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(Where(source, e.source()) +
                                   ": TOML syntax error: " + std::string(e.description()));
  }
  CoordinatorConfig config;
  const std::vector<std::string> known = TopLevelKeys();
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (name == kFlockTable) {
      const toml::table* flock = node.as_table();
      if (flock == nullptr) {
        return Refuse(source, node.source(), name,
                      "must be a table ([flock]), got " + TypeName(node));
      }
      FG_RETURN_IF_ERROR(ReadFlock(*flock, source, &config.profile));
      continue;
    }
    std::string flag = "--" + name;
    std::replace(flag.begin(), flag.end(), '_', '-');
    const ServeOption* option =
        name.find('-') == std::string::npos ? FindServeOption(flag) : nullptr;
    if (option == nullptr) {
      std::string hint = Suggestion(name, known);
      if (hint.empty() &&
          std::find(std::begin(kFlockKeys), std::end(kFlockKeys), name) != std::end(kFlockKeys)) {
        hint = " (" + name + " belongs in the [flock] table)";
      }
      return Refuse(source, key.source(), name, "unknown key" + hint);
    }
    Result<std::optional<std::string>> value = NodeText(*option, node);
    if (!value.ok()) return Refuse(source, node.source(), name, value.status().message());
    if (!value->has_value()) continue;  // a flag set to false
    if (Status s = CheckOptionValue(*option, **value); !s.ok()) {
      return Refuse(source, node.source(), name, s.message());
    }
    config.options[flag] = **value;
  }
  return config;
}

Result<CoordinatorConfig> LoadCoordinatorConfig(const std::string& path, Env* env) {
  Result<std::string> text = env->ReadFile(path, kMaxConfigBytes);
  if (!text.ok()) {
    // Env's code (NotFound, IoError, ResourceExhausted) and its reason.
    return Status(text.status().code(),
                  "cannot read config " + path + ": " + text.status().message());
  }
  return ParseCoordinatorConfig(*text, path);
}

std::map<std::string, std::string> MergeServeOptions(
    const std::map<std::string, std::string>& file,
    const std::map<std::string, std::string>& command_line) {
  std::map<std::string, std::string> merged = file;
  for (const auto& [flag, value] : command_line) merged[flag] = value;
  return merged;
}

}  // namespace flamegrid::coordinator
