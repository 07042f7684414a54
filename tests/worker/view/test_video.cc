#include "tests/worker/view/test_video.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
}

#include <cstring>
#include <string>

namespace flamegrid::worker::view::testing {

namespace {

struct Encoder {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  bool opened_file = false;
  ~Encoder() {
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&codec);
    if (format && opened_file) avio_closep(&format->pb);
    avformat_free_context(format);
  }

  Status Send(AVFrame* input) {
    int rc = avcodec_send_frame(codec, input);
    if (rc < 0) return Status::Internal("avcodec_send_frame failed");
    while ((rc = avcodec_receive_packet(codec, packet)) == 0) {
      packet->duration = 1;
      av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      if (av_interleaved_write_frame(format, packet) < 0) {
        return Status::IoError("cannot write packet");
      }
    }
    if (rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) return Status::Internal("encoding failed");
    return Status::Ok();
  }
};

// BT.601 limited range, as swscale's default.
void ToYuv(Rgb c, uint8_t& y, uint8_t& u, uint8_t& v) {
  auto clamp = [](double x) { return static_cast<uint8_t>(x < 0 ? 0 : x > 255 ? 255 : x + 0.5); };
  y = clamp(16 + 0.257 * c.r + 0.504 * c.g + 0.098 * c.b);
  u = clamp(128 - 0.148 * c.r - 0.291 * c.g + 0.439 * c.b);
  v = clamp(128 + 0.439 * c.r - 0.368 * c.g - 0.071 * c.b);
}

}  // namespace

Status WriteSolidColourVideo(const std::filesystem::path& path, const std::vector<Rgb>& colours,
                             int width, int height, int fps) {
  return WriteSplitColourVideo(path, colours, colours, width, height, fps);
}

Status WriteSplitColourVideo(const std::filesystem::path& path, const std::vector<Rgb>& colours,
                             const std::vector<Rgb>& right, int width, int height, int fps) {
  if (right.size() != colours.size()) return Status::InvalidArgument("left/right sizes differ");
  Encoder e;
  if (avformat_alloc_output_context2(&e.format, nullptr, "mp4", path.c_str()) < 0) {
    return Status::Internal("no mp4 muxer");
  }
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
  if (!codec) codec = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
  if (!codec) return Status::FailedPrecondition("no video encoder");
  e.stream = avformat_new_stream(e.format, nullptr);
  e.codec = avcodec_alloc_context3(codec);
  e.codec->width = width;
  e.codec->height = height;
  e.codec->pix_fmt = AV_PIX_FMT_YUV420P;
  e.codec->time_base = AVRational{1, fps};
  e.codec->framerate = AVRational{fps, 1};
  e.codec->gop_size = fps;
  e.codec->max_b_frames = 0;
  e.codec->thread_count = 1;
  if (e.format->oformat->flags & AVFMT_GLOBALHEADER) e.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av_opt_set(e.codec->priv_data, "preset", "ultrafast", 0);
  av_opt_set(e.codec->priv_data, "crf", "10", 0);
  if (avcodec_open2(e.codec, codec, nullptr) < 0) return Status::Internal("cannot open encoder");
  avcodec_parameters_from_context(e.stream->codecpar, e.codec);
  e.stream->time_base = e.codec->time_base;
  e.stream->avg_frame_rate = e.codec->framerate;
  if (avio_open(&e.format->pb, path.c_str(), AVIO_FLAG_WRITE) < 0) {
    return Status::IoError("cannot create " + path.string());
  }
  e.opened_file = true;
  if (avformat_write_header(e.format, nullptr) < 0) return Status::IoError("cannot write header");
  e.frame = av_frame_alloc();
  e.packet = av_packet_alloc();
  e.frame->format = AV_PIX_FMT_YUV420P;
  e.frame->width = width;
  e.frame->height = height;
  if (av_frame_get_buffer(e.frame, 0) < 0) return Status::ResourceExhausted("frame buffer");
  for (size_t i = 0; i < colours.size(); ++i) {
    if (av_frame_make_writable(e.frame) < 0) return Status::Internal("frame not writable");
    uint8_t y[2], u[2], v[2];
    ToYuv(colours[i], y[0], u[0], v[0]);
    ToYuv(right[i], y[1], u[1], v[1]);
    const int half = width / 2;
    for (int row = 0; row < height; ++row) {
      uint8_t* luma = e.frame->data[0] + row * e.frame->linesize[0];
      std::memset(luma, y[0], half);
      std::memset(luma + half, y[1], width - half);
    }
    const int chroma_width = (width + 1) / 2, chroma_half = half / 2;
    for (int row = 0; row < (height + 1) / 2; ++row) {
      uint8_t* cb = e.frame->data[1] + row * e.frame->linesize[1];
      uint8_t* cr = e.frame->data[2] + row * e.frame->linesize[2];
      std::memset(cb, u[0], chroma_half);
      std::memset(cb + chroma_half, u[1], chroma_width - chroma_half);
      std::memset(cr, v[0], chroma_half);
      std::memset(cr + chroma_half, v[1], chroma_width - chroma_half);
    }
    e.frame->pts = static_cast<int64_t>(i);
    FG_RETURN_IF_ERROR(e.Send(e.frame));
  }
  FG_RETURN_IF_ERROR(e.Send(nullptr));
  if (av_write_trailer(e.format) < 0) return Status::IoError("cannot write trailer");
  return Status::Ok();
}

}  // namespace flamegrid::worker::view::testing
