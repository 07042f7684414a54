# Install layout and helpers for the install() rules in each program's folder.
# Included before the subdirectories; FlamegridPackaging.cmake (after them)
# turns the three install components into Debian packages:
#   coordinator  flamegrid-coordinator, its system unit, /etc/flamegrid/coordinator.toml
#   worker       flamegrid-worker, flamegrid-view, the screensaver hack and installer, the user unit
#   tools        flamegrid-render, flamegrid-genome, the OpenImageIO module
# Every program gets a man page made by help2man from its --help.
include(GNUInstallDirs)

# The OpenImageIO module's folder. Fixed, not CMAKE_INSTALL_LIBDIR (which is
# lib/x86_64-linux-gnu for a /usr prefix on Debian): the programs look for it
# in lib/flamegrid/ beside their bin/ (renderer/image/oiio_module.h), and a
# program's private modules belong in /usr/lib/<package>/ anyway.
set(FLAMEGRID_INSTALL_MODULEDIR "lib/flamegrid")
# systemd looks in PREFIX/lib/systemd/{system,user} for /usr and /usr/local.
set(FLAMEGRID_INSTALL_SYSTEM_UNITDIR "lib/systemd/system")
set(FLAMEGRID_INSTALL_USER_UNITDIR "lib/systemd/user")

find_program(FLAMEGRID_HELP2MAN help2man)
if(NOT FLAMEGRID_HELP2MAN)
  message(WARNING "help2man not found (.ci/install-deps installs it): no man pages")
endif()

# flamegrid_man_page(NAME PROGRAM COMPONENT DESCRIPTION [DEPENDS target])
# Makes share/man/man1/NAME.1.gz at build time from `PROGRAM --help` and
# installs it in COMPONENT. --version-string: not every tool has --version.
function(flamegrid_man_page name)
  cmake_parse_arguments(ARG "" "PROGRAM;COMPONENT;DESCRIPTION" "DEPENDS" ${ARGN})
  if(NOT FLAMEGRID_HELP2MAN)
    return()
  endif()
  set(page ${PROJECT_BINARY_DIR}/man/${name}.1)
  add_custom_command(
    OUTPUT ${page}.gz
    COMMAND ${FLAMEGRID_HELP2MAN} --no-info --no-discard-stderr
            --name=${ARG_DESCRIPTION} "--version-string=${name} ${PROJECT_VERSION}"
            --output=${page} ${ARG_PROGRAM}
    COMMAND gzip -9nf ${page}  # as Debian ships man pages; -n: no name or time, reproducible
    DEPENDS ${ARG_DEPENDS}
    COMMENT "Making the man page ${name}.1"
    VERBATIM)
  add_custom_target(${name}-man ALL DEPENDS ${page}.gz)
  install(FILES ${page}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${ARG_COMPONENT})
endfunction()

# flamegrid_install_program(TARGET COMPONENT DESCRIPTION): the program into
# bin and its man page.
function(flamegrid_install_program target)
  cmake_parse_arguments(ARG "" "COMPONENT;DESCRIPTION" "" ${ARGN})
  install(TARGETS ${target} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ${ARG_COMPONENT})
  flamegrid_man_page(${target} PROGRAM $<TARGET_FILE:${target}> DEPENDS ${target}
                     COMPONENT ${ARG_COMPONENT} DESCRIPTION ${ARG_DESCRIPTION})
endfunction()

# The install-time code that sets _fg_bindir and _fg_sysconfdir from the
# prefix the install runs with (cmake --install --prefix, or /usr under
# cpack), as GNUInstallDirs would: /etc for /usr, PREFIX/etc otherwise.
set(_FLAMEGRID_INSTALL_DIRS_CODE "
  set(_fg_bindir \"\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
  if(CMAKE_INSTALL_PREFIX MATCHES \"^/usr/?$\")
    set(_fg_sysconfdir /etc)
  else()
    set(_fg_sysconfdir \"\${CMAKE_INSTALL_PREFIX}/etc\")
  endif()
")

# flamegrid_install_config(FILE SUBDIR COMPONENT): FILE into SYSCONFDIR/SUBDIR,
# which is /etc/SUBDIR in the packages whatever prefix the build was set up with.
function(flamegrid_install_config file)
  cmake_parse_arguments(ARG "" "SUBDIR;COMPONENT" "" ${ARGN})
  get_filename_component(source ${file} ABSOLUTE)
  install(CODE "${_FLAMEGRID_INSTALL_DIRS_CODE}
    file(INSTALL DESTINATION \"\${_fg_sysconfdir}/${ARG_SUBDIR}\" TYPE FILE FILES \"${source}\")"
    COMPONENT ${ARG_COMPONENT})
endfunction()

# flamegrid_install_unit(FILE DESTINATION dir COMPONENT c REPLACE @X@ value ...):
# a systemd unit into DESTINATION (relative to the prefix) with each
# placeholder @X@ replaced by its value, at install time, so the paths in it
# are the ones the install really uses. In a value, <bindir> and <sysconfdir>
# stand for those folders (/usr/bin and /etc in the packages).
function(flamegrid_install_unit file)
  cmake_parse_arguments(ARG "" "DESTINATION;COMPONENT" "REPLACE" ${ARGN})
  get_filename_component(source ${file} ABSOLUTE)
  get_filename_component(name ${file} NAME)
  set(staged "${CMAKE_CURRENT_BINARY_DIR}/installed-units/\${CMAKE_INSTALL_COMPONENT}/${name}")
  set(code "${_FLAMEGRID_INSTALL_DIRS_CODE}
    file(READ \"${source}\" _fg_unit)\n")
  list(LENGTH ARG_REPLACE count)
  math(EXPR odd "${count} % 2")
  if(odd)
    message(FATAL_ERROR "flamegrid_install_unit(${file}): REPLACE takes placeholder/value pairs")
  endif()
  while(ARG_REPLACE)
    list(POP_FRONT ARG_REPLACE placeholder value)
    string(REPLACE "<bindir>" "\${_fg_bindir}" value "${value}")
    string(REPLACE "<sysconfdir>" "\${_fg_sysconfdir}" value "${value}")
    string(APPEND code "    string(REPLACE \"${placeholder}\" \"${value}\" _fg_unit \"\${_fg_unit}\")\n")
  endwhile()
  string(APPEND code "
    file(WRITE \"${staged}\" \"\${_fg_unit}\")
    file(INSTALL DESTINATION \"\${CMAKE_INSTALL_PREFIX}/${ARG_DESTINATION}\" TYPE FILE
         FILES \"${staged}\")")
  install(CODE "${code}" COMPONENT ${ARG_COMPONENT})
endfunction()
