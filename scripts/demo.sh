#!/usr/bin/env bash
# The main job, end to end: install dependencies, build Berth (release), start berthd, and run
# real containers through the `berth` CLI — image import, run with output, logs, exec, a
# user-defined network with DNS, a published port, a volume, and cleanup.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build.sh release
bin=$PWD/build/bin
berth() { "$bin/berth" "$@"; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

# A demo daemon of its own, so a system berthd is never disturbed.
demo=$(mktemp -d /tmp/berth-demo.XXXXXX)
export BERTH_HOST=unix://$demo/berth.sock
"$bin/berthd" --data-root "$demo/data" --exec-root "$demo/run" -H "$BERTH_HOST" \
  >"$demo/berthd.log" 2>&1 &
berthd_pid=$!
cleanup() {
  berth rm -f web client counter >/dev/null 2>&1 || true
  berth network rm demo-net >/dev/null 2>&1 || true
  kill "$berthd_pid" 2>/dev/null || true
  wait "$berthd_pid" 2>/dev/null || true
  for m in $(grep "$demo" /proc/mounts | awk '{print $2}' | sort -r); do umount -l "$m" || true; done
  rm -rf "$demo"
}
trap cleanup EXIT
for _ in $(seq 100); do berth version >/dev/null 2>&1 && break; sleep 0.1; done

step "berth version"
berth version

step "a busybox image from Debian's busybox-static"
rootfs=$(scripts/make-busybox-rootfs.sh)
tar -C "$rootfs" -c . | berth import - busybox:latest
berth images

step "run a container"
berth run --rm busybox sh -c 'echo "hello from $(hostname), pid $$, as $(id -un)"'

step "a long-running container: logs and exec"
berth run -d --name counter busybox sh -c 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 0.2; done'
sleep 1
berth logs --tail 3 counter
berth exec counter ps
berth ps

step "a network with DNS, a published port and a volume"
berth network create demo-net
berth volume create demo-data
berth run -d --name web --network demo-net -p 127.0.0.1:8080:80 -v demo-data:/www busybox \
  sh -c 'echo "served by berth" > /www/index.html; httpd -f -p 80 -h /www'
berth run --rm --name client --network demo-net busybox wget -qO- http://web/
curl -s http://127.0.0.1:8080/
berth port web

step "stop and clean up"
berth stop -t 1 counter web
berth ps -a
echo
echo "Demo done. berthd's log: $demo/berthd.log (removed on exit)."
