#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer, in
# build-asan/ (kept between runs, so later runs rebuild only what changed).
#   scripts/sanitize.sh                 configure, build, run every test
#   scripts/sanitize.sh -R differential extra arguments go to ctest
# Any sanitizer report fails the test that triggered it: UB is not
# recoverable (-fno-sanitize-recover) and ASan aborts on the first error.
# Uses the default compiler (gcc or clang); Z3 and the other libraries are
# not instrumented, so only cspverify's own code is checked.
set -euo pipefail
cd "$(dirname "$0")/.."

flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS="$flags" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
cmake --build build-asan -j"${JOBS:-2}"

export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
ctest --test-dir build-asan --output-on-failure "$@"
