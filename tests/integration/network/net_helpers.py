"""Helpers of the networking tests (imported by conftest.py and the test modules): the docker
CLI against the module's berthd, busybox web servers, and probes of connectivity.

Every reachability probe retries inside the container with a deadline (the server may still
be starting); every unreachability probe is made only after the same path was shown to work
from an allowed place, so a failure means "blocked", not "not up yet".
"""
import random
import subprocess
import time

import pytest

# A shell loop that fetches a URL until it answers or ~10 s passed (the server may be starting).
# (busybox 1.35 wget -T segfaults: the timeout applet bounds each try instead.)
FETCH = ("i=0; while [ $i -lt 100 ]; do timeout 3 wget -qO- \"$0\" && exit 0; i=$((i+1)); "
         "sleep 0.1; done; exit 1")
# Serves "hello <hostname>" on port 80.
HTTPD = "mkdir -p /www && echo \"hello $HOSTNAME\" > /www/index.html && exec httpd -f -p 80 -h /www"

# The host's python3 inside a busybox container (busybox's nc has no UDP): its /usr, and the
# loader's and libraries' directories, bind-mounted read-only.
HOST_PYTHON = ["-v", "/usr:/usr:ro", "-v", "/usr/lib64:/lib64:ro", "-v", "/usr/lib:/lib:ro"]
# `python3 -c UDP_SINK <port>`: prints every datagram received on <port>.
UDP_SINK = ("import socket,sys\n"
            "s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', int(sys.argv[1])))\n"
            "while True: print(s.recvfrom(1000)[0].decode().strip(), flush=True)\n")


class Net:
    """The docker CLI against one berthd, plus what the networking tests keep asking for."""

    def __init__(self, daemon):
        self.daemon = daemon
        self.clients = daemon.clients
        self.tag = daemon.tag
        self._subnet_base = random.Random().randrange(100, 250)
        self._next_subnet = random.Random().randrange(0, 200)

    def docker(self, *args, check=False, timeout=60, input=None):
        return self.clients.docker(*args, check=check, timeout=timeout, input=input)

    def ok(self, *args, timeout=60, input=None):
        """Runs a docker command that must succeed; returns its stripped stdout."""
        p = self.docker(*args, timeout=timeout, input=input)
        assert p.returncode == 0, f"docker {' '.join(map(str, args))}: {p.stderr}"
        return p.stdout.strip()

    def subnet(self):
        """A fresh /24 for this module (10.<random>.<n>.0/24), unlikely to collide with others."""
        self._next_subnet += 1
        return f"10.{self._subnet_base}.{self._next_subnet % 256}"

    def web(self, name, *args):
        """Starts a detached busybox httpd answering 'hello <hostname>'; returns its id."""
        return self.ok("run", "-d", "--name", name, "--hostname", name, *args, "busybox",
                       "sh", "-c", HTTPD)

    def fetch(self, url, *run_args, timeout=60):
        """wget from a throwaway container (retrying for ~10 s); the CompletedProcess."""
        return self.docker("run", "--rm", *run_args, "busybox", "sh", "-c", FETCH, url,
                           timeout=timeout)

    def ip(self, container, network):
        return self.ok("inspect", "-f",
                       "{{(index .NetworkSettings.Networks \"%s\").IPAddress}}" % network,
                       container)

    def pid(self, container):
        return int(self.ok("inspect", "-f", "{{.State.Pid}}", container))

    def rm(self, *names):
        self.docker("rm", "-f", *names)

    def udp_sink(self, name, port, *args):
        """Starts a detached container printing the UDP datagrams it gets on `port`."""
        return self.ok("run", "-d", "--name", name, *HOST_PYTHON, *args, "busybox",
                       "/usr/bin/python3", "-c", UDP_SINK, str(port))

    def wait_logs(self, container, text, timeout=20):
        """Polls `docker logs` until it shows `text`."""
        deadline = time.monotonic() + timeout
        while True:
            p = self.docker("logs", container)
            if text in p.stdout + p.stderr:
                return p.stdout + p.stderr
            if time.monotonic() > deadline:
                pytest.fail(f"{container}'s logs never showed {text!r}: {p.stdout + p.stderr}")
            time.sleep(0.1)  # polling the logs, an observable condition


def host_primary_ip():
    """The address the host uses to go out (the source of its default route)."""
    out = subprocess.run(["ip", "-o", "route", "get", "1.1.1.1"], capture_output=True,
                         text=True).stdout.split()
    return out[out.index("src") + 1] if "src" in out else None


def nft_table(table):
    """`nft list table ip <table>` as text ('' when the table does not exist)."""
    return subprocess.run(["nft", "list", "table", "ip", table], capture_output=True,
                          text=True).stdout
