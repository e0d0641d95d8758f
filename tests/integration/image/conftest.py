"""Fixtures for the image tests through berthd: a berthd per module (../berthd_fixture.py) and
the real CNCF distribution registry (Debian's docker-registry) on 127.0.0.1, one plain and one
behind htpasswd basic auth, both started and removed by the fixtures."""
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from berthd_fixture import missing_prerequisite, start_berthd, wait_for  # noqa: E402

REGISTRY = "/usr/bin/docker-registry"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Registry:
    def __init__(self, htpasswd=None):
        self.dir = tempfile.mkdtemp(prefix="berth-reg-")
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"
        auth = ""
        if htpasswd:
            with open(self.dir + "/htpasswd", "w") as f:
                f.write(htpasswd)
            auth = f"auth:\n  htpasswd:\n    realm: berth-test\n    path: {self.dir}/htpasswd\n"
        with open(self.dir + "/config.yml", "w") as f:
            f.write("version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n"
                    f"    rootdirectory: {self.dir}/data\n  delete:\n    enabled: true\n"
                    f"http:\n  addr: {self.address}\n{auth}")
        self.log = open(self.dir + "/registry.log", "w")
        self.proc = subprocess.Popen([REGISTRY, "serve", self.dir + "/config.yml"],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: port_open(self.port) or self.proc.poll() is not None, timeout=30,
                 what="docker-registry to listen")
        assert self.proc.poll() is None, open(self.dir + "/registry.log").read()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def bcrypt_htpasswd(user, password):
    """An htpasswd line with a bcrypt hash: the registry accepts no other kind."""
    import crypt  # deprecated in 3.11 but present; the tests need nothing from PyPI
    return f"{user}:{crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH))}\n"


@pytest.fixture(scope="module")
def engine():
    reason = missing_prerequisite()
    if reason:
        pytest.skip(reason)
    if not os.path.exists(REGISTRY):
        pytest.skip("docker-registry is not installed")
    daemon = start_berthd(prefix="bi")
    yield daemon.clients
    daemon.stop()


@pytest.fixture(scope="module")
def registry():
    r = Registry()
    yield r
    r.stop()


@pytest.fixture(scope="module")
def auth_registry():
    r = Registry(htpasswd=bcrypt_htpasswd("berth", "s3cret"))
    yield r
    r.stop()
