// Finds and loads the OpenImageIO module (oiio_codec.h) once per process.
//
// Looked for at $FLAMEGRID_OIIO_MODULE alone when it is set, else in order:
// lib/flamegrid/ beside the running program's bin/ (an installed tree); the
// build tree it was built in; the dynamic linker's search path. A module that is missing or of
// another ABI is an error naming every place tried, never a crash. Thread-safe: the first caller
// loads, the others wait for the same result.
#pragma once

#include "renderer/base/status.h"
#include "renderer/image/oiio_codec.h"

namespace flamegrid {

Result<const OiioCodec*> LoadOiioCodec();

}  // namespace flamegrid
