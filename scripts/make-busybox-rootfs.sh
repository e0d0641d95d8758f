#!/usr/bin/env bash
# Builds a busybox root filesystem from Debian's busybox-static (a static busybox plus one link
# per applet) and prints its path. Cached: rebuilt only when missing or when busybox changes.
# Usage: scripts/make-busybox-rootfs.sh [dest]   (default: $BERTH_CACHE/busybox-rootfs)
set -euo pipefail

cache=${BERTH_CACHE:-/var/cache/berth-test}
dest=${1:-$cache/busybox-rootfs}
busybox=/bin/busybox

if [[ ! -x $busybox ]]; then
  echo "make-busybox-rootfs: $busybox missing (apt-get install busybox-static)" >&2
  exit 1
fi

# v2: the root directory is 0755 (mktemp made it 0700, which locked out non-root users).
stamp="$dest/.berth-busybox-v2-$(sha256sum "$busybox" | cut -c1-16)"
if [[ -f $stamp ]]; then
  echo "$dest"
  exit 0
fi

tmp=$(mktemp -d "${dest}.tmp.XXXXXX" 2>/dev/null || { mkdir -p "$(dirname "$dest")"; mktemp -d "${dest}.tmp.XXXXXX"; })
trap 'rm -rf "$tmp"' EXIT
chmod 0755 "$tmp"
mkdir -p "$tmp"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,var/tmp,home,run}
chmod 1777 "$tmp/tmp" "$tmp/var/tmp"
install -m 0755 "$busybox" "$tmp/bin/busybox"
# One symlink per applet at its canonical place (bin/ls, sbin/ifconfig, usr/bin/env, ...).
"$busybox" --list-full | while read -r applet; do
  [[ $applet == bin/busybox ]] && continue
  mkdir -p "$tmp/$(dirname "$applet")"
  ln -sf /bin/busybox "$tmp/$applet"
done
cat >"$tmp/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PASSWD
cat >"$tmp/etc/group" <<'GROUP'
root:x:0:
daemon:x:1:
nogroup:x:65534:
GROUP
touch "$tmp/etc/hostname" "$tmp/etc/hosts" "$tmp/etc/resolv.conf"
touch "$tmp/$(basename "$stamp")"

rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "$dest"
