"""Fixtures for the engine's streaming and lifecycle tests: a berthd per test module
(berthd_fixture.py) driven through the real docker CLI, and a pseudo-terminal runner for the
`-t` paths (docker run -t, attach with detach keys, exec -t).

Skipped when berthd is not built or the docker CLI is missing; the parent conftest skips
everything without root.
"""
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from berthd_fixture import missing_prerequisite, start_berthd  # noqa: E402


@pytest.fixture(scope="module")
def engine():
    """The clients of a berthd private to this test module (`engine.docker(...)`)."""
    reason = missing_prerequisite(("berthd", "berth", "berth-shim", "berth-init"))
    if reason:
        pytest.skip(reason)
    try:
        daemon = start_berthd("berth-eng-it-")
    except RuntimeError as e:
        pytest.fail(str(e))
    daemon.clients.daemon = daemon
    yield daemon.clients
    reports = daemon.stop()
    assert not reports, "berthd's sanitizers reported:\n" + "\n".join(reports)
