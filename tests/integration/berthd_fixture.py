"""A berthd of a test module's own, for integration tests that drive it through clients.

Each daemon gets private roots (temp --data-root/--exec-root), its own API socket, bridge
interface and nftables table names, so several test areas can run side by side on one host.
`stop()` removes the containers, stops the daemon and deletes the bridge and the nft tables.
The busybox image is imported from the cached busybox rootfs (scripts/make-busybox-rootfs.sh).
"""
import importlib.util
import io
import os
import pathlib
import secrets
import shutil
import signal
import subprocess
import tarfile
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[2]
DOCKER = "/usr/local/bin/docker"


def _shared_conftest():
    """tests/integration/conftest.py as a module of its own name: `from conftest import` is
    ambiguous once a test area has a conftest.py too."""
    spec = importlib.util.spec_from_file_location("berth_integration_conftest",
                                                  pathlib.Path(__file__).with_name("conftest.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


wait_for = _shared_conftest().wait_for


def bin_dir():
    return pathlib.Path(os.environ.get("BERTH_BIN_DIR", REPO / "build-asan" / "bin"))


def missing_prerequisite(binaries=("berthd", "berth", "berth-shim")):
    """Why a berthd test cannot run here (a reason for pytest.skip), or None."""
    for name in binaries:
        if not (bin_dir() / name).exists():
            return f"{bin_dir() / name} is not built"
    if not os.path.exists(DOCKER):
        return "no docker CLI at " + DOCKER
    return None


class Clients:
    """The berth CLI and the docker CLI, both pointed at one berthd."""

    def __init__(self, socket, home):
        self.host = "unix://" + socket
        self.home = home
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKER_", "BERTH_"))}
        base.update(HOME=home, TZ="UTC")
        self.berth_env = dict(base, BERTH_HOST=self.host, BERTH_CONFIG=home + "/berth",
                              BERTH_NO_AUTOSTART="1")
        self.docker_env = dict(base, DOCKER_HOST=self.host, DOCKER_CONFIG=home + "/docker")

    def berth(self, *args, input=None, timeout=60, check=False):
        return self._run([str(bin_dir() / "berth"), *map(str, args)], self.berth_env, input,
                         timeout, check)

    def docker(self, *args, input=None, timeout=60, check=False):
        return self._run([DOCKER, *map(str, args)], self.docker_env, input, timeout, check)

    def docker_popen(self, *args, **kw):
        """The docker CLI as a background process (streams: logs -f, events, attach)."""
        return subprocess.Popen([DOCKER, *map(str, args)], env=self.docker_env, **kw)

    def both(self, *args, **kw):
        """Runs the same command line through berth and docker."""
        return self.berth(*args, **kw), self.docker(*args, **kw)

    @staticmethod
    def _run(argv, env, input, timeout, check):
        p = subprocess.run(argv, env=env, input=input, timeout=timeout, capture_output=True,
                           text=isinstance(input, str) or input is None)
        if check and p.returncode != 0:
            raise AssertionError(f"{argv} exited {p.returncode}: {p.stderr}")
        return p


class Berthd:
    """One berthd process with everything it may leave on the host named after `tag`."""

    def __init__(self, prefix="berth-it-", extra_args=()):
        self.tag = secrets.token_hex(3)
        self.bridge = "bt" + self.tag             # interface names are at most 15 bytes
        self.table = "berth_it_" + self.tag
        self.tmp = tempfile.mkdtemp(prefix=prefix, dir="/tmp")
        os.chmod(self.tmp, 0o755)
        self.socket = self.tmp + "/berth.sock"
        self.log_path = self.tmp + "/berthd.log"
        self.extra_args = list(extra_args)
        self.proc = None
        self.clients = Clients(self.socket, self.tmp)

    def start(self, timeout=60):
        bins = bin_dir()
        log = open(self.log_path, "w")
        argv = [str(bins / "berthd"), "-H", "unix://" + self.socket,
                "--data-root", self.tmp + "/data", "--exec-root", self.tmp + "/exec",
                "--shim-path", str(bins / "berth-shim"),
                "--bridge", self.bridge, "--firewall-table", self.table, *self.extra_args]
        if (bins / "berth-init").exists():
            argv += ["--init-path", str(bins / "berth-init")]
        self.proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        log.close()
        deadline = time.monotonic() + timeout
        while self.clients.berth("version", "--format", "{{.Server.Version}}").returncode != 0:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("berthd did not start:\n" + self.log_tail())
            time.sleep(0.1)  # polling the API socket until it answers
        return self.clients

    def log_tail(self, size=4000):
        try:
            return open(self.log_path, errors="replace").read()[-size:]
        except OSError:
            return ""

    def import_busybox(self, ref="busybox:latest"):
        rootfs = subprocess.run([str(REPO / "scripts" / "make-busybox-rootfs.sh")], check=True,
                                stdout=subprocess.PIPE, text=True).stdout.strip()
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            tar.add(rootfs, arcname=".")
        self.clients.berth("import", "-c", 'CMD ["sh"]', "-", ref, input=buf.getvalue(),
                           check=True)

    def sanitizer_reports(self):
        """AddressSanitizer/UBSan reports berthd wrote to its log (the ASan build's checks)."""
        text = self.log_tail(size=1 << 30)
        return [line for line in text.splitlines()
                if "ERROR: AddressSanitizer" in line or "runtime error:" in line
                or "ERROR: LeakSanitizer" in line]

    def stop(self):
        """Stops everything; returns the sanitizer reports found in berthd's log."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                ids = self.clients.berth("ps", "-aq", timeout=60).stdout.split()
                for cid in ids:
                    self.clients.berth("rm", "-f", cid, timeout=60)
            except subprocess.TimeoutExpired:
                pass  # a wedged daemon: stopped below all the same, and its shims killed
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        reports = self.sanitizer_reports()
        self._kill_leftover_shims()
        self._remove_host_network_state()
        self._unmount_under_tmp()
        subprocess.run(["rm", "-rf", "--one-file-system", self.tmp], check=False)
        return reports

    def _kill_leftover_shims(self):
        """Shims are detached from berthd: those still running under our exec root go."""
        needle = (self.tmp + "/").encode()
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if needle in f.read():
                        os.kill(int(entry), signal.SIGKILL)
            except OSError:
                continue

    def _remove_host_network_state(self):
        subprocess.run(["ip", "link", "del", self.bridge], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for family in ("ip", "ip6", "inet", "bridge"):
            subprocess.run(["nft", "delete", "table", family, self.table], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _unmount_under_tmp(self):
        mounts = [line.split()[4] for line in open("/proc/self/mountinfo")
                  if line.split()[4].startswith(self.tmp + "/")]
        for point in sorted(mounts, key=len, reverse=True):
            subprocess.run(["umount", "-l", point], check=False, stderr=subprocess.DEVNULL)


def start_berthd(prefix="berth-it-", extra_args=()):
    """Starts a berthd with the busybox image imported; the caller must `stop()` it."""
    daemon = Berthd(prefix, extra_args)
    try:
        daemon.start()
        daemon.import_busybox()
    except BaseException:
        daemon.stop()
        raise
    return daemon
