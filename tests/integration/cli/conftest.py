"""Fixtures for the berth CLI's integration tests: a berthd of our own (berthd_fixture.py: temp
data and exec roots, its own socket, bridge and nft table) with a busybox image imported from
the cached busybox rootfs, and two clients for it — `berth` and the real docker CLI
(DOCKER_HOST) — so each scenario can be run through both and the outputs compared.

Skipped when berthd/berth are not built (BERTH_BIN_DIR, default build-asan/bin) or when the
docker CLI is missing; the parent conftest skips everything without root.
"""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from berthd_fixture import DOCKER, Clients, bin_dir, missing_prerequisite, start_berthd  # noqa: E402,F401


@pytest.fixture(scope="session")
def berthd():
    reason = missing_prerequisite()
    if reason:
        pytest.skip(reason)
    try:
        daemon = start_berthd("berth-cli-it-")
    except RuntimeError as e:
        pytest.fail(str(e))
    yield daemon.clients
    daemon.stop()
