#!/usr/bin/env bash
# Configures and builds Berth. Usage: scripts/build.sh [release|asan]
#   release -> build/       (optimised; the demo and benchmarks use it)
#   asan    -> build-asan/  (Debug with AddressSanitizer + UBSan; the tests use it)
set -euo pipefail
cd "$(dirname "$0")/.."

flavour=${1:-release}
case "$flavour" in
  # The release tree is for the demo and benchmarks: no tests, so it builds in half the time.
  release) dir=build; args=(-DCMAKE_BUILD_TYPE=Release -DBERTH_BUILD_TESTS=OFF) ;;
  asan) dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DBERTH_SANITIZE=ON) ;;
  *) echo "usage: $0 [release|asan]" >&2; exit 2 ;;
esac

# Configuring every time is cheap and makes a tree configured another way right again.
cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
ninja -C "$dir" ${NINJA_FLAGS:-}
