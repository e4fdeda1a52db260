# exo_add_test(name SOURCES a.c ... [LABELS l ...] [ARGS ...])
# One explicit line per test.  Exit code 77 means "skipped" (no OpenCL device).
function(exo_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LABELS;ARGS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE exobd_lib)
  target_include_directories(${name} PRIVATE
    ${CMAKE_SOURCE_DIR}/tests ${CMAKE_SOURCE_DIR}/host ${CMAKE_SOURCE_DIR}/kernels
    ${HDF5_C_INCLUDE_DIRS})
  target_compile_definitions(${name} PRIVATE
    EXO_SOURCE_DIR="${CMAKE_SOURCE_DIR}" EXO_BINARY_DIR="${CMAKE_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77
    LABELS "${T_LABELS}" ENVIRONMENT "EXOBD_CACHE_DIR=${CMAKE_BINARY_DIR}/test-cache")
endfunction()

# exo_add_test_variant(name TARGET existing_test ARGS ... [LABELS ...])
# Runs an existing test program again with other arguments (for example
# --native-math), as OpenMM registers one test per precision.
function(exo_add_test_variant name)
  cmake_parse_arguments(T "" "TARGET" "ARGS;LABELS" ${ARGN})
  add_test(NAME ${name} COMMAND ${T_TARGET} ${T_ARGS})
  set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77
    LABELS "${T_LABELS}" ENVIRONMENT "EXOBD_CACHE_DIR=${CMAKE_BINARY_DIR}/test-cache")
endfunction()
