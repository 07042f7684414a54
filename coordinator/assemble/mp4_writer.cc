#include "coordinator/assemble/mp4_writer.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <cstdio>
#include <memory>

#include "renderer/image/image_io.h"

namespace flamegrid::coordinator {
namespace {

std::string AvError(int code) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(code, text, sizeof text);
  return text;
}

// Owns the FFmpeg objects of one encode and frees them in any case.
struct Encoder {
  AVFormatContext* format = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  SwsContext* sws = nullptr;
  bool file_open = false;

  ~Encoder() {
    sws_freeContext(sws);
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&codec);
    if (format != nullptr) {
      if (file_open) avio_closep(&format->pb);
      avformat_free_context(format);
    }
  }

  // Sends `input` (nullptr: flush) and writes every packet that comes out.
  Status Encode(AVFrame* input) {
    int rc = avcodec_send_frame(codec, input);
    if (rc < 0) return Status::Internal("encoder refused a frame: " + AvError(rc));
    for (;;) {
      rc = avcodec_receive_packet(codec, packet);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return Status::Ok();
      if (rc < 0) return Status::Internal("encoder failed: " + AvError(rc));
      packet->duration = 1;  // in codec time base: one frame
      av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      rc = av_interleaved_write_frame(format, packet);
      if (rc < 0) return Status::IoError("cannot write video packet: " + AvError(rc));
    }
  }
};

}  // namespace

Status AssembleMp4(const std::vector<std::string>& frame_paths, const std::string& output_path,
                   const VideoOptions& options) {
  if (frame_paths.empty()) return Status::InvalidArgument("no frames to assemble");
  FG_ASSIGN_OR_RETURN(Image first, ReadImage(frame_paths.front()));
  // yuv420p needs even dimensions; the last odd row or column is dropped by scaling.
  const int width = first.width & ~1, height = first.height & ~1;
  if (width < 2 || height < 2) return Status::InvalidArgument("frames are too small for video");
  const std::string temp = output_path + ".partial.mp4";

  Encoder e;
  int rc = avformat_alloc_output_context2(&e.format, nullptr, "mp4", temp.c_str());
  if (rc < 0 || e.format == nullptr) return Status::Internal("no mp4 muxer: " + AvError(rc));
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (codec == nullptr) codec = avcodec_find_encoder(AV_CODEC_ID_H264);
  if (codec == nullptr) return Status::FailedPrecondition("FFmpeg has no H.264 encoder");
  e.stream = avformat_new_stream(e.format, nullptr);
  e.codec = avcodec_alloc_context3(codec);
  if (e.stream == nullptr || e.codec == nullptr) return Status::ResourceExhausted("out of memory");
  const int fps = options.fps > 0 ? options.fps : 30;
  e.codec->width = width;
  e.codec->height = height;
  e.codec->pix_fmt = AV_PIX_FMT_YUV420P;
  e.codec->time_base = AVRational{1, fps};
  e.codec->framerate = AVRational{fps, 1};
  e.codec->gop_size = fps;
  e.codec->max_b_frames = 2;
  e.codec->thread_count = 2;
  if (e.format->oformat->flags & AVFMT_GLOBALHEADER) e.codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  av_opt_set(e.codec->priv_data, "preset", options.preset.c_str(), 0);
  av_opt_set(e.codec->priv_data, "crf", std::to_string(options.crf > 0 ? options.crf : 20).c_str(),
             0);
  rc = avcodec_open2(e.codec, codec, nullptr);
  if (rc < 0) return Status::Internal("cannot open H.264 encoder: " + AvError(rc));
  rc = avcodec_parameters_from_context(e.stream->codecpar, e.codec);
  if (rc < 0) return Status::Internal("codec parameters: " + AvError(rc));
  e.stream->time_base = e.codec->time_base;
  e.stream->avg_frame_rate = e.codec->framerate;

  rc = avio_open(&e.format->pb, temp.c_str(), AVIO_FLAG_WRITE);
  if (rc < 0) return Status::IoError("cannot create " + temp + ": " + AvError(rc));
  e.file_open = true;
  AVDictionary* muxer_options = nullptr;
  av_dict_set(&muxer_options, "movflags", "+faststart", 0);
  rc = avformat_write_header(e.format, &muxer_options);
  av_dict_free(&muxer_options);
  if (rc < 0) return Status::IoError("cannot write mp4 header: " + AvError(rc));

  e.frame = av_frame_alloc();
  e.packet = av_packet_alloc();
  if (e.frame == nullptr || e.packet == nullptr) return Status::ResourceExhausted("out of memory");
  e.frame->format = AV_PIX_FMT_YUV420P;
  e.frame->width = width;
  e.frame->height = height;
  rc = av_frame_get_buffer(e.frame, 0);
  if (rc < 0) return Status::ResourceExhausted("frame buffer: " + AvError(rc));

  std::vector<uint8_t> rgb;
  for (size_t index = 0; index < frame_paths.size(); ++index) {
    Result<Image> loaded =
        index == 0 ? Result<Image>(std::move(first)) : ReadImage(frame_paths[index]);
    if (!loaded.ok()) return loaded.status().WithContext("frame " + std::to_string(index));
    const Image& image = *loaded;
    rgb.resize(static_cast<size_t>(image.width) * image.height * 3);
    for (size_t p = 0, n = static_cast<size_t>(image.width) * image.height; p < n; ++p) {
      const float alpha = image.rgba[p * 4 + 3];
      for (int k = 0; k < 3; ++k) {
        // Transparent frames are shown over black, as a player would.
        rgb[p * 3 + k] = QuantizeTo8Bit(image.rgba[p * 4 + k] * alpha);
      }
    }
    e.sws = sws_getCachedContext(e.sws, image.width, image.height, AV_PIX_FMT_RGB24, width, height,
                                 AV_PIX_FMT_YUV420P, SWS_BICUBIC, nullptr, nullptr, nullptr);
    if (e.sws == nullptr) return Status::Internal("no colour converter");
    rc = av_frame_make_writable(e.frame);
    if (rc < 0) return Status::Internal("frame not writable: " + AvError(rc));
    const uint8_t* src[1] = {rgb.data()};
    const int src_stride[1] = {image.width * 3};
    sws_scale(e.sws, src, src_stride, 0, image.height, e.frame->data, e.frame->linesize);
    e.frame->pts = static_cast<int64_t>(index);
    FG_RETURN_IF_ERROR(e.Encode(e.frame));
  }
  FG_RETURN_IF_ERROR(e.Encode(nullptr));
  rc = av_write_trailer(e.format);
  if (rc < 0) return Status::IoError("cannot finish mp4: " + AvError(rc));
  avio_closep(&e.format->pb);
  e.file_open = false;
  if (std::rename(temp.c_str(), output_path.c_str()) != 0) {
    return Status::IoError("cannot rename " + temp + " to " + output_path);
  }
  return Status::Ok();
}

}  // namespace flamegrid::coordinator
