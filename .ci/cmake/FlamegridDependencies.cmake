# Every third-party library, found with find_package from Debian 12 packages
# (.ci/install-deps installs them).
find_package(Threads REQUIRED)
find_package(TBB CONFIG REQUIRED)
find_package(pugixml CONFIG REQUIRED)
find_package(hwy CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)  # command-line parsing for every tool

find_package(PNG REQUIRED)  # FindPNG module: the PNG codec
find_package(OpenImageIO CONFIG REQUIRED)  # JPEG and EXR, in a module loaded on demand
# Debian's OpenImageIO target names /usr/include/opencv4, which is not installed.
get_target_property(_oiio_includes OpenImageIO::OpenImageIO INTERFACE_INCLUDE_DIRECTORIES)
if(_oiio_includes)
  list(FILTER _oiio_includes EXCLUDE REGEX "opencv4")
  set_target_properties(OpenImageIO::OpenImageIO PROPERTIES
                        INTERFACE_INCLUDE_DIRECTORIES "${_oiio_includes}")
endif()

if(FLAMEGRID_BUILD_GRID)
  find_package(Protobuf REQUIRED)  # FindProtobuf module: Debian ships no config
  find_package(gRPC CONFIG REQUIRED)
  find_package(SQLite3 REQUIRED)
  find_package(LibtorrentRasterbar CONFIG REQUIRED)
  find_package(SDL2 CONFIG REQUIRED)
  find_package(SDL2_ttf CONFIG REQUIRED)  # the viewer's overlay text
  find_package(X11 REQUIRED)              # --root drawing and idle time (X11::Xss)
  find_package(OpenSSL REQUIRED)          # hashing tokens and frames
  find_package(tomlplusplus CONFIG REQUIRED)  # the coordinator's config file
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libavutil libswscale)
  pkg_check_modules(CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)  # the worker's HTTP client
  pkg_check_modules(MICROHTTPD REQUIRED IMPORTED_TARGET libmicrohttpd)  # the coordinator's HTTP port
  find_package(prometheus-cpp CONFIG REQUIRED)  # GET /metrics (core only: our server serves it)
endif()

if(FLAMEGRID_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(FLAMEGRID_BUILD_BENCHMARKS)
  find_package(benchmark CONFIG REQUIRED)
endif()
