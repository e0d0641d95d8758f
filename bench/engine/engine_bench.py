#!/usr/bin/env python3
"""Engine benchmark: container start latency and memory of berthd/berth-shim, with dockerd and
podman measured in the same run as anchors. Run by hand as root (see README.md); not in CI.

Every engine gets private roots under one temp directory and is stopped at the end, so the
benchmark never touches a system daemon's state.
"""
import argparse
import json
import os
import pathlib
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
DOCKER_CLI = "/usr/local/bin/docker"


# ---------------------------------------------------------------- measuring helpers

def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


def summary(values):
    return {"n": len(values), "median": statistics.median(values), "p90": percentile(values, 90),
            "min": min(values), "max": max(values)}


def status_kib(pid, field):
    """VmRSS (or another /proc/<pid>/status field) in KiB; 0 when the process is gone."""
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kib(pid):
    """Proportional set size: shared pages (the shim binary, libraries) counted once in total."""
    try:
        for line in open(f"/proc/{pid}/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def time_command(argv, env, runs, warmup=2, check=True):
    """Wall-clock seconds of `runs` runs of argv (after `warmup` untimed ones)."""
    times = []
    for i in range(warmup + runs):
        t0 = time.perf_counter()
        p = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - t0
        if check and p.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {p.returncode}: {p.stderr.decode()[-2000:]}")
        if i >= warmup:
            times.append(elapsed)
    return times


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.1)  # polling an observable condition


def busybox_tar(path):
    rootfs = subprocess.run([str(REPO / "scripts" / "make-busybox-rootfs.sh")], check=True,
                            stdout=subprocess.PIPE, text=True).stdout.strip()
    with tarfile.open(path, "w") as tar:
        tar.add(rootfs, arcname=".")
    return path


def unmount_under(root):
    """Lazily unmounts every mount point below `root`, deepest first."""
    prefix = str(root) + "/"
    points = [line.split()[4] for line in open("/proc/self/mountinfo")
              if line.split()[4].startswith(prefix)]
    for point in sorted(points, key=len, reverse=True):
        subprocess.run(["umount", "-l", point], stderr=subprocess.DEVNULL)


def build_label(bin_dir):
    """'Release', 'Debug+ASan', ... from the CMakeCache.txt of the build the binaries come from."""
    cache = pathlib.Path(bin_dir).parent / "CMakeCache.txt"
    build_type, sanitize = "unknown", False
    try:
        for line in open(cache):
            if line.startswith("CMAKE_BUILD_TYPE:"):
                build_type = line.split("=", 1)[1].strip() or "(none)"
            if line.startswith("BERTH_SANITIZE:"):
                sanitize = line.split("=", 1)[1].strip().upper() in ("ON", "1", "TRUE")
    except OSError:
        pass
    return build_type + ("+ASan" if sanitize else "")


def default_bin_dir():
    release = REPO / "build" / "bin"
    if all((release / b).exists() for b in ("berthd", "berth", "berth-shim")):
        return release
    return REPO / "build-asan" / "bin"


# ---------------------------------------------------------------- engines

class Berth:
    name = "berth"

    def __init__(self, bin_dir, work):
        self.bin = pathlib.Path(bin_dir)
        self.root = work / "berth"
        self.root.mkdir()
        os.chmod(self.root, 0o755)
        tag = secrets.token_hex(3)
        self.bridge = "bb" + tag
        self.table = "berth_bench_" + tag
        self.socket = str(self.root / "berth.sock")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKER_", "BERTH_"))}
        self.env.update(BERTH_HOST="unix://" + self.socket, BERTH_NO_AUTOSTART="1",
                        BERTH_CONFIG=str(self.root / "cli"), HOME=str(self.root))
        # ASan builds: no leak report at exit (it would be timed too).
        self.env.setdefault("ASAN_OPTIONS", "detect_leaks=0")
        self.proc = None

    def cli(self, *args, check=True, **kw):
        p = subprocess.run([str(self.bin / "berth"), *args], env=self.env, capture_output=True,
                           text=True, **kw)
        if check and p.returncode != 0:
            raise RuntimeError(f"berth {' '.join(args)}: {p.stderr[-2000:]}")
        return p

    def start(self):
        argv = [str(self.bin / "berthd"), "-H", "unix://" + self.socket,
                "--data-root", str(self.root / "data"), "--exec-root", str(self.root / "exec"),
                "--shim-path", str(self.bin / "berth-shim"), "--bridge", self.bridge,
                "--firewall-table", self.table]
        if (self.bin / "berth-init").exists():
            argv += ["--init-path", str(self.bin / "berth-init")]
        log = open(self.root / "berthd.log", "w")
        self.proc = subprocess.Popen(argv, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_until(lambda: self.cli("version", check=False).returncode == 0, 60, "berthd")

    def load_image(self, tar):
        with open(tar, "rb") as f:
            subprocess.run([str(self.bin / "berth"), "import", "-c", 'CMD ["sh"]', "-",
                            "busybox:latest"], env=self.env, stdin=f, check=True,
                           stdout=subprocess.DEVNULL)

    def run_argv(self, *extra):
        return [str(self.bin / "berth"), "run", "--rm", *extra, "busybox", "true"]

    def shim_pids(self):
        needle = (str(self.root / "exec") + "/").encode()
        pids = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                argv = open(f"/proc/{entry}/cmdline", "rb").read().split(b"\0")
            except OSError:
                continue
            if len(argv) >= 2 and argv[0].endswith(b"berth-shim") and argv[1].startswith(needle):
                pids.append(int(entry))
        return pids

    def stop(self):
        if self.proc and self.proc.poll() is None:
            ids = self.cli("ps", "-aq", check=False).stdout.split()
            for i in range(0, len(ids), 50):
                self.cli("rm", "-f", *ids[i:i + 50], check=False, timeout=600)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in self.shim_pids():
            os.kill(pid, signal.SIGKILL)
        unmount_under(self.root)  # berthd leaves <exec-root>/netns mounted when it stops
        subprocess.run(["ip", "link", "del", self.bridge], stderr=subprocess.DEVNULL)
        for family in ("ip", "ip6", "inet"):
            subprocess.run(["nft", "delete", "table", family, self.table],
                           stderr=subprocess.DEVNULL)


class Dockerd:
    """A private dockerd: no bridge and no iptables, so it changes nothing on the host's network
    (its containers run with --network none; berth is timed that way too for the ratio)."""
    name = "docker"

    def __init__(self, work):
        self.root = work / "docker"
        self.root.mkdir()
        self.socket = str(self.root / "docker.sock")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DOCKER_")}
        self.env.update(DOCKER_HOST="unix://" + self.socket, DOCKER_CONFIG=str(self.root / "cli"))
        self.proc = None

    @staticmethod
    def available():
        return shutil.which("dockerd") and os.path.exists(DOCKER_CLI)

    def start(self):
        argv = ["dockerd", "-H", "unix://" + self.socket, "--data-root", str(self.root / "data"),
                "--exec-root", str(self.root / "exec"), "--pidfile", str(self.root / "dockerd.pid"),
                "--bridge", "none", "--iptables=false", "--ip-masq=false",
                "--exec-opt", "native.cgroupdriver=cgroupfs"]
        log = open(self.root / "dockerd.log", "w")
        self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        wait_until(lambda: self.proc.poll() is not None or subprocess.run(
            [DOCKER_CLI, "version"], env=self.env, capture_output=True).returncode == 0, 90,
                   "dockerd")
        if self.proc.poll() is not None:
            raise RuntimeError("dockerd exited: " + open(self.root / "dockerd.log").read()[-2000:])

    def load_image(self, tar):
        subprocess.run([DOCKER_CLI, "import", "-c", 'CMD ["sh"]', str(tar), "busybox:latest"],
                       env=self.env, check=True, stdout=subprocess.DEVNULL)

    def run_argv(self, *extra):
        return [DOCKER_CLI, "run", "--rm", *extra, "busybox", "true"]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        unmount_under(self.root)  # whatever dockerd and its containerd mounted there


class Podman:
    name = "podman"

    def __init__(self, work):
        self.root = work / "podman"
        self.root.mkdir()
        self.base = ["podman", "--root", str(self.root / "storage"),
                     "--runroot", str(self.root / "run"), "--tmpdir", str(self.root / "tmp"),
                     "--cgroup-manager", "cgroupfs", "--events-backend", "file",
                     "--storage-driver", "overlay",
                     # crun refuses this hybrid cgroup v1/v2 host ("cgroups in hybrid mode not
                     # supported"); runc runs here.
                     "--runtime", "runc"]
        self.env = dict(os.environ, CONTAINERS_CONF=str(self.root / "containers.conf"))
        # No system-wide configuration is read or written: a minimal file of our own.
        (self.root / "containers.conf").write_text('[engine]\nevents_logger = "file"\n')

    @staticmethod
    def available():
        return shutil.which("podman") is not None

    def start(self):
        pass

    def load_image(self, tar):
        subprocess.run([*self.base, "import", "-c", 'CMD ["sh"]', str(tar), "busybox:latest"],
                       env=self.env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def run_argv(self, *extra):
        # Podman raises RLIMIT_NOFILE and RLIMIT_NPROC above hard limits a host (or the
        # container we run in) may impose: ask for modest ones.
        return [*self.base, "run", "--rm", "--ulimit", "nofile=1024:1024", "--ulimit",
                "nproc=1024:1024", *extra, "busybox:latest", "true"]

    def stop(self):
        subprocess.run([*self.base, "system", "reset", "--force"], env=self.env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        unmount_under(self.root)


# ---------------------------------------------------------------- the benchmark

def fmt_ms(s):
    return f"{s * 1000:8.1f} ms"


def print_latency(label, stats, anchor=None):
    line = f"  {label:44s} median {fmt_ms(stats['median'])}  p90 {fmt_ms(stats['p90'])}"
    if anchor:
        line += f"  (x{stats['median'] / anchor['median']:.2f} of its anchor's median)"
    print(line, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--bin-dir", default=None, help="directory with berthd, berth, berth-shim")
    ap.add_argument("--runs", type=int, default=20, help="timed runs per `run --rm` figure")
    ap.add_argument("--idle", type=int, default=200, help="idle containers to run at once")
    ap.add_argument("--parallel", type=int, default=1,
                    help="concurrent `berth run -d` while starting the idle containers")
    ap.add_argument("--no-anchors", action="store_true", help="skip dockerd and podman")
    ap.add_argument("--json", help="also write the results to this file")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("engine_bench: run as root")

    bin_dir = pathlib.Path(args.bin_dir) if args.bin_dir else default_bin_dir()
    label = build_label(bin_dir)
    print(f"berth binaries: {bin_dir} ({label})")
    if "ASan" in label or "Debug" in label:
        print("  NOTE: not a release build: berth figures are inflated by the sanitizer/debug build")
    results = {"bin_dir": str(bin_dir), "build": label, "runs": args.runs}
    work = pathlib.Path(tempfile.mkdtemp(prefix="berth-bench-", dir="/tmp"))
    os.chmod(work, 0o755)
    tar = busybox_tar(work / "busybox.tar")
    engines = []
    try:
        berth = Berth(bin_dir, work)
        engines.append(berth)
        berth.start()
        time.sleep(1)  # let start-up work settle before sampling RSS (not synchronisation)
        results["berthd_rss_kib_at_start"] = status_kib(berth.proc.pid, "VmRSS")
        berth.load_image(tar)

        anchors = []
        if not args.no_anchors:
            for cls in (Dockerd, Podman):
                if not cls.available():
                    print(f"  {cls.name}: not installed, no anchor")
                    continue
                engine = cls(work)
                engines.append(engine)
                try:
                    engine.start()
                    engine.load_image(tar)
                    time_command(engine.run_argv("--network", "none"), engine.env, 1, warmup=1)
                    anchors.append(engine)
                except Exception as e:  # an anchor that cannot run here is reported, not fatal
                    print(f"  {cls.name}: cannot run on this host: {e}")
                    results[f"{cls.name}_error"] = str(e)[-500:]

        print(f"\n`run --rm busybox true`, end to end, {args.runs} runs each (after 2 warm-ups):")
        lat = {}
        lat["berth"] = summary(time_command(berth.run_argv(), berth.env, args.runs))
        print_latency("berth (default bridge network)", lat["berth"])
        lat["berth_none"] = summary(time_command(berth.run_argv("--network", "none"), berth.env,
                                                 args.runs))
        print_latency("berth --network none", lat["berth_none"])
        for engine in anchors:
            lat[engine.name] = summary(time_command(engine.run_argv("--network", "none"),
                                                    engine.env, args.runs))
            print_latency(f"{engine.name} --network none (anchor)", lat[engine.name])
        for engine in anchors:
            ratio = lat["berth_none"]["median"] / lat[engine.name]["median"]
            print(f"  ratio berth/{engine.name} (median, --network none): {ratio:.2f}")
            results[f"ratio_vs_{engine.name}"] = ratio
        results["run_rm_true_s"] = lat
        # The anchors are done: stop them so they do not share the CPU with what follows.
        for engine in anchors:
            engine.stop()

        time.sleep(1)  # as above: sample a quiet daemon
        results["berthd_rss_kib_idle_0_containers"] = status_kib(berth.proc.pid, "VmRSS")
        print(f"\nberthd VmRSS right after start: {results['berthd_rss_kib_at_start'] / 1024:.1f} MiB;"
              f" idle with 0 containers (after the runs): "
              f"{results['berthd_rss_kib_idle_0_containers'] / 1024:.1f} MiB")

        cid = berth.cli("run", "-d", "busybox", "sleep", "100000").stdout.strip()
        wait_until(lambda: berth.shim_pids(), 10, "the shim")
        shim = berth.shim_pids()[0]
        results["shim_rss_kib_one"] = status_kib(shim, "VmRSS")
        results["shim_pss_kib_one"] = pss_kib(shim)
        print(f"one berth-shim: VmRSS {results['shim_rss_kib_one'] / 1024:.1f} MiB, "
              f"Pss {results['shim_pss_kib_one'] / 1024:.1f} MiB")
        berth.cli("rm", "-f", cid)

        n = args.idle
        print(f"\n{n} idle containers (busybox sleep 100000), {args.parallel} start(s) at a time:")
        t0 = time.perf_counter()
        pending = list(range(n))
        running = []
        started = 0
        while pending or running:
            while pending and len(running) < args.parallel:
                pending.pop()
                running.append(subprocess.Popen(
                    [str(bin_dir / "berth"), "run", "-d", "busybox", "sleep", "100000"],
                    env=berth.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
            p = running.pop(0)
            _, err = p.communicate()
            if p.returncode != 0:
                raise RuntimeError(f"berth run -d failed after {started} containers: {err.decode()}")
            started += 1
        elapsed = time.perf_counter() - t0
        shims = berth.shim_pids()
        results["idle"] = {
            "containers": n,
            "start_all_s": elapsed,
            "per_container_ms": elapsed / n * 1000,
            "berthd_rss_kib": status_kib(berth.proc.pid, "VmRSS"),
            "shims": len(shims),
            "shim_rss_kib_total": sum(status_kib(p, "VmRSS") for p in shims),
            "shim_pss_kib_total": sum(pss_kib(p) for p in shims),
        }
        idle = results["idle"]
        print(f"  time to start all: {elapsed:.1f} s ({idle['per_container_ms']:.0f} ms each)")
        print(f"  berthd VmRSS: {idle['berthd_rss_kib'] / 1024:.1f} MiB")
        print(f"  shims: {idle['shims']}; total VmRSS {idle['shim_rss_kib_total'] / 1024:.1f} MiB, "
              f"total Pss {idle['shim_pss_kib_total'] / 1024:.1f} MiB")
        t0 = time.perf_counter()
        ids = berth.cli("ps", "-q").stdout.split()
        for i in range(0, len(ids), 50):
            berth.cli("rm", "-f", *ids[i:i + 50], timeout=600)
        idle["remove_all_s"] = time.perf_counter() - t0
        print(f"  time to rm -f all: {idle['remove_all_s']:.1f} s")
    finally:
        for engine in reversed(engines):
            try:
                engine.stop()
            except Exception as e:
                print(f"stopping {engine.name}: {e}", file=sys.stderr)
        subprocess.run(["rm", "-rf", "--one-file-system", str(work)])
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
