"""Helpers for the Engine API operation tests (cp, export, diff, commit, top, stats, update,
prune, ps, ...), which drive berthd through the real docker CLI, the Docker SDK for Python and
raw sockets.

Each test module gets its own berthd: private data and exec roots, socket, bridge interface,
bridge subnet and nftables table, so several berthds can run side by side. `Clients` and
`wait_for` are reused from tests/integration/{cli/,}conftest.py, loaded by path because every
conftest module is named "conftest".
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

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
DOCKER = "/usr/local/bin/docker"


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_cli = _load("berth_cli_conftest_for_engine_ops", HERE.parent / "cli" / "conftest.py")
_top = _load("berth_it_conftest_for_engine_ops", HERE.parent / "conftest.py")
Clients = _cli.Clients
bin_dir = _cli.bin_dir
wait_for = _top.wait_for


def busybox_tar():
    rootfs = subprocess.run([str(REPO / "scripts" / "make-busybox-rootfs.sh")], check=True,
                            stdout=subprocess.PIPE, text=True).stdout.strip()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.add(rootfs, arcname=".")
    return buf.getvalue()


class Daemon(Clients):
    """A running berthd plus its clients and the host-side names it owns."""

    def __init__(self, socket, home, proc, bridge, table):
        super().__init__(socket, home)
        self.socket = socket
        self.proc = proc
        self.bridge = bridge
        self.table = table
        self.exec_root = home + "/exec"
        self.data_root = home + "/data"

    def log(self):
        with open(self.home + "/berthd.log", errors="replace") as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def dk(self, *args, **kw):
        """docker, failing the test on a non-zero exit; returns stdout stripped."""
        kw.setdefault("check", True)
        return self.docker(*args, **kw).stdout.strip()

    def run_bg(self, *args, name=None):
        """`docker run -d` of busybox running args (default: sleep); returns the full id."""
        argv = ["run", "-d"]
        if name:
            argv += ["--name", name]
        argv += ["busybox", *(args or ("sleep", "300"))]
        return self.dk(*argv)


def start_berthd():
    bins = bin_dir()
    for name in ("berthd", "berth", "berth-shim"):
        if not (bins / name).exists():
            pytest.skip(f"{bins / name} is not built")
    if not os.path.exists(DOCKER):
        pytest.skip("no docker CLI at " + DOCKER)
    tmp = tempfile.mkdtemp(prefix="berth-eo-", dir="/tmp")
    os.chmod(tmp, 0o755)
    tag = secrets.token_hex(3)
    bridge, table = "bt" + tag, "bt" + tag
    subnet = f"10.{200 + secrets.randbelow(50)}.{secrets.randbelow(256)}.1/24"
    socket = tmp + "/d.sock"
    log = open(tmp + "/berthd.log", "w")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOCKER_", "BERTH_"))}
    proc = subprocess.Popen([str(bins / "berthd"), "-H", "unix://" + socket,
                             "--data-root", tmp + "/data", "--exec-root", tmp + "/exec",
                             "--shim-path", str(bins / "berth-shim"), "--bridge", bridge,
                             "--bip", subnet, "--firewall-table", table],
                            stdout=log, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)
    d = Daemon(socket, tmp, proc, bridge, table)
    deadline = time.monotonic() + 60
    while d.docker("version", "--format", "{{.Server.Version}}").returncode != 0:
        if proc.poll() is not None or time.monotonic() > deadline:
            stop_berthd(d)
            pytest.fail("berthd did not start:\n" + d.log()[-4000:])
        time.sleep(0.1)  # polling the daemon's socket until it answers
    d.berth("import", "-c", 'CMD ["sh"]', "-", "busybox:latest", input=busybox_tar(), check=True)
    return d


def stop_berthd(d):
    if d.alive():
        ids = d.docker("ps", "-aq", timeout=30).stdout.split()
        if ids:
            d.docker("rm", "-f", *ids, timeout=60)
        os.killpg(d.proc.pid, signal.SIGTERM)
        try:
            d.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(d.proc.pid, signal.SIGKILL)
            d.proc.wait()
    # Host-side leftovers: the bridge, the nftables tables, mounts under the temp dir.
    subprocess.run(["ip", "link", "delete", d.bridge], capture_output=True)
    listed = subprocess.run(["nft", "list", "tables"], capture_output=True, text=True).stdout
    for line in listed.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == d.table:
            subprocess.run(["nft", "delete", "table", parts[1], parts[2]], capture_output=True)
    for line in reversed(open("/proc/self/mountinfo").read().splitlines()):
        mountpoint = line.split()[4]
        if mountpoint.startswith(d.home + "/"):
            subprocess.run(["umount", "-l", mountpoint], capture_output=True)
    subprocess.run(["rm", "-rf", "--one-file-system", d.home], capture_output=True)
