"""Fixtures for the volume tests: a berthd per test module (private roots, bridge and nftables
table; see ../berthd_fixture.py) driven through the real docker CLI."""
import os
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from berthd_fixture import missing_prerequisite, start_berthd  # noqa: E402


class Vol:
    """The docker CLI against the module's berthd."""

    def __init__(self, daemon):
        self.daemon = daemon
        self.tag = daemon.tag
        self.data_root = daemon.tmp + "/data"

    def docker(self, *args, timeout=60, input=None):
        return self.daemon.clients.docker(*args, timeout=timeout, input=input)

    def ok(self, *args, timeout=60, input=None):
        """Runs a docker command that must succeed; returns its stripped stdout."""
        p = self.docker(*args, timeout=timeout, input=input)
        assert p.returncode == 0, f"docker {' '.join(map(str, args))}: {p.stderr}"
        return p.stdout.strip()

    def sh(self, script, *run_args):
        """`docker run --rm <run_args> busybox sh -c <script>`; the CompletedProcess."""
        return self.docker("run", "--rm", *run_args, "busybox", "sh", "-c", script)

    def volumes(self, *filters):
        args = [a for f in filters for a in ("--filter", f)]
        return self.ok("volume", "ls", "-q", *args).split()


@pytest.fixture(scope="module")
def vol():
    reason = missing_prerequisite()
    if reason:
        pytest.skip(reason)
    daemon = start_berthd(prefix="bv")
    helper = Vol(daemon)
    yield helper
    if daemon.proc is not None and daemon.proc.poll() is None:
        ids = helper.docker("ps", "-aq").stdout.split()
        if ids:
            helper.docker("rm", "-f", "-v", *ids, timeout=120)
        helper.docker("volume", "prune", "-af")
        if os.environ.get("BERTH_KEEP_LOGS"):
            print(daemon.log_tail(20000))
    daemon.stop()
