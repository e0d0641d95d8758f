"""The `daemon` fixture: one berthd per test module (see engine_ops_util.py)."""
import pytest

from engine_ops_util import start_berthd, stop_berthd


@pytest.fixture(scope="module")
def daemon():
    d = start_berthd()
    yield d
    dead = not d.alive()
    log = d.log()
    stop_berthd(d)
    assert not dead, "berthd died during the module:\n" + log[-4000:]
