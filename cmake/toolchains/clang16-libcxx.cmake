# CMake toolchain: clang 16 with LLVM's libc++ and the LLD linker, from
# Debian's packages clang-16, libc++-16-dev, libc++abi-16-dev and lld-16
# (tools/run_libcxx_tests.sh).
#
# The compiler is named by its LLVM directory, not as clang++-16: the driver
# finds ld.lld beside itself first, so -fuse-ld=lld is LLD 16 even where an
# older ld.lld is on the PATH. The archiver and symbol tools are LLVM's, which
# read the objects this compiler writes.

set(_alloc_counter_llvm /usr/lib/llvm-16/bin)
set(CMAKE_C_COMPILER "${_alloc_counter_llvm}/clang")
set(CMAKE_CXX_COMPILER "${_alloc_counter_llvm}/clang++")
set(CMAKE_AR "${_alloc_counter_llvm}/llvm-ar" CACHE FILEPATH "archiver")
set(CMAKE_RANLIB "${_alloc_counter_llvm}/llvm-ranlib" CACHE FILEPATH "ranlib")
set(CMAKE_NM "${_alloc_counter_llvm}/llvm-nm" CACHE FILEPATH "nm")

set(CMAKE_CXX_FLAGS_INIT "-stdlib=libc++")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-stdlib=libc++ -fuse-ld=lld")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-stdlib=libc++ -fuse-ld=lld")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-stdlib=libc++ -fuse-ld=lld")
