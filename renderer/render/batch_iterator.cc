#include "renderer/render/batch_iterator.h"

#include <algorithm>
#include <cstring>

namespace flamegrid {
namespace {

constexpr uint32_t kTableSlots = 1u << kXformTableBits;

// A chunk's walkers, structure of arrays. `a` holds them in the previous
// step's order, `b` regrouped by the xform they chose; the two swap roles.
struct Walkers {
  std::vector<float> x, y, color;
  std::vector<uint16_t> previous;  // last good xform + 1 (0: none yet), the xaos row
  std::vector<uint8_t> consecutive_bad;
  void Resize(size_t n) {
    x.resize(n);
    y.resize(n);
    color.resize(n);
    previous.resize(n);
    consecutive_bad.resize(n);
  }
};

// Per-thread scratch, reused across chunks.
struct Scratch {
  Walkers a, b;
  std::vector<uint32_t> random;
  std::vector<uint16_t> choice;
  std::vector<uint16_t> xform_of;  // the xform that mapped each walker this step
  std::vector<uint8_t> bad;
  std::vector<uint32_t> start;  // span starts per xform
  // The plotted samples of one step, compacted.
  std::vector<float> px, py, pc, pv, fx, fy;
  std::vector<uint32_t> final_random;
  std::vector<uint8_t> final_bad;
  VectorRngState rng;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// Step 4's general case: a walker with a bad value retries up to
// kMaxConsecutiveBadValues times unplotted (then it is plotted anyway); the
// first `wanted` plotted samples are compacted into px/py/pc/pv. Returns how
// many; `retrying` says, before and after, whether any walker is retrying.
template <typename Visibility>
size_t PlotWithRetries(Scratch& s, size_t n, size_t wanted, bool& retrying, Visibility visibility) {
  // While nobody retried, the regroup did not carry the (zero) retry counts.
  if (!retrying) std::fill_n(s.b.consecutive_bad.begin(), n, 0);
  retrying = false;
  size_t plotted = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t& consecutive_bad = s.b.consecutive_bad[i];
    if (s.bad[i] && ++consecutive_bad <= kMaxConsecutiveBadValues) {
      retrying = true;
      continue;
    }
    consecutive_bad = 0;
    const uint16_t k = s.xform_of[i];
    s.b.previous[i] = static_cast<uint16_t>(k + 1);
    if (plotted < wanted) {
      s.px[plotted] = s.b.x[i];
      s.py[plotted] = s.b.y[i];
      s.pc[plotted] = s.b.color[i];
      s.pv[plotted] = visibility(k);
      ++plotted;
    }
  }
  return plotted;
}

}  // namespace

Result<BatchIterator> BatchIterator::Create(const Flame& flame,
                                            std::span<const int> scalar_xforms) {
  // PreparedFlame validates the flame and builds flam3's choice tables; we
  // copy its tables so both iterators choose xforms identically.
  FG_ASSIGN_OR_RETURN(const PreparedFlame prepared, PreparedFlame::Create(flame));
  const auto compile = [&](const Xform& xf, int index) {
    const PreparedXform scalar = PreparedXform::Prepare(xf);
    const bool forced =
        std::find(scalar_xforms.begin(), scalar_xforms.end(), index) != scalar_xforms.end();
    return forced ? VectorXform::ScalarFallback(scalar) : VectorXform::From(scalar);
  };
  BatchIterator it;
  for (const Xform& xf : flame.xforms) {
    Step step;
    step.xform = compile(xf, static_cast<int>(it.steps_.size()));
    step.color = static_cast<float>(xf.color);
    step.color_speed = static_cast<float>(xf.color_speed);
    step.visibility = static_cast<float>(AdjustedOpacity(xf.opacity));
    it.steps_.push_back(std::move(step));
  }
  if (flame.final_xform) {
    Step step;
    step.xform = compile(*flame.final_xform, -1);
    step.color = static_cast<float>(flame.final_xform->color);
    step.color_speed = static_cast<float>(flame.final_xform->color_speed);
    step.visibility = static_cast<float>(flame.final_xform->opacity);
    it.final_ = std::move(step);
  }
  it.rows_ = prepared.uses_xaos() ? prepared.xform_count() + 1 : 1;
  it.table_.resize(static_cast<size_t>(it.rows_) * kTableSlots);
  for (int row = 0; row < it.rows_; ++row) {
    for (uint32_t slot = 0; slot < kTableSlots; ++slot) {
      it.table_[static_cast<size_t>(row) * kTableSlots + slot] =
          static_cast<uint16_t>(prepared.ChooseXform(row - 1, slot));
    }
  }
  return it;
}

int BatchIterator::scalar_fallback_count() const {
  int count = final_ && final_->xform.scalar_fallback ? 1 : 0;
  for (const Step& step : steps_) count += step.xform.scalar_fallback ? 1 : 0;
  return count;
}

uint64_t BatchIterator::IterateChunk(Random& rng, int samples, int fuse,
                                     std::vector<IteratedPoint>& out, uint64_t* iterations) const {
  out.clear();
  out.reserve(std::max(samples, 0));
  return IterateChunk(
      rng, samples, fuse,
      [&out](const PointArrays& step) {
        for (size_t i = 0; i < step.count; ++i) {
          out.push_back({step.x[i], step.y[i], step.color[i], step.visibility[i]});
        }
      },
      iterations);
}

uint64_t BatchIterator::IterateChunk(Random& rng, int samples, int fuse, const Sink& sink,
                                     uint64_t* iterations) const {
  if (samples <= 0) return 0;
  Scratch& s = ThreadScratch();
  s.rng.Seed(rng);

  // Enough walkers for full vectors per xform, and kBatchStepsPerWalker
  // steps each at kBatchChunkSamples.
  const size_t lanes = VectorLanes();
  size_t n = static_cast<size_t>(samples) / kBatchStepsPerWalker;
  n = std::clamp<size_t>(n, 16 * lanes, kBatchMaxWalkers);
  n = std::min<size_t>(n, static_cast<size_t>(samples));
  const size_t xforms = steps_.size();

  s.a.Resize(n);
  s.b.Resize(n);
  s.random.resize(n);
  s.choice.resize(n);
  s.xform_of.resize(n);
  s.bad.resize(n);
  s.start.assign(xforms + 1, 0);
  s.px.resize(n);
  s.py.resize(n);
  s.pc.resize(n);
  s.pv.resize(n);
  s.fx.resize(n);
  s.fy.resize(n);
  s.final_random.resize(n);
  s.final_bad.resize(n);
  for (size_t i = 0; i < n; ++i) {
    s.a.x[i] = static_cast<float>(rng.UniformSigned());
    s.a.y[i] = static_cast<float>(rng.UniformSigned());
    s.a.color[i] = static_cast<float>(rng.Uniform01());
    s.a.previous[i] = 0;
    s.a.consecutive_bad[i] = 0;
  }

  const bool xaos = rows_ > 1;
  // Whether any walker is retrying after a bad value (a nonzero
  // consecutive_bad): until one is, steps without bad values take the fast path.
  bool retrying = false;
  uint64_t bad_total = 0;
  uint64_t computed = 0;
  size_t filled = 0;
  for (int step = -fuse; filled < static_cast<size_t>(samples); ++step) {
    // 1. Each walker chooses its xform.
    FillRandomU32(s.random.data(), n, s.rng);
    std::fill(s.start.begin(), s.start.end(), 0);
    for (size_t i = 0; i < n; ++i) {
      const size_t row = xaos ? s.a.previous[i] : 0;
      const uint16_t c = table_[row * kTableSlots + (s.random[i] >> (32 - kXformTableBits))];
      s.choice[i] = c;
      ++s.start[c + 1];
    }
    for (size_t k = 0; k < xforms; ++k) s.start[k + 1] += s.start[k];

    // 2. Regroup the walkers by xform (a stable counting sort).
    {
      std::vector<uint32_t>& next = s.random;  // reuse as the write cursor per xform
      next.assign(s.start.begin(), s.start.end() - 1);
      for (size_t i = 0; i < n; ++i) {
        const uint32_t j = next[s.choice[i]]++;
        s.b.x[j] = s.a.x[i];
        s.b.y[j] = s.a.y[i];
        s.b.color[j] = s.a.color[i];
      }
      // The previous xform matters only with xaos, the retry counts only
      // while some walker retries.
      if (xaos) {
        next.assign(s.start.begin(), s.start.end() - 1);
        for (size_t i = 0; i < n; ++i) s.b.previous[next[s.choice[i]]++] = s.a.previous[i];
      }
      if (retrying) {
        next.assign(s.start.begin(), s.start.end() - 1);
        for (size_t i = 0; i < n; ++i) {
          s.b.consecutive_bad[next[s.choice[i]]++] = s.a.consecutive_bad[i];
        }
      }
      s.random.resize(n);
    }

    // 3. Each xform maps its span (with full vectors, or point by point on
    //    the scalar fallback); colours blend.
    uint64_t step_bad = 0;
    for (size_t k = 0; k < xforms; ++k) {
      const size_t begin = s.start[k], count = s.start[k + 1] - begin;
      if (count == 0) continue;
      const Step& st = steps_[k];
      step_bad +=
          ApplyVectorXform(st.xform, &s.b.x[begin], &s.b.y[begin], &s.bad[begin], count, s.rng);
      const float blend = st.color_speed * st.color;
      const float keep = 1.0f - st.color_speed;
      float* color = &s.b.color[begin];
      for (size_t i = 0; i < count; ++i) color[i] = blend + keep * color[i];
      std::fill_n(&s.xform_of[begin], count, static_cast<uint16_t>(k));
    }
    computed += n;
    bad_total += step_bad;

    // 4. Bad values: retry up to kMaxConsecutiveBadValues times unplotted;
    //    then compact the plotted samples of this step.
    size_t plotted = 0;
    const size_t wanted = static_cast<size_t>(samples) - filled;
    if (step_bad == 0 && !retrying) {
      // Every walker plots, in order: whole copies, and each span's xform.
      if (xaos) {
        for (size_t k = 0; k < xforms; ++k) {
          std::fill(&s.b.previous[s.start[k]], &s.b.previous[s.start[k + 1]],
                    static_cast<uint16_t>(k + 1));
        }
      }
      if (step >= 0) {
        plotted = std::min(n, wanted);
        std::memcpy(s.px.data(), s.b.x.data(), plotted * sizeof(float));
        std::memcpy(s.py.data(), s.b.y.data(), plotted * sizeof(float));
        std::memcpy(s.pc.data(), s.b.color.data(), plotted * sizeof(float));
        for (size_t k = 0; k < xforms; ++k) {
          const size_t end = std::min<size_t>(s.start[k + 1], plotted);
          if (s.start[k] < end) {
            std::fill(&s.pv[s.start[k]], &s.pv[end], steps_[k].visibility);
          }
        }
      }
      std::swap(s.a, s.b);
    } else {
      plotted = PlotWithRetries(s, n, step >= 0 ? wanted : 0, retrying,
                                [this](uint16_t k) { return steps_[k].visibility; });
      std::swap(s.a, s.b);
    }
    if (plotted == 0) continue;

    // 5. The final xform, on the plotted copies only.
    if (final_) {
      std::memcpy(s.fx.data(), s.px.data(), plotted * sizeof(float));
      std::memcpy(s.fy.data(), s.py.data(), plotted * sizeof(float));
      ApplyVectorXform(final_->xform, s.fx.data(), s.fy.data(), s.final_bad.data(), plotted, s.rng);
      const float blend = final_->color_speed * final_->color;
      const float keep = 1.0f - final_->color_speed;
      if (final_->visibility == 1.0f) {
        std::swap(s.px, s.fx);
        std::swap(s.py, s.fy);
        for (size_t i = 0; i < plotted; ++i) s.pc[i] = blend + keep * s.pc[i];
      } else {
        FillRandomU32(s.final_random.data(), plotted, s.rng);
        const float threshold = final_->visibility * 4294967296.0f;
        for (size_t i = 0; i < plotted; ++i) {
          if (static_cast<float>(s.final_random[i]) < threshold) {
            s.px[i] = s.fx[i];
            s.py[i] = s.fy[i];
            s.pc[i] = blend + keep * s.pc[i];
          }
        }
      }
    }
    sink(PointArrays{s.px.data(), s.py.data(), s.pc.data(), s.pv.data(), plotted});
    filled += plotted;
  }
  if (iterations != nullptr) *iterations += computed;
  return bad_total;
}

}  // namespace flamegrid
