#!/usr/bin/env bash
# Builds a minimal Debian bookworm root filesystem with debootstrap (--variant=minbase) from the
# same mirror the host's apt uses, and prints its path. Cached: a finished rootfs carries a stamp
# file and is reused as is; a half-built one (no stamp) is never used.
# Usage: scripts/make-debian-rootfs.sh [dest]   (default: $BERTH_CACHE/debian-rootfs)
# The mirror can be forced with BERTH_DEBIAN_MIRROR=http://...
set -euo pipefail

cache=${BERTH_CACHE:-/var/cache/berth-test}
dest=${1:-$cache/debian-rootfs}
suite=bookworm
# v1: the stamp names the suite so that a change of suite rebuilds.
stamp="$dest/.berth-debian-v1-$suite"

if [[ -f $stamp ]]; then
  echo "$dest"
  exit 0
fi

if ! command -v debootstrap >/dev/null; then
  echo "make-debian-rootfs: debootstrap missing (apt-get install debootstrap)" >&2
  exit 1
fi

# The URI of the host's apt source that serves $suite itself (not bookworm-security/-updates),
# read from both the one-line (sources.list) and the deb822 (*.sources) formats.
host_mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    # "deb [options] URI suite components": the options (which may hold spaces) dropped first.
    awk -v s="$suite" '{ line = $0; sub(/\[[^]]*\]/, "", line); split(line, w, /[ \t]+/)
                         if (w[1] == "deb" && w[3] == s) { print w[2]; exit } }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    # One stanza per paragraph: remember its first URI and whether its Suites list $suite.
    awk -v s="$suite" 'BEGIN { RS = ""; FS = "\n" }
      { uri = ""; hit = 0; deb = 0
        for (n = 1; n <= NF; n++) {
          split($n, w, /[ \t]+/)
          if (w[1] == "Types:") for (k = 2; k in w; k++) if (w[k] == "deb") deb = 1
          if (w[1] == "URIs:" && uri == "") uri = w[2]
          if (w[1] == "Suites:") for (k = 2; k in w; k++) if (w[k] == s) hit = 1
          if (w[1] == "Enabled:" && w[2] == "no") deb = 0
        }
        if (deb && hit && uri != "") { print uri; exit } }' "$f"
  done
}

mirror=${BERTH_DEBIAN_MIRROR:-}
[[ -n $mirror ]] || mirror=$(host_mirror | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$(dirname "$dest")"
# Two test runs starting at once build it once: the second waits, then finds the stamp.
exec 9>"$dest.lock"
flock 9
if [[ -f $stamp ]]; then
  echo "$dest"
  exit 0
fi

tmp=$(mktemp -d "${dest}.tmp.XXXXXX")
# debootstrap mounts proc/sys inside the target and may leave them mounted when it fails.
cleanup() {
  grep -o " $tmp/[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
chmod 0755 "$tmp"

echo "make-debian-rootfs: debootstrap $suite from $mirror (a few minutes)" >&2
if ! debootstrap --variant=minbase "$suite" "$tmp" "$mirror" >"$tmp.log" 2>&1; then
  echo "make-debian-rootfs: debootstrap failed; its log's tail:" >&2
  tail -n 30 "$tmp.log" >&2
  [[ -f $tmp/debootstrap/debootstrap.log ]] && tail -n 30 "$tmp/debootstrap/debootstrap.log" >&2
  rm -f "$tmp.log"
  exit 1
fi
rm -f "$tmp.log"
# The apt cache of the build is dead weight in every image imported from it.
rm -f "$tmp"/var/cache/apt/archives/*.deb
touch "$tmp/$(basename "$stamp")"

# rename(2) within one directory is atomic: readers see the old tree or the finished one.
rm -rf --one-file-system "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "$dest"
