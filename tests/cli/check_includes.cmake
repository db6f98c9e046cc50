# The CLI is a user of the public API only: no file in apps/ includes anything of circuits/,
# simulator/, mpi/ or api/'s private headers (only <qstate/qstate.hpp>, <qstate/qiskit.hpp>,
# <qstate/config.hpp>, apps/ itself, the standard library and CLI11 / nlohmann-json).
# Run as: cmake -DAPPS_DIR=<source>/apps -P check_includes.cmake
file(GLOB _files "${APPS_DIR}/*.cpp" "${APPS_DIR}/*.hpp")
if(NOT _files)
  message(FATAL_ERROR "no sources in ${APPS_DIR}")
endif()
set(_bad "")
foreach(_f ${_files})
  file(STRINGS "${_f}" _lines REGEX "^[ \t]*#[ \t]*include")
  foreach(_line ${_lines})
    if(_line MATCHES "[\"<](circuits|simulator|mpi|api)/" OR
       (_line MATCHES "[\"<]qstate/" AND NOT _line MATCHES "[\"<]qstate/(qstate|qiskit|config)\\.hpp[\">]"))
      list(APPEND _bad "${_f}: ${_line}")
    endif()
  endforeach()
endforeach()
if(_bad)
  string(REPLACE ";" "\n" _bad "${_bad}")
  message(FATAL_ERROR "apps/ includes engine headers:\n${_bad}")
endif()
list(LENGTH _files _n)
message(STATUS "apps/: ${_n} files include only the public API")
