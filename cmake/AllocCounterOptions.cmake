# Compiler options of alloc_counter's own code, read from their one
# definition, alloc_counter/copts.bzl, which the Bazel build loads:
#
#   ALLOC_COUNTER_COPTS     the strict warning set, as errors. Compile options
#                           of our own targets (PRIVATE: never passed on to a
#                           user's code).
#
# (The --wrap link options are not written anywhere: the build reads them from
# an object it compiles, alloc_counter/wrap_probe.cc.)
#
# copts.bzl must keep each list a plain `NAME = [ "string", ... ]` of string
# literals; anything this reader cannot parse stops the configure step rather
# than building with a list missing.

set(_alloc_counter_copts_bzl "${CMAKE_CURRENT_LIST_DIR}/../alloc_counter/copts.bzl")
cmake_path(NORMAL_PATH _alloc_counter_copts_bzl)
# Re-run the configure step when copts.bzl changes.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_alloc_counter_copts_bzl}")
file(READ "${_alloc_counter_copts_bzl}" _alloc_counter_copts_text)

# _alloc_counter_read_bzl_list(<name>): sets <name> to the strings of the
# Starlark list `<name> = [...]` of copts.bzl.
function(_alloc_counter_read_bzl_list name)
  if(NOT _alloc_counter_copts_text MATCHES "(^|\n)${name} = \\[([^]]*)\\]")
    message(FATAL_ERROR "${_alloc_counter_copts_bzl}: no list `${name} = [...]`")
  endif()
  string(REGEX REPLACE "#[^\n]*" "" body "${CMAKE_MATCH_2}")  # comments
  string(REGEX MATCHALL "\"[^\"]*\"" quoted "${body}")
  # Nothing but the strings, commas and white space.
  string(REGEX REPLACE "\"[^\"]*\"|[ \t\r\n,]" "" rest "${body}")
  if(NOT quoted OR NOT rest STREQUAL "")
    message(FATAL_ERROR
      "${_alloc_counter_copts_bzl}: `${name}` is not a list of string literals")
  endif()
  set(values "")
  foreach(item IN LISTS quoted)
    string(REGEX REPLACE "^\"(.*)\"$" "\\1" item "${item}")
    list(APPEND values "${item}")
  endforeach()
  set(${name} "${values}" PARENT_SCOPE)
endfunction()

_alloc_counter_read_bzl_list(ALLOC_COUNTER_COPTS)
