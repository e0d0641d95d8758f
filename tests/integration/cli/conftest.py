"""Fixtures for the berth CLI's integration tests: a berthd of our own (temp data and exec
roots, its own socket) with a busybox image imported from the cached busybox rootfs, and two
clients for it — `berth` and the real docker CLI (DOCKER_HOST) — so each scenario can be run
through both and the outputs compared.

Skipped when berthd/berth are not built (BERTH_BIN_DIR, default build-asan/bin) or when the
docker CLI is missing; the parent conftest skips everything without root.
"""
import io
import os
import pathlib
import shutil
import signal
import subprocess
import tarfile
import tempfile
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
DOCKER = "/usr/local/bin/docker"


def bin_dir():
    return pathlib.Path(os.environ.get("BERTH_BIN_DIR", REPO / "build-asan" / "bin"))


class Clients:
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


@pytest.fixture(scope="session")
def berthd():
    bins = bin_dir()
    for name in ("berthd", "berth", "berth-shim"):
        if not (bins / name).exists():
            pytest.skip(f"{bins / name} is not built")
    if not os.path.exists(DOCKER):
        pytest.skip("no docker CLI at " + DOCKER)
    tmp = tempfile.mkdtemp(prefix="berth-cli-it-")
    socket = tmp + "/berth.sock"
    log = open(tmp + "/berthd.log", "w")
    proc = subprocess.Popen([str(bins / "berthd"), "-H", "unix://" + socket,
                             "--data-root", tmp + "/data", "--exec-root", tmp + "/exec",
                             "--shim-path", str(bins / "berth-shim")],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    clients = Clients(socket, tmp)
    deadline = time.monotonic() + 30
    while clients.berth("version", "--format", "{{.Server.Version}}").returncode != 0:
        if proc.poll() is not None or time.monotonic() > deadline:
            log.flush()
            pytest.fail("berthd did not start:\n" + open(tmp + "/berthd.log").read()[-4000:])
        time.sleep(0.1)
    # A busybox image, imported from the test rootfs through `berth import` itself.
    rootfs = subprocess.run([str(REPO / "scripts" / "make-busybox-rootfs.sh")], check=True,
                            stdout=subprocess.PIPE, text=True).stdout.strip()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.add(rootfs, arcname=".")
    clients.berth("import", "-c", 'CMD ["sh"]', "-", "busybox:latest", input=buf.getvalue(),
                  check=True)
    yield clients
    for cid in clients.berth("ps", "-aq").stdout.split():
        clients.berth("rm", "-f", cid)
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    shutil.rmtree(tmp, ignore_errors=True)
