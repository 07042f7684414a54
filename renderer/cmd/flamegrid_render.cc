// flamegrid-render: renders flam3 genomes to images.
//
//   flamegrid-render GENOME.flam3 -o OUT.png [--quality-scale F] [--size-scale F]
//       [--threads N] [--seed S] [--flame I] [--frame K] [--stats] [--max-memory SIZE]
//       [--ignore-unknown]
//
// Each flame of the file is read and rendered on its own: a bad flame is
// reported (file, index, name, attribute) and the others still render.
// Exit status: 0 every flame rendered, 1 the genome, a flame or a render
// failed, 2 bad command line.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "renderer/animate/sequence.h"
#include "renderer/base/parse_number.h"
#include "renderer/cmd/progress_bar.h"
#include "renderer/genome/flam3_xml.h"
#include "renderer/image/image_io.h"
#include "renderer/render/renderer.h"
#include "renderer/variations/vector_xform.h"

namespace flamegrid {
namespace {

struct Arguments {
  std::string genome_path;
  std::string output_path;
  double quality_scale = 1.0;
  double size_scale = 1.0;
  int threads = 0;
  uint64_t seed = 0;
  int flame_index = -1;  // -1: every flame
  int frame = -1;        // -1: not an animation frame
  bool stats = false;
  std::string max_memory;
  int bits = 8;
  bool transparent = false;
  bool early_clip = false;
  bool ignore_unknown = false;
};

// OUT.png for a single image; OUT.00003.png for image 3 of many (flam3-render's numbering).
std::string NumberedPath(const std::string& path, int index) {
  std::filesystem::path p(path);
  char number[16];
  std::snprintf(number, sizeof number, ".%05d", index);
  return (p.parent_path() / (p.stem().string() + number + p.extension().string())).string();
}

// Runs `render` on a worker thread while this thread draws the progress bar.
Result<Image> WithProgress(const std::string& label, RenderOptions options,
                           const std::function<Result<Image>(const RenderOptions&)>& render) {
  ProgressBar bar(label);
  if (!bar.enabled()) return render(options);
  std::atomic<uint64_t> done{0}, total{0};
  options.progress_done = &done;
  options.progress_total = &total;
  auto future = std::async(std::launch::async, [&] { return render(options); });
  while (future.wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
    bar.Update(done.load(std::memory_order_relaxed), total.load(std::memory_order_relaxed));
  }
  Result<Image> image = future.get();
  if (image.ok()) bar.Finish();
  return image;
}

void Warn(const std::string& message) {
  std::fprintf(stderr, "flamegrid-render: warning: %s\n", message.c_str());
}

void PrintStats(const RenderStats& stats) {
  double rate = stats.seconds_iterate > 0 ? stats.iterations / stats.seconds_iterate : 0.0;
  std::printf("{\"iterations\":%" PRIu64
              ",\"seconds_iterate\":%.6f,\"seconds_density\":%.6f,\"seconds_filter\":%.6f,"
              "\"seconds_total\":%.6f,\"iterations_per_second\":%.1f,\"bad_values\":%" PRIu64
              ",\"memory_bytes\":%" PRIu64 "}\n",
              stats.iterations, stats.seconds_iterate, stats.seconds_density, stats.seconds_filter,
              stats.seconds_total, rate, stats.bad_values, stats.memory_bytes);
  std::fflush(stdout);
}

Status Run(const Arguments& args) {
  RenderOptions options;
  options.quality_scale = args.quality_scale;
  options.size_scale = args.size_scale;
  options.threads = args.threads;
  options.seed = args.seed;
  options.transparent = args.transparent;
  options.early_clip = args.early_clip;
  if (!args.max_memory.empty()) {
    FG_ASSIGN_OR_RETURN(options.max_memory_bytes, ParseByteSize(args.max_memory));
  }
  const std::string extension = std::filesystem::path(args.output_path).extension().string();
  options.linear = extension == ".exr" || extension == ".EXR";

  Flam3ReadOptions read_options;
  if (args.ignore_unknown) read_options.unknown_variations = UnknownVariations::kIgnoreWithWarning;
  FG_ASSIGN_OR_RETURN(Flam3Document document, ReadFlam3FileEach(args.genome_path, read_options));
  FG_RETURN_IF_ERROR(CheckWritableFormat(args.output_path));
  for (const std::string& warning : document.warnings) Warn(args.genome_path + ": " + warning);
  ImageWriteOptions write_options;
  write_options.bits = args.bits;
  write_options.alpha = args.transparent;

  auto write = [&](const Image& image, const Flame& genome, const std::string& path,
                   const RenderStats& stats) -> Status {
    write_options.genome_xml = WriteFlameXml(genome);
    FG_RETURN_IF_ERROR(WriteImage(image, path, write_options));
    if (args.stats) PrintStats(stats);
    std::fprintf(stderr, "wrote %s (%dx%d)\n", path.c_str(), image.width, image.height);
    return Status::Ok();
  };

  auto render_one = [&](const Flame& flame, int index, const std::string& path) -> Status {
    RenderStats stats;
    std::string label = flame.name.empty() ? "flame " + std::to_string(index) : flame.name;
    auto image = WithProgress(
        label, options, [&](const RenderOptions& o) { return RenderFlame(flame, o, &stats); });
    if (!image.ok()) return image.status().WithContext(args.genome_path + ": " + label);
    return write(*image, flame, path, stats);
  };

  if (args.frame >= 0) {
    // An animation needs every control point: one bad flame fails the frame.
    std::vector<Flame> flames;
    for (FlameReadResult& read : document.flames) {
      if (!read.flame.ok()) return read.flame.status();
      for (const std::string& warning : read.warnings) Warn(args.genome_path + ": " + warning);
      flames.push_back(std::move(read.flame).value());
    }
    RenderStats stats;
    auto image = WithProgress(
        "frame " + std::to_string(args.frame), options,
        [&](const RenderOptions& o) { return RenderSequenceFrame(flames, args.frame, o, &stats); });
    if (!image.ok()) return image.status().WithContext(args.genome_path);
    auto genome = InterpolateAt(flames, args.frame);
    return write(*image, genome.ok() ? *genome : flames.front(), args.output_path, stats);
  }

  const int flame_count = static_cast<int>(document.flames.size());
  std::vector<int> indices;
  if (args.flame_index >= 0) {
    if (args.flame_index >= flame_count) {
      return Status::InvalidArgument(args.genome_path + " has " + std::to_string(flame_count) +
                                     " flame(s); --flame " + std::to_string(args.flame_index) +
                                     " does not exist (counting from 0)");
    }
    indices.push_back(args.flame_index);
  } else {
    for (int i = 0; i < flame_count; ++i) indices.push_back(i);
  }
  // Each flame is read and rendered on its own: a bad one is reported and the
  // others still render. Images keep their number in the file.
  int failed = 0;
  bool unknown_variations = false;
  Status last_failure;
  for (int index : indices) {
    FlameReadResult& read = document.flames[index];
    for (const std::string& warning : read.warnings) Warn(args.genome_path + ": " + warning);
    Status status = read.flame.ok()
                        ? render_one(*read.flame, index,
                                     indices.size() == 1 ? args.output_path
                                                         : NumberedPath(args.output_path, index))
                        : read.flame.status();
    if (!status.ok()) {
      ++failed;
      unknown_variations |= status.message().find("unknown variation") != std::string::npos;
      last_failure = status;
      if (indices.size() > 1) {
        std::fprintf(stderr, "flamegrid-render: %s\n", status.ToString().c_str());
      }
    }
  }
  if (failed == 0) return Status::Ok();
  const std::string hint =
      !args.ignore_unknown && unknown_variations
          ? "; --ignore-unknown renders such flames without the variations flamegrid lacks"
          : "";
  if (indices.size() == 1) return Status(last_failure.code(), last_failure.message() + hint);
  return Status(last_failure.code(), std::to_string(failed) + " of " +
                                         std::to_string(indices.size()) + " flames in " +
                                         args.genome_path + " failed (see above)" + hint);
}

}  // namespace
}  // namespace flamegrid

int main(int argc, char** argv) {
  flamegrid::Arguments args;
  CLI::App app{
      "Renders flam3 genomes (Electric Sheep, Apophysis, JWildfire, Fractorium) to images.",
      "flamegrid-render"};
  bool print_simd_target = false;
  app.add_flag("--print-simd-target", print_simd_target,
               "print the vector instruction set chosen for this CPU and exit");
  app.add_option("genome", args.genome_path, "flam3 XML file with one or more <flame>s");
  app.add_option("-o,--output", args.output_path, "output image: .png, .jpg or .exr");
  app.add_option("--quality-scale", args.quality_scale, "multiply quality (flam3-render's qs)")
      ->check(CLI::PositiveNumber);
  app.add_option("--size-scale", args.size_scale, "multiply size and scale (flam3-render's ss)")
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", args.threads, "worker threads (0: every core)")
      ->check(CLI::Range(0, 4096));
  app.add_option("--seed", args.seed, "random seed: same seed, same image");
  app.add_option("--flame", args.flame_index, "render only flame I of the file (from 0)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--frame", args.frame,
                 "render frame K of an animation file (one control point per frame), with "
                 "motion blur")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--stats", args.stats, "print one JSON line of render statistics per image");
  app.add_option("--max-memory", args.max_memory,
                 "refuse renders estimated to need more than SIZE (e.g. 512M, 2G)");
  app.add_option("--bits", args.bits, "PNG bits per channel: 8 or 16")
      ->check(CLI::IsMember({8, 16}));
  app.add_flag("--ignore-unknown", args.ignore_unknown,
               "render flames without the variations flamegrid does not know, with a warning "
               "naming each (by default such a flame fails)");
  app.add_flag("--transparent", args.transparent, "transparent background (PNG/EXR alpha)");
  app.add_flag("--early-clip", args.early_clip,
               "tone-map before the spatial filter (flam3-render's earlyclip=1)");
  app.get_option("--frame")->excludes("--flame");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);  // prints help, or the error
    return code == 0 ? 0 : 2;
  }
  if (print_simd_target) {
    std::printf("simd target: %s\n", flamegrid::VectorTargetName());
    return 0;
  }
  if (args.genome_path.empty() || args.output_path.empty()) {
    std::fprintf(stderr, "flamegrid-render: a genome file and -o OUTPUT are required\n%s",
                 app.help().c_str());
    return 2;
  }
  flamegrid::Status status = flamegrid::Run(args);
  if (!status.ok()) {
    std::fprintf(stderr, "flamegrid-render: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
