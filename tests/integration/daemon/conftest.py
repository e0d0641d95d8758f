"""berthd robustness tests: each module gets a berthd of its own (daemon_helpers.fixture_lib:
private roots, socket, bridge and nft table), stopped and cleaned up after the module."""
import pytest

import daemon_helpers


@pytest.fixture(scope="module")
def daemon():
    """A running berthd (a fixture_lib.Berthd) with busybox imported."""
    reason = daemon_helpers.fixture_lib.missing_prerequisite()
    if reason:
        pytest.skip(reason)
    d = daemon_helpers.fixture_lib.start_berthd(prefix="berth-dmn-")
    yield d
    d.stop()
