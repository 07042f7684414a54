#include "renderer/image/image_io.h"

// STUB: the lead writes the OpenImageIO implementation here.
namespace flamegrid {
unsigned char QuantizeTo8Bit(float v) { return static_cast<unsigned char>(v <= 0 ? 0 : v >= 1 ? 255 : v * 255.0f + 0.5f); }
Status WriteImage(const Image&, const std::string&, const ImageWriteOptions&) { return Status::Internal("not implemented yet"); }
Result<std::string> EncodeImage(const Image&, std::string_view, const ImageWriteOptions&) { return Status::Internal("not implemented yet"); }
Result<Image> DecodeImage(std::string_view) { return Status::Internal("not implemented yet"); }
Result<Image> ReadImage(const std::string&) { return Status::Internal("not implemented yet"); }
Result<std::string> ReadImageGenome(const std::string&) { return Status::Internal("not implemented yet"); }
}  // namespace flamegrid
