# Installs the build tree into a scratch prefix, then builds examples/cpp against it with
# find_package(qstate) and runs the example: the package config, the exported targets and the
# installed headers are what a user's project sees.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -P consumer_test.cmake
file(REMOVE_RECURSE ${WORK_DIR})
function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  message(STATUS "${out}")
endfunction()
step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
step(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/cpp -B ${WORK_DIR}/build
     -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release)
step(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
step(${WORK_DIR}/build/vqe)
# The installed Python package, when the module was built.
if(PYTHON AND EXISTS ${WORK_DIR}/prefix/lib/python3/dist-packages/qstate/__init__.py)
  step(${CMAKE_COMMAND} -E env PYTHONPATH=${WORK_DIR}/prefix/lib/python3/dist-packages ${PYTHON}
       ${CMAKE_CURRENT_LIST_DIR}/import_check.py)
endif()
