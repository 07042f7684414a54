#include "worker/view/decoder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cstring>
#include <functional>

namespace flamegrid::worker::view {

namespace {

std::string AvError(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, text, sizeof text);
  return text;
}

// One open video: demuxer, decoder, and the converter to BGRA.
class VideoReader {
 public:
  ~VideoReader() {
    sws_freeContext(scaler_);
    av_frame_free(&frame_);
    av_packet_free(&packet_);
    avcodec_free_context(&codec_);
    avformat_close_input(&format_);
  }

  Status Open(const std::filesystem::path& path) {
    int rc = avformat_open_input(&format_, path.c_str(), nullptr, nullptr);
    if (rc < 0) return Status::NotFound("cannot open " + path.string() + ": " + AvError(rc));
    rc = avformat_find_stream_info(format_, nullptr);
    if (rc < 0) return Status::Corruption(path.string() + ": " + AvError(rc));
    const AVCodec* decoder = nullptr;
    stream_ = av_find_best_stream(format_, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (stream_ < 0 || decoder == nullptr) {
      return Status::Corruption(path.string() + " has no decodable video stream");
    }
    codec_ = avcodec_alloc_context3(decoder);
    packet_ = av_packet_alloc();
    frame_ = av_frame_alloc();
    if (!codec_ || !packet_ || !frame_) return Status::ResourceExhausted("out of memory");
    AVStream* stream = format_->streams[stream_];
    rc = avcodec_parameters_to_context(codec_, stream->codecpar);
    if (rc < 0) return Status::Corruption(path.string() + ": " + AvError(rc));
    codec_->thread_count = 2;
    rc = avcodec_open2(codec_, decoder, nullptr);
    if (rc < 0) return Status::Corruption(path.string() + ": " + AvError(rc));
    AVRational rate = stream->avg_frame_rate.num ? stream->avg_frame_rate : stream->r_frame_rate;
    fps_ = rate.num && rate.den ? av_q2d(rate) : 30.0;
    frames_ = stream->nb_frames;
    return Status::Ok();
  }

  int width() const { return codec_->width; }
  int height() const { return codec_->height; }
  double fps() const { return fps_; }
  int64_t frames() const { return frames_; }

  // Decodes the next picture into `out`; false at the end of the video.
  Result<bool> Next(DecodedFrame& out) {
    while (true) {
      int rc = avcodec_receive_frame(codec_, frame_);
      if (rc == 0) {
        FG_RETURN_IF_ERROR(Convert(out));
        av_frame_unref(frame_);
        return true;
      }
      if (rc == AVERROR_EOF) return false;
      if (rc != AVERROR(EAGAIN)) return Status::Corruption("decoding: " + AvError(rc));
      if (draining_) return false;
      rc = av_read_frame(format_, packet_);
      if (rc == AVERROR_EOF) {
        draining_ = true;
        avcodec_send_packet(codec_, nullptr);
        continue;
      }
      if (rc < 0) return Status::IoError("reading: " + AvError(rc));
      if (packet_->stream_index == stream_) {
        rc = avcodec_send_packet(codec_, packet_);
        if (rc < 0 && rc != AVERROR(EAGAIN)) {
          av_packet_unref(packet_);
          return Status::Corruption("decoding: " + AvError(rc));
        }
      }
      av_packet_unref(packet_);
    }
  }

  Status Rewind() {
    int rc = av_seek_frame(format_, stream_, 0, AVSEEK_FLAG_BACKWARD);
    if (rc < 0) return Status::IoError("cannot seek to the start: " + AvError(rc));
    avcodec_flush_buffers(codec_);
    draining_ = false;
    return Status::Ok();
  }

 private:
  Status Convert(DecodedFrame& out) {
    const int w = frame_->width, h = frame_->height;
    scaler_ = sws_getCachedContext(scaler_, w, h, static_cast<AVPixelFormat>(frame_->format), w, h,
                                   AV_PIX_FMT_BGRA, SWS_BILINEAR, nullptr, nullptr, nullptr);
    if (!scaler_) return Status::Internal("no converter from the video's pixel format to BGRA");
    const int* coefficients =
        sws_getCoefficients(frame_->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_DEFAULT);
    sws_setColorspaceDetails(scaler_, coefficients, frame_->color_range == AVCOL_RANGE_JPEG,
                             sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
    out.width = w;
    out.height = h;
    out.bgra.resize(static_cast<size_t>(w) * h * 4);
    uint8_t* planes[4] = {out.bgra.data(), nullptr, nullptr, nullptr};
    int strides[4] = {w * 4, 0, 0, 0};
    sws_scale(scaler_, frame_->data, frame_->linesize, 0, h, planes, strides);
    return Status::Ok();
  }

  AVFormatContext* format_ = nullptr;
  AVCodecContext* codec_ = nullptr;
  AVPacket* packet_ = nullptr;
  AVFrame* frame_ = nullptr;
  SwsContext* scaler_ = nullptr;
  int stream_ = -1;
  double fps_ = 30;
  int64_t frames_ = 0;
  bool draining_ = false;
};

}  // namespace

Result<std::vector<DecodedFrame>> DecodeAllFrames(const std::filesystem::path& path,
                                                  int max_frames) {
  VideoReader reader;
  FG_RETURN_IF_ERROR(reader.Open(path));
  std::vector<DecodedFrame> frames;
  while (static_cast<int>(frames.size()) < max_frames) {
    DecodedFrame frame;
    FG_ASSIGN_OR_RETURN(bool got, reader.Next(frame));
    if (!got) break;
    frame.index = static_cast<int>(frames.size());
    frame.number = frame.index;
    frames.push_back(std::move(frame));
  }
  return frames;
}

SequenceDecoder::SequenceDecoder(std::filesystem::path path, DecoderOptions options)
    : path_(std::move(path)), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

SequenceDecoder::~SequenceDecoder() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  space_.notify_all();
  thread_.join();
}

std::optional<DecodedFrame> SequenceDecoder::TryPopFrame() {
  std::optional<DecodedFrame> frame;
  {
    std::lock_guard lock(mutex_);
    if (frames_.empty()) return std::nullopt;
    frame = std::move(frames_.front());
    frames_.pop_front();
  }
  space_.notify_one();
  return frame;
}

std::optional<int64_t> SequenceDecoder::NextFrameNumber() const {
  std::lock_guard lock(mutex_);
  if (frames_.empty()) return std::nullopt;
  return frames_.front().number;
}

std::optional<int> SequenceDecoder::NextFramePass() const {
  std::lock_guard lock(mutex_);
  if (frames_.empty()) return std::nullopt;
  return frames_.front().pass;
}

std::optional<DecoderEvent> SequenceDecoder::PollEvent() {
  std::lock_guard lock(mutex_);
  if (events_.empty()) return std::nullopt;
  DecoderEvent event = std::move(events_.front());
  events_.pop_front();
  return event;
}

bool SequenceDecoder::finished() const {
  std::lock_guard lock(mutex_);
  return finished_ && frames_.empty();
}

void SequenceDecoder::Post(DecoderEvent event) {
  std::lock_guard lock(mutex_);
  if (event.kind != DecoderEventKind::kOpened) finished_ = true;
  events_.push_back(std::move(event));
}

bool SequenceDecoder::Push(DecodedFrame frame) {
  std::unique_lock lock(mutex_);
  space_.wait(lock,
              [&] { return stop_ || frames_.size() < std::max<size_t>(1, options_.queue_frames); });
  if (stop_) return false;
  frames_.push_back(std::move(frame));
  return true;
}

void SequenceDecoder::Run() {
  VideoReader reader;
  auto fail = [&](const Status& status) {
    DecoderEvent event;
    event.kind = DecoderEventKind::kFailed;
    event.status = status.WithContext(path_.filename().string());
    Post(std::move(event));
  };
  if (Status opened = reader.Open(path_); !opened.ok()) return fail(opened);
  DecoderEvent opened_event;
  opened_event.kind = DecoderEventKind::kOpened;
  opened_event.width = reader.width();
  opened_event.height = reader.height();
  opened_event.fps = reader.fps();
  opened_event.frames = reader.frames();
  Post(std::move(opened_event));

  int64_t number = 0;
  int index = 0;
  int pass = 0;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stop_) return;
    }
    DecodedFrame frame;
    auto got = reader.Next(frame);
    if (!got.ok()) return fail(got.status());
    if (!*got) {
      if (index == 0) return fail(Status::Corruption("the video has no frames"));
      if (!options_.loop) {
        DecoderEvent end;
        end.kind = DecoderEventKind::kEndOfStream;
        return Post(std::move(end));
      }
      if (Status rewound = reader.Rewind(); !rewound.ok()) return fail(rewound);
      index = 0;
      ++pass;
      continue;
    }
    frame.number = number++;
    frame.index = index++;
    frame.pass = pass;
    if (!Push(std::move(frame))) return;
  }
}

}  // namespace flamegrid::worker::view
