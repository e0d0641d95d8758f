#!/usr/bin/env bash
# Installs every Debian package that Berth's build, tests, demo and benchmarks need.
# Idempotent: does nothing when everything is already installed. Run as root.
set -euo pipefail

# Build toolchain and libraries.
build_packages=(
  build-essential cmake ninja-build pkg-config ccache clang-format clang-tidy
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev libfmt-dev libcli11-dev libseccomp-dev libcap-dev
  libsqlite3-dev libssl-dev libcurl4-openssl-dev libarchive-dev libzstd-dev
  libyaml-cpp-dev libboost-dev libboost-system-dev libnftables-dev libmnl-dev
)
# Test peers and test images.
test_packages=(
  python3 python3-pytest python3-docker busybox-static debootstrap
  runc crun containerd skopeo umoci docker-registry docker-compose openssl
  iproute2 nftables iptables curl procps psmisc util-linux e2fsprogs
)
# Benchmarks only (anchors and load generators).
bench_packages=(hyperfine wrk docker.io podman)

want=("${build_packages[@]}" "${test_packages[@]}")
if [[ "${1:-}" == "--bench" ]]; then
  want+=("${bench_packages[@]}")
fi

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: need root to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A stale package index makes installs fail on a fresh machine; refresh once per hour at most.
stamp=/var/lib/apt/periodic/berth-update-stamp
if [[ ! -f $stamp ]] || [[ -n $(find "$stamp" -mmin +60 2>/dev/null) ]]; then
  apt-get update -qq
  mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
