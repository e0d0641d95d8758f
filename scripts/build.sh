#!/usr/bin/env bash
# Configures and builds Berth. Usage: scripts/build.sh [release|asan]
#   release -> build/       (optimised; the demo and benchmarks use it)
#   asan    -> build-asan/  (Debug with AddressSanitizer + UBSan; the tests use it)
set -euo pipefail
cd "$(dirname "$0")/.."

flavour=${1:-release}
case "$flavour" in
  release) dir=build; args=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) dir=build-asan; args=(-DCMAKE_BUILD_TYPE=Debug -DBERTH_SANITIZE=ON) ;;
  *) echo "usage: $0 [release|asan]" >&2; exit 2 ;;
esac

if [[ ! -f $dir/build.ninja ]]; then
  cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
fi
ninja -C "$dir" ${NINJA_FLAGS:-}
