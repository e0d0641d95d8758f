"""Fixtures for the networking tests: a berthd per test module (its own bridge and nftables
table, see ../berthd_fixture.py) driven through the real docker CLI; the helpers are in
net_helpers.py.
"""
import os
import pathlib
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]
from berthd_fixture import missing_prerequisite, start_berthd  # noqa: E402
from net_helpers import Net  # noqa: E402


@pytest.fixture(scope="module")
def net():
    reason = missing_prerequisite()
    if reason:
        pytest.skip(reason)
    daemon = start_berthd(prefix="bn")
    helper = Net(daemon)
    yield helper
    # Containers first (they hold the networks), then the user networks and their bridges.
    if daemon.proc is not None and daemon.proc.poll() is None:
        ids = helper.docker("ps", "-aq").stdout.split()
        if ids:
            helper.docker("rm", "-f", *ids, timeout=120)
        helper.docker("network", "prune", "-f")
    if os.environ.get("BERTH_KEEP_LOGS"):
        print(daemon.log_tail(20000))
    daemon.stop()
