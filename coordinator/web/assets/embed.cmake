# Writes OUT: a C++ file defining the dashboard's assets as string constants.
# cmake -DSRC=dir -DOUT=file -P embed.cmake
function(embed var file)
  file(READ "${SRC}/${file}" text)
  string(APPEND body "const char* const ${var} = R\"FGASSET(${text})FGASSET\";\n")
  set(body "${body}" PARENT_SCOPE)
endfunction()
set(body "// Generated from coordinator/web/assets by embed.cmake; do not edit.\n#include \"coordinator/web/dashboard.h\"\nnamespace flamegrid::coordinator {\n")
embed(kDashboardHtml index.html)
embed(kDashboardJs dashboard.js)
embed(kDashboardCss dashboard.css)
string(APPEND body "}  // namespace flamegrid::coordinator\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
