"""Published ports: reached from the host through 127.0.0.1 and the host's address, shown by
`docker port` and `docker ps`, refused when taken, and their nftables rules gone when the
container stops, is removed, or died while berthd was down."""
import io
import os
import signal
import socket
import subprocess
import tarfile
import time
import urllib.request

import pytest

from berthd_fixture import REPO
from net_helpers import HTTPD, host_primary_ip, nft_table


def free_port():
    with socket.socket() as s:
        s.bind(("0.0.0.0", 0))
        return s.getsockname()[1]


def free_range(count):
    """`count` consecutive ports that are free now, below the ephemeral range."""
    for _ in range(50):
        first = int.from_bytes(os.urandom(2), "big") % 20000 + 20000
        ok = True
        for port in range(first, first + count):
            with socket.socket() as s:
                try:
                    s.bind(("0.0.0.0", port))
                except OSError:
                    ok = False
                    break
        if ok:
            return first
    pytest.skip("no free port range")


def http_get(address, port, timeout=20):
    """GET http://address:port/ until it answers (the server may be starting); the body."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{address}:{port}/", timeout=2) as r:
                return r.read().decode().strip()
        except OSError as e:
            last = e
            time.sleep(0.1)  # polling the published port until the server answers
    pytest.fail(f"http://{address}:{port}/ never answered: {last}")


def refused(address, port):
    """True when a TCP connection to address:port is refused (nothing listens, no DNAT)."""
    try:
        with socket.create_connection((address, port), timeout=3):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def test_publish_host_and_container_port(net):
    port = free_port()
    net.web("p-fixed", "-p", f"{port}:80")
    try:
        assert http_get("127.0.0.1", port) == "hello p-fixed"
        addr = host_primary_ip()
        if addr:
            assert http_get(addr, port) == "hello p-fixed"
        assert net.ok("port", "p-fixed") == f"80/tcp -> 0.0.0.0:{port}"
        assert f"0.0.0.0:{port}->80/tcp" in net.ok("ps", "--format", "{{.Ports}}", "-f",
                                                   "name=p-fixed")
        assert str(port) in nft_table(net.daemon.table)
    finally:
        net.rm("p-fixed")
    # Removed: the rule and the host port are gone.
    assert str(port) not in nft_table(net.daemon.table)
    assert refused("127.0.0.1", port)


def test_publish_on_loopback_only(net):
    port = free_port()
    net.web("p-lo", "-p", f"127.0.0.1:{port}:80")
    try:
        assert http_get("127.0.0.1", port) == "hello p-lo"
        assert net.ok("port", "p-lo", "80") == f"127.0.0.1:{port}"
        addr = host_primary_ip()
        if addr:
            # Published on 127.0.0.1 only: the host's other addresses are not forwarded.
            assert refused(addr, port)
    finally:
        net.rm("p-lo")


def test_random_host_port(net):
    net.web("p-rand", "-p", "80")
    try:
        mapping = net.ok("port", "p-rand", "80/tcp")
        host, port = mapping.splitlines()[0].rsplit(":", 1)
        assert host == "0.0.0.0" and int(port) > 1024
        assert f"0.0.0.0:{port}->80/tcp" in net.ok("ps", "--format", "{{.Ports}}", "-f",
                                                   "name=p-rand")
        assert http_get("127.0.0.1", int(port)) == "hello p-rand"
    finally:
        net.rm("p-rand")


def test_port_range(net):
    first = free_range(3)
    net.ok("run", "-d", "--name", "p-range", "-p", f"{first}-{first + 2}:8000-8002", "busybox",
           "sh", "-c", "mkdir /w; echo ranged > /w/index.html; "
           "httpd -p 8000 -h /w; httpd -p 8001 -h /w; exec httpd -f -p 8002 -h /w")
    try:
        out = net.ok("port", "p-range").splitlines()
        assert out == [f"{8000 + i}/tcp -> 0.0.0.0:{first + i}" for i in range(3)], out
        for i in range(3):
            assert http_get("127.0.0.1", first + i) == "ranged"
    finally:
        net.rm("p-range")


def test_udp_port(net):
    port = free_port()
    net.udp_sink("p-udp", 5353, "-p", f"{port}:5353/udp")
    try:
        assert net.ok("port", "p-udp") == f"5353/udp -> 0.0.0.0:{port}"
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            deadline = time.monotonic() + 20
            while True:
                s.sendto(b"udp-hello\n", ("127.0.0.1", port))
                if "udp-hello" in net.docker("logs", "p-udp").stdout:
                    break
                assert time.monotonic() < deadline, "no datagram arrived"
                time.sleep(0.2)  # polling the container's log for the datagram
    finally:
        net.rm("p-udp")


def test_publish_all_exposed_ports(net):
    # --expose sets Config.ExposedPorts, as an image's EXPOSE does.
    net.web("p-all", "--expose", "80", "-P")
    try:
        port = int(net.ok("port", "p-all", "80").splitlines()[0].rsplit(":", 1)[1])
        assert http_get("127.0.0.1", port) == "hello p-all"
    finally:
        net.rm("p-all")


def test_publish_all_from_image_expose(net):
    rootfs = subprocess.run([str(REPO / "scripts" / "make-busybox-rootfs.sh")], check=True,
                            stdout=subprocess.PIPE, text=True).stdout.strip()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        tar.add(rootfs, arcname=".")
    ref = "exposed:" + net.tag
    net.clients.berth("import", "-c", "EXPOSE 80/tcp", "-c", 'CMD ["sh"]', "-", ref,
                      input=buf.getvalue(), check=True)
    assert "80/tcp" in net.ok("image", "inspect", "-f", "{{json .Config.ExposedPorts}}", ref)
    net.ok("run", "-d", "--name", "p-img", "--hostname", "p-img", "-P", ref, "sh", "-c", HTTPD)
    try:
        port = int(net.ok("port", "p-img", "80").splitlines()[0].rsplit(":", 1)[1])
        assert http_get("127.0.0.1", port) == "hello p-img"
    finally:
        net.rm("p-img")
        net.docker("rmi", ref)


def test_port_in_use(net):
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("0.0.0.0", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        p = net.docker("run", "-d", "--name", "p-busy", "-p", f"{port}:80", "busybox", "sleep",
                       "60")
        assert p.returncode != 0
        assert "address already in use" in p.stderr, p.stderr
        assert net.ok("ps", "-q", "--filter", "name=p-busy") == ""
        assert net.ok("inspect", "-f", "{{.State.Running}}", "p-busy") == "false"
    finally:
        holder.close()
        net.rm("p-busy")
    # A port berthd gave to one container is refused to a second one.
    port = free_port()
    net.ok("run", "-d", "--name", "p-first", "-p", f"{port}:80", "busybox", "sleep", "60")
    try:
        p = net.docker("run", "-d", "--name", "p-second", "-p", f"{port}:80", "busybox", "sleep",
                       "60")
        assert p.returncode != 0 and "already allocated" in p.stderr, p.stderr
        assert net.ok("ps", "-q", "--filter", "name=p-second") == ""
    finally:
        net.rm("p-first", "p-second")


def test_rules_follow_stop_and_start(net):
    port = free_port()
    net.web("p-stop", "-p", f"{port}:80")
    try:
        assert http_get("127.0.0.1", port) == "hello p-stop"
        net.ok("stop", "-t", "1", "p-stop")
        assert str(port) not in nft_table(net.daemon.table)
        assert refused("127.0.0.1", port)
        net.ok("start", "p-stop")
        assert http_get("127.0.0.1", port) == "hello p-stop"
    finally:
        net.rm("p-stop")
    assert str(port) not in nft_table(net.daemon.table)


def test_rules_reconciled_after_berthd_restart(net):
    """berthd killed with -9; one container dies meanwhile, one keeps running: at restart the
    dead one's rules and port are gone, the live one's still work."""
    alive_port, dead_port = free_port(), free_port()
    net.web("p-alive", "-p", f"{alive_port}:80")
    net.web("p-dead", "-p", f"{dead_port}:80")
    assert http_get("127.0.0.1", alive_port) == "hello p-alive"
    assert http_get("127.0.0.1", dead_port) == "hello p-dead"
    dead_pid = net.pid("p-dead")
    daemon = net.daemon
    os.killpg(daemon.proc.pid, signal.SIGKILL)
    daemon.proc.wait()
    os.kill(dead_pid, signal.SIGKILL)
    deadline = time.monotonic() + 20
    while os.path.exists(f"/proc/{dead_pid}"):
        assert time.monotonic() < deadline, "the container's process did not die"
        time.sleep(0.05)  # polling for the process to be gone
    # berthd is down: the kernel still has both rules.
    table = nft_table(daemon.table)
    assert str(alive_port) in table and str(dead_port) in table
    daemon.start()
    try:
        table = nft_table(daemon.table)
        assert str(dead_port) not in table, table
        assert str(alive_port) in table, table
        assert net.ok("inspect", "-f", "{{.State.Running}}", "p-dead") == "false"
        assert net.ok("port", "p-dead") == ""
        assert http_get("127.0.0.1", alive_port) == "hello p-alive"
        # The dead container's port is free again: another container can take it.
        net.web("p-taker", "-p", f"{dead_port}:80")
        assert http_get("127.0.0.1", dead_port) == "hello p-taker"
        # Restarting the dead one gives it its port back once the taker is gone.
        net.rm("p-taker")
        net.ok("start", "p-dead")
        assert http_get("127.0.0.1", dead_port) == "hello p-dead"
    finally:
        net.rm("p-alive", "p-dead", "p-taker")
    table = nft_table(daemon.table)
    assert str(alive_port) not in table and str(dead_port) not in table


def host_ipv6_address():
    """A global (non-loopback, non-link-local) IPv6 address of the host, or None."""
    out = subprocess.run(["ip", "-o", "-6", "addr", "show", "scope", "global"],
                         capture_output=True, text=True).stdout.split()
    for i, word in enumerate(out):
        if word == "inet6" and i + 1 < len(out):
            return out[i + 1].split("/")[0]
    return None


def test_publish_on_ipv6(net):
    address = host_ipv6_address()
    if address is None:
        pytest.skip("the host has no global IPv6 address to publish on")
    name = "v6-" + net.tag
    net.ok("network", "create", "--ipv6", "--subnet", "fd00:b0b:" + net.tag[-4:] + "::/64", name)
    port = free_port()
    try:
        net.web("p-v6", "--network", name, "-p", f"{port}:80")
        container_v6 = net.ok("inspect", "-f",
                              "{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}{{end}}",
                              "p-v6")
        assert container_v6.startswith("fd00:b0b:")
        # Through the kernel's ip6 DNAT (no proxy): the host's IPv6 address, and IPv4 as well.
        assert http_get(f"[{address}]", port) == "hello p-v6"
        assert http_get("127.0.0.1", port) == "hello p-v6"
        assert f"{container_v6} . 80" in subprocess.run(
            ["nft", "list", "table", "ip6", net.daemon.table], capture_output=True,
            text=True).stdout
    finally:
        net.rm("p-v6")
        net.docker("network", "rm", name)
    # ::1 cannot be forwarded without a proxy (IPv6 has no route_localnet): a clear error.
    p = net.docker("run", "-d", "--name", "p-v6lo", "-p", f"[::1]:{port}:80", "busybox", "true")
    net.docker("rm", "-f", "p-v6lo")
    assert p.returncode != 0 and "::1" in p.stderr


def test_published_port_reached_from_another_container(net):
    addr = host_primary_ip()
    if addr is None:
        pytest.skip("the host has no default route address")
    port = free_port()
    name = "other-" + net.tag
    net.ok("network", "create", name)
    net.web("p-cross", "-p", f"{port}:80")
    try:
        # From a container on another network, through the host's address (DNAT, not a proxy).
        p = net.fetch(f"http://{addr}:{port}/", "--network", name)
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == "hello p-cross"
    finally:
        net.rm("p-cross")
        net.docker("network", "rm", name)
