# CMake toolchain file for aarch64 (arm64) Linux, cross-compiled with Debian's
# g++-aarch64-linux-gnu and run under qemu-user (tools/run_aarch64_tests.sh):
#
#   cmake -S . -B build/aarch64 \
#     -DCMAKE_TOOLCHAIN_FILE=tools/toolchains/aarch64-linux-gnu.cmake \
#     -DCMAKE_PREFIX_PATH=<prefix of an aarch64 Google Benchmark and Abseil>
#
# Libraries are found in Debian's multiarch directories (/usr/lib/
# aarch64-linux-gnu: libdw-dev:arm64, zlib1g-dev:arm64) and in
# CMAKE_PREFIX_PATH, never in the host's /usr/lib/x86_64-linux-gnu: CMake
# searches lib/<CMAKE_LIBRARY_ARCHITECTURE>, which it reads from the compiler.
# Executables built for the tests run through CMAKE_CROSSCOMPILING_EMULATOR:
# ctest prefixes it to every test command that runs a target, and the Python
# tests read it from ALLOC_COUNTER_TEST_EMULATOR (tests/run.py).

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(ALLOC_COUNTER_AARCH64_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${ALLOC_COUNTER_AARCH64_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${ALLOC_COUNTER_AARCH64_TRIPLE}-g++)

# Programs (the emulator, Python) are the host's; libraries, headers and
# CMake packages the target's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

# qemu-user, running the target's dynamic loader and libraries from Debian's
# multiarch packages (libc6:arm64 and the rest, which libdw-dev:arm64 brings;
# tools/install_deps.sh aarch64): `-L /` makes /lib/ld-linux-aarch64.so.1 the
# loader, and the loader finds every library through the host's
# /etc/ld.so.cache, which lists the aarch64 ones. Not `-L /usr/
# aarch64-linux-gnu`: that loader comes from the cross toolchain's libc
# (libc6-arm64-cross, an older Debian revision of glibc 2.36) but loads the
# multiarch libc.so.6 from that same cache, and the mismatched pair hangs in
# the first pthread_create. Programs are linked against the cross libc and
# run with the multiarch one, of the same or a later revision.
find_program(ALLOC_COUNTER_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
# A cache entry, which -DCMAKE_CROSSCOMPILING_EMULATOR=... overrides and
# tools/run_aarch64_tests.sh reads.
if(ALLOC_COUNTER_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${ALLOC_COUNTER_QEMU_AARCH64};-L;/"
      CACHE STRING "Runs the aarch64 test binaries on the build machine")
endif()
