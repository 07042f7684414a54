# Debian packages with CPack: `cpack -G DEB` in a build tree (.ci/build-packages
# does it all) makes one package per install component (FlamegridInstall.cmake):
#   flamegrid-coordinator_VERSION_ARCH.deb  the server, its system unit, /etc/flamegrid/coordinator.toml
#   flamegrid-worker_VERSION_ARCH.deb       the volunteer's worker, viewer and screensaver
#   flamegrid-tools_VERSION_ARCH.deb        flamegrid-render, flamegrid-genome, the OpenImageIO module
# Install rules without a component (there are none of ours; tests and benches
# have no install rules) land in no package. Included after every install() rule:
# CPack reads the components when it is included.

set(FLAMEGRID_PACKAGE_MAINTAINER "flamegrid maintainers <maintainers@flamegrid.invalid>"
    CACHE STRING "The Maintainer field of the Debian packages")
set(FLAMEGRID_PACKAGE_HOMEPAGE "https://flamegrid.invalid/"
    CACHE STRING "The Homepage field of the Debian packages")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME flamegrid)
set(CPACK_PACKAGE_VENDOR "flamegrid")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${FLAMEGRID_PACKAGE_MAINTAINER}")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
# Debian installs into /usr; /etc/flamegrid comes from FlamegridInstall.cmake.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # a RelWithDebInfo tree's binaries, without their debug info
set(CPACK_PACKAGE_DIRECTORY ${PROJECT_BINARY_DIR}/packages)

set(CPACK_DEB_COMPONENT_INSTALL ON)
if(FLAMEGRID_BUILD_GRID)
  set(CPACK_COMPONENTS_ALL coordinator worker tools)
else()
  set(CPACK_COMPONENTS_ALL tools)  # a renderer-only build has only the tools
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # NAME_VERSION_ARCH.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${FLAMEGRID_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${FLAMEGRID_PACKAGE_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends on the shared libraries, from dpkg-shlibdeps; what no binary links
# is added by hand below.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)  # no public libraries
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Each description: a summary line, then paragraphs (CPack indents them).

# Every program reads genomes, and a genome may name a flam3 palette by number:
# the palettes are read at run time from /usr/share/flam3/flam3-palettes.xml
# (renderer/genome/palette_library.h), which Debian's flam3-palette provides.
set(_fg_palettes "flam3-palette")

set(CPACK_DEBIAN_COORDINATOR_PACKAGE_NAME flamegrid-coordinator)
set(CPACK_DEBIAN_COORDINATOR_PACKAGE_SECTION net)
set(CPACK_DEBIAN_COORDINATOR_PACKAGE_DEPENDS "${_fg_palettes}")
set(CPACK_DEBIAN_COORDINATOR_DESCRIPTION
    "flamegrid coordinator: the server of a fractal flame rendering grid
flamegrid-coordinator splits a flock of fractal flame animations into frame
jobs for volunteers' workers, checks and assembles the frames into MP4 loops,
breeds the flock from the participants' votes and publishes the videos over
HTTP and BitTorrent. It has a web dashboard.

The package installs a sandboxed systemd unit (flamegrid-coordinator.service,
not enabled) that reads /etc/flamegrid/coordinator.toml and keeps its state
in /var/lib/flamegrid.")
# /etc/flamegrid/coordinator.toml is a conffile: an upgrade keeps local edits.
set(CPACK_DEBIAN_COORDINATOR_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_LIST_DIR}/debian/coordinator/conffiles
    ${CMAKE_CURRENT_LIST_DIR}/debian/coordinator/postinst
    ${CMAKE_CURRENT_LIST_DIR}/debian/coordinator/prerm
    ${CMAKE_CURRENT_LIST_DIR}/debian/coordinator/postrm)

set(CPACK_DEBIAN_WORKER_PACKAGE_NAME flamegrid-worker)
set(CPACK_DEBIAN_WORKER_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_WORKER_PACKAGE_DEPENDS "${_fg_palettes}, fonts-dejavu-core")
set(CPACK_DEBIAN_WORKER_PACKAGE_SUGGESTS "xscreensaver")
set(CPACK_DEBIAN_WORKER_DESCRIPTION
    "flamegrid worker and viewer: render and watch fractal flames
flamegrid-worker renders frames of fractal flame animations for a flamegrid
coordinator while the machine is idle (idle CPU and disk priority, paused on
battery), and fetches the finished loops over BitTorrent. flamegrid-view plays
them, loop into edge into loop, in a window or as an XScreenSaver hack.

flamegrid-install-screensaver sets it up for one user: the screensaver entry,
the settings and the systemd user unit (flamegrid-worker.service).")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME flamegrid-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "${_fg_palettes}")
set(CPACK_DEBIAN_TOOLS_DESCRIPTION
    "flamegrid tools: render and breed fractal flames from the command line
flamegrid-render renders flam3 genome files to PNG, JPEG or EXR with a
multithreaded renderer; flamegrid-genome makes random genomes, mutates and
crosses them, and writes loops and edges for animations.")

# Each package's copyright file, where Debian policy wants it.
foreach(component IN LISTS CPACK_COMPONENTS_ALL)
  string(TOUPPER ${component} upper)
  install(FILES ${PROJECT_SOURCE_DIR}/LICENSE RENAME copyright COMPONENT ${component}
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${CPACK_DEBIAN_${upper}_PACKAGE_NAME})
endforeach()

include(CPack)
