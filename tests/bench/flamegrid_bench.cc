// flamegrid_bench: Google Benchmark target for the renderer's hot paths.
//
//   Variation/<name>/vector   one variation's vector path (items = points), when it has one
//   Variation/<name>/scalar   the same through the scalar double formula
//   Iterate/<genome>/batch    BatchIterator::IterateChunk (items = samples)
//   Iterate/<genome>/scalar   PreparedFlame::IterateChunk
//   Iterate/<genome>/fallback BatchIterator with the first xform on the scalar fallback (point by
//                             point through PreparedXform::Apply), the others vectorised
//   Plot/<genome>             ToIncrements: samples to histogram increments
//   Accumulate/<genome>       HistogramPlotter::Add: increments into the histogram
//   Density/<genome>          DensityKernels::Apply on a filled histogram (items = cells): the
//                             two-pass path early clip takes
//   DensityFilter/<genome>    DensityFilter: estimation and filter in one pass to pixels (the
//                             default path), kernels composed once outside the loop
//   Render/<genome>           RenderFlame end to end, small size
//   Stages/<genome>/<iter>    RenderFlame at the compare_flam3.sh size (ss 0.5, qs 0.05 of the
//                             sheep; others 400x400 q 200) with per-stage seconds as counters:
//                             iterate (chaos game + plot), density, filter (spatial filter +
//                             tone map), total; <iter> is batch or scalar
//
// Genomes: a Sierpinski triangle (linear only), a classic mix, the classic mix
// with julia3D for julia (a variation beyond flam3's) and the Electric Sheep in
// FLAMEGRID_SHEEP_GENOMES (when present). Counters report items per
// second, i.e. points or samples per second; the label names the SIMD target.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "renderer/genome/flam3_xml.h"
#include "renderer/render/batch_iterator.h"
#include "renderer/render/chaos_game.h"
#include "renderer/render/density_estimation.h"
#include "renderer/render/density_filter.h"
#include "renderer/render/histogram_plotter.h"
#include "renderer/render/renderer.h"
#include "renderer/render/spatial_filter.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"
#include "renderer/variations/variations.h"
#include "renderer/variations/vector_xform.h"
#include "tests/renderer/variations/variation_input.h"

namespace flamegrid {
namespace {

constexpr int kPoints = 4096;
// Samples in one Plot or Accumulate benchmark batch.
constexpr int kPlotBatchSamples = 64 * 1024;

PreparedTerm TermFor(VariationId id) {
  Xform xform;
  xform.Variation(id) = 0.8;
  xform.affine = {0.9, 0.1, -0.2, 0.8, 0.3, -0.4};
  // Parameters away from degenerate defaults (mobius' zeros divide by zero).
  const VariationInfo& info = GetVariationInfo(id);
  for (int j = 0; j < info.param_count; ++j) {
    xform.params[info.first_param + j] = 0.5 + 0.25 * j;
  }
  const PreparedXform prepared = PreparedXform::Prepare(xform);
  return prepared.terms().empty() ? PreparedTerm{id, 0.8} : prepared.terms().front();
}

void Points(std::vector<float>& x, std::vector<float>& y) {
  Random rng(1);
  x.resize(kPoints);
  y.resize(kPoints);
  for (int i = 0; i < kPoints; ++i) {
    x[i] = static_cast<float>(2.0 * rng.UniformSigned());
    y[i] = static_cast<float>(2.0 * rng.UniformSigned());
  }
}

void VariationVector(benchmark::State& state, VariationId id) {
  const PreparedTerm term = TermFor(id);
  VectorTerm v;
  v.id = term.id;
  v.weight = static_cast<float>(term.weight);
  for (size_t j = 0; j < v.param.size(); ++j) v.param[j] = static_cast<float>(term.param[j]);
  for (size_t j = 0; j < v.precalc.size(); ++j) v.precalc[j] = static_cast<float>(term.precalc[j]);
  std::vector<float> x, y, ox(kPoints), oy(kPoints);
  Points(x, y);
  Random seed(2);
  VectorRngState rng;
  rng.Seed(seed);
  for (auto _ : state) {
    EvaluateVectorTerm(v, x.data(), y.data(), ox.data(), oy.data(), kPoints, rng);
    benchmark::DoNotOptimize(ox.data());
  }
  state.SetItemsProcessed(state.iterations() * kPoints);
  state.SetLabel(VectorTargetName());
}

void VariationScalar(benchmark::State& state, VariationId id) {
  const PreparedTerm term = TermFor(id);
  std::vector<float> x, y;
  Points(x, y);
  std::vector<formulas::VariationInput> inputs(kPoints);
  for (int i = 0; i < kPoints; ++i) {
    inputs[i] = testing::InputAt(x[i], y[i]);
  }
  Random rng(2);
  for (auto _ : state) {
    double sum = 0.0;
    for (const formulas::VariationInput& in : inputs) sum += EvaluateTerm(term, in, rng).x;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kPoints);
}

Flame Sierpinski() {
  Flame flame;
  flame.width = flame.height = 256;
  flame.center_x = flame.center_y = 0.5;
  flame.pixels_per_unit = 256;
  for (int k = 0; k < 3; ++k) {
    Xform xf;
    xf.weight = 1.0;
    xf.color = k * 0.5;
    xf.affine = {0.5, 0, 0, 0.5, k == 1 ? 0.5 : 0.0, k == 2 ? 0.5 : 0.0};
    xf.Variation(VariationId::kLinear) = 1.0;
    flame.xforms.push_back(xf);
  }
  return flame;
}

Flame ClassicMix() {
  Flame flame = Sierpinski();
  flame.xforms[0].Variation(VariationId::kSwirl) = 0.5;
  flame.xforms[1].Variation(VariationId::kLinear) = 0.0;
  flame.xforms[1].Variation(VariationId::kJulia) = 0.7;
  flame.xforms[2].Variation(VariationId::kSpherical) = 0.3;
  flame.xforms[2].Variation(VariationId::kHandkerchief) = 0.2;
  Xform final_xform;
  final_xform.Variation(VariationId::kLinear) = 0.8;
  final_xform.Variation(VariationId::kSinusoidal) = 0.2;
  flame.final_xform = final_xform;
  return flame;
}

Flame EmberMix() {
  Flame flame = ClassicMix();
  flame.xforms[1].Variation(VariationId::kJulia) = 0.0;
  flame.xforms[1].Variation(VariationId::kJulia3D) = 0.7;
  return flame;
}

struct NamedFlame {
  std::string name;
  Flame flame;
};

std::vector<NamedFlame> Genomes() {
  std::vector<NamedFlame> genomes = {
      {"sierpinski", Sierpinski()}, {"classic_mix", ClassicMix()}, {"ember_mix", EmberMix()}};
  const char* env = std::getenv("FLAMEGRID_SHEEP_GENOMES");
  const std::filesystem::path dir = env != nullptr ? env : FLAMEGRID_SHEEP_GENOMES;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".flam3") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto flames = ReadFlam3File(file.string());
    if (!flames.ok() || flames->empty()) continue;
    genomes.push_back({file.stem().string(), flames->front()});
  }
  return genomes;
}

void IterateBatch(benchmark::State& state, const Flame& flame, std::vector<int> scalar_xforms) {
  auto it = BatchIterator::Create(flame, scalar_xforms);
  if (!it.ok()) return state.SkipWithError(it.status().ToString().c_str());
  uint64_t chunk = 0, iterations = 0;
  const BatchIterator::Sink sink = [](const PointArrays& step) {
    benchmark::DoNotOptimize(step.x);
  };
  for (auto _ : state) {
    Random rng = Random::ForStream(1, chunk++);
    it->IterateChunk(rng, kBatchChunkSamples, kBatchFuseIterations, sink, &iterations);
  }
  state.SetItemsProcessed(state.iterations() * kBatchChunkSamples);
  state.counters["iterations/s"] =
      benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kIsRate);
  state.SetLabel(VectorTargetName());
}

void IterateScalar(benchmark::State& state, const Flame& flame) {
  auto prepared = PreparedFlame::Create(flame);
  if (!prepared.ok()) return state.SkipWithError(prepared.status().ToString().c_str());
  std::vector<IteratedPoint> out;
  uint64_t chunk = 0, iterations = 0;
  for (auto _ : state) {
    Random rng = Random::ForStream(1, chunk++);
    prepared->IterateChunk(rng, kChunkSamples, kFuseIterations, out, &iterations);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * kChunkSamples);
  state.counters["iterations/s"] =
      benchmark::Counter(static_cast<double>(iterations), benchmark::Counter::kIsRate);
}

void Plot(benchmark::State& state, const Flame& flame) {
  auto it = BatchIterator::Create(flame);
  auto camera = Camera::Create(flame, 3, flame.estimator_radius);
  if (!it.ok() || !camera.ok()) return state.SkipWithError("cannot prepare");
  std::vector<IteratedPoint> points;
  Random rng(3);
  uint64_t iterations = 0;
  it->IterateChunk(rng, kPlotBatchSamples, kBatchFuseIterations, points, &iterations);
  const PlotPalette palette(flame.palette, flame.palette_mode, 1.0);
  std::vector<CellIncrement> increments;
  for (auto _ : state) {
    ToIncrements(points, *camera, palette, increments);
    benchmark::DoNotOptimize(increments.data());
  }
  state.SetItemsProcessed(state.iterations() * points.size());
}

// A histogram filled by `samples` batched samples of `flame`, at its own size.
struct Filled {
  Camera camera;
  Histogram histogram{1, 1};
};

Result<Filled> FillHistogram(const Flame& flame, int supersample, int filter_width,
                             uint64_t samples) {
  Flame f = flame;
  f.supersample = supersample;
  FG_ASSIGN_OR_RETURN(BatchIterator it, BatchIterator::Create(f));
  FG_ASSIGN_OR_RETURN(Camera camera, Camera::Create(f, filter_width, f.estimator_radius));
  Filled filled{camera, Histogram(camera.histogram_width(), camera.histogram_height())};
  HistogramPlotter plotter(filled.histogram);
  const PlotPalette palette(f.palette, f.palette_mode, 1.0);
  std::vector<CellIncrement> increments(kBatchMaxWalkers);
  PlotScratch scratch;
  uint64_t iterations = 0;
  for (uint64_t k = 0; k * kBatchChunkSamples < samples; ++k) {
    Random rng = Random::ForStream(5, k);
    it.IterateChunk(
        rng, kBatchChunkSamples, kBatchFuseIterations,
        [&](const PointArrays& step) {
          const size_t n = WriteIncrements(step, camera, palette, increments.data());
          plotter.Add(std::span<const CellIncrement>(increments.data(), n), scratch);
        },
        &iterations);
  }
  return filled;
}

void Accumulate(benchmark::State& state, const Flame& flame) {
  auto it = BatchIterator::Create(flame);
  auto camera = Camera::Create(flame, 3, flame.estimator_radius);
  if (!it.ok() || !camera.ok()) return state.SkipWithError("cannot prepare");
  std::vector<IteratedPoint> points;
  Random rng(3);
  uint64_t iterations = 0;
  it->IterateChunk(rng, kPlotBatchSamples, kBatchFuseIterations, points, &iterations);
  const PlotPalette palette(flame.palette, flame.palette_mode, 1.0);
  std::vector<CellIncrement> increments;
  ToIncrements(points, *camera, palette, increments);
  Histogram histogram(camera->histogram_width(), camera->histogram_height());
  HistogramPlotter plotter(histogram);
  PlotScratch scratch;
  for (auto _ : state) {
    plotter.Add(increments, scratch);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * increments.size());
}

// What both density benchmarks start from: a histogram filled at ss 2 and
// quality 20 for a camera made for a radius-1 Gaussian filter, that filter,
// and the flame's density kernels.
struct DensityInput {
  Filled filled;
  SpatialFilter filter;
  DensityKernels kernels;
  static constexpr int kSupersample = 2;
};

Result<DensityInput> PrepareDensity(const Flame& flame) {
  const int ss = DensityInput::kSupersample;
  const double quality = 20.0;
  FG_ASSIGN_OR_RETURN(SpatialFilter filter, SpatialFilter::Create(FilterShape::kGaussian, 1.0, ss));
  FG_ASSIGN_OR_RETURN(Filled filled,
                      FillHistogram(flame, ss, filter.width(),
                                    static_cast<uint64_t>(quality * flame.width * flame.height)));
  FG_ASSIGN_OR_RETURN(DensityKernels kernels,
                      DensityKernels::Create(flame.estimator_radius, flame.estimator_minimum,
                                             flame.estimator_curve, ss));
  return DensityInput{std::move(filled), std::move(filter), std::move(kernels)};
}

void Density(benchmark::State& state, const Flame& flame) {
  auto input = PrepareDensity(flame);
  if (!input.ok()) return state.SkipWithError(input.status().ToString().c_str());
  const Histogram& histogram = input->filled.histogram;
  const LogScale scale{1.0, 1e-3};
  std::vector<AccumCell> accum;
  for (auto _ : state) {
    accum.assign(histogram.cells().size(), AccumCell{});
    const Status status =
        input->kernels.Apply(histogram, scale, DensityInput::kSupersample, accum, nullptr);
    if (!status.ok()) return state.SkipWithError(status.ToString().c_str());
    benchmark::DoNotOptimize(accum.data());
  }
  state.SetItemsProcessed(state.iterations() * histogram.cells().size());
}

void DensityFiltered(benchmark::State& state, const Flame& flame) {
  auto input = PrepareDensity(flame);
  if (!input.ok()) return state.SkipWithError(input.status().ToString().c_str());
  auto fused =
      DensityFilter::Create(input->kernels, input->filter.taps(), DensityInput::kSupersample);
  if (!fused.ok()) return state.SkipWithError(fused.status().ToString().c_str());
  const Histogram& histogram = input->filled.histogram;
  const Camera& camera = input->filled.camera;
  const LogScale scale{1.0, 1e-3};
  std::vector<float> pixels;
  for (auto _ : state) {
    pixels.assign(static_cast<size_t>(camera.image_width()) * camera.image_height() * 4, 0.0f);
    const Status status =
        fused->Apply(histogram, input->kernels, scale, camera.filter_offset(), pixels,
                     camera.image_width(), camera.image_height(), nullptr);
    if (!status.ok()) return state.SkipWithError(status.ToString().c_str());
    benchmark::DoNotOptimize(pixels.data());
  }
  state.SetItemsProcessed(state.iterations() * histogram.cells().size());
}

void Stages(benchmark::State& state, const Flame& flame, bool scalar) {
  RenderOptions options;
  options.threads = 2;
  options.scalar_iterator = scalar;
  if (flame.width > 1000) {  // the sheep: compare_flam3.sh's ss and qs
    options.size_scale = 0.5;
    options.quality_scale = 0.05;
  } else {
    options.size_scale = 400.0 / std::max(flame.width, flame.height);
    options.quality_scale = 200.0 / flame.sample_density;
  }
  RenderStats sum;
  for (auto _ : state) {
    RenderStats stats;
    auto image = RenderFlame(flame, options, &stats);
    if (!image.ok()) return state.SkipWithError(image.status().ToString().c_str());
    sum.seconds_iterate += stats.seconds_iterate;
    sum.seconds_density += stats.seconds_density;
    sum.seconds_filter += stats.seconds_filter;
    sum.seconds_total += stats.seconds_total;
    sum.iterations += stats.iterations;
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["iterate_s"] = sum.seconds_iterate / n;
  state.counters["density_s"] = sum.seconds_density / n;
  state.counters["filter_s"] = sum.seconds_filter / n;
  state.counters["total_s"] = sum.seconds_total / n;
  state.counters["Msamples/s"] = sum.iterations / sum.seconds_iterate / 1e6;
  state.SetLabel(scalar ? "scalar" : VectorTargetName());
}

void Render(benchmark::State& state, const Flame& flame) {
  Flame small = flame;
  RenderOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.size_scale = 200.0 / std::max(flame.width, flame.height);
  options.quality_scale = 20.0 / flame.sample_density;
  for (auto _ : state) {
    RenderStats stats;
    auto image = RenderFlame(small, options, &stats);
    if (!image.ok()) return state.SkipWithError(image.status().ToString().c_str());
    state.counters["iterations"] = static_cast<double>(stats.iterations);
  }
}

void RegisterAll() {
  for (const VariationInfo& info : AllVariations()) {
    if (info.form != VariationForm::kRegular) continue;  // a form runs its entry's formula
    if (info.id == VariationId::kPreBlur) continue;
    const std::string name(info.name);
    if (info.has_vector_formula) {
      benchmark::RegisterBenchmark(("Variation/" + name + "/vector").c_str(), VariationVector,
                                   info.id);
    }
    benchmark::RegisterBenchmark(("Variation/" + name + "/scalar").c_str(), VariationScalar,
                                 info.id);
  }
  static const std::vector<NamedFlame> genomes = Genomes();
  for (const NamedFlame& g : genomes) {
    benchmark::RegisterBenchmark(("Iterate/" + g.name + "/batch").c_str(), IterateBatch, g.flame,
                                 std::vector<int>{})
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Iterate/" + g.name + "/fallback").c_str(), IterateBatch, g.flame,
                                 std::vector<int>{0})
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Iterate/" + g.name + "/scalar").c_str(), IterateScalar, g.flame)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Plot/" + g.name).c_str(), Plot, g.flame)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Accumulate/" + g.name).c_str(), Accumulate, g.flame)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("Density/" + g.name).c_str(), Density, g.flame)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("DensityFilter/" + g.name).c_str(), DensityFiltered, g.flame)
        ->Unit(benchmark::kMillisecond);
    for (bool scalar : {false, true}) {
      benchmark::RegisterBenchmark(("Stages/" + g.name + (scalar ? "/scalar" : "/batch")).c_str(),
                                   Stages, g.flame, scalar)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime()
          ->Iterations(1);
    }
    benchmark::RegisterBenchmark(("Render/" + g.name).c_str(), Render, g.flame)
        ->Arg(1)
        ->Arg(2)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
  }
}

}  // namespace
}  // namespace flamegrid

int main(int argc, char** argv) {
  flamegrid::RegisterAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
