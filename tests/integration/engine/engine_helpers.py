"""Helpers for the engine tests: a process on a pseudo-terminal, container inspection, names."""
import fcntl
import json
import os
import pathlib
import select
import struct
import subprocess
import sys
import termios
import time
import uuid

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from berthd_fixture import DOCKER, wait_for  # noqa: E402,F401


def name(prefix="e"):
    return prefix + uuid.uuid4().hex[:10]


def inspect(engine, ref, fmt=None):
    """`docker inspect` of one object: the parsed JSON, or the --format output stripped."""
    if fmt:
        p = engine.docker("inspect", "--format", fmt, ref, check=True)
        return p.stdout.strip()
    return json.loads(engine.docker("inspect", ref, check=True).stdout)[0]


def state(engine, ref):
    return inspect(engine, ref)["State"]


class PtyProcess:
    """A docker CLI command with a pseudo-terminal as its stdin, stdout and stderr (and its
    controlling terminal), as when a user types it: what `-t` and detach keys need."""

    def __init__(self, engine, *args, rows=24, cols=80):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

        def make_controlling_tty():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen([DOCKER, *map(str, args)], env=engine.docker_env,
                                     stdin=slave, stdout=slave, stderr=slave,
                                     start_new_session=True, preexec_fn=make_controlling_tty)
        os.close(slave)
        self.master = master
        self.output = b""

    def _read(self, timeout):
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the last user of the terminal is gone
            return False
        if not data:
            return False
        self.output += data
        return True

    def expect(self, needle, timeout=60):
        """Reads until `needle` (bytes or str) has been output; returns everything so far."""
        if isinstance(needle, str):
            needle = needle.encode()
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(min(left, 0.5)) and needle not in self.output:
                raise AssertionError(f"{needle!r} not seen; output so far: {self.output!r}")
        return self.output

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        os.write(self.master, data)

    def wait(self, timeout=60):
        """Waits for the command to exit, collecting what is left of its output."""
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError(f"docker did not exit; output: {self.output!r}")
            self._read(0.2)
        while self._read(0):
            if not select.select([self.master], [], [], 0)[0]:
                break
        return self.proc.returncode

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


def past_events(engine, *filters, fmt="{{.Action}}", since="0"):
    """The events recorded so far that match `filters` (--filter arguments), one line each.
    `--until` is the current time to the nanosecond: "0s" would be cut to the second."""
    args = []
    for f in filters:
        args += ["--filter", f]
    p = engine.docker("events", "--since", since, "--until", f"{time.time():.9f}", *args,
                      "--format", fmt, check=True)
    return p.stdout.splitlines()
