# alloc_counter_cc_library(): the CMake twin of Bazel's cc_library, for
# alloc_counter/CMakeLists.txt. One call per cc_library of
# alloc_counter/BUILD.bazel, with the same name, files and dependencies:
#
#   alloc_counter_cc_library(
#     NAME <name>              # as in Bazel; the target is alloc_counter::<name>
#     [SRCS <file>...]         # .cc files and private headers
#     [HDRS <file>...]         # headers, included as "alloc_counter/<file>"
#     [DEPS <target>...]       # alloc_counter::<name>, benchmark::benchmark,
#                              # absl::<name>, GTest::gmock, Threads::Threads
#     [LINKOPTS <option>...]   # link options of every binary that links it
#     [ALWAYSLINK])            # Bazel's alwayslink = True
#
# What it builds:
#   - with SRCS, a static library, liballoc_counter_<name>.a (for NAME
#     alloc_counter: liballoc_counter.a), its SRCS compiled with
#     ALLOC_COUNTER_COPTS: what Bazel links a cc_library as in a static link;
#   - with SRCS and ALWAYSLINK, the same archive, but as the target
#     alloc_counter::<name>_archive, and alloc_counter::<name> is an INTERFACE
#     library that links it with $<LINK_LIBRARY:WHOLE_ARCHIVE,...>
#     (--whole-archive). Every binary that links alloc_counter::<name>,
#     directly or through other libraries, then gets every object of the
#     archive (static initialisers, the replaced operator new, --wrap
#     targets), as Bazel's alwayslink does. A library cannot ask for its own
#     archive to be linked whole, hence the two targets. Never link an
#     *_archive target directly;
#   - without SRCS, an INTERFACE library.
# Every target is C++17 (a PUBLIC compile feature) and carries DEPS, HDRS and
# LINKOPTS as usage requirements. With ALLOC_COUNTER_INSTALL, every target is
# installed and exported (an internal one because a public one needs it), so
# that a public target works the same from the build tree, from
# add_subdirectory() and from the installed package. Bazel's visibility and
# testonly have no CMake equivalent: internal targets are named *_internal.

# The export set all targets are installed into (see ../CMakeLists.txt).
set(ALLOC_COUNTER_EXPORT_SET alloc_counterTargets)

function(alloc_counter_cc_library)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "ALWAYSLINK" "NAME"
                        "SRCS;HDRS;DEPS;LINKOPTS")
  if(NOT ARG_NAME OR ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR
      "alloc_counter_cc_library: NAME required; unknown: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(ARG_NAME STREQUAL "alloc_counter")
    set(target alloc_counter)
  else()
    set(target alloc_counter_${ARG_NAME})
  endif()

  # `lib`: the target that holds the files and usage requirements.
  if(NOT ARG_SRCS)
    add_library(${target} INTERFACE)
    set(lib ${target})
    set(scope INTERFACE)
  else()
    if(ARG_ALWAYSLINK)
      set(lib ${target}_archive)
    else()
      set(lib ${target})
    endif()
    add_library(${lib} STATIC ${ARG_SRCS})
    set_target_properties(${lib} PROPERTIES OUTPUT_NAME ${target})
    target_compile_options(${lib} PRIVATE ${ALLOC_COUNTER_COPTS})
    set(scope PUBLIC)
  endif()
  target_compile_features(${lib} ${scope} cxx_std_17)
  target_link_libraries(${lib} ${scope} ${ARG_DEPS})
  target_link_options(${lib} INTERFACE ${ARG_LINKOPTS})
  set(install_headers "")
  if(ARG_HDRS)
    # The directory above alloc_counter/ becomes an include directory of the
    # target and its users, in the build tree and once installed.
    target_sources(${lib} ${scope} FILE_SET HEADERS
                   BASE_DIRS "${alloc_counter_SOURCE_DIR}" FILES ${ARG_HDRS})
    set(install_headers FILE_SET HEADERS DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
  endif()

  set(installed ${target})
  if(ARG_SRCS AND ARG_ALWAYSLINK)
    set_target_properties(${lib} PROPERTIES EXPORT_NAME ${ARG_NAME}_archive)
    add_library(alloc_counter::${ARG_NAME}_archive ALIAS ${lib})
    add_library(${target} INTERFACE)
    # The namespaced alias names the archive both in this build and in the
    # installed package, where install(EXPORT) copies this string unchanged.
    target_link_libraries(${target} INTERFACE
      "$<LINK_LIBRARY:WHOLE_ARCHIVE,alloc_counter::${ARG_NAME}_archive>")
    list(APPEND installed ${lib})
  endif()
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${ARG_NAME})
  add_library(alloc_counter::${ARG_NAME} ALIAS ${target})

  if(ALLOC_COUNTER_INSTALL)
    install(TARGETS ${installed}
      EXPORT ${ALLOC_COUNTER_EXPORT_SET}
      ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
      ${install_headers})
  endif()
endfunction()

# alloc_counter_cc_binary(), alloc_counter_cc_test(), alloc_counter_py_test(),
# alloc_counter_sh_test(): the twins of Bazel's cc_binary, cc_test, py_test
# and sh_test, for the CMakeLists.txt of benchmarks/ and tests/. Targets are
# named as in Bazel; tests are registered with CTest under that name, with
# Bazel's timeout for their size and their tags as CTest labels
# (ctest -LE <tag> leaves them out, as bazel test --test_tag_filters=-<tag>).
#
#   alloc_counter_cc_binary(NAME <name> SRCS <file>... [COPTS <option>...]
#                           [DEPS <target>...])
#   alloc_counter_cc_test(NAME <name> SIZE <size> SRCS <file>...
#                         [COPTS <option>...] [DEPS <target>...]
#                         [TAGS <tag>...])
#   alloc_counter_py_test(NAME <name> SIZE <size> SRCS <file.py>
#                         [ARGS <argument>...] [TAGS <tag>...])
#   alloc_counter_py_library(NAME <name> SRCS <file.py>...)
#   alloc_counter_sh_test(NAME <name> SIZE <size> SRCS <file.sh>
#                         [ARGS <argument>...] [TAGS <tag>...])
#
# cc_test's linkstatic = True is what CMake does anyway: alloc_counter's
# libraries are static. In ARGS, $<TARGET_FILE:name> stands for Bazel's
# $(rootpath :name). A py_test imports modules by their path from the source
# root (`from tests import benchmark_version`), as under Bazel: the source
# root is its PYTHONPATH, and alloc_counter_py_library() only checks that the
# modules a BUILD.bazel py_library lists are there.
#
# In a cross build, CTest runs a cc_test's binary under
# CMAKE_CROSSCOMPILING_EMULATOR (qemu-user); a py_test or sh_test, which runs
# binaries itself, gets that command line, its words separated by spaces, in
# the environment variable ALLOC_COUNTER_TEST_EMULATOR (tests/emulator.py).

function(alloc_counter_cc_binary)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME" "SRCS;COPTS;DEPS")
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_compile_options(${ARG_NAME} PRIVATE ${ARG_COPTS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
endfunction()

function(alloc_counter_cc_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;SIZE" "SRCS;COPTS;DEPS;TAGS")
  alloc_counter_cc_binary(NAME ${ARG_NAME} SRCS ${ARG_SRCS}
                          COPTS ${ARG_COPTS} DEPS ${ARG_DEPS})
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME})
  _alloc_counter_test_properties(${ARG_NAME} "${ARG_SIZE}" "${ARG_TAGS}")
endfunction()

function(alloc_counter_py_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;SIZE;SRCS" "ARGS;TAGS")
  add_test(NAME ${ARG_NAME}
    COMMAND "${Python3_EXECUTABLE}" "${CMAKE_CURRENT_SOURCE_DIR}/${ARG_SRCS}"
            ${ARG_ARGS})
  set_tests_properties(${ARG_NAME} PROPERTIES
    ENVIRONMENT "PYTHONPATH=${alloc_counter_SOURCE_DIR}")
  _alloc_counter_test_properties(${ARG_NAME} "${ARG_SIZE}" "${ARG_TAGS}")
  _alloc_counter_test_emulator(${ARG_NAME})
endfunction()

function(alloc_counter_py_library)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME" "SRCS")
  foreach(src IN LISTS ARG_SRCS)
    if(NOT EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${src}")
      message(FATAL_ERROR "${ARG_NAME}: no ${src} in ${CMAKE_CURRENT_SOURCE_DIR}")
    endif()
  endforeach()
endfunction()

function(alloc_counter_sh_test)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;SIZE;SRCS" "ARGS;TAGS")
  add_test(NAME ${ARG_NAME}
    COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/${ARG_SRCS}" ${ARG_ARGS})
  _alloc_counter_test_properties(${ARG_NAME} "${ARG_SIZE}" "${ARG_TAGS}")
  _alloc_counter_test_emulator(${ARG_NAME})
endfunction()

# Passes the emulator of a cross build on to a test that runs binaries
# itself.
function(_alloc_counter_test_emulator test)
  if(CMAKE_CROSSCOMPILING AND CMAKE_CROSSCOMPILING_EMULATOR)
    list(JOIN CMAKE_CROSSCOMPILING_EMULATOR " " emulator)
    set_property(TEST ${test} APPEND PROPERTY
      ENVIRONMENT "ALLOC_COUNTER_TEST_EMULATOR=${emulator}")
  endif()
endfunction()

# alloc_counter_benchmark(), alloc_counter_gtest(): the twins of the macros
# of tests/build_defs.bzl, with the same defaults: ALLOC_COUNTER_COPTS before
# COPTS; a benchmark links MAIN (alloc_counter::main unless given) and
# benchmark::benchmark, a test GTest::gmock_main (gtest_main's twin) and is
# small unless SIZE says otherwise.
#
#   alloc_counter_benchmark(NAME <name> SRCS <file>... [COPTS <option>...]
#                           [DEPS <target>...] [MAIN <target>])
#   alloc_counter_gtest(NAME <name> SRCS <file>... [SIZE <size>]
#                       [COPTS <option>...] [DEPS <target>...]
#                       [TAGS <tag>...])

function(alloc_counter_benchmark)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;MAIN" "SRCS;COPTS;DEPS")
  if(NOT ARG_MAIN)
    set(ARG_MAIN alloc_counter::main)
  endif()
  alloc_counter_cc_binary(NAME ${ARG_NAME} SRCS ${ARG_SRCS}
    COPTS ${ALLOC_COUNTER_COPTS} ${ARG_COPTS}
    DEPS ${ARG_DEPS} ${ARG_MAIN} benchmark::benchmark)
endfunction()

function(alloc_counter_gtest)
  cmake_parse_arguments(PARSE_ARGV 0 ARG "" "NAME;SIZE" "SRCS;COPTS;DEPS;TAGS")
  if(NOT ARG_SIZE)
    set(ARG_SIZE small)
  endif()
  alloc_counter_cc_test(NAME ${ARG_NAME} SIZE ${ARG_SIZE} SRCS ${ARG_SRCS}
    COPTS ${ALLOC_COUNTER_COPTS} ${ARG_COPTS}
    DEPS ${ARG_DEPS} GTest::gmock_main TAGS ${ARG_TAGS})
endfunction()

# Bazel's default timeout for the test's size, in seconds, and its tags. A
# test whose output says it skipped any case (unittest's "OK (skipped=N)",
# GoogleTest's "[  SKIPPED ] N tests", a plain program's "skipped: ...") is
# reported skipped, not passed, as tools/test_summary.py counts Bazel's.
function(_alloc_counter_test_properties test size tags)
  set_tests_properties(${test} PROPERTIES SKIP_REGULAR_EXPRESSION
    "OK \\(skipped=[0-9]+\\);\\[  SKIPPED \\] [0-9]+ tests?, listed below;^skipped: ;\nskipped: ")
  set(timeouts small 60 medium 300 large 900 enormous 3600)
  list(FIND timeouts "${size}" i)
  if(i EQUAL -1 OR NOT size MATCHES "^[a-z]+$")
    message(FATAL_ERROR "${test}: SIZE must be small, medium, large or enormous")
  endif()
  math(EXPR i "${i} + 1")
  list(GET timeouts ${i} seconds)
  set_tests_properties(${test} PROPERTIES TIMEOUT ${seconds})
  if(tags)
    set_tests_properties(${test} PROPERTIES LABELS "${tags}")
  endif()
endfunction()
