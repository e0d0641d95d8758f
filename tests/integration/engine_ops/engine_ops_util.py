"""Helpers for the Engine API operation tests (cp, export, diff, commit, top, stats, update,
prune, ps, ...), which drive berthd through the real docker CLI, the Docker SDK for Python and
raw sockets.

Each test module gets its own berthd (tests/integration/berthd_fixture.py: private roots,
socket, bridge and nft table); here it also gets a private bridge subnet, so that several
berthds' bridges never claim the same prefix.
"""
import pathlib
import secrets
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from berthd_fixture import Berthd, missing_prerequisite, wait_for  # noqa: E402,F401


class Daemon:
    """A started berthd and shorthands for driving it through the docker CLI."""

    def __init__(self, berthd):
        self.berthd = berthd
        self.clients = berthd.clients
        self.socket = berthd.socket
        self.proc = berthd.proc
        self.docker = self.clients.docker
        self.berth = self.clients.berth

    def alive(self):
        return self.proc.poll() is None

    def log(self, size=4000):
        return self.berthd.log_tail(size)

    def dk(self, *args, **kw):
        """docker, failing the test on a non-zero exit; returns stdout stripped."""
        kw.setdefault("check", True)
        return self.docker(*args, **kw).stdout.strip()

    def run_bg(self, *args, name=None):
        """`docker run -d` of busybox running args (default: a long sleep); the full id."""
        argv = ["run", "-d"]
        if name:
            argv += ["--name", name]
        argv += ["busybox", *(args or ("sleep", "600"))]
        return self.dk(*argv)


def start_daemon():
    subnet = f"10.{200 + secrets.randbelow(50)}.{secrets.randbelow(256)}.1/24"
    # A short prefix: exec/containers/<64 hex>/shim.sock must fit in a sun_path (108 bytes).
    b = Berthd("eo", ["--bip", subnet])
    try:
        b.start()
        b.import_busybox()
    except BaseException:
        b.stop()
        raise
    return Daemon(b)
