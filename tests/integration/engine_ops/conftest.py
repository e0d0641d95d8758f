"""The `daemon` fixture: one berthd per test module (see engine_ops_util.py)."""
import pytest

from engine_ops_util import missing_prerequisite, start_daemon


@pytest.fixture(scope="module")
def daemon():
    reason = missing_prerequisite()
    if reason:
        pytest.skip(reason)
    try:
        d = start_daemon()
    except RuntimeError as e:
        pytest.fail(str(e))
    yield d
    died = not d.alive()
    log = d.log(size=1 << 30)
    d.berthd.stop()
    assert not died, "berthd died during the module:\n" + log[-4000:]
    # Sanitizer reports that did not kill berthd (UBSan carries on by default).
    for marker in ("runtime error:", "AddressSanitizer"):
        at = log.find(marker)
        assert at < 0, "berthd's log has a sanitizer report:\n" + log[max(0, at - 2000):at + 4000]
