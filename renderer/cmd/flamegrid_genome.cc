// flamegrid-genome: make, breed and animate genomes; flam3 XML on stdout.
//
//   flamegrid-genome random [--variations LIST] [--xforms N] [--symmetry K] [--template GENOME]
//                           [--flam3-only]
//   flamegrid-genome mutate GENOME [--method M] [--flam3-only]
//   flamegrid-genome cross A B [--method alternate|interpolate|union]
//   flamegrid-genome loop GENOME --frames N
//   flamegrid-genome edge A B --frames N
//   flamegrid-genome sequence GENOME... --frames N     (flam3-genome sequence=)
// Every command takes --seed S (default 0) and is reproducible with it, and
// --ignore-unknown, which reads genomes without the variations flamegrid does
// not know (with a warning each) instead of refusing them.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "renderer/animate/cross.h"
#include "renderer/animate/edge.h"
#include "renderer/animate/mutate.h"
#include "renderer/animate/random_genome.h"
#include "renderer/animate/sequence.h"
#include "renderer/animate/validate.h"
#include "renderer/base/random.h"
#include "renderer/base/status.h"
#include "renderer/genome/flam3_xml.h"

namespace flamegrid {
namespace {

constexpr const char* kUsage =
    "usage: flamegrid-genome COMMAND [ARGS] [--seed S]\n"
    "commands:\n"
    "  random [--variations LIST] [--xforms N] [--symmetry K] [--template GENOME]\n"
    "         [--flam3-only]\n"
    "         LIST: comma-separated variation names or flam3 numbers; without it,\n"
    "         every variation, weighted (flam3's classics most, blurs and 3D ones less)\n"
    "  mutate GENOME [--method any|all_vars|one_xform|add_symmetry|post_xforms|\n"
    "                          color_palette|delete_xform|all_coefs]\n"
    "  cross A B [--method any|alternate|interpolate|union]\n"
    "  loop GENOME --frames N        one control point per frame of the loop\n"
    "  edge A B --frames N           one control point per frame of the edge A -> B\n"
    "  sequence GENOME... --frames N loops and edges, as flam3-genome sequence=\n"
    "  --ignore-unknown              read genomes without variations flamegrid does not know\n"
    "  --flam3-only                  random and mutate draw from flam3-genome's list only\n"
    "Writes flam3 XML to stdout. The first flame of each GENOME file is used.\n";

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
};

Result<Args> ParseArgs(int argc, char** argv) {
  static const std::map<std::string, bool> kKnown = {
      {"--seed", true},       {"--frames", true}, {"--method", true},
      {"--variations", true}, {"--xforms", true}, {"--symmetry", true},
      {"--template", true},   {"--help", false},  {"--ignore-unknown", false},
      {"--flam3-only", false}};
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h") arg = "--help";
    if (arg.rfind("--", 0) == 0) {
      std::string value;
      const size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg = arg.substr(0, eq);
      }
      const auto known = kKnown.find(arg);
      if (known == kKnown.end()) return Status::InvalidArgument("unknown option " + arg);
      if (known->second && eq == std::string::npos) {
        if (i + 1 >= argc) return Status::InvalidArgument(arg + " needs a value");
        value = argv[++i];
      }
      args.options[arg] = value;
    } else if (args.command.empty()) {
      args.command = arg;
    } else {
      args.positional.push_back(arg);
    }
  }
  return args;
}

Result<long long> ParseInteger(const std::string& text, const std::string& what) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    return Status::InvalidArgument(what + " must be an integer, not '" + text + "'");
  }
  return value;
}

// The flames of `path` (only the first with `first_only`), each of which must
// read; warnings go to stderr.
Result<std::vector<Flame>> ReadGenomes(const std::string& path, const Args& args, bool first_only) {
  Flam3ReadOptions options;
  if (args.options.count("--ignore-unknown")) {
    options.unknown_variations = UnknownVariations::kIgnoreWithWarning;
  }
  FG_ASSIGN_OR_RETURN(Flam3Document document, ReadFlam3FileEach(path, options));
  for (const std::string& warning : document.warnings) {
    std::fprintf(stderr, "flamegrid-genome: warning: %s: %s\n", path.c_str(), warning.c_str());
  }
  std::vector<Flame> flames;
  for (FlameReadResult& read : document.flames) {
    if (!read.flame.ok()) return read.flame.status();
    for (const std::string& warning : read.warnings) {
      std::fprintf(stderr, "flamegrid-genome: warning: %s: %s\n", path.c_str(), warning.c_str());
    }
    flames.push_back(std::move(read.flame).value());
    if (first_only) break;
  }
  if (flames.empty()) return Status::InvalidArgument(path + ": no <flame> in the file");
  return flames;
}

Result<Flame> ReadFirstFlame(const std::string& path, const Args& args) {
  FG_ASSIGN_OR_RETURN(std::vector<Flame> flames, ReadGenomes(path, args, true));
  FG_RETURN_IF_ERROR(ValidateGenome(flames[0]).WithContext(path));
  return flames[0];
}

Result<int> FrameCount(const Args& args) {
  const auto it = args.options.find("--frames");
  if (it == args.options.end()) return Status::InvalidArgument(args.command + " needs --frames N");
  FG_ASSIGN_OR_RETURN(long long frames, ParseInteger(it->second, "--frames"));
  if (frames <= 0 || frames > kMaxSequenceFrames) {
    return Status::InvalidArgument("--frames must be in 1.." + std::to_string(kMaxSequenceFrames) +
                                   ", not " + it->second);
  }
  return static_cast<int>(frames);
}

Status ExpectPositional(const Args& args, size_t count, const char* names) {
  if (args.positional.size() != count) {
    return Status::InvalidArgument(args.command + " takes " + names + " (got " +
                                   std::to_string(args.positional.size()) + " arguments)");
  }
  return Status::Ok();
}

Result<std::vector<VariationId>> ParseVariationList(const std::string& list) {
  std::vector<VariationId> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::string name = list.substr(start, comma - start);
    start = comma + 1;
    if (name.empty()) continue;
    if (auto id = FindVariation(name)) {
      out.push_back(*id);
      continue;
    }
    auto number = ParseInteger(name, "variation");
    if (!number.ok() || *number < 0 || *number >= kVariationCount) {
      return Status::InvalidArgument("unknown variation '" + name + "'");
    }
    out.push_back(static_cast<VariationId>(*number));
  }
  if (out.empty()) return Status::InvalidArgument("--variations lists no variation");
  return out;
}

Result<std::string> Run(const Args& args, Random& rng) {
  std::vector<Flame> out;
  const auto method = args.options.find("--method");
  const std::string method_name = method == args.options.end() ? "" : method->second;
  if (args.command == "random") {
    FG_RETURN_IF_ERROR(ExpectPositional(args, 0, "no file"));
    RandomGenomeOptions options;
    options.flam3_only = args.options.count("--flam3-only") > 0;
    if (auto it = args.options.find("--variations"); it != args.options.end()) {
      FG_ASSIGN_OR_RETURN(options.variations, ParseVariationList(it->second));
    }
    if (auto it = args.options.find("--xforms"); it != args.options.end()) {
      FG_ASSIGN_OR_RETURN(long long n, ParseInteger(it->second, "--xforms"));
      if (n < 1 || n > kMaxRandomXforms) {
        return Status::InvalidArgument("--xforms must be in 1.." +
                                       std::to_string(kMaxRandomXforms));
      }
      options.xforms = static_cast<int>(n);
    }
    if (auto it = args.options.find("--symmetry"); it != args.options.end()) {
      FG_ASSIGN_OR_RETURN(long long k, ParseInteger(it->second, "--symmetry"));
      if (k < -kMaxSymmetryOrder || k > kMaxSymmetryOrder) {
        return Status::InvalidArgument("--symmetry must be within ±" +
                                       std::to_string(kMaxSymmetryOrder));
      }
      options.symmetry = static_cast<int>(k);
    }
    Flame templ;
    if (auto it = args.options.find("--template"); it != args.options.end()) {
      FG_ASSIGN_OR_RETURN(std::vector<Flame> flames, ReadGenomes(it->second, args, true));
      templ = flames[0];
      options.templ = &templ;
    }
    FG_ASSIGN_OR_RETURN(Flame flame, RandomGenome(options, rng));
    out.push_back(std::move(flame));
  } else if (args.command == "mutate") {
    FG_RETURN_IF_ERROR(ExpectPositional(args, 1, "GENOME"));
    FG_ASSIGN_OR_RETURN(Flame parent, ReadFirstFlame(args.positional[0], args));
    MutateOptions options;
    options.flam3_only = args.options.count("--flam3-only") > 0;
    FG_ASSIGN_OR_RETURN(options.method, ParseMutationMethod(method_name));
    FG_ASSIGN_OR_RETURN(Flame child, Mutate(parent, options, rng));
    out.push_back(std::move(child));
  } else if (args.command == "cross") {
    FG_RETURN_IF_ERROR(ExpectPositional(args, 2, "A B"));
    FG_ASSIGN_OR_RETURN(Flame a, ReadFirstFlame(args.positional[0], args));
    FG_ASSIGN_OR_RETURN(Flame b, ReadFirstFlame(args.positional[1], args));
    FG_ASSIGN_OR_RETURN(CrossMethod cross_method, ParseCrossMethod(method_name));
    FG_ASSIGN_OR_RETURN(Flame child, Cross(a, b, cross_method, rng));
    out.push_back(std::move(child));
  } else if (args.command == "loop") {
    FG_RETURN_IF_ERROR(ExpectPositional(args, 1, "GENOME"));
    FG_ASSIGN_OR_RETURN(int frames, FrameCount(args));
    FG_ASSIGN_OR_RETURN(Flame flame, ReadFirstFlame(args.positional[0], args));
    FG_ASSIGN_OR_RETURN(out, MakeLoop(flame, frames));
  } else if (args.command == "edge") {
    FG_RETURN_IF_ERROR(ExpectPositional(args, 2, "A B"));
    FG_ASSIGN_OR_RETURN(int frames, FrameCount(args));
    FG_ASSIGN_OR_RETURN(Flame a, ReadFirstFlame(args.positional[0], args));
    FG_ASSIGN_OR_RETURN(Flame b, ReadFirstFlame(args.positional[1], args));
    FG_ASSIGN_OR_RETURN(out, MakeEdge(a, b, frames));
  } else if (args.command == "sequence") {
    if (args.positional.empty()) return Status::InvalidArgument("sequence takes GENOME...");
    FG_ASSIGN_OR_RETURN(int frames, FrameCount(args));
    std::vector<Flame> flames;
    for (const std::string& path : args.positional) {
      FG_ASSIGN_OR_RETURN(std::vector<Flame> in, ReadGenomes(path, args, false));
      for (Flame& f : in) {
        FG_RETURN_IF_ERROR(ValidateGenome(f).WithContext(path));
        flames.push_back(std::move(f));
      }
    }
    FG_ASSIGN_OR_RETURN(out, MakeSequence(flames, frames));
  } else if (args.command.empty()) {
    return Status::InvalidArgument("no command given");
  } else {
    return Status::InvalidArgument("unknown command '" + args.command + "'");
  }
  return WriteFlam3(out);
}

}  // namespace
}  // namespace flamegrid

int main(int argc, char** argv) {
  using namespace flamegrid;
  auto args = ParseArgs(argc, argv);
  if (!args.ok()) {
    std::fprintf(stderr, "flamegrid-genome: %s\n%s", args.status().message().c_str(), kUsage);
    return 2;
  }
  if (args->options.count("--help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  uint64_t seed = 0;
  if (auto it = args->options.find("--seed"); it != args->options.end()) {
    const std::string& text = it->second;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
    if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
      std::fprintf(stderr, "flamegrid-genome: --seed must be a non-negative integer, not '%s'\n",
                   text.c_str());
      return 2;
    }
  }
  Random rng(seed);
  auto xml = Run(*args, rng);
  if (!xml.ok()) {
    std::fprintf(stderr, "flamegrid-genome: %s\n", xml.status().message().c_str());
    if (args->command.empty()) std::fputs(kUsage, stderr);
    return 1;
  }
  std::fwrite(xml->data(), 1, xml->size(), stdout);
  if (xml->empty() || xml->back() != '\n') std::fputc('\n', stdout);
  return 0;
}
