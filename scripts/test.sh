#!/usr/bin/env bash
# Installs dependencies, builds Berth with ASan/UBSan, and runs every test:
# unit tests (no root needed), then integration tests (root, real kernel, real peers).
# Every stage runs even when an earlier one failed, so one report shows every failure;
# the exit status is non-zero when any stage failed.
# Usage: scripts/test.sh [pytest args...]   e.g. scripts/test.sh -k seccomp
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh asan

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
stage() {
  local name=$1
  shift
  echo "== $name ($(date +%T))"
  if ! "$@"; then failed+=("$name"); fi
}

stage "unit tests" ctest --test-dir build-asan -L unit --output-on-failure -j"$(nproc)"

if [[ $(id -u) -ne 0 ]]; then
  echo "== integration tests skipped: they need root" >&2
  exit 1
fi

scripts/make-busybox-rootfs.sh >/dev/null
stage "root tests (real kernel)" ctest --test-dir build-asan -L root --output-on-failure
export BERTH_BIN_DIR=$PWD/build-asan/bin
# One pytest per area: the areas have conftest.py and test files of the same names, which one
# pytest process cannot import side by side.
for area in tests/integration/*/; do
  area=${area%/}
  stage "integration tests: ${area#tests/integration/}" /usr/bin/python3 -m pytest -q "$area" "$@"
done

echo "== finished ($(date +%T))"
if ((${#failed[@]})); then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
